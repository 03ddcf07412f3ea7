#include "odoolink/outbox/sqlite_store.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "connection.hpp"
#include "event_row.hpp"
#include "list_query.hpp"
#include "odoolink/outbox/detail/claim_planner.hpp"
#include "odoolink/outbox/detail/store_rules.hpp"
#include "schema.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

using sqlite::at_micros;
using sqlite::micros;
using sqlite::read_event;
using sqlite::statement;
using sqlite::transaction;

struct sqlite_store::state {
  sqlite::connection db;
  sqlite::list_query list_sql;
  // The audit chain's tail inside the current write transaction (read on first use).
  std::int64_t audit_tail_sequence = 0;
  std::string audit_tail_hash;
  bool audit_tail_loaded = false;

  result<void> begin_write(transaction& tx) {
    audit_tail_loaded = false;
    return tx.begin();
  }

  // An audit row of a settlement, written when its batch is done.
  struct queued_audit {
    std::string_view event_id;  // the settlement's, alive until the batch is written
    audit_action action;
    std::string detail;
  };
  std::vector<queued_audit> audit_queue;  // reused: a settlement batch allocates no vector of its own
  audit_record audit_row;                 // reused for the same reason

  // Chains `audit_row` (its event, time, action and detail set) to the tail.
  result<void> chain_audit_row() {
    if (!audit_tail_loaded) {
      ODOOLINK_TRY(auto s, db.prepare("SELECT sequence, hash FROM odoolink_audit ORDER BY sequence DESC LIMIT 1"));
      ODOOLINK_TRY(const bool row, s.step("read the audit tail"));
      audit_tail_sequence = row ? s.integer(0) : 0;
      audit_tail_hash = row ? s.text(1) : std::string(genesis_hash());
      audit_tail_loaded = true;
    }
    chain_audit(audit_row, audit_tail_sequence, audit_tail_hash);
    audit_tail_sequence = audit_row.sequence;
    audit_tail_hash = audit_row.hash;
    return success();
  }

  static void bind_audit(statement& s, int first, const audit_record& r) {
    s.bind(first, r.sequence).bind_view(first + 1, r.event_id).bind(first + 2, micros(r.at));
    s.bind(first + 3, static_cast<std::int64_t>(r.action)).bind_view(first + 4, r.detail);
    s.bind_view(first + 5, r.prev_hash).bind_view(first + 6, r.hash);
  }

  // Appends a chained row; the write lock held since BEGIN IMMEDIATE keeps
  // other connections from appending in between.
  result<void> append_audit(std::string_view event_id, timestamp when, audit_action action, std::string detail) {
    audit_row.event_id = event_id;
    audit_row.at = when;
    audit_row.action = action;
    audit_row.detail = std::move(detail);
    ODOOLINK_TRYV(chain_audit_row());
    ODOOLINK_TRY(auto s, db.prepare("INSERT INTO odoolink_audit(" ODOOLINK_SQLITE_AUDIT_COLUMNS
                                    ") VALUES (?, ?, ?, ?, ?, ?, ?)"));
    bind_audit(s, 1, audit_row);
    return s.run("append to the audit log");
  }

  // Appends the queued rows, chained in queue order, eight to a statement
  // (a statement's run costs about as much as the row it inserts).
  result<void> append_queued_audit(timestamp when) {
    constexpr std::size_t chunk = 8;
    std::array<audit_record, chunk> rows;
    std::size_t done = 0;
    while (done < audit_queue.size()) {
      const std::size_t n = std::min(chunk, audit_queue.size() - done);
      for (std::size_t i = 0; i < n; ++i) {
        auto& q = audit_queue[done + i];
        audit_row.event_id = q.event_id;
        audit_row.at = when;
        audit_row.action = q.action;
        audit_row.detail = std::move(q.detail);
        ODOOLINK_TRYV(chain_audit_row());
        std::swap(rows[i], audit_row);
      }
      if (n == chunk) {
        ODOOLINK_TRY(auto s, db.prepare("INSERT INTO odoolink_audit(" ODOOLINK_SQLITE_AUDIT_COLUMNS ") VALUES "
                                        "(?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?), "
                                        "(?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?), "
                                        "(?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?)"));
        for (std::size_t i = 0; i < n; ++i) bind_audit(s, static_cast<int>(1 + 7 * i), rows[i]);
        ODOOLINK_TRYV(s.run("append to the audit log"));
      } else {
        for (std::size_t i = 0; i < n; ++i) {
          ODOOLINK_TRY(auto s, db.prepare("INSERT INTO odoolink_audit(" ODOOLINK_SQLITE_AUDIT_COLUMNS
                                          ") VALUES (?, ?, ?, ?, ?, ?, ?)"));
          bind_audit(s, 1, rows[i]);
          ODOOLINK_TRYV(s.run("append to the audit log"));
        }
      }
      done += n;
    }
    audit_queue.clear();
    return success();
  }

