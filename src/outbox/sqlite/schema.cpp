#include "schema.hpp"

#include <string>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

namespace {

// Times are microseconds since the Unix epoch; states are event_state values
// (0 pending, 1 in flight, 2 delivered, 3 dead, 4 discarded).
//
// An event is two rows: `odoolink_events` holds what it is, written once (the
// payload again only by a replay; last, so the narrow columns come first), and
// `odoolink_event_state` where it stands, the narrow row a claim and a
// settlement rewrite. Its indexes cover open events (pending or in flight,
// `open` = 1, which a claim leaves as it is) or set results: a claim moves no
// index entry, a settlement only the event's own. No index on every `state`:
// a listing by state walks the narrow rows in sequence order, dead letters
// through an index of their own.
// AUTOINCREMENT: a sequence is never reused, even after a purge.
constexpr const char* create_event_tables = R"sql(
CREATE TABLE odoolink_events (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL UNIQUE,
  aggregate_key TEXT NOT NULL,
  subject TEXT NOT NULL,
  contract_version TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  causation_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  traceparent TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL
);
CREATE INDEX odoolink_events_aggregate ON odoolink_events(aggregate_key);
CREATE INDEX odoolink_events_correlation ON odoolink_events(correlation_id);
CREATE TABLE odoolink_event_state (
  sequence INTEGER PRIMARY KEY,  -- odoolink_events.sequence
  aggregate_key TEXT NOT NULL,   -- the event's, for the per-aggregate index
  state INTEGER NOT NULL DEFAULT 0,
  open INTEGER NOT NULL DEFAULT 1,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  result_model TEXT NOT NULL DEFAULT '',
  result_record_id INTEGER NOT NULL DEFAULT 0,
  result_external_id TEXT NOT NULL DEFAULT '',
  CHECK (open = (state IN (0, 1)))
);
-- claim walks undelivered events in order; next_due looks for the first of each aggregate
CREATE INDEX odoolink_event_state_open ON odoolink_event_state(sequence) WHERE open = 1;
CREATE INDEX odoolink_event_state_open_aggregate ON odoolink_event_state(aggregate_key, sequence) WHERE open = 1;
-- dead letters, for operators (queries repeat the WHERE so the partial index applies)
CREATE INDEX odoolink_event_state_dead ON odoolink_event_state(sequence) WHERE state = 3;
-- find by result
CREATE INDEX odoolink_event_state_result ON odoolink_event_state(result_model, result_record_id)
  WHERE result_model <> '';
CREATE INDEX odoolink_event_state_result_external_id ON odoolink_event_state(result_external_id)
  WHERE result_external_id <> '';
)sql";

constexpr const char* create_other_tables = R"sql(
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
PRAGMA user_version = 3;
)sql";

// Upgrades, by the version they start from.
constexpr const char* upgrade_from_1 = R"sql(
ALTER TABLE odoolink_events ADD COLUMN traceparent TEXT NOT NULL DEFAULT '';
PRAGMA user_version = 2;
)sql";

// Version 2 kept an event in one row; its old table steps aside for the two new ones.
constexpr const char* upgrade_from_2_before = R"sql(
DROP INDEX IF EXISTS odoolink_events_open;
DROP INDEX IF EXISTS odoolink_events_open_aggregate;
DROP INDEX IF EXISTS odoolink_events_state;
DROP INDEX IF EXISTS odoolink_events_aggregate;
DROP INDEX IF EXISTS odoolink_events_correlation;
DROP INDEX IF EXISTS odoolink_events_result;
DROP INDEX IF EXISTS odoolink_events_result_external_id;
ALTER TABLE odoolink_events RENAME TO odoolink_events_v2;
)sql";
constexpr const char* upgrade_from_2_after = R"sql(
INSERT INTO odoolink_events(sequence, id, idempotency_key, aggregate_key, subject, contract_version, fingerprint,
                            correlation_id, causation_id, created_at, traceparent, payload)
  SELECT sequence, id, idempotency_key, aggregate_key, subject, contract_version, fingerprint, correlation_id,
         causation_id, created_at, traceparent, payload FROM odoolink_events_v2 ORDER BY sequence;
INSERT INTO odoolink_event_state(sequence, aggregate_key, state, open, attempts, next_attempt_at, lease_owner,
                                 lease_until, updated_at, last_error, result_model, result_record_id,
                                 result_external_id)
  SELECT sequence, aggregate_key, state, state IN (0, 1), attempts, next_attempt_at, lease_owner, lease_until,
         updated_at, last_error, result_model, result_record_id, result_external_id
  FROM odoolink_events_v2 ORDER BY sequence;
-- The counter goes on past purged sequences, as before.
DELETE FROM sqlite_sequence WHERE name = 'odoolink_events';
UPDATE sqlite_sequence SET name = 'odoolink_events' WHERE name = 'odoolink_events_v2';
DROP TABLE odoolink_events_v2;
PRAGMA user_version = 3;
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
                                          "('odoolink_events', 'odoolink_audit', 'odoolink_inbox', "
                                          "'odoolink_event_state')",
                                          "inspect the database"));
    if (tables != (version >= 3 ? 4 : 3))
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
  if (version == 0) {
    ODOOLINK_TRYV(c.exec(create_event_tables, "create the tables"));
    ODOOLINK_TRYV(c.exec(create_other_tables, "create the tables"));
  }
  if (version == 1) ODOOLINK_TRYV(c.exec(upgrade_from_1, "add the trace context column"));
  if (version >= 1 && version <= 2) {
    ODOOLINK_TRYV(c.exec(upgrade_from_2_before, "move the version 2 events aside"));
    ODOOLINK_TRYV(c.exec(create_event_tables, "create the version 3 event tables"));
    ODOOLINK_TRYV(c.exec(upgrade_from_2_after, "copy the events into the version 3 tables"));
  }
  return tx.commit();
}

}  // namespace outbox::sqlite
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
