#pragma once
/// @file
/// A store decorator that keeps payloads encrypted at rest: it encrypts on
/// `enqueue` and `replay` and decrypts whatever it reads, so relays and
/// sinks see plain payloads and the database never holds one.

#include "odoolink/config.hpp"
#include "odoolink/outbox/payload_cipher.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// @par Thread Safety  As the wrapped store.
class encrypting_store final : public store {
 public:
  /// `inner` must outlive this object.
  encrypting_store(store& inner, const payload_key& key) : inner_(inner), key_(key) {}

  [[nodiscard]] result<std::vector<enqueue_outcome>> enqueue(std::span<const new_event> events) override;
  [[nodiscard]] result<std::vector<event>> claim(const claim_request& request) override;
  [[nodiscard]] result<std::vector<bool>> settle(std::string_view owner, timestamp now,
                                                 std::span<const settlement> outcomes) override {
    return inner_.settle(owner, now, outcomes);
  }
  /// The wrapped store's `settle_and_claim` (one commit where it has one), the claimed payloads decrypted.
  [[nodiscard]] result<settle_and_claim_outcome> settle_and_claim(std::span<const settlement> outcomes,
                                                                  const claim_request& request) override;
  [[nodiscard]] result<std::size_t> reclaim(std::string_view owner, std::string_view keep, timestamp now) override {
    return inner_.reclaim(owner, keep, now);
  }
  [[nodiscard]] result<std::optional<event>> find(std::string_view id) override;
  [[nodiscard]] result<std::optional<event>> find_by_key(std::string_view key) override;
  [[nodiscard]] result<std::vector<event>> list(const event_filter& filter) override;
  [[nodiscard]] result<void> replay(std::string_view id, timestamp now, const std::optional<std::string>& payload,
                                    std::string_view audit_detail) override;
  [[nodiscard]] result<void> discard(std::string_view id, timestamp now, std::string_view reason) override {
    return inner_.discard(id, now, reason);
  }
  [[nodiscard]] result<queue_stats> stats() override { return inner_.stats(); }
  [[nodiscard]] result<std::vector<subject_queue_stats>> subject_stats() override { return inner_.subject_stats(); }
  [[nodiscard]] result<std::optional<timestamp>> next_due() override { return inner_.next_due(); }
  [[nodiscard]] result<std::size_t> purge(timestamp before) override { return inner_.purge(before); }
  [[nodiscard]] result<bool> inbox_record(std::string_view key, timestamp now, std::chrono::microseconds window) override {
    return inner_.inbox_record(key, now, window);
  }
  [[nodiscard]] result<void> inbox_forget(std::string_view key) override { return inner_.inbox_forget(key); }
  [[nodiscard]] result<std::size_t> inbox_purge(timestamp before) override { return inner_.inbox_purge(before); }
  [[nodiscard]] result<std::vector<audit_record>> audit(std::int64_t after_sequence, std::size_t limit,
                                                        std::string_view event_id = {}) override {
    return inner_.audit(after_sequence, limit, event_id);
  }

 private:
  result<void> open(event& e) const;
  store& inner_;
  payload_key key_;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