  result<std::optional<event>> find_where(const char* sql, std::string_view value) {
    ODOOLINK_TRY(auto s, db.prepare(sql));
    s.bind(1, value);
    ODOOLINK_TRY(const bool row, s.step("find an event"));
    if (!row) return std::optional<event>();
    return std::optional<event>(read_event(s));
  }
  result<std::optional<event>> find_by_id(std::string_view id) {
    return find_where("SELECT " ODOOLINK_SQLITE_EVENT_COLUMNS " FROM " ODOOLINK_SQLITE_EVENT_TABLES " WHERE e.id = ?",
                      id);
  }

  result<void> set_state(std::int64_t sequence, event_state st, timestamp now, const char* what) {
    ODOOLINK_TRY(auto s, db.prepare("UPDATE odoolink_event_state SET state = ?1, open = ?1 IN (0, 1), updated_at = ?2 "
                                    "WHERE sequence = ?3"));
    s.bind(1, static_cast<std::int64_t>(st)).bind(2, micros(now)).bind(3, sequence);
    return s.run(what);
  }

  // `claim`, inside a write transaction the caller commits.
  result<std::vector<event>> claim_in_transaction(const claim_request& request) {
    detail::claim_planner planner(request.max_events);
    std::vector<event> out;
    const std::int64_t now = micros(request.now);
    // Walk undelivered events in sequence order, a page at a time.
    constexpr std::int64_t page = 256;
    std::int64_t after = 0;
    for (bool more = true; more && !planner.full();) {
      // The partial index yields sequence order; left to itself the planner may sort instead.
      ODOOLINK_TRY(auto s, db.prepare("SELECT " ODOOLINK_SQLITE_EVENT_COLUMNS
                                      " FROM odoolink_event_state s INDEXED BY odoolink_event_state_open "
                                      "JOIN odoolink_events e ON e.sequence = s.sequence "
                                      "WHERE s.open = 1 AND s.sequence > ? ORDER BY s.sequence LIMIT ?"));
      s.bind(1, after).bind(2, page);
      std::int64_t rows = 0;
      while (!planner.full()) {
        ODOOLINK_TRY(const bool row, s.step("scan undelivered events"));
        if (!row) break;
        ++rows;
        namespace col = sqlite::event_column;
        after = s.integer(col::sequence);
        // Decided on the narrow columns: an event left behind (not due, or its aggregate waits) is not copied.
        const bool due = s.integer(col::state) == static_cast<std::int64_t>(event_state::pending)
                             ? s.integer(col::next_attempt_at) <= now
                             : s.integer(col::lease_until) <= now;
        if (planner.take(s.text_view(col::aggregate_key), due)) out.push_back(read_event(s));
      }
      more = rows == page;
    }
    const timestamp lease_until = request.now + request.lease;
    for (auto& e : out) {
      if (e.state == event_state::pending) e.attempts += 1;  // as the statement below: `state = 0` adds one
      e.state = event_state::in_flight;
      e.lease_owner = request.owner;
      e.lease_until = lease_until;
      e.updated_at = request.now;
    }
    // Sixteen events a statement: running a statement costs about as much as the row it updates.
    constexpr std::size_t chunk = 16;
    for (std::size_t first = 0; first < out.size(); first += chunk) {
      ODOOLINK_TRY(auto s, db.prepare("UPDATE odoolink_event_state SET state = 1, attempts = attempts + (state = 0), "
                                      "lease_owner = ?1, lease_until = ?2, updated_at = ?3 WHERE sequence IN (?4, ?5, "
                                      "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"));
      s.bind_view(1, request.owner).bind(2, micros(lease_until)).bind(3, now);
      for (std::size_t i = 0; i < chunk; ++i)  // sequence 0 is never used: it fills a short chunk
        s.bind(static_cast<int>(4 + i), first + i < out.size() ? out[first + i].sequence : std::int64_t{0});
      ODOOLINK_TRYV(s.run("claim events"));
    }
    return out;
  }

