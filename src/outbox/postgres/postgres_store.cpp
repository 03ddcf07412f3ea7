#include "odoolink/outbox/postgres_store.hpp"

#include <algorithm>
#include <set>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "connection.hpp"
#include "odoolink/outbox/detail/store_rules.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

namespace {

using postgres::rows;

constexpr const char* event_columns =
    "sequence, id, idempotency_key, aggregate_key, subject, contract_version, fingerprint, payload, correlation_id, "
    "causation_id, created_at, attempts, next_attempt_at, state, lease_owner, lease_until, last_error, updated_at, "
    "result_model, result_record_id, result_external_id, traceparent";

// Times are microseconds since the Unix epoch (bigint), as in every store.
constexpr const char* schema_ddl = R"sql(
CREATE TABLE IF NOT EXISTS {S}.events (
  sequence bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  idempotency_key text NOT NULL UNIQUE,
  aggregate_key text NOT NULL,
  subject text NOT NULL,
  contract_version text NOT NULL,
  fingerprint text NOT NULL,
  payload text NOT NULL,
  correlation_id text NOT NULL,
  causation_id text NOT NULL,
  created_at bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  state smallint NOT NULL DEFAULT 0,
  lease_owner text NOT NULL DEFAULT '',
  lease_until bigint NOT NULL DEFAULT 0,
  last_error text NOT NULL DEFAULT '',
  updated_at bigint NOT NULL,
  result_model text NOT NULL DEFAULT '',
  result_record_id bigint NOT NULL DEFAULT 0,
  result_external_id text NOT NULL DEFAULT ''
);
-- Added after the first release: stores made before it gain the column here.
ALTER TABLE {S}.events ADD COLUMN IF NOT EXISTS traceparent text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS events_undelivered ON {S}.events (sequence) WHERE state IN (0, 1);
-- Probes for an aggregate's earlier undelivered events. The predicate is spelled
-- apart from events_undelivered's so that only this index can serve a probe: a
-- planner that believes the table empty (statistics taken after a purge) would
-- otherwise walk events_undelivered, reading every earlier undelivered event.
CREATE INDEX IF NOT EXISTS events_aggregate_open ON {S}.events (aggregate_key, sequence) WHERE state::integer IN (0, 1);
DROP INDEX IF EXISTS {S}.events_aggregate;
CREATE INDEX IF NOT EXISTS events_state ON {S}.events (state, sequence);
CREATE INDEX IF NOT EXISTS events_correlation ON {S}.events (correlation_id);
CREATE INDEX IF NOT EXISTS events_result ON {S}.events (result_model, result_record_id);
CREATE INDEX IF NOT EXISTS events_result_xid ON {S}.events (result_external_id);
CREATE TABLE IF NOT EXISTS {S}.aggregates (key text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS {S}.audit (
  sequence bigint PRIMARY KEY,
  event_id text NOT NULL,
  at bigint NOT NULL,
  action smallint NOT NULL,
  detail text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_event ON {S}.audit (event_id, sequence);
CREATE TABLE IF NOT EXISTS {S}.audit_head (
  id integer PRIMARY KEY CHECK (id = 1),
  sequence bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO {S}.audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
  ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS {S}.audit_pending (
  id bigserial PRIMARY KEY,
  event_id text NOT NULL,
  at bigint NOT NULL,
  action smallint NOT NULL,
  detail text NOT NULL
);
CREATE TABLE IF NOT EXISTS {S}.inbox (key text PRIMARY KEY, seen_at bigint NOT NULL);
)sql";

std::string with_schema(std::string_view sql, const std::string& quoted) {
  std::string out;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql.substr(i, 3) == "{S}") {
      out += quoted;
      i += 2;
    } else {
      out += sql[i];
    }
  }
  return out;
}

std::int64_t micros(timestamp t) noexcept { return t.time_since_epoch().count(); }
timestamp at(std::int64_t us) noexcept { return timestamp(std::chrono::microseconds(us)); }

event read_event(const rows& r, int i) {
  event e;
  e.sequence = r.integer(i, 0);
  e.id = r.text(i, 1);
  e.idempotency_key = r.text(i, 2);
  e.aggregate_key = r.text(i, 3);
  e.subject = r.text(i, 4);
  e.contract_version = r.text(i, 5);
  e.fingerprint = r.text(i, 6);
  e.payload = r.text(i, 7);
  e.correlation_id = r.text(i, 8);
  e.causation_id = r.text(i, 9);
  e.created_at = at(r.integer(i, 10));
  e.attempts = static_cast<int>(r.integer(i, 11));
  e.next_attempt_at = at(r.integer(i, 12));
  const auto st = r.integer(i, 13);
  e.state = st >= 0 && st <= 4 ? static_cast<event_state>(st) : event_state::dead;
  e.lease_owner = r.text(i, 14);
  e.lease_until = at(r.integer(i, 15));
  e.last_error = r.text(i, 16);
  e.updated_at = at(r.integer(i, 17));
  e.result.model = r.text(i, 18);
  e.result.record_id = r.integer(i, 19);
  e.result.external_id = r.text(i, 20);
  e.traceparent = r.text(i, 21);
  return e;
}

// A claimable event: pending and due, or in flight with its lease run out.
constexpr const char* due_d = "(CASE WHEN d.state = 0 THEN d.next_attempt_at ELSE d.lease_until END) <= $1";
constexpr const char* not_due_p = "(CASE WHEN p.state = 0 THEN p.next_attempt_at ELSE p.lease_until END) > $1";

// Claims, settlements and seals commit without waiting for the WAL flush
// (a few ms each, the larger part of a relay's own time per batch): losing
// one to a server crash loses no event. A lost claim leaves its events due
// again; a lost settlement leaves its events in flight under the relay's
// lease, to be delivered once more, which idempotent delivery absorbs (the
// outbox promises at-least-once); a lost seal leaves its rows pending, to be
// sealed again. WAL order means no later durable commit outlives them.
// Enqueues, replays and discards do wait: those are promises to the caller.
constexpr const char* no_flush_wait = "SET LOCAL synchronous_commit TO off";
// A claim walks the undelivered events in sequence order and stops after its
// window; on a table that looks small the planner would rather read and sort
// every undelivered event (cost growing with the backlog), so it is told not to.
constexpr const char* begin_claim =
    "BEGIN; SET LOCAL synchronous_commit TO off; SET LOCAL enable_seqscan TO off; SET LOCAL enable_bitmapscan TO off";

// Every statement, with the schema filled in once.
struct statements {
  std::string find_by_id, find_by_key, lock_by_id, lock_aggregates, insert_event, insert_events, keys_lookup,
      insert_audit, claim, reclaim, settle, list, replay, discard, stats, oldest, next_due, purge, inbox_record,
      inbox_forget, inbox_purge, audit, take_pending, try_take_pending, append_sealed;
  std::string subject_stats;

