// The relay over the in-memory store: ordering, backoff with an injected
// clock, dead-lettering, releases and wake-ups.
#include <deque>
#include <map>

#include <doctest/doctest.h>

#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_clock.hpp"
#include "outbox/support/store_conformance.hpp"

namespace {

using namespace std::chrono_literals;
namespace ob = odoolink::outbox;

// Answers each event from a script (by idempotency key; success when none
// is left) and records what it was asked to deliver.
class scripted_sink final : public ob::per_event_sink {
 public:
  std::map<std::string, std::deque<odoolink::error>> failures;
  std::vector<std::string> delivered;  // keys, in delivery order
  std::vector<std::string> attempts;   // keys, every try

 protected:
  odoolink::result<ob::delivery_result> deliver_one(const ob::event& e) override {
    attempts.push_back(e.idempotency_key);
    if (auto it = failures.find(e.idempotency_key); it != failures.end() && !it->second.empty()) {
      auto err = it->second.front();
      it->second.pop_front();
      return err;
    }
    delivered.push_back(e.idempotency_key);
    return ob::delivery_result{"res.partner", static_cast<std::int64_t>(delivered.size()), "x." + e.idempotency_key};
  }
};

odoolink::error retryable() { return {odoolink::transport_errc::server_unavailable, "503 from the proxy"}; }
odoolink::error permanent() { return {odoolink::odoo_errc::access_error, "not allowed"}; }

struct fixture {
  odoolink::testing::fake_clock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000))};
  ob::memory_store store;
  scripted_sink sink;

  // `retry_for` zero: attempts alone decide when a retryable failure dead-letters.
  ob::relay make_relay(int max_attempts = 5, std::chrono::microseconds retry_for = {}) {
    ob::relay_options o;
    o.owner = "relay-1";
    o.max_attempts = max_attempts;
    o.retry_for = retry_for;
    o.backoff.initial = 1s;
    o.backoff.max = 8s;
    o.jitter = [] { return 0.5; };
    return ob::relay(store, sink, o, &clock);
  }
  void enqueue(std::vector<std::pair<std::string, std::string>> key_aggregate) {
    std::vector<ob::new_event> batch;
    for (auto& [k, a] : key_aggregate)
      batch.push_back(odoolink::test::make_event(k, a, ob::to_timestamp(clock.wall_now())));
    REQUIRE(store.enqueue(batch));
  }
};

}  // namespace

TEST_CASE("relay: delivers everything in aggregate order") {
  fixture f;
  f.enqueue({{"a1", "A"}, {"b1", "B"}, {"a2", "A"}, {"b2", "B"}, {"a3", "A"}});
  auto relay = f.make_relay();
  auto report = relay.pump(100);
  REQUIRE(report);
  CHECK(report.value().delivered == 5);
  CHECK(f.sink.delivered == std::vector<std::string>{"a1", "b1", "a2", "b2", "a3"});
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 5);
  auto wake = relay.next_wakeup();
  REQUIRE(wake);
  CHECK(wake.value().is_idle());
}

TEST_CASE("relay: a retryable failure holds back its aggregate only and backs off with full jitter") {
  fixture f;
  f.enqueue({{"a1", "A"}, {"b1", "B"}, {"a2", "A"}});
  f.sink.failures["a1"] = {retryable(), retryable()};
  auto relay = f.make_relay();
  auto first = relay.pump(100);
  REQUIRE(first);
  CHECK(first.value().retried == 1);
  CHECK(first.value().released == 1);  // a2 was not tried after a1 failed
  CHECK(f.sink.delivered == std::vector<std::string>{"b1"});

  // Attempt 1 failed: cap 1 s, jitter 0.5 → due in 500 ms.
  auto wake = relay.next_wakeup();
  REQUIRE(wake);
  REQUIRE_FALSE(wake.value().is_idle());
  CHECK(*wake.value().at - f.clock.now() == 500ms);
  auto early = relay.pump(100);
  REQUIRE(early);
  CHECK(early.value().claimed == 0);

  f.clock.advance(500ms);
  auto second = relay.pump(100);
  REQUIRE(second);
  CHECK(second.value().retried == 1);
  // Attempt 2 failed: cap 2 s → 1 s.
  auto wake2 = relay.next_wakeup();
  REQUIRE(wake2);
  CHECK(*wake2.value().at - f.clock.now() == 1s);
  f.clock.advance(1s);
  auto third = relay.pump(100);
  REQUIRE(third);
  CHECK(third.value().delivered == 2);
  CHECK(f.sink.delivered == std::vector<std::string>{"b1", "a1", "a2"});
  auto a1 = f.store.find_by_key("a1");
  REQUIRE(a1);
  CHECK(a1.value()->attempts == 3);
  CHECK(relay.counters().retried == 2);
  CHECK(relay.counters().delivered == 3);
}