  // `settle`, inside a write transaction the caller commits: sixteen
  // settlements a statement (running a statement costs about as much as the
  // row it changes). The audit rows follow the batch's updates, in the order
  // of `outcomes`.
  result<std::vector<bool>> settle_in_transaction(std::string_view owner, timestamp now,
                                                  std::span<const settlement> outcomes) {
    std::vector<bool> applied(outcomes.size(), false);
    audit_queue.clear();
    for (std::size_t first = 0; first < outcomes.size(); first += settle_chunk) {
      const auto chunk = outcomes.subspan(first, std::min(settle_chunk, outcomes.size() - first));
      ODOOLINK_TRYV(settle_chunk_of(owner, now, chunk, first, applied));
    }
    ODOOLINK_TRYV(append_queued_audit(now));
    return applied;
  }

  static constexpr std::size_t settle_chunk = 16;

  // One chunk of `settle_in_transaction`; `first` is its offset in `applied`.
  result<void> settle_chunk_of(std::string_view owner, timestamp now, std::span<const settlement> chunk,
                               std::size_t first, std::vector<bool>& applied) {
    // The events still in flight under `owner` (the lease fence), with their attempts.
    std::array<std::int64_t, settle_chunk> sequence{};  // 0: not held (another relay took it over)
    std::array<std::int64_t, settle_chunk> attempts{};
    {
      ODOOLINK_TRY(auto s, db.prepare("SELECT e.id, s.sequence, s.attempts FROM " ODOOLINK_SQLITE_EVENT_TABLES
                                      " WHERE e.id IN (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                                      "?16, ?17) AND s.state = 1 AND s.lease_owner = ?1"));
      s.bind_view(1, owner);
      for (std::size_t i = 0; i < settle_chunk; ++i)  // no event has the empty id: it fills a short chunk
        s.bind_view(static_cast<int>(2 + i), i < chunk.size() ? std::string_view(chunk[i].id) : std::string_view());
      for (;;) {
        ODOOLINK_TRY(const bool row, s.step("find claimed events"));
        if (!row) break;
        const std::string_view id = s.text_view(0);
        // The first settlement of an id applies; a repeat finds it settled already.
        for (std::size_t i = 0; i < chunk.size(); ++i) {
          if (chunk[i].id != id) continue;
          sequence[i] = s.integer(1);
          attempts[i] = s.integer(2);
          break;
        }
      }
    }
    // NULL keeps a column as it is: each kind changes what detail::apply_settlement changes.
    ODOOLINK_TRY(auto s, db.prepare("UPDATE odoolink_event_state AS s SET state = v.column2, "
                                    "open = v.column2 IN (0, 1), attempts = v.column3, "
                                    "next_attempt_at = coalesce(v.column4, s.next_attempt_at), lease_owner = '', "
                                    "lease_until = 0, last_error = coalesce(v.column5, s.last_error), updated_at = ?1, "
                                    "result_model = coalesce(v.column6, s.result_model), "
                                    "result_record_id = coalesce(v.column7, s.result_record_id), "
                                    "result_external_id = coalesce(v.column8, s.result_external_id) FROM (VALUES "
                                    "(?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?), "
                                    "(?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?), "
                                    "(?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?), "
                                    "(?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?), "
                                    "(?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?), "
                                    "(?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?), "
                                    "(?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?), "
                                    "(?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)"
                                    ") AS v WHERE s.sequence = v.column1"));
    s.bind(1, micros(now));
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (sequence[i] == 0) continue;  // the row stays NULL: it matches no event
      const settlement& o = chunk[i];
      const int at = static_cast<int>(2 + 8 * i);
      const bool uncounted = o.kind == settlement_kind::release || o.kind == settlement_kind::park;
      s.bind(at, sequence[i]).bind(at + 2, uncounted ? std::max<std::int64_t>(attempts[i] - 1, 0) : attempts[i]);
      switch (o.kind) {
        case settlement_kind::delivered:
          s.bind(at + 1, static_cast<std::int64_t>(event_state::delivered)).bind_view(at + 4, std::string_view(""));
          s.bind_view(at + 5, o.result.model).bind(at + 6, o.result.record_id).bind_view(at + 7, o.result.external_id);
          break;
        case settlement_kind::retry:
          s.bind(at + 1, static_cast<std::int64_t>(event_state::pending)).bind(at + 3, micros(o.next_attempt_at));
          s.bind_view(at + 4, o.error);
          break;
        case settlement_kind::dead:
          s.bind(at + 1, static_cast<std::int64_t>(event_state::dead)).bind_view(at + 4, o.error);
          break;
        case settlement_kind::release:
          s.bind(at + 1, static_cast<std::int64_t>(event_state::pending)).bind(at + 3, micros(now));
          break;
        case settlement_kind::park:
          s.bind(at + 1, static_cast<std::int64_t>(event_state::pending)).bind(at + 3, micros(o.next_attempt_at));
          s.bind_view(at + 4, o.error);
          break;
      }
      applied[first + i] = true;
      if (audit_action action{}; detail::audit_action_of(o.kind, action))
        audit_queue.push_back({o.id, action, detail::settlement_detail(o, static_cast<int>(attempts[i]))});
    }
    return s.run("settle events");
  }

