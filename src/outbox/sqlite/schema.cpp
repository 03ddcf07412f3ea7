#include "schema.hpp"

#include <string>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

namespace {

// Times are microseconds since the Unix epoch; states are event_state values
// (0 pending, 1 in flight, 2 delivered, 3 dead, 4 discarded).
// AUTOINCREMENT: a sequence is never reused, even after a purge.
constexpr const char* create_tables = R"sql(
CREATE TABLE odoolink_events (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL UNIQUE,
  aggregate_key TEXT NOT NULL,
  subject TEXT NOT NULL,
  contract_version TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  payload TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  causation_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  result_model TEXT NOT NULL DEFAULT '',
  result_record_id INTEGER NOT NULL DEFAULT 0,
  result_external_id TEXT NOT NULL DEFAULT '',
  traceparent TEXT NOT NULL DEFAULT ''
);
-- claim walks undelivered events in order; next_due looks for the first of each aggregate
CREATE INDEX odoolink_events_open ON odoolink_events(sequence) WHERE state IN (0, 1);
CREATE INDEX odoolink_events_open_aggregate ON odoolink_events(aggregate_key, sequence) WHERE state IN (0, 1);
-- list filters, purge
CREATE INDEX odoolink_events_state ON odoolink_events(state, sequence);
CREATE INDEX odoolink_events_aggregate ON odoolink_events(aggregate_key);
CREATE INDEX odoolink_events_correlation ON odoolink_events(correlation_id);
CREATE INDEX odoolink_events_result ON odoolink_events(result_model, result_record_id);
CREATE INDEX odoolink_events_result_external_id ON odoolink_events(result_external_id);
CREATE TABLE odoolink_audit (
  sequence INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  action INTEGER NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX odoolink_audit_event ON odoolink_audit(event_id);
CREATE TABLE odoolink_inbox (
  key TEXT PRIMARY KEY,
  seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX odoolink_inbox_seen ON odoolink_inbox(seen_at);
PRAGMA user_version = 2;
)sql";

// Upgrades, by the version they start from.
constexpr const char* upgrade_from_1 = R"sql(
ALTER TABLE odoolink_events ADD COLUMN traceparent TEXT NOT NULL DEFAULT '';
PRAGMA user_version = 2;
)sql";

result<std::int64_t> count(connection& c, std::string_view sql, std::string_view what) {
  ODOOLINK_TRY(auto s, c.prepare(sql));
  ODOOLINK_TRY(const bool row, s.step(what));
  return row ? s.integer(0) : 0;
}

}  // namespace

result<int> inspect_schema(connection& c) {
  ODOOLINK_TRY(const auto version, count(c, "PRAGMA user_version", "read the schema version"));
  if (version > schema_version)
    return error(store_errc::corrupt, "sqlite outbox store: the database has schema version " +
                                          std::to_string(version) + ", newer than this library's " +
                                          std::to_string(schema_version));
  if (version >= 1) {
    ODOOLINK_TRY(const auto tables, count(c,
                                          "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                          "('odoolink_events', 'odoolink_audit', 'odoolink_inbox')",
                                          "inspect the database"));
    if (tables != 3)
      return error(store_errc::corrupt, "sqlite outbox store: the outbox tables are missing: not an odoolink outbox");
    return static_cast<int>(version);
  }
  if (version != 0)
    return error(store_errc::corrupt,
                 "sqlite outbox store: unknown schema version " + std::to_string(version) + ": not an odoolink outbox");
  // Version 0: an empty database, unless it holds someone else's tables.
  ODOOLINK_TRY(const auto objects,
               count(c, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'", "inspect the database"));
  if (objects != 0)
    return error(store_errc::corrupt, "sqlite outbox store: the database holds other tables: not an odoolink outbox");
  return 0;
}

result<void> ensure_schema(connection& c) {
  transaction tx(c, transaction::kind::write);
  ODOOLINK_TRYV(tx.begin());
  // Again under the lock: another process may have created the tables since.
  ODOOLINK_TRY(const int version, inspect_schema(c));
  if (version == 0) ODOOLINK_TRYV(c.exec(create_tables, "create the tables"));
  if (version == 1) ODOOLINK_TRYV(c.exec(upgrade_from_1, "add the trace context column"));
  return tx.commit();
}

}  // namespace outbox::sqlite
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
