#pragma once
/// @file
/// The embedded default store: one SQLite database file, WAL journal.
///
/// Durability: `synchronous = FULL` by default, so an acknowledged enqueue
/// survives a power cut. `durability::normal` (`synchronous = NORMAL` in WAL
/// mode) survives a crash of the process but may lose the last transactions
/// on power loss; it is several times faster on slow disks.
///
/// Several processes may open the same file (SQLite locks it); every write
/// call takes the write lock at its start (`BEGIN IMMEDIATE`), so claims from
/// several relays serialize and never hand out one event twice. A locked
/// database is waited on for `busy_timeout`, then store_errc::busy.
///
/// The file holds the tables `odoolink_events` (an event as enqueued),
/// `odoolink_event_state` (its state, attempts, lease and result, one narrow
/// row per event that claims and settlements rewrite), `odoolink_audit` and
/// `odoolink_inbox`, versioned by `PRAGMA user_version` (3); times are integer
/// microseconds since the Unix epoch. An older version is upgraded in place on
/// open, in one transaction. A file that is not an outbox (garbage, another
/// application's tables, a newer version) is refused with store_errc::corrupt
/// and left unchanged.

#include <chrono>
#include <memory>
#include <string>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// How hard a commit waits for the disk.
enum class sqlite_durability {
  full,    ///< `synchronous = FULL`: survives power loss (default)
  normal,  ///< `synchronous = NORMAL`: survives a process crash
};

/// Settings of `sqlite_store::open`.
struct sqlite_options {
  std::string path;  ///< database file (created with its tables when missing); `:memory:` for a private one
  sqlite_durability durability = sqlite_durability::full;
  std::chrono::milliseconds busy_timeout{5000};
};

/// Besides the errors `store` names, calls fail with store_errc::corrupt when
/// the file is damaged and store_errc::conflict when `enqueue` meets an event
/// id already stored under another key (nothing of the batch is stored then).
/// @par Thread Safety  One object per thread; open one per thread or process.
class sqlite_store final : public store {
 public:
  /// Opens the database, creating the file and its tables when missing.
  /// Errors: store_errc::io_failed (cannot open or create), store_errc::corrupt
  /// (not an odoolink outbox database, or a newer schema version).
  [[nodiscard]] static result<std::unique_ptr<sqlite_store>> open(sqlite_options options);
  ~sqlite_store() override;

  [[nodiscard]] result<std::vector<enqueue_outcome>> enqueue(std::span<const new_event> events) override;
  [[nodiscard]] result<std::vector<event>> claim(const claim_request& request) override;
  [[nodiscard]] result<std::vector<bool>> settle(std::string_view owner, timestamp now,
                                                 std::span<const settlement> outcomes) override;
  /// Settles and claims in one transaction: one commit, and so one disk
  /// flush at `sqlite_durability::full`, where the two calls make two. A
  /// failure anywhere leaves the database as it was.
  [[nodiscard]] result<settle_and_claim_outcome> settle_and_claim(std::span<const settlement> outcomes,
                                                                  const claim_request& request) override;
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
  explicit sqlite_store(std::unique_ptr<state> s) noexcept;
  std::unique_ptr<state> s_;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
