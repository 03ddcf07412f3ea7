#include "odoolink/outbox/postgres_store.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "connection.hpp"
#include "odoolink/outbox/detail/claim_planner.hpp"
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
CREATE INDEX IF NOT EXISTS events_aggregate ON {S}.events (aggregate_key, sequence) WHERE state IN (0, 1);
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

// Every statement, with the schema filled in once.
struct statements {
  std::string find_by_id, find_by_key, lock_by_id, lock_aggregate, insert_event, key_lookup, lock_audit_head,
      insert_audit, update_audit_head, candidates, undelivered_of, mark_claimed, reclaim, settle, list, replay, discard, stats,
      oldest, next_due, purge, inbox_record, inbox_forget, inbox_purge, audit;
  std::string subject_stats;

  explicit statements(const std::string& s) {
    const std::string cols = event_columns;
    auto q = [&](const std::string& sql) { return with_schema(sql, s); };
    find_by_id = q("SELECT " + cols + " FROM {S}.events WHERE id = $1");
    find_by_key = q("SELECT " + cols + " FROM {S}.events WHERE idempotency_key = $1");
    lock_by_id = q("SELECT " + cols + " FROM {S}.events WHERE id = $1 FOR UPDATE");
    lock_aggregate = q("INSERT INTO {S}.aggregates(key) VALUES ($1) ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key");
    insert_event = q(
        "INSERT INTO {S}.events(id, idempotency_key, aggregate_key, subject, contract_version, fingerprint, payload, "
        "correlation_id, causation_id, created_at, next_attempt_at, updated_at, traceparent) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10, $11) ON CONFLICT (idempotency_key) DO NOTHING "
        "RETURNING sequence");
    key_lookup = q("SELECT id, sequence FROM {S}.events WHERE idempotency_key = $1");
    lock_audit_head = q("SELECT sequence, hash FROM {S}.audit_head WHERE id = 1 FOR UPDATE");
    insert_audit = q("INSERT INTO {S}.audit(sequence, event_id, at, action, detail, prev_hash, hash) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7)");
    update_audit_head = q("UPDATE {S}.audit_head SET sequence = $1, hash = $2 WHERE id = 1");
    candidates = q("SELECT " + cols + " FROM {S}.events WHERE state IN (0, 1) AND sequence > $2 AND "
                   "((state = 0 AND next_attempt_at <= $1) OR (state = 1 AND lease_until <= $1)) "
                   "ORDER BY sequence LIMIT $3 FOR UPDATE SKIP LOCKED");
    // Undelivered events of the candidates' aggregates, up to the last candidate: a plain
    // read, so it also sees events another relay is claiming right now (locked, invisible above).
    undelivered_of = q("SELECT e.sequence, e.aggregate_key FROM {S}.events e WHERE e.state IN (0, 1) "
                       "AND e.sequence <= $2 AND e.aggregate_key <> '' AND e.aggregate_key IN "
                       "(SELECT aggregate_key FROM {S}.events WHERE sequence = ANY($1::bigint[])) ORDER BY e.sequence");
    // A pending event's claim counts as an attempt; an expired one's was counted by the lost claim.
    mark_claimed = q("UPDATE {S}.events SET state = 1, attempts = attempts + CASE WHEN state = 0 THEN 1 ELSE 0 END, "
                     "lease_owner = $2, lease_until = $3, updated_at = $4 WHERE sequence = $1");
    // left() rather than LIKE: an owner name may hold LIKE's wildcards.
    reclaim = q("UPDATE {S}.events SET state = 0, attempts = greatest(attempts - 1, 0), next_attempt_at = $1, "
                "lease_owner = '', lease_until = 0, updated_at = $1 WHERE state = 1 AND lease_owner <> $2 AND "
                "(lease_owner = $3::text OR left(lease_owner, length($3::text) + 1) = $3::text || '/')");
    settle = q("UPDATE {S}.events SET state = $2, attempts = $3, next_attempt_at = $4, lease_owner = '', "
               "lease_until = 0, last_error = $5, updated_at = $6, result_model = $7, result_record_id = $8, "
               "result_external_id = $9 WHERE sequence = $1");
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
                 "WHERE state IN (0, 1) AND (aggregate_key = '' OR NOT EXISTS (SELECT 1 FROM {S}.events p "
                 "WHERE p.aggregate_key = e.aggregate_key AND p.state IN (0, 1) AND p.sequence < e.sequence))");
    purge = q("DELETE FROM {S}.events WHERE state IN (2, 4) AND updated_at < $1");
    inbox_record = q("INSERT INTO {S}.inbox(key, seen_at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE "
                     "SET seen_at = EXCLUDED.seen_at WHERE {S}.inbox.seen_at < $3");
    inbox_forget = q("DELETE FROM {S}.inbox WHERE key = $1");
    inbox_purge = q("DELETE FROM {S}.inbox WHERE seen_at < $1");
    audit = q("SELECT sequence, event_id, at, action, detail, prev_hash, hash FROM {S}.audit "
              "WHERE sequence > $1 AND ($2 = '' OR event_id = $2) ORDER BY sequence LIMIT $3");
  }
};