  explicit statements(const std::string& s) {
    const std::string cols = event_columns;
    auto q = [&](const std::string& sql) { return with_schema(sql, s); };
    // `p` is an undelivered event of `outer`'s aggregate before it. Written so
    // that only events_aggregate_open can serve it, whatever the statistics
    // say: its predicate's spelling, and a row comparison no single-column
    // index on `sequence` can use (with equal keys, it is `p.sequence < outer.sequence`).
    auto earlier_open = [](const std::string& outer) {
      return "p.aggregate_key = " + outer + ".aggregate_key AND p.state::integer IN (0, 1) AND " +
             "(p.aggregate_key, p.sequence) < (" + outer + ".aggregate_key, " + outer + ".sequence)";
    };
    std::string e_cols;  // the columns, qualified by `e.`
    for (std::size_t at = 0; at < cols.size();) {
      const std::size_t comma = cols.find(", ", at);
      e_cols += (e_cols.empty() ? "e." : ", e.") + cols.substr(at, comma - at);
      at = comma == std::string::npos ? cols.size() : comma + 2;
    }
    find_by_id = q("SELECT " + cols + " FROM {S}.events WHERE id = $1");
    find_by_key = q("SELECT " + cols + " FROM {S}.events WHERE idempotency_key = $1");
    lock_by_id = q("SELECT " + cols + " FROM {S}.events WHERE id = $1 FOR UPDATE");
    // Locks rows in byte order (COLLATE "C", as std::set sorts the keys), the
    // same global order for every writer.
    lock_aggregates = q("INSERT INTO {S}.aggregates(key) SELECT k FROM unnest($1::text[]) AS k ORDER BY k COLLATE \"C\" "
                        "ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key");
    // A whole batch in one statement: the events in the order given (their
    // sequences follow it), each new one's `enqueued` audit row after it, in
    // the same order. A key already stored, or earlier in the batch, inserts
    // nothing (DO NOTHING also skips a repeat within the statement).
    insert_events = q(
        "WITH n AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], "
        "$7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[]) WITH ORDINALITY AS n(id, "
        "idempotency_key, aggregate_key, subject, contract_version, fingerprint, payload, correlation_id, causation_id, "
        "created_at, traceparent, audit_detail, ord)), "
        "ins AS (INSERT INTO {S}.events(id, idempotency_key, aggregate_key, subject, contract_version, fingerprint, "
        "payload, correlation_id, causation_id, created_at, next_attempt_at, updated_at, traceparent) "
        "SELECT id, idempotency_key, aggregate_key, subject, contract_version, fingerprint, payload, correlation_id, "
        "causation_id, created_at, created_at, created_at, traceparent FROM n ORDER BY ord "
        "ON CONFLICT (idempotency_key) DO NOTHING RETURNING sequence, id, idempotency_key), "
        "aud AS (INSERT INTO {S}.audit_pending(event_id, at, action, detail) SELECT ins.id, n.created_at, "
        "$13::smallint, n.audit_detail FROM ins JOIN n ON n.id = ins.id AND n.idempotency_key = ins.idempotency_key "
        "ORDER BY ins.sequence) "
        "SELECT id, sequence FROM ins");
    // The same for one event: arrays cost the server more to plan and read
    // than a lone row gains from them.
    insert_event = q(
        "WITH ins AS (INSERT INTO {S}.events(id, idempotency_key, aggregate_key, subject, contract_version, "
        "fingerprint, payload, correlation_id, causation_id, created_at, next_attempt_at, updated_at, traceparent) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10, $11) ON CONFLICT (idempotency_key) DO NOTHING "
        "RETURNING sequence, id), "
        "aud AS (INSERT INTO {S}.audit_pending(event_id, at, action, detail) SELECT id, $10, $13::smallint, $12 FROM ins) "
        "SELECT id, sequence FROM ins");
    keys_lookup = q("SELECT idempotency_key, id, sequence FROM {S}.events WHERE idempotency_key = ANY($1::text[])");
    // Audit rows are written unchained, without any shared lock; `seal` chains them later.
    insert_audit = q("INSERT INTO {S}.audit_pending(event_id, at, action, detail) VALUES ($1, $2, $3, $4)");
    // One statement claims a whole batch. `c` walks undelivered events in
    // sequence order and locks due ones whose earlier undelivered events of
    // the aggregate are all due too (so the window is not filled with events
    // blocked behind another relay's lease or a retry), skipping rows another
    // relay is locking;
    // `ok` keeps those whose earlier undelivered events were all locked here
    // (a skipped row blocks the rest of its aggregate). The reads see rows
    // other relays are claiming right now as undelivered: they block.
    claim = q("WITH c AS (SELECT d.sequence, d.aggregate_key FROM {S}.events d WHERE d.state IN (0, 1) AND " +
              std::string(due_d) +
              " AND (d.aggregate_key = '' OR NOT EXISTS (SELECT 1 FROM {S}.events p WHERE " + earlier_open("d") +
              " AND " + not_due_p +
              ")) ORDER BY d.sequence LIMIT $2 FOR UPDATE OF d SKIP LOCKED), "
              "ok AS (SELECT c.sequence FROM c WHERE c.aggregate_key = '' OR NOT EXISTS (SELECT 1 FROM {S}.events p "
              "WHERE " + earlier_open("c") +
              " AND p.sequence NOT IN (SELECT sequence FROM c)) ORDER BY c.sequence LIMIT $3) "
              // A pending event's claim counts as an attempt; an expired one's was counted by the lost claim.
              "UPDATE {S}.events e SET state = 1, attempts = e.attempts + CASE WHEN e.state = 0 THEN 1 ELSE 0 END, "
              "lease_owner = $4, lease_until = $5, updated_at = $1 FROM ok WHERE e.sequence = ok.sequence RETURNING " +
              e_cols);
    // left() rather than LIKE: an owner name may hold LIKE's wildcards.
    reclaim = q("UPDATE {S}.events SET state = 0, attempts = greatest(attempts - 1, 0), next_attempt_at = $1, "
                "lease_owner = '', lease_until = 0, updated_at = $1 WHERE state = 1 AND lease_owner <> $2 AND "
                "(lease_owner = $3::text OR left(lease_owner, length($3::text) + 1) = $3::text || '/')");
    // One statement settles a whole batch: `cur` locks the events still in
    // flight under the owner (and reads the attempt the audit row names),
    // `upd` applies the outcomes (NULL keeps a column), the audit rows follow
    // in the order of the outcomes. `upd` finds its rows by id: only the id
    // index can serve that, where a planner that believes the table empty
    // would probe `sequence` through events_state's second column.
    settle = q("WITH o AS (SELECT * FROM unnest($3::text[], $4::int[], $5::int[], $6::bigint[], $7::text[], "
               "$8::text[], $9::bigint[], $10::text[], $11::int[], $12::text[], $13::int[]) AS o(id, state, "
               "uncount, next_at, error, model, record_id, external_id, action, summary, ord)), "
               "cur AS (SELECT e.sequence, e.id, e.attempts FROM {S}.events e JOIN o ON e.id = o.id "
               "WHERE e.state = 1 AND e.lease_owner = $1 FOR UPDATE OF e), "
               "upd AS (UPDATE {S}.events e SET state = o.state, attempts = CASE WHEN o.uncount = 1 THEN "
               "greatest(e.attempts - 1, 0) ELSE e.attempts END, next_attempt_at = coalesce(o.next_at, "
               "e.next_attempt_at), last_error = coalesce(o.error, e.last_error), lease_owner = '', lease_until = 0, "
               "updated_at = $2::bigint, result_model = coalesce(o.model, e.result_model), result_record_id = "
               "coalesce(o.record_id, e.result_record_id), result_external_id = coalesce(o.external_id, "
               "e.result_external_id) FROM cur JOIN o ON o.id = cur.id WHERE e.id = cur.id RETURNING e.id), "
               "aud AS (INSERT INTO {S}.audit_pending(event_id, at, action, detail) SELECT cur.id, $2::bigint, o.action, "
               "'attempt ' || cur.attempts || ': ' || o.summary FROM cur JOIN o ON o.id = cur.id WHERE o.action <> 0 "
               "ORDER BY o.ord) SELECT id FROM upd");
    list = q("SELECT " + cols + " FROM {S}.events WHERE sequence > $1 AND ($2::int < 0 OR state = $2::int) "
             "AND ($3 = '' OR subject = $3) AND ($4 = '' OR aggregate_key = $4) AND ($5 = '' OR correlation_id = $5) "
             "AND ($6 = '' OR (result_model = $6 AND result_record_id = $7::bigint)) "
             "AND ($8 = '' OR result_external_id = $8) ORDER BY sequence LIMIT $9");
    replay = q("UPDATE {S}.events SET state = 0, attempts = 0, next_attempt_at = $2, updated_at = $2, payload = $3 "
               "WHERE sequence = $1");
    discard = q("UPDATE {S}.events SET state = 4, updated_at = $2 WHERE sequence = $1");
    stats = q("SELECT state, count(*) FROM {S}.events GROUP BY state");
    subject_stats = q("SELECT subject, state, count(*), min(created_at) FROM {S}.events "
                      "GROUP BY subject, state ORDER BY subject COLLATE \"C\"");
    oldest = q("SELECT min(created_at) FROM {S}.events WHERE state IN (0, 1)");
    next_due = q("SELECT min(CASE WHEN state = 0 THEN next_attempt_at ELSE lease_until END) FROM {S}.events e "
                 "WHERE state IN (0, 1) AND (aggregate_key = '' OR NOT EXISTS (SELECT 1 FROM {S}.events p WHERE " +
                 earlier_open("e") + "))");
    purge = q("DELETE FROM {S}.events WHERE state IN (2, 4) AND updated_at < $1");
    inbox_record = q("INSERT INTO {S}.inbox(key, seen_at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE "
                     "SET seen_at = EXCLUDED.seen_at WHERE {S}.inbox.seen_at < $3");
    inbox_forget = q("DELETE FROM {S}.inbox WHERE key = $1");
    inbox_purge = q("DELETE FROM {S}.inbox WHERE seen_at < $1");
    audit = q("SELECT sequence, event_id, at, action, detail, prev_hash, hash FROM {S}.audit "
              "WHERE sequence > $1 AND ($2 = '' OR event_id = $2) ORDER BY sequence LIMIT $3");
    // Sealing: the head row's lock admits one sealer at a time.
    // Locks the chain's head and takes the oldest pending rows, in one
    // statement; with SKIP LOCKED it takes nothing while another writer seals.
    take_pending = q("WITH head AS (SELECT sequence, hash FROM {S}.audit_head WHERE id = 1 FOR UPDATE), "
                     "moved AS (DELETE FROM {S}.audit_pending WHERE EXISTS (SELECT 1 FROM head) AND id IN "
                     "(SELECT id FROM {S}.audit_pending ORDER BY id LIMIT $1) RETURNING id, event_id, at, action, "
                     "detail) SELECT m.event_id, m.at, m.action, m.detail, h.sequence, h.hash FROM moved m "
                     "CROSS JOIN head h ORDER BY m.id");
    try_take_pending = take_pending;
    try_take_pending.insert(try_take_pending.find("FOR UPDATE") + 10, " SKIP LOCKED");
    append_sealed = q("WITH sealed AS (INSERT INTO {S}.audit(sequence, event_id, at, action, detail, prev_hash, hash) "
                      "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::smallint[], $5::text[], "
                      "$6::text[], $7::text[])) UPDATE {S}.audit_head SET sequence = $8, hash = $9 WHERE id = 1");
  }
};

// The audit chain. Writers append unchained rows to `audit_pending` inside
// their own transactions, taking no shared lock, so relays and host
// transactions never wait for each other on the chain. Sealing moves the
// committed pending rows, in the order they were written, onto the chain
// (`audit`), one sealer at a time under the head row's lock: the chain order
// is the order rows were sealed in, which keeps each event's rows in the
// order they happened (an event's next row is written only after its
// previous one committed). Relays seal after each settle when no one else is
// sealing; reading the audit log seals first, so it never misses a row.
constexpr std::int64_t seal_pass_rows = 2000;
// Sealing costs a few round trips whatever it seals: a writer seals once it
// wrote this many rows (a relay settling batches of 50 every second pass).
constexpr std::size_t seal_after_rows = 100;

enum class seal_wait : std::uint8_t { skip_if_busy, wait };

// One sealing pass; returns how many rows it sealed.
result<std::int64_t> seal_pass(postgres::connection& c, const statements& sql, seal_wait wait) {
  postgres::transaction tx(c);
  tx.began();
  ODOOLINK_TRY(auto taken,
               c.script("BEGIN; " + std::string(no_flush_wait) + "; " +
                            postgres::with_values(wait == seal_wait::wait ? sql.take_pending : sql.try_take_pending,
                                                  {std::to_string(seal_pass_rows)}),
                        "take the audit rows to seal"));
  if (taken.size() != 3) return error(store_errc::io_failed, "postgres outbox store: sealing the audit chain went astray");
  const postgres::rows& pending = taken.back();
  if (pending.size() == 0) return std::int64_t{0};  // nothing pending, or another writer seals (rolled back)
  std::int64_t sequence = pending.integer(0, 4);
  std::string hash = pending.text(0, 5);
  postgres::array_param sequences, event_ids, ats, actions, details, prev_hashes, hashes;
  for (int i = 0; i < pending.size(); ++i) {
    audit_record r;
    r.event_id = pending.text(i, 0);
    r.at = at(pending.integer(i, 1));
    r.action = static_cast<audit_action>(pending.integer(i, 2));
    r.detail = pending.text(i, 3);
    chain_audit(r, sequence, hash);
    sequences.add(r.sequence);
    event_ids.add(r.event_id);
    ats.add(micros(r.at));
    actions.add(static_cast<std::int64_t>(r.action));
    details.add(r.detail);
    prev_hashes.add(r.prev_hash);
    hashes.add(r.hash);
    sequence = r.sequence;
    hash = std::move(r.hash);
  }
  ODOOLINK_TRYV(c.script(postgres::with_values(sql.append_sealed,
                                               {c.literal(sequences.text()), c.literal(event_ids.text()),
                                                c.literal(ats.text()), c.literal(actions.text()),
                                                c.literal(details.text()), c.literal(prev_hashes.text()),
                                                c.literal(hashes.text()), std::to_string(sequence), c.literal(hash)}) +
                             "; COMMIT",
                         "seal audit rows"));
  tx.ended();
  return static_cast<std::int64_t>(pending.size());
}

// Seals what is pending now; with `wait`, until nothing is left.
result<void> seal(postgres::connection& c, const statements& sql, seal_wait wait) {
  for (;;) {
    ODOOLINK_TRY(const std::int64_t sealed, seal_pass(c, sql, wait));
    if (sealed < seal_pass_rows || wait == seal_wait::skip_if_busy) return success();
  }
}

result<void> append_audit(postgres::connection& c, const statements& sql, const std::string& event_id, timestamp when,
                          audit_action action, const std::string& detail) {
  ODOOLINK_TRYV(c.run(sql.insert_audit.c_str(), {event_id, micros(when), static_cast<int>(action), detail},
                      "append to the audit log"));
  return success();
}

bool valid_schema_name(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  }) && !(s[0] >= '0' && s[0] <= '9');
}

