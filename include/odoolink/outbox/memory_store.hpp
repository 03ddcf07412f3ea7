#pragma once
/// @file
/// An outbox store in memory: for tests and for hosts that accept losing
/// queued events when the process ends. Same semantics as the durable stores
/// (the conformance suite runs on it).

#include <memory>

#include "odoolink/config.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// @par Thread Safety  Safe from any number of threads (one internal lock),
///   so several relays in one process may share it.
class memory_store final : public store {
 public:
  memory_store();
  ~memory_store() override;

  [[nodiscard]] result<std::vector<enqueue_outcome>> enqueue(std::span<const new_event> events) override;
  [[nodiscard]] result<std::vector<event>> claim(const claim_request& request) override;
  [[nodiscard]] result<std::vector<bool>> settle(std::string_view owner, timestamp now,
                                                 std::span<const settlement> outcomes) override;
  [[nodiscard]] result<std::size_t> reclaim(std::string_view owner, std::string_view keep, timestamp now) override;
  [[nodiscard]] result<std::optional<event>> find(std::string_view id) override;
  [[nodiscard]] result<std::optional<event>> find_by_key(std::string_view key) override;
  [[nodiscard]] result<std::vector<event>> list(const event_filter& filter) override;
  [[nodiscard]] result<void> replay(std::string_view id, timestamp now, const std::optional<std::string>& payload,
                                    std::string_view audit_detail) override;
  [[nodiscard]] result<void> discard(std::string_view id, timestamp now, std::string_view reason) override;
  [[nodiscard]] result<queue_stats> stats() override;
  [[nodiscard]] result<std::vector<subject_queue_stats>> subject_stats() override;
  [[nodiscard]] result<std::optional<timestamp>> next_due() override;
  [[nodiscard]] result<std::size_t> purge(timestamp before) override;
  [[nodiscard]] result<bool> inbox_record(std::string_view key, timestamp now, std::chrono::microseconds window) override;
  [[nodiscard]] result<void> inbox_forget(std::string_view key) override;
  [[nodiscard]] result<std::size_t> inbox_purge(timestamp before) override;
  [[nodiscard]] result<std::vector<audit_record>> audit(std::int64_t after_sequence, std::size_t limit,
                                                        std::string_view event_id = {}) override;

  /// Changes the detail of audit row `sequence` without re-hashing: lets
  /// tests show that `verify` notices tampering.
  void tamper_with_audit_row_for_testing(std::int64_t sequence, std::string detail);

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