// Appends audit rows within one transaction. The head row is locked first
// (before any event row), so concurrent writers form one chain, never a fork,
// and always lock in the same order (no deadlock).
class audit_writer {
 public:
  audit_writer(postgres::connection& c, const statements& sql) : c_(c), sql_(sql) {}

  result<void> lock() {
    if (locked_) return success();
    ODOOLINK_TRY(auto head, c_.run(sql_.lock_audit_head.c_str(), {}, "lock the audit chain"));
    if (head.size() != 1) return error(store_errc::corrupt, "postgres outbox store: the audit head row is missing");
    sequence_ = head.integer(0, 0);
    hash_ = head.text(0, 1);
    locked_ = true;
    return success();
  }

  result<void> append(const std::string& event_id, timestamp when, audit_action action, std::string detail) {
    ODOOLINK_TRYV(lock());
    audit_record r;
    r.event_id = event_id;
    r.at = when;
    r.action = action;
    r.detail = std::move(detail);
    chain_audit(r, sequence_, hash_);
    ODOOLINK_TRYV(c_.run(sql_.insert_audit.c_str(),
                         {r.sequence, r.event_id, micros(r.at), static_cast<int>(r.action), r.detail, r.prev_hash, r.hash},
                         "append to the audit log"));
    sequence_ = r.sequence;
    hash_ = std::move(r.hash);
    dirty_ = true;
    return success();
  }

  result<void> finish() {
    if (!dirty_) return success();
    ODOOLINK_TRYV(c_.run(sql_.update_audit_head.c_str(), {sequence_, hash_}, "advance the audit chain"));
    return success();
  }

 private:
  postgres::connection& c_;
  const statements& sql_;
  bool locked_ = false, dirty_ = false;
  std::int64_t sequence_ = 0;
  std::string hash_;
};

bool valid_schema_name(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  }) && !(s[0] >= '0' && s[0] <= '9');
}

result<std::vector<enqueue_outcome>> enqueue_on(postgres::connection& c, const statements& sql,
                                                std::span<const new_event> events) {
  // Per-aggregate locks first, in a fixed order: a later sequence of an
  // aggregate can then never commit before an earlier one (bigserial values
  // are handed out at insert, not at commit), and lock order is global.
  std::set<std::string> aggregates;
  for (const auto& n : events)
    if (!n.aggregate_key.empty()) aggregates.insert(n.aggregate_key);
  for (const auto& key : aggregates) ODOOLINK_TRYV(c.run(sql.lock_aggregate.c_str(), {key}, "lock an aggregate"));
  audit_writer audit(c, sql);
  ODOOLINK_TRYV(audit.lock());
  std::vector<enqueue_outcome> out;
  out.reserve(events.size());
  for (const auto& n : events) {
    ODOOLINK_TRY(auto inserted, c.run(sql.insert_event.c_str(),
                                      {n.id, n.idempotency_key, n.aggregate_key, n.subject, n.contract_version,
                                       n.fingerprint, n.payload, n.correlation_id, n.causation_id, micros(n.created_at),
                                       n.traceparent},
                                      "store an event"));
    if (inserted.size() == 0) {
      ODOOLINK_TRY(auto first, c.run(sql.key_lookup.c_str(), {n.idempotency_key}, "look up an idempotency key"));
      if (first.size() != 1) return error(store_errc::busy, "postgres outbox store: an idempotency key vanished; try again");
      out.push_back({first.text(0, 0), first.integer(0, 1), true});
      continue;
    }
    out.push_back({n.id, inserted.integer(0, 0), false});
    ODOOLINK_TRYV(audit.append(n.id, n.created_at, audit_action::enqueued, n.audit_payload));
  }
  ODOOLINK_TRYV(audit.finish());
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
  return out;
}