// Rows per `insert_events` statement at most, and the payload bytes after
// which a statement goes early: bounds the memory of one round trip.
constexpr std::size_t insert_chunk_rows = 500;
constexpr std::size_t insert_chunk_bytes = std::size_t{8} << 20U;

// One `insert_events` statement for `chunk` (keys unique within it): the
// sequence of each event it stored, by id.
result<std::unordered_map<std::string, std::int64_t>> insert_chunk(postgres::connection& c, const statements& sql,
                                                                   std::span<const new_event* const> chunk) {
  std::unordered_map<std::string, std::int64_t> sequences;
  const auto take = [&](const postgres::rows& inserted) {
    for (int i = 0; i < inserted.size(); ++i) sequences.emplace(inserted.text(i, 0), inserted.integer(i, 1));
  };
  if (chunk.size() == 1) {
    const new_event& n = *chunk.front();
    ODOOLINK_TRY(auto inserted, c.run(sql.insert_event.c_str(),
                                      {n.id, n.idempotency_key, n.aggregate_key, n.subject, n.contract_version,
                                       n.fingerprint, n.payload, n.correlation_id, n.causation_id, micros(n.created_at),
                                       n.traceparent, n.audit_payload, static_cast<int>(audit_action::enqueued)},
                                      "store an event"));
    take(inserted);
    return sequences;
  }
  postgres::array_param ids, keys, aggregates, subjects, versions, fingerprints, payloads, correlations, causations,
      created, traceparents, details;
  for (const new_event* n : chunk) {
    ids.add(n->id);
    keys.add(n->idempotency_key);
    aggregates.add(n->aggregate_key);
    subjects.add(n->subject);
    versions.add(n->contract_version);
    fingerprints.add(n->fingerprint);
    payloads.add(n->payload);
    correlations.add(n->correlation_id);
    causations.add(n->causation_id);
    created.add(micros(n->created_at));
    traceparents.add(n->traceparent);
    details.add(n->audit_payload);
  }
  ODOOLINK_TRY(auto inserted,
               c.run(sql.insert_events.c_str(),
                     {ids.text(), keys.text(), aggregates.text(), subjects.text(), versions.text(), fingerprints.text(),
                      payloads.text(), correlations.text(), causations.text(), created.text(), traceparents.text(),
                      details.text(), static_cast<int>(audit_action::enqueued)},
                     "store events"));
  take(inserted);
  return sequences;
}