TEST_CASE("relay: backoff caps grow and stop at the maximum") {
  fixture f;
  auto relay = f.make_relay();
  CHECK(relay.backoff_cap(1) == 1s);
  CHECK(relay.backoff_cap(2) == 2s);
  CHECK(relay.backoff_cap(4) == 8s);
  CHECK(relay.backoff_cap(10) == 8s);
  CHECK(relay.backoff_cap(5000) == 8s);
}

TEST_CASE("relay: permanent errors and exhausted attempts dead-letter with the error kept") {
  fixture f;
  f.enqueue({{"p1", "P"}, {"p2", "P"}, {"r1", "R"}});
  f.sink.failures["p1"] = {permanent()};
  f.sink.failures["r1"] = {retryable(), retryable(), retryable()};
  auto relay = f.make_relay(3);
  for (int i = 0; i < 10; ++i) {
    REQUIRE(relay.pump(100));
    f.clock.advance(10s);
  }
  auto dead = f.store.list({.state = ob::event_state::dead});
  REQUIRE(dead);
  REQUIRE(dead.value().size() == 2);
  CHECK(dead.value()[0].idempotency_key == "p1");
  CHECK(dead.value()[0].last_error.find("not allowed") != std::string::npos);
  CHECK(dead.value()[0].attempts == 1);
  CHECK(dead.value()[1].idempotency_key == "r1");
  CHECK(dead.value()[1].last_error.find("gave up after 3 attempts") != std::string::npos);
  // A dead event does not block its aggregate.
  CHECK(f.sink.delivered == std::vector<std::string>{"p2"});
  CHECK(relay.counters().dead == 2);
}

TEST_CASE("relay: a retryable failure dead-letters only once both attempts and the retry window are spent") {
  fixture f;
  // "burst" was enqueued three days ago, offline: the window runs from its first failure.
  const auto now = ob::to_timestamp(f.clock.wall_now());
  REQUIRE(f.store.enqueue(std::vector<ob::new_event>{odoolink::test::make_event("burst", "A", now - std::chrono::hours(72)),
                                                     odoolink::test::make_event("stuck", "B", now)}));
  f.sink.failures["burst"] = std::deque<odoolink::error>(6, retryable());   // fails for 50 s, then goes through
  f.sink.failures["stuck"] = std::deque<odoolink::error>(20, retryable());  // keeps failing
  auto relay = f.make_relay(3, 60s);
  for (int i = 0; i < 8; ++i) {  // every 10 s: each retry is due (backoff at most 8 s)
    REQUIRE(relay.pump(100));
    f.clock.advance(10s);
  }
  // Past 3 attempts but inside the window since its first failure, "burst" kept being retried.
  CHECK(f.sink.delivered == std::vector<std::string>{"burst"});
  auto dead = f.store.list({.state = ob::event_state::dead});
  REQUIRE(dead);
  REQUIRE(dead.value().size() == 1);
  CHECK(dead.value()[0].idempotency_key == "stuck");
  // Its 7th attempt failed 60 s after its first: both budgets spent.
  CHECK(dead.value()[0].attempts == 7);
  CHECK(dead.value()[0].last_error.find("gave up after 7 attempts") != std::string::npos);
}