result<std::vector<event>> postgres_store::claim(const claim_request& request) {
  postgres::transaction tx(s_->db);
  ODOOLINK_TRYV(tx.begin());
  const std::int64_t now = micros(request.now);
  const auto scan = static_cast<std::int64_t>(std::max<std::size_t>(request.max_events * 4, 64));
  detail::claim_planner planner(request.max_events);
  std::vector<event> claimed;
  std::int64_t after = 0;  // the last candidate walked so far
  while (!planner.full()) {
    const std::int64_t walked = after;
    ODOOLINK_TRY(auto cand, s_->db.run(s_->sql.candidates.c_str(), {now, after, scan}, "find due events"));
    if (cand.size() == 0) break;
    std::map<std::int64_t, event> mine;  // locked by this transaction, by sequence
    std::string ids = "{";
    for (int i = 0; i < cand.size(); ++i) {
      event e = read_event(cand, i);
      if (i > 0) ids += ',';
      ids += std::to_string(e.sequence);
      mine.emplace(e.sequence, std::move(e));
    }
    ids += '}';
    after = mine.rbegin()->first;
    ODOOLINK_TRY(auto undelivered, s_->db.run(s_->sql.undelivered_of.c_str(), {ids, after}, "check aggregate order"));
    // Walk every undelivered event up to the last candidate in order; those
    // not locked by us (not due, or being claimed elsewhere) block their aggregate.
    std::vector<std::pair<std::int64_t, std::string>> walk;
    for (int i = 0; i < undelivered.size(); ++i)
      if (undelivered.integer(i, 0) > walked)  // earlier ones were walked with the previous page
        walk.emplace_back(undelivered.integer(i, 0), undelivered.text(i, 1));
    for (const auto& [seq, e] : mine)
      if (e.aggregate_key.empty()) walk.emplace_back(seq, std::string());
    std::sort(walk.begin(), walk.end());
    for (const auto& [seq, aggregate] : walk) {
      auto it = mine.find(seq);
      if (planner.take(aggregate, it != mine.end()) && it != mine.end()) claimed.push_back(std::move(it->second));
      if (planner.full()) break;
    }
    if (cand.size() < scan) break;
  }
  for (auto& e : claimed) {
    if (e.state == event_state::pending) e.attempts += 1;
    e.state = event_state::in_flight;
    e.lease_owner = request.owner;
    e.lease_until = request.now + request.lease;
    e.updated_at = request.now;
    ODOOLINK_TRYV(s_->db.run(s_->sql.mark_claimed.c_str(), {e.sequence, e.lease_owner, micros(e.lease_until), now},
                             "claim an event"));
  }
  ODOOLINK_TRYV(tx.commit());
  return claimed;
}

result<std::size_t> postgres_store::reclaim(std::string_view owner, std::string_view keep, timestamp now) {
  ODOOLINK_TRY(auto r, s_->db.run(s_->sql.reclaim.c_str(), {micros(now), keep, owner}, "reclaim a relay's events"));
  return static_cast<std::size_t>(r.affected());
}

result<std::vector<bool>> postgres_store::settle(std::string_view owner, timestamp now, std::span<const settlement> outcomes) {
  postgres::transaction tx(s_->db);
  ODOOLINK_TRYV(tx.begin());
  audit_writer audit(s_->db, s_->sql);
  ODOOLINK_TRYV(audit.lock());
  std::vector<bool> applied;
  applied.reserve(outcomes.size());
  for (const auto& o : outcomes) {
    ODOOLINK_TRY(auto found, s_->find(s_->sql.lock_by_id, o.id));
    if (!found || found->state != event_state::in_flight || found->lease_owner != owner) {
      applied.push_back(false);
      continue;
    }
    event& e = *found;
    const int attempt = e.attempts;
    detail::apply_settlement(e, o, now);
    ODOOLINK_TRYV(s_->db.run(s_->sql.settle.c_str(),
                             {e.sequence, static_cast<int>(e.state), e.attempts, micros(e.next_attempt_at), e.last_error,
                              micros(now), e.result.model, e.result.record_id, e.result.external_id},
                             "settle an event"));
    if (audit_action action{}; detail::audit_action_of(o.kind, action))
      ODOOLINK_TRYV(audit.append(e.id, now, action, detail::settlement_detail(o, attempt)));
    applied.push_back(true);
  }
  ODOOLINK_TRYV(audit.finish());
  ODOOLINK_TRYV(tx.commit());
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
  audit_writer audit(s_->db, s_->sql);
  ODOOLINK_TRYV(audit.lock());
  ODOOLINK_TRY(auto found, s_->find(s_->sql.lock_by_id, id));
  if (!found) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  if (found->state != event_state::dead && found->state != event_state::delivered)
    return error(store_errc::conflict, "outbox: event " + std::string(id) + " is " +
                                           std::string(to_string(found->state)) + ", not dead or delivered");
  ODOOLINK_TRYV(s_->db.run(s_->sql.replay.c_str(), {found->sequence, micros(now), payload ? *payload : found->payload},
                           "replay an event"));
  ODOOLINK_TRYV(audit.append(found->id, now, audit_action::replayed, std::string(audit_detail)));
  ODOOLINK_TRYV(audit.finish());
  return tx.commit();
}

result<void> postgres_store::discard(std::string_view id, timestamp now, std::string_view reason) {
  postgres::transaction tx(s_->db);
  ODOOLINK_TRYV(tx.begin());
  audit_writer audit(s_->db, s_->sql);
  ODOOLINK_TRYV(audit.lock());
  ODOOLINK_TRY(auto found, s_->find(s_->sql.lock_by_id, id));
  if (!found) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  if (found->state != event_state::dead)
    return error(store_errc::conflict,
                 "outbox: event " + std::string(id) + " is " + std::string(to_string(found->state)) + ", not dead");
  ODOOLINK_TRYV(s_->db.run(s_->sql.discard.c_str(), {found->sequence, micros(now)}, "discard an event"));
  ODOOLINK_TRYV(audit.append(found->id, now, audit_action::discarded, std::string(reason)));
  ODOOLINK_TRYV(audit.finish());
  return tx.commit();
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