result<std::vector<enqueue_outcome>> enqueue_on(postgres::connection& c, const statements& sql,
                                                std::span<const new_event> events) {
  // Per-aggregate locks first, in a fixed order: a later sequence of an
  // aggregate can then never commit before an earlier one (bigserial values
  // are handed out at insert, not at commit), and lock order is global.
  std::set<std::string_view> aggregates;
  for (const auto& n : events)
    if (!n.aggregate_key.empty()) aggregates.insert(n.aggregate_key);
  if (!aggregates.empty()) {
    postgres::array_param keys;
    for (const auto key : aggregates) keys.add(key);
    ODOOLINK_TRYV(c.run(sql.lock_aggregates.c_str(), {keys.text()}, "lock the aggregates"));
  }
  // A key's first event in the batch is sent; a repeat resolves to it below.
  std::unordered_map<std::string_view, std::size_t> first_of_key;  // its index in `events`
  std::vector<const new_event*> firsts;
  firsts.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i)
    if (first_of_key.try_emplace(events[i].idempotency_key, i).second) firsts.push_back(&events[i]);
  std::unordered_map<std::string, std::int64_t> stored;  // sequence of each event stored now, by id
  for (std::size_t first = 0; first < firsts.size();) {
    std::size_t end = first;
    for (std::size_t bytes = 0; end < firsts.size() && end - first < insert_chunk_rows &&
                                (end == first || bytes < insert_chunk_bytes);
         ++end)
      bytes += firsts[end]->payload.size() + firsts[end]->audit_payload.size();
    ODOOLINK_TRY(auto sequences, insert_chunk(c, sql, std::span(firsts).subspan(first, end - first)));
    stored.merge(sequences);
    first = end;
  }
  // Keys stored before (or by a writer that committed first), one lookup.
  std::unordered_map<std::string, std::pair<std::string, std::int64_t>> earlier;  // key -> id, sequence
  {
    postgres::array_param keys;
    bool any = false;
    for (const new_event* n : firsts)
      if (!stored.contains(n->id)) {
        keys.add(n->idempotency_key);
        any = true;
      }
    if (any) {
      ODOOLINK_TRY(auto found, c.run(sql.keys_lookup.c_str(), {keys.text()}, "look up idempotency keys"));
      for (int i = 0; i < found.size(); ++i)
        earlier.emplace(found.text(i, 0), std::pair(found.text(i, 1), found.integer(i, 2)));
    }
  }
  std::vector<enqueue_outcome> out;
  out.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const new_event& n = events[i];
    if (const std::size_t first = first_of_key.at(n.idempotency_key); first != i) {
      out.push_back({out[first].id, out[first].sequence, true});
      continue;
    }
    if (const auto s = stored.find(n.id); s != stored.end()) {
      out.push_back({n.id, s->second, false});
      continue;
    }
    const auto e = earlier.find(n.idempotency_key);
    if (e == earlier.end()) return error(store_errc::busy, "postgres outbox store: an idempotency key vanished; try again");
    out.push_back({e->second.first, e->second.second, true});
  }
  return out;
}

