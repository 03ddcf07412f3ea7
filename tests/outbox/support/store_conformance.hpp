#pragma once
// The behaviour every outbox store must show, written once and run against
// each store. A store's test file defines a factory type with
//   static std::unique_ptr<odoolink::outbox::store> make();   // a fresh, empty store (nullptr: skip)
//   static constexpr const char* name;
// and invokes `TEST_CASE_TEMPLATE_INVOKE(store_conformance, its_factory)`.

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "odoolink/outbox/audit.hpp"
#include "odoolink/outbox/store.hpp"
#include "odoolink/outbox/uuid.hpp"

namespace odoolink::test {

using namespace std::chrono_literals;
using outbox::timestamp;

inline timestamp t0() { return timestamp(std::chrono::microseconds(1'790'000'000'000'000LL)); }

inline outbox::new_event make_event(std::string key, std::string aggregate = {}, timestamp at = t0()) {
  outbox::new_event e;
  e.id = outbox::make_uuid_v7(at);
  e.idempotency_key = std::move(key);
  e.aggregate_key = std::move(aggregate);
  e.subject = "customer";
  e.contract_version = "1.0.0";
  e.fingerprint = std::string(64, 'a');
  e.payload = R"({"name":"Ada"})";
  e.correlation_id = "corr-1";
  e.created_at = at;
  e.audit_payload = R"({"name":"***"})";
  return e;
}

inline std::vector<std::string> keys_of(const std::vector<outbox::event>& events) {
  std::vector<std::string> keys;
  for (const auto& e : events) keys.push_back(e.idempotency_key);
  return keys;
}

inline outbox::claim_request claim_at(timestamp now, std::size_t max = 64, std::string owner = "relay-a") {
  outbox::claim_request r;
  r.owner = std::move(owner);
  r.now = now;
  r.lease = 30s;
  r.max_events = max;
  return r;
}

inline outbox::settlement delivered(const outbox::event& e, std::int64_t record_id = 7) {
  outbox::settlement s;
  s.id = e.id;
  s.kind = outbox::settlement_kind::delivered;
  s.result = {"res.partner", record_id, "pos." + e.idempotency_key};
  return s;
}

inline outbox::settlement failed(const outbox::event& e, outbox::settlement_kind kind, timestamp next = {}) {
  outbox::settlement s;
  s.id = e.id;
  s.kind = kind;
  s.error = "boom";
  s.next_attempt_at = next;
  return s;
}

// Returns nullptr and prints SKIPPED when the factory has no store here.
template <class Factory>
std::unique_ptr<outbox::store> fresh_store() {
  auto s = Factory::make();
  if (!s) MESSAGE("SKIPPED: " << Factory::name << " store not available here");
  return s;
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: enqueue is idempotent by key", F, store_conformance_enqueue) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("k1"), make_event("k2"), make_event("k1")};
  auto out = s->enqueue(batch);
  REQUIRE(out);
  REQUIRE(out.value().size() == 3);
  CHECK_FALSE(out.value()[0].duplicate);
  CHECK_FALSE(out.value()[1].duplicate);
  CHECK(out.value()[2].duplicate);
  CHECK(out.value()[2].id == out.value()[0].id);
  CHECK(out.value()[0].sequence < out.value()[1].sequence);

  std::vector<outbox::new_event> again{make_event("k2")};
  auto second = s->enqueue(again);
  REQUIRE(second);
  CHECK(second.value()[0].duplicate);
  CHECK(second.value()[0].id == out.value()[1].id);

  auto stats = s->stats();
  REQUIRE(stats);
  CHECK(stats.value().pending == 2);
  auto found = s->find_by_key("k1");
  REQUIRE(found);
  REQUIRE(found.value().has_value());
  CHECK(found.value()->id == batch[0].id);
  CHECK(found.value()->payload == batch[0].payload);
  CHECK(found.value()->fingerprint == batch[0].fingerprint);
  CHECK(found.value()->correlation_id == "corr-1");
  CHECK(found.value()->created_at == t0());
  CHECK(found.value()->state == outbox::event_state::pending);
  auto by_id = s->find(batch[1].id);
  REQUIRE(by_id);
  REQUIRE(by_id.value().has_value());
  CHECK(by_id.value()->idempotency_key == "k2");
  auto none = s->find("no-such-id");
  REQUIRE(none);
  CHECK_FALSE(none.value().has_value());
}

// Longer than a store may send in one statement, mixing new keys, keys
// stored before and repeats, with payload bytes that need quoting in SQL and
// array literals: order, outcomes, payloads and audit rows all hold.
TEST_CASE_TEMPLATE_DEFINE("store conformance: a long mixed batch keeps its order, payloads and audit rows", F,
                          store_conformance_long_enqueue) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> before{make_event("old-3"), make_event("old-700")};
  REQUIRE(s->enqueue(before));
  const std::string awkward = "{\"note\":\"quote \\\" backslash \\\\ brace } comma , NULL caf\u00e9 \\n\",\"n\":";
  std::vector<outbox::new_event> batch;
  for (int i = 0; i < 1200; ++i) {
    const std::string key = i == 3 || i == 700 ? "old-" + std::to_string(i)  // stored before
                            : i % 97 == 5      ? "new-" + std::to_string(i - 1)  // a repeat of the previous event
                                               : "new-" + std::to_string(i);
    auto e = make_event(key, "agg-" + std::to_string(i % 7));
    e.payload = awkward + std::to_string(i) + "}";
    e.audit_payload = "{\"n\":" + std::to_string(i) + "}";
    batch.push_back(std::move(e));
  }
  auto out = s->enqueue(batch);
  REQUIRE(out);
  REQUIRE(out.value().size() == batch.size());
  std::int64_t last = before.size();  // fresh store: the earlier events hold the first sequences
  std::vector<std::string> stored_ids, stored_details;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& o = out.value()[i];
    CAPTURE(i);
    if (i == 3 || i == 700) {
      CHECK(o.duplicate);
      CHECK(o.id == before[i == 3 ? 0 : 1].id);
    } else if (i % 97 == 5) {
      CHECK(o.duplicate);
      CHECK(o.id == batch[i - 1].id);
      CHECK(o.sequence == out.value()[i - 1].sequence);
    } else {
      CHECK_FALSE(o.duplicate);
      CHECK(o.id == batch[i].id);
      CHECK(o.sequence > last);  // sequences follow the batch's order
      last = o.sequence;
      stored_ids.push_back(o.id);
      stored_details.push_back(batch[i].audit_payload);
    }
  }
  auto e1100 = s->find(batch[1100].id);
  REQUIRE(e1100);
  REQUIRE(e1100.value().has_value());
  CHECK(e1100.value()->payload == batch[1100].payload);
  CHECK(e1100.value()->aggregate_key == "agg-1");
  // One enqueued row per stored event, in the batch's order, after the earlier two.
  auto rows = s->audit(0, 5000);
  REQUIRE(rows);
  REQUIRE(rows.value().size() == before.size() + stored_ids.size());
  for (std::size_t i = 0; i < stored_ids.size(); ++i) {
    CAPTURE(i);
    const auto& r = rows.value()[before.size() + i];
    CHECK(r.event_id == stored_ids[i]);
    CHECK(r.action == outbox::audit_action::enqueued);
    CHECK(r.detail == stored_details[i]);
  }
  CHECK(outbox::verify_audit_chain(rows.value()));
  auto stats = s->stats();
  REQUIRE(stats);
  CHECK(stats.value().pending == before.size() + stored_ids.size());
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: claim follows per-aggregate FIFO", F, store_conformance_fifo) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("a1", "A"), make_event("b1", "B"), make_event("a2", "A"),
                                       make_event("u1"), make_event("b2", "B")};
  REQUIRE(s->enqueue(batch));

  // Everything is due: one claim takes each aggregate's events in order.
  auto first = s->claim(claim_at(t0(), 64));
  REQUIRE(first);
  CHECK(keys_of(first.value()) == std::vector<std::string>{"a1", "b1", "a2", "u1", "b2"});
  for (const auto& e : first.value()) {
    CHECK(e.state == outbox::event_state::in_flight);
    CHECK(e.attempts == 1);
    CHECK(e.lease_owner == "relay-a");
  }
  // Nothing more while leases hold.
  auto none = s->claim(claim_at(t0() + 1s, 64, "relay-b"));
  REQUIRE(none);
  CHECK(none.value().empty());

  // a1 fails (retry later), a2 released, b1 delivered, b2 delivered, u1 delivered.
  const auto& ev = first.value();
  std::vector<outbox::settlement> outcomes{failed(ev[0], outbox::settlement_kind::retry, t0() + 10s), delivered(ev[1]),
                                           failed(ev[2], outbox::settlement_kind::release), delivered(ev[3]),
                                           delivered(ev[4])};
  auto applied = s->settle("relay-a", t0() + 1s, outcomes);
  REQUIRE(applied);
  CHECK(applied.value() == std::vector<bool>{true, true, true, true, true});

  // a2 is due but a1 waits for its retry: A is blocked.
  auto blocked = s->claim(claim_at(t0() + 2s, 64));
  REQUIRE(blocked);
  CHECK(blocked.value().empty());
  auto due = s->next_due();
  REQUIRE(due);
  REQUIRE(due.value().has_value());
  // a2 (released, due) waits behind a1: only a1's retry time counts.
  CHECK(*due.value() == t0() + 10s);

  auto later = s->claim(claim_at(t0() + 11s, 64));
  REQUIRE(later);
  CHECK(keys_of(later.value()) == std::vector<std::string>{"a1", "a2"});
  CHECK(later.value()[0].attempts == 2);
  CHECK(later.value()[1].attempts == 1);  // the release did not count
  CHECK(later.value()[0].last_error == "boom");
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: max events and a dead event do not block", F, store_conformance_dead) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("a1", "A"), make_event("a2", "A"), make_event("a3", "A")};
  REQUIRE(s->enqueue(batch));
  auto one = s->claim(claim_at(t0(), 1));
  REQUIRE(one);
  REQUIRE(one.value().size() == 1);
  CHECK(one.value()[0].idempotency_key == "a1");
  // a2 must wait for a1 (in flight).
  auto none = s->claim(claim_at(t0(), 5, "relay-b"));
  REQUIRE(none);
  CHECK(none.value().empty());
  std::vector<outbox::settlement> dead{failed(one.value()[0], outbox::settlement_kind::dead)};
  REQUIRE(s->settle("relay-a", t0(), dead));
  auto next = s->claim(claim_at(t0(), 5, "relay-b"));
  REQUIRE(next);
  CHECK(keys_of(next.value()) == std::vector<std::string>{"a2", "a3"});
  auto dead_list = s->list({.state = outbox::event_state::dead});
  REQUIRE(dead_list);
  REQUIRE(dead_list.value().size() == 1);
  CHECK(dead_list.value()[0].last_error == "boom");
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: an expired lease is claimed again and the old owner is refused", F,
                          store_conformance_lease) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("k1")};
  REQUIRE(s->enqueue(batch));
  auto a = s->claim(claim_at(t0(), 8, "relay-a"));
  REQUIRE(a);
  REQUIRE(a.value().size() == 1);
  auto b = s->claim(claim_at(t0() + 31s, 8, "relay-b"));
  REQUIRE(b);
  REQUIRE(b.value().size() == 1);
  CHECK(b.value()[0].attempts == 1);  // the claim lost with relay-a counts for this one
  CHECK(b.value()[0].lease_owner == "relay-b");
  std::vector<outbox::settlement> late{delivered(a.value()[0])};
  auto refused = s->settle("relay-a", t0() + 32s, late);
  REQUIRE(refused);
  CHECK(refused.value() == std::vector<bool>{false});
  std::vector<outbox::settlement> ok{delivered(b.value()[0], 42)};
  auto accepted = s->settle("relay-b", t0() + 32s, ok);
  REQUIRE(accepted);
  CHECK(accepted.value() == std::vector<bool>{true});
  auto e = s->find(batch[0].id);
  REQUIRE(e);
  REQUIRE(e.value().has_value());
  CHECK(e.value()->state == outbox::event_state::delivered);
  CHECK(e.value()->result.record_id == 42);
  CHECK(e.value()->result.model == "res.partner");
  CHECK(e.value()->result.external_id == "pos.k1");
  auto lineage = s->list({.result_model = "res.partner", .result_record_id = 42});
  REQUIRE(lineage);
  REQUIRE(lineage.value().size() == 1);
  CHECK(lineage.value()[0].id == batch[0].id);
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: settle and claim settles first then claims", F,
                          store_conformance_settle_and_claim) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("k1", "a"), make_event("k2", "a"), make_event("k3", "b")};
  REQUIRE(s->enqueue(batch));
  auto first = s->claim(claim_at(t0(), 1));
  REQUIRE(first);
  REQUIRE(keys_of(first.value()) == std::vector<std::string>{"k1"});
  // k2 waits for k1 of its aggregate: only a settlement applied before the claim lets it through.
  std::vector<outbox::settlement> done{delivered(first.value()[0], 11)};
  auto both = s->settle_and_claim(done, claim_at(t0() + 1s, 8));
  REQUIRE(both);
  CHECK(both.value().applied == std::vector<bool>{true});
  CHECK(keys_of(both.value().claimed) == std::vector<std::string>{"k2", "k3"});
  for (const auto& e : both.value().claimed) {
    CHECK(e.state == outbox::event_state::in_flight);
    CHECK(e.lease_owner == "relay-a");
    CHECK(e.attempts == 1);
  }
  auto k1 = s->find(batch[0].id);
  REQUIRE(k1);
  REQUIRE(k1.value().has_value());
  CHECK(k1.value()->state == outbox::event_state::delivered);
  CHECK(k1.value()->result.record_id == 11);
  // A refused settlement (k1 is no longer in flight) does not stop the claim, which finds nothing due.
  auto stale = s->settle_and_claim(done, claim_at(t0() + 2s, 8));
  REQUIRE(stale);
  CHECK(stale.value().applied == std::vector<bool>{false});
  CHECK(stale.value().claimed.empty());
  // No outcomes: a plain claim (k2 and k3 are leased until t0 + 31s).
  auto expired = s->settle_and_claim({}, claim_at(t0() + 32s, 8, "relay-b"));
  REQUIRE(expired);
  CHECK(expired.value().applied.empty());
  CHECK(keys_of(expired.value().claimed) == std::vector<std::string>{"k2", "k3"});
  auto rows = s->audit(0, 100);
  REQUIRE(rows);
  REQUIRE(rows.value().size() == 4);  // three enqueued, one delivered
  CHECK(rows.value()[3].action == outbox::audit_action::delivered);
  CHECK(rows.value()[3].detail == "attempt 1: res.partner 11 pos.k1");
  CHECK(outbox::verify_audit_chain(rows.value()));
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: replay and discard of dead letters", F, store_conformance_replay) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("k1"), make_event("k2")};
  REQUIRE(s->enqueue(batch));
  auto claimed = s->claim(claim_at(t0()));
  REQUIRE(claimed);
  REQUIRE(claimed.value().size() == 2);
  std::vector<outbox::settlement> dead{failed(claimed.value()[0], outbox::settlement_kind::dead),
                                       failed(claimed.value()[1], outbox::settlement_kind::dead)};
  REQUIRE(s->settle("relay-a", t0(), dead));

  auto pending_replay = s->replay("no-such-id", t0(), std::nullopt, "");
  CHECK_FALSE(pending_replay);
  CHECK(pending_replay.error().code() == store_errc::not_found);

  REQUIRE(s->replay(batch[0].id, t0() + 5s, std::string(R"({"name":"Ada L."})"), "replayed with a fix"));
  auto e = s->find(batch[0].id);
  REQUIRE(e);
  CHECK(e.value()->state == outbox::event_state::pending);
  CHECK(e.value()->attempts == 0);
  CHECK(e.value()->payload == R"({"name":"Ada L."})");
  auto twice = s->replay(batch[0].id, t0() + 5s, std::nullopt, "");
  CHECK_FALSE(twice);
  CHECK(twice.error().code() == store_errc::conflict);

  REQUIRE(s->discard(batch[1].id, t0() + 6s, "customer merged by hand"));
  auto d = s->find(batch[1].id);
  REQUIRE(d);
  CHECK(d.value()->state == outbox::event_state::discarded);
  auto not_dead = s->discard(batch[0].id, t0() + 6s, "no");
  CHECK_FALSE(not_dead);
  CHECK(not_dead.error().code() == store_errc::conflict);

  auto st = s->stats();
  REQUIRE(st);
  CHECK(st.value().pending == 1);
  CHECK(st.value().discarded == 1);
  CHECK(st.value().dead == 0);
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: the audit chain records every change and verifies", F,
                          store_conformance_audit) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("k1"), make_event("k2")};
  REQUIRE(s->enqueue(batch));
  auto claimed = s->claim(claim_at(t0()));
  REQUIRE(claimed);
  std::vector<outbox::settlement> outcomes{failed(claimed.value()[0], outbox::settlement_kind::retry, t0() + 1s),
                                           delivered(claimed.value()[1])};
  REQUIRE(s->settle("relay-a", t0(), outcomes));
  auto rows = s->audit(0, 100);
  REQUIRE(rows);
  REQUIRE(rows.value().size() == 4);
  CHECK(rows.value()[0].action == outbox::audit_action::enqueued);
  CHECK(rows.value()[0].detail == R"({"name":"***"})");
  CHECK(rows.value()[2].action == outbox::audit_action::retry);
  CHECK(rows.value()[2].detail == "attempt 1: boom");
  CHECK(rows.value()[3].action == outbox::audit_action::delivered);
  CHECK(rows.value()[3].detail == "attempt 1: res.partner 7 pos.k2");
  CHECK(outbox::verify_audit_chain(rows.value()));
  auto of_k1 = s->audit(0, 100, batch[0].id);
  REQUIRE(of_k1);
  CHECK(of_k1.value().size() == 2);
  auto tail = s->audit(2, 100);
  REQUIRE(tail);
  REQUIRE(tail.value().size() == 2);
  CHECK(outbox::verify_audit_chain(tail.value(), rows.value()[1].hash));
  // No payload text reaches the audit log beyond what the caller redacted.
  for (const auto& row : rows.value()) CHECK(row.detail.find("Ada") == std::string::npos);
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: a long settlement batch applies each event once, in order", F,
                          store_conformance_long_settle) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch;
  for (int i = 0; i < 20; ++i) batch.push_back(make_event("k" + std::to_string(i)));
  REQUIRE(s->enqueue(batch));
  auto claimed = s->claim(claim_at(t0(), 20));
  REQUIRE(claimed);
  REQUIRE(claimed.value().size() == 20);
  const auto& ev = claimed.value();
  // Every kind, more events than one statement of a store may take, and ids settled twice in one call
  // (in the same sixteen and across them): only the first settlement of an event applies.
  std::vector<outbox::settlement> outcomes;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    switch (i % 5) {
      case 0: outcomes.push_back(delivered(ev[i], static_cast<std::int64_t>(i))); break;
      case 1: outcomes.push_back(failed(ev[i], outbox::settlement_kind::retry, t0() + 1s)); break;
      case 2: outcomes.push_back(failed(ev[i], outbox::settlement_kind::dead)); break;
      case 3: outcomes.push_back(failed(ev[i], outbox::settlement_kind::release)); break;
      default: outcomes.push_back(failed(ev[i], outbox::settlement_kind::park, t0() + 30s)); break;
    }
    if (i == 2) outcomes.push_back(delivered(ev[1]));  // index 3
  }
  outcomes.push_back(failed(ev[0], outbox::settlement_kind::dead));  // index 21, after its first chunk
  auto applied = s->settle("relay-a", t0(), outcomes);
  REQUIRE(applied);
  std::vector<bool> expected(outcomes.size(), true);
  expected[3] = expected[21] = false;
  CHECK(applied.value() == expected);
  for (std::size_t i = 0; i < ev.size(); ++i) {
    auto found = s->find(ev[i].id);
    REQUIRE(found);
    REQUIRE(found.value());
    const auto& e = *found.value();
    CHECK(e.lease_owner.empty());
    switch (i % 5) {
      case 0:
        CHECK(e.state == outbox::event_state::delivered);
        CHECK(e.result.record_id == static_cast<std::int64_t>(i));
        CHECK(e.attempts == 1);
        break;
      case 1:
        CHECK(e.state == outbox::event_state::pending);
        CHECK(e.next_attempt_at == t0() + 1s);
        CHECK(e.last_error == "boom");
        CHECK(e.attempts == 1);
        break;
      case 2: CHECK(e.state == outbox::event_state::dead); break;
      case 3:
        CHECK(e.state == outbox::event_state::pending);
        CHECK(e.last_error.empty());
        CHECK(e.attempts == 0);  // a release does not count
        break;
      default:
        CHECK(e.state == outbox::event_state::pending);
        CHECK(e.next_attempt_at == t0() + 30s);
        CHECK(e.attempts == 0);  // nor does a park
        break;
    }
  }
  // One row per applied settlement except the releases, in the order of the call.
  auto rows = s->audit(20, 100);
  REQUIRE(rows);
  std::vector<std::string> ids;
  for (const auto& row : rows.value()) {
    ids.push_back(row.event_id);
    CHECK(row.detail.starts_with("attempt 1: "));
  }
  std::vector<std::string> expected_ids;
  for (std::size_t i = 0; i < ev.size(); ++i)
    if (i % 5 != 3) expected_ids.push_back(ev[i].id);
  CHECK(ids == expected_ids);
  auto all = s->audit(0, 100);
  REQUIRE(all);
  CHECK(outbox::verify_audit_chain(all.value()));
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: purge removes old delivered events only", F, store_conformance_purge) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("k1"), make_event("k2")};
  REQUIRE(s->enqueue(batch));
  auto claimed = s->claim(claim_at(t0(), 1));
  REQUIRE(claimed);
  std::vector<outbox::settlement> ok{delivered(claimed.value()[0])};
  REQUIRE(s->settle("relay-a", t0() + 1s, ok));
  auto none = s->purge(t0());
  REQUIRE(none);
  CHECK(none.value() == 0);
  auto one = s->purge(t0() + 2s);
  REQUIRE(one);
  CHECK(one.value() == 1);
  auto st = s->stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 0);
  CHECK(st.value().pending == 1);
  auto rows = s->audit(0, 100);
  REQUIRE(rows);
  CHECK(rows.value().size() == 3);  // audit rows outlive purged events
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: the inbox remembers keys for its window", F, store_conformance_inbox) {
  auto s = fresh_store<F>();
  if (!s) return;
  auto first = s->inbox_record("res.partner/7/2025-01-01 10:00:00", t0(), 60s);
  REQUIRE(first);
  CHECK(first.value());
  for (int i = 0; i < 12; ++i) {
    auto dup = s->inbox_record("res.partner/7/2025-01-01 10:00:00", t0() + std::chrono::seconds(i), 60s);
    REQUIRE(dup);
    CHECK_FALSE(dup.value());
  }
  auto after_window = s->inbox_record("res.partner/7/2025-01-01 10:00:00", t0() + 61s, 60s);
  REQUIRE(after_window);
  CHECK(after_window.value());
  REQUIRE(s->inbox_forget("res.partner/7/2025-01-01 10:00:00"));
  auto again = s->inbox_record("res.partner/7/2025-01-01 10:00:00", t0() + 62s, 60s);
  REQUIRE(again);
  CHECK(again.value());
  auto other = s->inbox_record("res.partner/8/x", t0(), 60s);
  REQUIRE(other);
  auto purged = s->inbox_purge(t0() + 1s);
  REQUIRE(purged);
  CHECK(purged.value() == 1);
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: list filters and pages in sequence order", F, store_conformance_list) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch;
  for (int i = 0; i < 10; ++i) {
    auto e = make_event("k" + std::to_string(i), i % 2 == 0 ? "even" : "odd");
    e.correlation_id = i < 3 ? "early" : "late";
    batch.push_back(std::move(e));
  }
  REQUIRE(s->enqueue(batch));
  auto page1 = s->list({.limit = 4});
  REQUIRE(page1);
  REQUIRE(page1.value().size() == 4);
  auto page2 = s->list({.after_sequence = page1.value().back().sequence, .limit = 100});
  REQUIRE(page2);
  CHECK(page2.value().size() == 6);
  CHECK(page2.value().front().idempotency_key == "k4");
  auto even = s->list({.aggregate_key = "even"});
  REQUIRE(even);
  CHECK(even.value().size() == 5);
  auto early = s->list({.correlation_id = "early"});
  REQUIRE(early);
  CHECK(keys_of(early.value()) == std::vector<std::string>{"k0", "k1", "k2"});
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: the trace context is stored with the event", F, store_conformance_trace) {
  auto s = fresh_store<F>();
  if (!s) return;
  auto traced = make_event("traced");
  traced.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  REQUIRE(s->enqueue(std::vector<outbox::new_event>{traced, make_event("plain")}));
  auto found = s->find(traced.id);
  REQUIRE(found);
  REQUIRE(found.value());
  CHECK(found.value()->traceparent == traced.traceparent);
  auto claimed = s->claim(claim_at(t0()));
  REQUIRE(claimed);
  REQUIRE(claimed.value().size() == 2);
  CHECK(claimed.value()[0].traceparent == traced.traceparent);
  CHECK(claimed.value()[1].traceparent.empty());
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: counts per subject match the events", F, store_conformance_subjects) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch;
  for (int i = 0; i < 7; ++i) {
    auto e = make_event("k" + std::to_string(i), {}, t0() + std::chrono::seconds(i));
    e.subject = i < 4 ? "customer" : "order";
    batch.push_back(std::move(e));
  }
  REQUIRE(s->enqueue(batch));
  auto claimed = s->claim(claim_at(t0() + 1h, 3));  // k0..k2 (customers)
  REQUIRE(claimed);
  REQUIRE(claimed.value().size() == 3);
  const std::vector<outbox::settlement> outcomes{delivered(claimed.value()[0]),
                                                 failed(claimed.value()[1], outbox::settlement_kind::dead)};
  REQUIRE(s->settle("relay-a", t0() + 1h, outcomes));
  auto stats = s->subject_stats();
  REQUIRE(stats);
  REQUIRE(stats.value().size() == 2);
  const auto& customer = stats.value()[0];
  CHECK(customer.subject == "customer");
  CHECK(customer.stats.delivered == 1);
  CHECK(customer.stats.dead == 1);
  CHECK(customer.stats.in_flight == 1);
  CHECK(customer.stats.pending == 1);
  REQUIRE(customer.stats.oldest_pending_created_at);
  CHECK(*customer.stats.oldest_pending_created_at == t0() + std::chrono::seconds(2));  // k2, in flight
  const auto& order = stats.value()[1];
  CHECK(order.subject == "order");
  CHECK(order.stats.pending == 3);
  CHECK(*order.stats.oldest_pending_created_at == t0() + std::chrono::seconds(4));
  // The store's query agrees with the generic answer built from `list`.
  auto generic = s->outbox::store::subject_stats();
  REQUIRE(generic);
  REQUIRE(generic.value().size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& a = stats.value()[i].stats;
    const auto& b = generic.value()[i].stats;
    CHECK(stats.value()[i].subject == generic.value()[i].subject);
    CHECK((a.pending == b.pending && a.in_flight == b.in_flight && a.delivered == b.delivered && a.dead == b.dead &&
           a.discarded == b.discarded && a.oldest_pending_created_at == b.oldest_pending_created_at));
  }
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: a parked event waits without counting the attempt", F,
                          store_conformance_park) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("o1", "O")};
  REQUIRE(s->enqueue(batch));
  auto claimed = s->claim(claim_at(t0()));
  REQUIRE(claimed);
  REQUIRE(claimed.value().size() == 1);
  std::vector<outbox::settlement> park{failed(claimed.value()[0], outbox::settlement_kind::park, t0() + 30s)};
  REQUIRE(s->settle("relay-a", t0(), park));
  auto early = s->claim(claim_at(t0() + 29s));
  REQUIRE(early);
  CHECK(early.value().empty());
  auto later = s->claim(claim_at(t0() + 30s));
  REQUIRE(later);
  REQUIRE(later.value().size() == 1);
  CHECK(later.value()[0].attempts == 1);  // the parked try did not count
  CHECK(later.value()[0].last_error == "boom");
  auto rows = s->audit(0, 100, claimed.value()[0].id);
  REQUIRE(rows);
  REQUIRE(rows.value().size() == 2);
  CHECK(rows.value()[1].action == outbox::audit_action::retry);
}