  result<std::size_t> delete_where(const char* sql, timestamp before, const char* what) {
    transaction tx(db, transaction::kind::write);
    ODOOLINK_TRYV(begin_write(tx));
    {
      ODOOLINK_TRY(auto s, db.prepare(sql));
      s.bind(1, micros(before));
      ODOOLINK_TRYV(s.run(what));
    }
    const auto n = static_cast<std::size_t>(db.changes());
    ODOOLINK_TRYV(tx.commit());
    return n;
  }
};

sqlite_store::sqlite_store(std::unique_ptr<state> s) noexcept : s_(std::move(s)) {}
sqlite_store::~sqlite_store() = default;

result<std::unique_ptr<sqlite_store>> sqlite_store::open(sqlite_options options) {
  auto s = std::make_unique<state>();
  const auto timeout = std::clamp<std::chrono::milliseconds::rep>(options.busy_timeout.count(), 0, 24 * 3600 * 1000);
  ODOOLINK_TRYV(s->db.open(options.path, static_cast<int>(timeout)));
  // Damaged pages are reported as corrupt instead of being read further.
  ODOOLINK_TRYV(s->db.exec("PRAGMA cell_size_check = ON", "enable page checks"));
  // Refuse a file that is not ours (garbage fails here as corrupt) before changing its journal.
  ODOOLINK_TRYV(sqlite::inspect_schema(s->db));
  ODOOLINK_TRYV(s->db.exec("PRAGMA journal_mode = WAL", "enable the WAL journal"));
  ODOOLINK_TRYV(s->db.exec(options.durability == sqlite_durability::full ? "PRAGMA synchronous = FULL"
                                                                         : "PRAGMA synchronous = NORMAL",
                           "set the durability"));
  ODOOLINK_TRYV(sqlite::ensure_schema(s->db));
  return std::unique_ptr<sqlite_store>(new sqlite_store(std::move(s)));
}