result<void> create_schema(postgres::connection& c, const std::string& quoted) {
  postgres::transaction tx(c);
  ODOOLINK_TRYV(tx.begin());
  // Two processes creating the schema at once would collide on the catalog.
  ODOOLINK_TRYV(c.exec("SELECT pg_advisory_xact_lock(7171717171)", "serialize schema creation"));
  ODOOLINK_TRYV(c.exec(("CREATE SCHEMA IF NOT EXISTS " + quoted).c_str(), "create the schema"));
  ODOOLINK_TRYV(c.exec(with_schema(schema_ddl, quoted).c_str(), "create the tables"));
  return tx.commit();
}

}  // namespace

struct postgres_store::state {
  postgres::connection db;
  statements sql;
  explicit state(const std::string& quoted_schema) : sql(quoted_schema) {}

  result<std::optional<event>> find(const std::string& stmt, std::string_view value) {
    ODOOLINK_TRY(auto r, db.run(stmt.c_str(), {value}, "find an event"));
    if (r.size() == 0) return std::optional<event>();
    return std::optional<event>(read_event(r, 0));
  }

  // Audit rows this connection wrote since it last sealed.
  std::size_t unsealed = 0;

  // After a commit that wrote `rows` audit rows: seals what is pending
  // (everyone's rows) unless another writer is at it, once enough rows have
  // gathered to be worth a pass, or at once with `now` (a replay, a discard,
  // a relay that found nothing to do). A failure here is not the caller's
  // (its change is committed); the rows wait for the next sealer, and
  // reading the audit log seals them at last.
  void seal_soon(std::size_t rows, bool now = false) {
    unsealed += rows;
    if (unsealed == 0 || (!now && unsealed < seal_after_rows)) return;
    if (seal(db, sql, seal_wait::skip_if_busy)) unsealed = 0;
  }
};