TEST_CASE_TEMPLATE_DEFINE("store conformance: reclaim takes back a dead instance's claims and fences it", F,
                          store_conformance_reclaim) {
  auto s = fresh_store<F>();
  if (!s) return;
  std::vector<outbox::new_event> batch{make_event("a1", "A"), make_event("a2", "A"), make_event("b1", "B"),
                                       make_event("z1", "Z")};
  REQUIRE(s->enqueue(batch));
  auto dead = s->claim(claim_at(t0(), 3, "till_%/old"));  // LIKE wildcards in the name are plain text
  REQUIRE(dead);
  REQUIRE(dead.value().size() == 3);
  auto other = s->claim(claim_at(t0(), 8, "tillX/old"));
  REQUIRE(other);
  REQUIRE(other.value().size() == 1);

  auto n = s->reclaim("till_%", "till_%/new", t0() + 1s);
  REQUIRE(n);
  CHECK(n.value() == 3);
  auto again = s->claim(claim_at(t0() + 1s, 8, "till_%/new"));
  REQUIRE(again);
  CHECK(keys_of(again.value()) == std::vector<std::string>{"a1", "a2", "b1"});
  for (const auto& e : again.value()) CHECK(e.attempts == 1);  // the lost claims did not count
  // The new instance's own claims survive a second reclaim; the old one is refused.
  auto none = s->reclaim("till_%", "till_%/new", t0() + 2s);
  REQUIRE(none);
  CHECK(none.value() == 0);
  std::vector<outbox::settlement> late{delivered(dead.value()[0])};
  auto refused = s->settle("till_%/old", t0() + 2s, late);
  REQUIRE(refused);
  CHECK(refused.value() == std::vector<bool>{false});
  std::vector<outbox::settlement> ok{delivered(again.value()[0])};
  auto accepted = s->settle("till_%/new", t0() + 2s, ok);
  REQUIRE(accepted);
  CHECK(accepted.value() == std::vector<bool>{true});
  auto z1 = s->find_by_key("z1");
  REQUIRE(z1);
  REQUIRE(z1.value());
  CHECK(z1.value()->lease_owner == "tillX/old");  // a similar name is another relay
}

}  // namespace odoolink::test

// Runs the whole suite against `factory` (at file scope of a test file).
#define ODOOLINK_STORE_CONFORMANCE(factory)                               \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_enqueue, factory);          \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_long_enqueue, factory);     \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_fifo, factory);             \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_dead, factory);             \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_lease, factory);            \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_settle_and_claim, factory); \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_reclaim, factory);          \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_park, factory);             \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_replay, factory);           \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_audit, factory);            \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_long_settle, factory);      \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_purge, factory);            \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_inbox, factory);            \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_list, factory);             \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_trace, factory);            \
  TEST_CASE_TEMPLATE_INVOKE(store_conformance_subjects, factory)

using namespace odoolink::test;  // NOLINT: the invoke macros name the suite unqualified