result<std::vector<enqueue_outcome>> sqlite_store::enqueue(std::span<const new_event> events) {
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  std::vector<enqueue_outcome> out;
  out.reserve(events.size());
  for (const auto& n : events) {
    {
      // Also finds a key stored earlier in this batch: the first one wins.
      ODOOLINK_TRY(auto s, s_->db.prepare("SELECT id, sequence FROM odoolink_events WHERE idempotency_key = ?"));
      s.bind(1, n.idempotency_key);
      ODOOLINK_TRY(const bool row, s.step("look up an idempotency key"));
      if (row) {
        out.push_back({s.text(0), s.integer(1), true});
        continue;
      }
    }
    {
      ODOOLINK_TRY(auto s, s_->db.prepare("INSERT INTO odoolink_events(id, idempotency_key, aggregate_key, subject, "
                                          "contract_version, fingerprint, correlation_id, causation_id, created_at, "
                                          "traceparent, payload) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
      s.bind_view(1, n.id).bind_view(2, n.idempotency_key).bind_view(3, n.aggregate_key).bind_view(4, n.subject);
      s.bind_view(5, n.contract_version).bind_view(6, n.fingerprint).bind_view(7, n.correlation_id);
      s.bind_view(8, n.causation_id).bind(9, micros(n.created_at)).bind_view(10, n.traceparent);
      s.bind_view(11, n.payload);
      ODOOLINK_TRYV(s.run("store an event"));
    }
    const std::int64_t sequence = sqlite3_last_insert_rowid(s_->db.handle());
    {
      ODOOLINK_TRY(auto s, s_->db.prepare("INSERT INTO odoolink_event_state(sequence, aggregate_key, next_attempt_at, "
                                          "updated_at) VALUES (?1, ?2, ?3, ?3)"));
      s.bind(1, sequence).bind_view(2, n.aggregate_key).bind(3, micros(n.created_at));
      ODOOLINK_TRYV(s.run("store an event's state"));
    }
    out.push_back({n.id, sequence, false});
    ODOOLINK_TRYV(s_->append_audit(n.id, n.created_at, audit_action::enqueued, n.audit_payload));
  }
  ODOOLINK_TRYV(tx.commit());
  return out;
}

result<std::vector<event>> sqlite_store::claim(const claim_request& request) {
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  ODOOLINK_TRY(auto out, s_->claim_in_transaction(request));
  ODOOLINK_TRYV(tx.commit());
  return out;
}

result<std::size_t> sqlite_store::reclaim(std::string_view owner, std::string_view keep, timestamp now) {
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  // substr() rather than LIKE: an owner name may hold LIKE's wildcards.
  ODOOLINK_TRY(auto s, s_->db.prepare("UPDATE odoolink_event_state SET state = 0, attempts = max(attempts - 1, 0), "
                                      "next_attempt_at = ?1, lease_owner = '', lease_until = 0, updated_at = ?1 "
                                      "WHERE state = 1 AND lease_owner <> ?2 AND (lease_owner = ?3 OR "
                                      "substr(lease_owner, 1, length(?3) + 1) = ?3 || '/')"));
  s.bind(1, micros(now)).bind(2, keep).bind(3, owner);
  ODOOLINK_TRYV(s.run("reclaim a relay's events"));
  const auto n = static_cast<std::size_t>(s_->db.changes());
  ODOOLINK_TRYV(tx.commit());
  return n;
}

result<std::vector<bool>> sqlite_store::settle(std::string_view owner, timestamp now,
                                               std::span<const settlement> outcomes) {
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  ODOOLINK_TRY(auto applied, s_->settle_in_transaction(owner, now, outcomes));
  ODOOLINK_TRYV(tx.commit());
  return applied;
}

result<settle_and_claim_outcome> sqlite_store::settle_and_claim(std::span<const settlement> outcomes,
                                                                const claim_request& request) {
  // One transaction, one commit: at full durability the disk flush is the larger part of either call.
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  settle_and_claim_outcome out;
  ODOOLINK_TRY(out.applied, s_->settle_in_transaction(request.owner, request.now, outcomes));
  ODOOLINK_TRY(out.claimed, s_->claim_in_transaction(request));
  ODOOLINK_TRYV(tx.commit());
  return out;
}

result<std::optional<event>> sqlite_store::find(std::string_view id) { return s_->find_by_id(id); }

result<std::optional<event>> sqlite_store::find_by_key(std::string_view key) {
  return s_->find_where("SELECT " ODOOLINK_SQLITE_EVENT_COLUMNS " FROM " ODOOLINK_SQLITE_EVENT_TABLES
                        " WHERE e.idempotency_key = ?",
                        key);
}

result<std::vector<event>> sqlite_store::list(const event_filter& filter) {
  ODOOLINK_TRY(auto s, s_->db.prepare(s_->list_sql.sql_for(filter)));
  sqlite::list_query::bind(s, filter);
  std::vector<event> out;
  for (;;) {
    ODOOLINK_TRY(const bool row, s.step("list events"));
    if (!row) return out;
    out.push_back(read_event(s));
  }
}

result<void> sqlite_store::replay(std::string_view id, timestamp now, const std::optional<std::string>& payload,
                                  std::string_view audit_detail) {
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  ODOOLINK_TRY(auto found, s_->find_by_id(id));
  if (!found) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  if (found->state != event_state::dead && found->state != event_state::delivered)
    return error(store_errc::conflict, "outbox: event " + std::string(id) + " is " +
                                           std::string(to_string(found->state)) + ", not dead or delivered");
  {
    ODOOLINK_TRY(auto s, s_->db.prepare("UPDATE odoolink_event_state SET state = 0, open = 1, attempts = 0, "
                                        "next_attempt_at = ?1, updated_at = ?1 WHERE sequence = ?2"));
    s.bind(1, micros(now)).bind(2, found->sequence);
    ODOOLINK_TRYV(s.run("replay an event"));
  }
  if (payload) {
    ODOOLINK_TRY(auto s, s_->db.prepare("UPDATE odoolink_events SET payload = ? WHERE sequence = ?"));
    s.bind_view(1, *payload).bind(2, found->sequence);
    ODOOLINK_TRYV(s.run("replace an event's payload"));
  }
  ODOOLINK_TRYV(s_->append_audit(found->id, now, audit_action::replayed, std::string(audit_detail)));
  return tx.commit();
}

result<void> sqlite_store::discard(std::string_view id, timestamp now, std::string_view reason) {
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  ODOOLINK_TRY(auto found, s_->find_by_id(id));
  if (!found) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  if (found->state != event_state::dead)
    return error(store_errc::conflict,
                 "outbox: event " + std::string(id) + " is " + std::string(to_string(found->state)) + ", not dead");
  ODOOLINK_TRYV(s_->set_state(found->sequence, event_state::discarded, now, "discard an event"));
  ODOOLINK_TRYV(s_->append_audit(found->id, now, audit_action::discarded, std::string(reason)));
  return tx.commit();
}

result<queue_stats> sqlite_store::stats() {
  transaction tx(s_->db, transaction::kind::read);  // counts and oldest from one snapshot
  ODOOLINK_TRYV(tx.begin());
  queue_stats st;
  {
    ODOOLINK_TRY(auto s, s_->db.prepare("SELECT state, count(*) FROM odoolink_event_state GROUP BY state"));
    for (;;) {
      ODOOLINK_TRY(const bool row, s.step("count events"));
      if (!row) break;
      const auto n = static_cast<std::size_t>(s.integer(1));
      switch (s.integer(0)) {
        case 0: st.pending = n; break;
        case 1: st.in_flight = n; break;
        case 2: st.delivered = n; break;
        case 3: st.dead = n; break;
        case 4: st.discarded = n; break;
        default: break;
      }
    }
  }
  {
    ODOOLINK_TRY(auto s, s_->db.prepare("SELECT min(e.created_at) FROM " ODOOLINK_SQLITE_EVENT_TABLES
                                        " WHERE s.open = 1"));
    ODOOLINK_TRY(const bool row, s.step("find the oldest pending event"));
    if (row && !s.is_null(0)) st.oldest_pending_created_at = at_micros(s.integer(0));
  }
  ODOOLINK_TRYV(tx.commit());
  return st;
}

result<std::vector<subject_queue_stats>> sqlite_store::subject_stats() {
  std::vector<subject_queue_stats> out;
  ODOOLINK_TRY(auto s, s_->db.prepare("SELECT e.subject, s.state, count(*), min(e.created_at) FROM "
                                      ODOOLINK_SQLITE_EVENT_TABLES " GROUP BY e.subject, s.state ORDER BY e.subject"));
  for (;;) {
    ODOOLINK_TRY(const bool row, s.step("count events by subject"));
    if (!row) break;
    std::string subject = s.text(0);
    if (out.empty() || out.back().subject != subject) out.push_back({std::move(subject), {}});
    const auto state = s.integer(1);
    if (state < 0 || state > 4) continue;  // a value no version wrote: not counted (read_event shows it dead)
    detail::count_in(out.back().stats, static_cast<event_state>(state), at_micros(s.integer(3)),
                     static_cast<std::size_t>(s.integer(2)));
  }
  return out;
}

result<std::optional<timestamp>> sqlite_store::next_due() {
  // Only the first undelivered event of each aggregate counts: later ones wait for it.
  ODOOLINK_TRY(auto s, s_->db.prepare(
                           "SELECT min(CASE WHEN state = 0 THEN next_attempt_at ELSE lease_until END) "
                           "FROM odoolink_event_state e WHERE open = 1 AND (aggregate_key = '' OR NOT EXISTS ("
                           "SELECT 1 FROM odoolink_event_state p WHERE p.aggregate_key = e.aggregate_key "
                           "AND p.open = 1 AND p.sequence < e.sequence))"));
  ODOOLINK_TRY(const bool row, s.step("find the next due event"));
  if (!row || s.is_null(0)) return std::optional<timestamp>();
  return std::optional<timestamp>(at_micros(s.integer(0)));
}

result<std::size_t> sqlite_store::purge(timestamp before) {
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  // Both rows of an event go, in one transaction.
  {
    ODOOLINK_TRY(auto s, s_->db.prepare("DELETE FROM odoolink_events WHERE sequence IN (SELECT sequence FROM "
                                        "odoolink_event_state WHERE state IN (2, 4) AND updated_at < ?)"));
    s.bind(1, micros(before));
    ODOOLINK_TRYV(s.run("purge events"));
  }
  const auto n = static_cast<std::size_t>(s_->db.changes());
  {
    ODOOLINK_TRY(auto s, s_->db.prepare("DELETE FROM odoolink_event_state WHERE state IN (2, 4) AND updated_at < ?"));
    s.bind(1, micros(before));
    ODOOLINK_TRYV(s.run("purge events' states"));
  }
  ODOOLINK_TRYV(tx.commit());
  return n;
}

result<bool> sqlite_store::inbox_record(std::string_view key, timestamp now, std::chrono::microseconds window) {
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  {
    // Inserts a new key, or refreshes one last seen before the window; no change means a duplicate.
    ODOOLINK_TRY(auto s, s_->db.prepare("INSERT INTO odoolink_inbox(key, seen_at) VALUES (?1, ?2) "
                                        "ON CONFLICT(key) DO UPDATE SET seen_at = ?2 WHERE seen_at < ?3"));
    s.bind(1, key).bind(2, micros(now)).bind(3, micros(now - window));
    ODOOLINK_TRYV(s.run("record an inbox key"));
  }
  const bool fresh = s_->db.changes() > 0;
  ODOOLINK_TRYV(tx.commit());
  return fresh;
}

result<void> sqlite_store::inbox_forget(std::string_view key) {
  transaction tx(s_->db, transaction::kind::write);
  ODOOLINK_TRYV(s_->begin_write(tx));
  {
    ODOOLINK_TRY(auto s, s_->db.prepare("DELETE FROM odoolink_inbox WHERE key = ?"));
    s.bind(1, key);
    ODOOLINK_TRYV(s.run("forget an inbox key"));
  }
  return tx.commit();
}

result<std::size_t> sqlite_store::inbox_purge(timestamp before) {
  return s_->delete_where("DELETE FROM odoolink_inbox WHERE seen_at < ?", before, "purge inbox keys");
}

result<std::vector<audit_record>> sqlite_store::audit(std::int64_t after_sequence, std::size_t limit,
                                                      std::string_view event_id) {
  constexpr auto max_limit = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  const bool one_event = !event_id.empty();
  ODOOLINK_TRY(auto s, one_event ? s_->db.prepare("SELECT " ODOOLINK_SQLITE_AUDIT_COLUMNS " FROM odoolink_audit "
                                                  "WHERE event_id = ?2 AND sequence > ?1 ORDER BY sequence LIMIT ?3")
                                 : s_->db.prepare("SELECT " ODOOLINK_SQLITE_AUDIT_COLUMNS " FROM odoolink_audit "
                                                  "WHERE sequence > ?1 ORDER BY sequence LIMIT ?3"));
  s.bind(1, after_sequence).bind(3, static_cast<std::int64_t>(std::min(limit, max_limit)));
  if (one_event) s.bind(2, event_id);
  std::vector<audit_record> out;
  for (;;) {
    ODOOLINK_TRY(const bool row, s.step("read the audit log"));
    if (!row) return out;
    out.push_back(sqlite::read_audit(s));
  }
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