postgres_store::postgres_store(std::unique_ptr<state> s) noexcept : s_(std::move(s)) {}
postgres_store::~postgres_store() = default;

result<std::unique_ptr<postgres_store>> postgres_store::open(postgres_options options) {
  if (!valid_schema_name(options.schema))
    return error(transport_errc::invalid_request,
                 "postgres outbox store: the schema name must be lower-case letters, digits and _");
  const std::string quoted = postgres::quote_identifier(options.schema);
  auto s = std::make_unique<state>(quoted);
  ODOOLINK_TRYV(s->db.open(options.conninfo));
  ODOOLINK_TRYV(s->db.exec("SET client_min_messages = warning", "configure the session"));
  ODOOLINK_TRYV(create_schema(s->db, quoted));
  return std::unique_ptr<postgres_store>(new postgres_store(std::move(s)));
}

result<std::vector<enqueue_outcome>> postgres_store::enqueue_in(PGconn* connection, std::span<const new_event> events,
                                                                const std::string& schema) {
  if (!valid_schema_name(schema))
    return error(transport_errc::invalid_request,
                 "postgres outbox store: the schema name must be lower-case letters, digits and _");
  postgres::connection borrowed;
  borrowed.borrow(connection);
  const statements sql(postgres::quote_identifier(schema));
  return enqueue_on(borrowed, sql, events);
}

result<std::vector<enqueue_outcome>> postgres_store::enqueue(std::span<const new_event> events) {
  postgres::transaction tx(s_->db);
  ODOOLINK_TRYV(tx.begin());
  ODOOLINK_TRY(auto out, enqueue_on(s_->db, s_->sql, events));
  ODOOLINK_TRYV(tx.commit());
  s_->seal_soon(static_cast<std::size_t>(std::count_if(out.begin(), out.end(), [](const auto& o) { return !o.duplicate; })));
  return out;
}

result<std::vector<event>> postgres_store::claim(const claim_request& request) {
  const std::int64_t now = micros(request.now);
  // Rows locked beyond `max_events` only cover events that lose a race with
  // another relay; they are released when the statement ends.
  const auto window = static_cast<std::int64_t>(std::min<std::size_t>(request.max_events, std::size_t{1} << 61U) + 16);
  const auto max = static_cast<std::int64_t>(std::min<std::size_t>(request.max_events, std::size_t{1} << 62U));
  // One round trip: the statement goes with its transaction's settings and commit.
  postgres::transaction tx(s_->db);
  tx.began();
  ODOOLINK_TRY(auto results, s_->db.script(std::string(begin_claim) + "; " +
                                               postgres::with_values(s_->sql.claim,
                                                                     {std::to_string(now), std::to_string(window),
                                                                      std::to_string(max), s_->db.literal(request.owner),
                                                                      std::to_string(micros(request.now + request.lease))}) +
                                               "; COMMIT",
                                           "claim events"));
  tx.ended();
  if (results.size() < 2) return error(store_errc::io_failed, "postgres outbox store: a claim went astray");
  const postgres::rows& r = results[results.size() - 2];
  std::vector<event> claimed;
  claimed.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) claimed.push_back(read_event(r, i));
  std::sort(claimed.begin(), claimed.end(), [](const event& a, const event& b) { return a.sequence < b.sequence; });
  if (claimed.empty()) s_->seal_soon(0, true);  // idle: a good moment to seal what is left
  return claimed;
}