TEST_CASE("relay: budget bounds the work of one pump") {
  fixture f;
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 50; ++i) many.emplace_back("k" + std::to_string(i), "");
  f.enqueue(many);
  auto relay = f.make_relay();
  auto report = relay.pump(20);
  REQUIRE(report);
  CHECK(report.value().claimed == 20);
  auto wake = relay.next_wakeup();
  REQUIRE(wake);
  REQUIRE_FALSE(wake.value().is_idle());
  CHECK(*wake.value().at == f.clock.now());
  REQUIRE(relay.pump(1000));
  CHECK(f.sink.delivered.size() == 50);
}

TEST_CASE("relay: an event whose lease ran out is delivered again by another relay") {
  fixture f;
  f.enqueue({{"k1", ""}});
  // A relay claims and "dies" (never settles).
  ob::claim_request r;
  r.owner = "dead-relay";
  r.now = ob::to_timestamp(f.clock.wall_now());
  r.lease = 60s;
  REQUIRE(f.store.claim(r));
  auto relay = f.make_relay();
  auto before = relay.pump(10);
  REQUIRE(before);
  CHECK(before.value().claimed == 0);
  f.clock.advance(61s);
  auto after = relay.pump(10);
  REQUIRE(after);
  CHECK(after.value().delivered == 1);
  auto e = f.store.find_by_key("k1");
  REQUIRE(e);
  CHECK(e.value()->attempts == 1);  // the claim lost with the dead relay is not an attempt
}

TEST_CASE("relay: a relay restarted under a dead one's name takes its events back at once and fences it") {
  fixture f;
  f.enqueue({{"a1", "A"}, {"a2", "A"}, {"b1", "B"}, {"c1", "C"}});
  // The first instance claims everything, then dies before settling.
  auto dead = f.make_relay();
  ob::claim_request r;
  r.owner = dead.instance_owner();
  r.now = ob::to_timestamp(f.clock.wall_now());
  r.lease = 60s;
  auto lost = f.store.claim(r);
  REQUIRE(lost);
  REQUIRE(lost.value().size() == 4);
  // Another relay's claim is not its business.
  f.enqueue({{"z1", "Z"}});
  r.owner = "other-relay/1";
  REQUIRE(f.store.claim(r));

  auto restarted = f.make_relay();
  CHECK(restarted.instance_owner() != dead.instance_owner());
  CHECK(restarted.instance_owner().starts_with("relay-1/"));
  f.clock.advance(1s);  // well inside the dead instance's lease
  auto report = restarted.pump(100);
  REQUIRE(report);
  CHECK(report.value().reclaimed == 4);
  CHECK(report.value().delivered == 4);
  CHECK(f.sink.delivered == std::vector<std::string>{"a1", "a2", "b1", "c1"});
  for (const char* key : {"a1", "a2", "b1", "c1"}) {
    auto e = f.store.find_by_key(key);
    REQUIRE(e);
    CHECK(e.value()->attempts == 1);  // only the delivery that happened counts
  }
  auto other = f.store.find_by_key("z1");
  REQUIRE(other);
  CHECK(other.value()->state == ob::event_state::in_flight);

  // The old instance wakes up and tries to settle: refused, nothing changes.
  std::vector<ob::settlement> late{{.id = lost.value()[0].id, .kind = ob::settlement_kind::dead, .error = "late"}};
  auto refused = f.store.settle(dead.instance_owner(), ob::to_timestamp(f.clock.wall_now()), late);
  REQUIRE(refused);
  CHECK(refused.value() == std::vector<bool>{false});
  auto a1 = f.store.find_by_key("a1");
  REQUIRE(a1);
  CHECK(a1.value()->state == ob::event_state::delivered);
  // The takeover happens once per relay object.
  auto again = restarted.pump(100);
  REQUIRE(again);
  CHECK(again.value().reclaimed == 0);
}
