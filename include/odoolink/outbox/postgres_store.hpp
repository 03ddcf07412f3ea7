#pragma once
/// @file
/// The shared store: PostgreSQL through libpq. Many relays on many machines
/// share one outbox: claims lock rows with `FOR UPDATE SKIP LOCKED` and hold
/// them through leases; per-aggregate order holds across relays. A claim is
/// one statement for the whole batch, and so is a settlement.
///
/// The audit chain does not serialise writers: each transaction appends its
/// audit rows unchained (`audit_pending`), and sealing moves committed rows
/// onto the one hash chain in the order they were written, one sealer at a
/// time (writers seal every hundred rows or so, relays when idle, `audit`
/// before it reads). The chain order is the sealing order; each event's rows
/// keep theirs. Rows are tamper-evident once sealed.
///
/// Transactional outbox: `enqueue_in` writes events through the host's own
/// connection, inside the host's open transaction, so the events commit or
/// roll back with the business data.

#include <memory>
#include <span>
#include <string>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/outbox/store.hpp"

// libpq's connection type, without including libpq-fe.h.
extern "C" {
typedef struct pg_conn PGconn;  // NOLINT(modernize-use-using): must match libpq's C declaration
}

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// Settings of `postgres_store::open`.
struct postgres_options {
  std::string conninfo;             ///< libpq connection string or URI (its password never reaches an error text)
  std::string schema = "odoolink";  ///< schema of the outbox tables (created when missing)
};

/// @par Thread Safety  One object (one connection) per thread.
class postgres_store final : public store {
 public:
  /// Connects and creates the schema and tables when missing.
  /// Errors: store_errc::io_failed (cannot connect; the message has no password).
  [[nodiscard]] static result<std::unique_ptr<postgres_store>> open(postgres_options options);
  ~postgres_store() override;

  /// Enqueues through `connection`, a host connection that is inside a
  /// transaction the host will commit (or roll back) itself: the events
  /// become visible to relays only when it commits. The tables must exist
  /// (`open` once creates them). Same duplicate rule as `enqueue`.
  [[nodiscard]] static result<std::vector<enqueue_outcome>> enqueue_in(PGconn* connection, std::span<const new_event> events,
                                                                       const std::string& schema = "odoolink");

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

 private:
  struct state;
  explicit postgres_store(std::unique_ptr<state> s) noexcept;
  std::unique_ptr<state> s_;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