result<std::size_t> postgres_store::reclaim(std::string_view owner, std::string_view keep, timestamp now) {
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.reclaim.c_str(), {micros(now), keep, owner}, "reclaim a relay's events"));
  return static_cast<std::size_t>(r.affected());
}

namespace {

// The columns one settlement writes, as `settle`'s arrays carry them (a
// NULL keeps the stored value); the same changes as detail::apply_settlement.
struct settle_arrays {
  postgres::array_param ids, states, uncounts, next_ats, errors, models, record_ids, external_ids, actions, summaries,
      orders;

  void add(const settlement& o, timestamp now, int order) {
    ids.add(o.id);
    const bool done = o.kind == settlement_kind::delivered;
    const bool dead = o.kind == settlement_kind::dead;
    states.add(static_cast<std::int64_t>(done ? event_state::delivered : dead ? event_state::dead : event_state::pending));
    const bool uncounted = o.kind == settlement_kind::release || o.kind == settlement_kind::park;
    uncounts.add(std::int64_t{uncounted ? 1 : 0});
    if (o.kind == settlement_kind::retry || o.kind == settlement_kind::park)
      next_ats.add(micros(o.next_attempt_at));
    else if (o.kind == settlement_kind::release)
      next_ats.add(micros(now));
    else
      next_ats.add_null();
    if (done)
      errors.add(std::string_view());
    else if (o.kind == settlement_kind::release)
      errors.add_null();
    else
      errors.add(o.error);
    if (done) {
      models.add(o.result.model);
      record_ids.add(o.result.record_id);
      external_ids.add(o.result.external_id);
    } else {
      models.add_null();
      record_ids.add_null();
      external_ids.add_null();
    }
    audit_action action{};
    const bool audited = detail::audit_action_of(o.kind, action);
    actions.add(static_cast<std::int64_t>(audited ? static_cast<int>(action) : 0));
    summaries.add(audited ? detail::settlement_summary(o) : std::string());
    orders.add(std::int64_t{order});
  }
};

}  // namespace

result<std::vector<bool>> postgres_store::settle(std::string_view owner, timestamp now, std::span<const settlement> outcomes) {
  if (outcomes.empty()) return std::vector<bool>();
  settle_arrays arrays;
  std::unordered_set<std::string_view> sent;  // an event settled twice in one call: only the first counts
  int order = 0;
  for (const auto& o : outcomes)
    if (sent.insert(o.id).second) arrays.add(o, now, order++);
  // One round trip, without waiting for the WAL flush (see no_flush_wait).
  auto& db = s_->db;
  postgres::transaction tx(db);
  tx.began();
  ODOOLINK_TRY(auto results,
               db.script("BEGIN; " + std::string(no_flush_wait) + "; " +
                             postgres::with_values(
                                 s_->sql.settle,
                                 {db.literal(owner), std::to_string(micros(now)), db.literal(arrays.ids.text()),
                                  db.literal(arrays.states.text()), db.literal(arrays.uncounts.text()),
                                  db.literal(arrays.next_ats.text()), db.literal(arrays.errors.text()),
                                  db.literal(arrays.models.text()), db.literal(arrays.record_ids.text()),
                                  db.literal(arrays.external_ids.text()), db.literal(arrays.actions.text()),
                                  db.literal(arrays.summaries.text()), db.literal(arrays.orders.text())}) +
                             "; COMMIT",
                         "settle events"));
  tx.ended();
  if (results.size() != 4) return error(store_errc::io_failed, "postgres outbox store: a settlement went astray");
  const postgres::rows& r = results[2];
  std::unordered_set<std::string> settled;
  for (int i = 0; i < r.size(); ++i) settled.insert(r.text(i, 0));
  std::vector<bool> applied;
  applied.reserve(outcomes.size());
  for (const auto& o : outcomes) applied.push_back(settled.erase(o.id) == 1);
  s_->seal_soon(static_cast<std::size_t>(r.size()));
  return applied;
}

result<std::optional<event>> postgres_store::find(std::string_view id) { return s_->find(s_->sql.find_by_id, id); }

result<std::optional<event>> postgres_store::find_by_key(std::string_view key) { return s_->find(s_->sql.find_by_key, key); }

result<std::vector<event>> postgres_store::list(const event_filter& f) {
  const auto limit = static_cast<std::int64_t>(std::min<std::size_t>(f.limit, std::size_t{1} << 62U));
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.list.c_str(),
                                  {f.after_sequence, f.state ? static_cast<int>(*f.state) : -1, f.subject,
                                   f.aggregate_key, f.correlation_id, f.result_model, f.result_record_id,
                                   f.result_external_id, limit},
                                  "list events"));
  std::vector<event> out;
  out.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) out.push_back(read_event(r, i));
  return out;
}

result<void> postgres_store::replay(std::string_view id, timestamp now, const std::optional<std::string>& payload,
                                    std::string_view audit_detail) {
  postgres::transaction tx(s_->db);
  ODOOLINK_TRYV(tx.begin());
  ODOOLINK_TRY(auto found, s_->find(s_->sql.lock_by_id, id));
  if (!found) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  if (found->state != event_state::dead && found->state != event_state::delivered)
    return error(store_errc::conflict, "outbox: event " + std::string(id) + " is " +
                                           std::string(to_string(found->state)) + ", not dead or delivered");
  ODOOLINK_TRYV(s_->db.run(s_->sql.replay.c_str(), {found->sequence, micros(now), payload ? *payload : found->payload},
                           "replay an event"));
  ODOOLINK_TRYV(append_audit(s_->db, s_->sql, found->id, now, audit_action::replayed, std::string(audit_detail)));
  ODOOLINK_TRYV(tx.commit());
  s_->seal_soon(1, true);
  return success();
}

result<void> postgres_store::discard(std::string_view id, timestamp now, std::string_view reason) {
  postgres::transaction tx(s_->db);
  ODOOLINK_TRYV(tx.begin());
  ODOOLINK_TRY(auto found, s_->find(s_->sql.lock_by_id, id));
  if (!found) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  if (found->state != event_state::dead)
    return error(store_errc::conflict,
                 "outbox: event " + std::string(id) + " is " + std::string(to_string(found->state)) + ", not dead");
  ODOOLINK_TRYV(s_->db.run(s_->sql.discard.c_str(), {found->sequence, micros(now)}, "discard an event"));
  ODOOLINK_TRYV(append_audit(s_->db, s_->sql, found->id, now, audit_action::discarded, std::string(reason)));
  ODOOLINK_TRYV(tx.commit());
  s_->seal_soon(1, true);
  return success();
}

result<queue_stats> postgres_store::stats() {
  queue_stats st;
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.stats.c_str(), {}, "count events"));
  for (int i = 0; i < r.size(); ++i) {
    const auto n = static_cast<std::size_t>(r.integer(i, 1));
    switch (r.integer(i, 0)) {
      case 0: st.pending = n; break;
      case 1: st.in_flight = n; break;
      case 2: st.delivered = n; break;
      case 3: st.dead = n; break;
      case 4: st.discarded = n; break;
      default: break;
    }
  }
  ODOOLINK_TRY(auto oldest, s_->db.run(s_->sql.oldest.c_str(), {}, "find the oldest pending event"));
  if (oldest.size() == 1 && !oldest.null(0, 0)) st.oldest_pending_created_at = at(oldest.integer(0, 0));
  return st;
}

result<std::vector<subject_queue_stats>> postgres_store::subject_stats() {
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.subject_stats.c_str(), {}, "count events by subject"));
  std::vector<subject_queue_stats> out;
  for (int i = 0; i < r.size(); ++i) {
    std::string subject = r.text(i, 0);
    if (out.empty() || out.back().subject != subject) out.push_back({std::move(subject), {}});
    const auto state = r.integer(i, 1);
    if (state < 0 || state > 4) continue;  // a value no version wrote: not counted
    detail::count_in(out.back().stats, static_cast<event_state>(state), at(r.integer(i, 3)),
                     static_cast<std::size_t>(r.integer(i, 2)));
  }
  return out;
}

result<std::optional<timestamp>> postgres_store::next_due() {
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.next_due.c_str(), {}, "find the next due event"));
  if (r.size() == 0 || r.null(0, 0)) return std::optional<timestamp>();
  return std::optional<timestamp>(at(r.integer(0, 0)));
}

result<std::size_t> postgres_store::purge(timestamp before) {
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.purge.c_str(), {micros(before)}, "purge events"));
  return static_cast<std::size_t>(r.affected());
}

result<bool> postgres_store::inbox_record(std::string_view key, timestamp now, std::chrono::microseconds window) {
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.inbox_record.c_str(), {key, micros(now), micros(now) - window.count()},
                                  "record an inbox key"));
  return r.affected() > 0;
}

result<void> postgres_store::inbox_forget(std::string_view key) {
  ODOOLINK_TRYV(s_->db.run(s_->sql.inbox_forget.c_str(), {key}, "forget an inbox key"));
  return success();
}

result<std::size_t> postgres_store::inbox_purge(timestamp before) {
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.inbox_purge.c_str(), {micros(before)}, "purge inbox keys"));
  return static_cast<std::size_t>(r.affected());
}

result<std::vector<audit_record>> postgres_store::audit(std::int64_t after_sequence, std::size_t limit,
                                                        std::string_view event_id) {
  // Rows written but not yet on the chain are sealed first: the log read is complete.
  ODOOLINK_TRYV(seal(s_->db, s_->sql, seal_wait::wait));
  const auto n = static_cast<std::int64_t>(std::min<std::size_t>(limit, std::size_t{1} << 62U));
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.audit.c_str(), {after_sequence, event_id, n}, "read the audit log"));
  std::vector<audit_record> out;
  out.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) {
    audit_record a;
    a.sequence = r.integer(i, 0);
    a.event_id = r.text(i, 1);
    a.at = at(r.integer(i, 2));
    a.action = static_cast<audit_action>(r.integer(i, 3));
    a.detail = r.text(i, 4);
    a.prev_hash = r.text(i, 5);
    a.hash = r.text(i, 6);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
