// The observability hook over a faulted relay run: one call record per HTTP
// exchange, one transition record per state change, correlation and trace
// ids linking each event to the calls that deliver it, also after a restart.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "odoolink/observe/observer.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#if defined(ODOOLINK_HAS_SQLITE)
#include "odoolink/outbox/sqlite_store.hpp"
#endif
#include "odoolink/testing/fake_clock.hpp"
#include "odoolink/testing/fault_transport.hpp"
#include "outbox/support/fake_load_odoo.hpp"
#include "outbox/support/test_contracts.hpp"

namespace {

using namespace std::chrono_literals;
namespace ob = odoolink::outbox;
namespace obs = odoolink::observe;

struct call {
  std::string model, method, trace_id, span_id, parent_span_id;
  int attempt = 0, status = 0;
  std::size_t request_bytes = 0, response_bytes = 0;
  std::error_code error;
  std::vector<obs::event_link> events;
};

struct change {
  obs::transition kind{};
  std::string event_id, subject, correlation_id, causation_id, trace_id, span_id, parent_span_id;
  int attempt = 0;
  std::error_code error;
};

// Keeps every record (records only borrow their strings).
struct recorder final : obs::observer {
  std::vector<call> calls;
  std::vector<change> changes;

  void on_call(const obs::call_record& r) override {
    calls.push_back({std::string(r.model), std::string(r.method), std::string(r.trace_id), std::string(r.span_id),
                     std::string(r.parent_span_id), r.attempt, r.status, r.request_bytes, r.response_bytes, r.error,
                     std::vector<obs::event_link>(r.events.begin(), r.events.end())});
  }
  void on_transition(const obs::transition_record& r) override {
    changes.push_back({r.kind, std::string(r.event_id), std::string(r.subject), std::string(r.correlation_id),
                       std::string(r.causation_id), std::string(r.trace_id), std::string(r.span_id),
                       std::string(r.parent_span_id), r.attempt, r.error});
  }
  [[nodiscard]] std::size_t count(obs::transition kind) const {
    return static_cast<std::size_t>(std::count_if(changes.begin(), changes.end(), [&](const change& c) { return c.kind == kind; }));
  }
};

std::string customer(int i) {
  return R"({"customer_id":"pos.c)" + std::to_string(i) + R"(","name":"Customer )" + std::to_string(i) + R"("})";
}

odoolink::testing::fake_clock start_clock() {
  return odoolink::testing::fake_clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000))};
}

ob::relay_options relay_with(obs::observer* o) {
  ob::relay_options r;
  r.max_attempts = 50;
  r.backoff.initial = 10ms;
  r.backoff.max = 1s;
  r.observer = o;
  return r;
}

// Pumps until nothing is due, moving the clock past every backoff; sums the reports.
ob::pump_report drain(ob::relay& relay, odoolink::testing::fake_clock& clock) {
  ob::pump_report total;
  for (int i = 0; i < 300; ++i) {
    auto report = relay.pump(1000);
    REQUIRE(report);
    total.claimed += report.value().claimed;
    total.delivered += report.value().delivered;
    total.retried += report.value().retried;
    total.released += report.value().released;
    total.parked += report.value().parked;
    total.dead += report.value().dead;
    auto wake = relay.next_wakeup();
    REQUIRE(wake);
    if (wake.value().is_idle()) return total;
    clock.advance(std::chrono::minutes(1));
  }
  FAIL("the outbox did not drain");
  return total;
}

std::size_t requests_seen(const odoolink::testing::fault_transport& t) {
  std::size_t n = 0;
  for (std::size_t k : t.stats().injected) n += k;
  return n;
}

// A fault transport over `odoo` whose first requests, those of a client's connect, go through clean.
std::shared_ptr<odoolink::testing::fault_transport> faulty(std::shared_ptr<odoolink::test::fake_load_odoo> odoo,
                                                           const odoolink::testing::fault_options& faults) {
  auto counting = std::make_shared<odoolink::testing::fault_transport>(odoo, odoolink::testing::fault_options{});
  (void)odoolink::test::client_on(counting);
  auto flaky = std::make_shared<odoolink::testing::fault_transport>(odoo, faults);
  for (std::size_t i = 0; i < requests_seen(*counting); ++i) flaky->force(odoolink::testing::fault_kind::none);
  return flaky;
}

std::string traceparent_of(int i) {
  // A fixed, valid context per flow, as a host would take from an incoming request.
  std::string trace = "4bf92f3577b34da6a3ce929d0e0e47" + std::string(i < 10 ? "0" : "") + std::to_string(i);
  return "00-" + trace + "-00f067aa0ba902b7-01";
}

}  // namespace

TEST_CASE("observer: a faulted relay run gives one call record per HTTP exchange and one transition per change") {
  auto clock = start_clock();
  auto contracts = odoolink::test::test_registry();
  recorder rec;
  ob::memory_store store;
  ob::outbox box{store, contracts, {.observer = &rec}, &clock};
  auto odoo = std::make_shared<odoolink::test::fake_load_odoo>();
  odoolink::testing::fault_options faults;
  faults.seed = 5;
  faults.drop_response = 0.2;
  faults.drop_request = 0.1;
  faults.status_503 = 0.1;
  auto flaky = faulty(odoo, faults);
  ob::odoo_sink sink(odoolink::test::client_on(flaky, &rec), contracts, {.max_batch = 4});
  const std::size_t connect_calls = rec.calls.size();
  CHECK(connect_calls == requests_seen(*flaky));  // the version probe and the login are exchanges too

  // Three flows; the first two carry the host's context, the third takes the observer's current one.
  rec.set_current(*obs::parse_traceparent(traceparent_of(3)));
  for (int i = 0; i < 24; ++i) {
    const std::string flow = "flow-" + std::to_string(i % 3);
    const std::string parent = i % 3 == 2 ? std::string() : traceparent_of(i % 3);
    auto r = box.enqueue({.subject = "customer", .payload = customer(i), .idempotency_key = "c" + std::to_string(i),
                          .aggregate_key = "till-" + std::to_string(i % 5), .correlation_id = flow,
                          .causation_id = "cause-" + std::to_string(i), .traceparent = parent});
    REQUIRE(r);
  }
  REQUIRE(box.enqueue({.subject = "customer", .payload = customer(0), .idempotency_key = "c0"}));  // a duplicate: no change
  rec.set_current({});
  CHECK(rec.count(obs::transition::enqueued) == 24);

  ob::relay relay(store, sink, relay_with(&rec), &clock);
  const auto total = drain(relay, clock);

  // Every request that reached the (faulty) wire was recorded exactly once.
  CHECK(rec.calls.size() == requests_seen(*flaky));
  CHECK(flaky->stats().count(odoolink::testing::fault_kind::drop_response) > 0);
  CHECK(flaky->stats().count(odoolink::testing::fault_kind::status_503) > 0);
  std::size_t failed_calls = 0;
  for (std::size_t i = connect_calls; i < rec.calls.size(); ++i) {
    const call& c = rec.calls[i];
    CHECK(c.model == "res.partner");
    CHECK(c.method == "load");
    CHECK(c.attempt == 1);
    CHECK(c.request_bytes > 0);
    failed_calls += c.error ? 1 : 0;
    // The call joins the trace of the first event it delivers, under that event's attempt span.
    REQUIRE_FALSE(c.events.empty());
    CHECK(c.trace_id == c.events.front().trace.trace_id);
    CHECK(c.parent_span_id == c.events.front().trace.span_id);
    CHECK(c.span_id.size() == 16);
    if (c.status == 0) CHECK(c.error);  // no response: a transport failure
    if (c.status == 200 && !c.error) CHECK(c.response_bytes > 0);
  }
  CHECK(failed_calls > 0);

  // One transition per state change, as the relay's reports count them.
  CHECK(rec.count(obs::transition::claimed) == total.claimed);
  CHECK(rec.count(obs::transition::delivered) == 24);
  CHECK(rec.count(obs::transition::retried) == total.retried);
  CHECK(rec.count(obs::transition::released) == total.released);
  CHECK(rec.count(obs::transition::dead) == 0);
  CHECK(total.retried > 0);
  CHECK(rec.count(obs::transition::claimed) == rec.count(obs::transition::delivered) + rec.count(obs::transition::retried) +
                                                  rec.count(obs::transition::released) + rec.count(obs::transition::parked));

  // Per event: the audit log (written by the store) and the records agree, and
  // every record and every call delivering it carries its trace and correlation.
  auto events = store.list({});
  REQUIRE(events);
  REQUIRE(events.value().size() == 24);
  std::map<std::string, ob::event> by_id;
  for (const auto& e : events.value()) by_id[e.id] = e;
  for (const auto& e : events.value()) {
    const auto ctx = obs::parse_traceparent(e.traceparent);
    REQUIRE(ctx);
    const int flow = std::stoi(e.correlation_id.substr(5));
    CHECK(ctx->trace_id == obs::parse_traceparent(traceparent_of(flow == 2 ? 3 : flow))->trace_id);
    std::size_t audited = 0;
    auto history = box.history(e.id);
    REQUIRE(history);
    audited = history.value().size();
    std::size_t recorded = 0;  // enqueued, delivered, retried, parked: the audited changes
    for (const auto& c : rec.changes) {
      if (c.event_id != e.id) continue;
      CHECK(c.trace_id == ctx->trace_id);
      CHECK(c.correlation_id == e.correlation_id);
      CHECK(c.causation_id == e.causation_id);
      recorded += c.kind == obs::transition::enqueued || c.kind == obs::transition::delivered ||
                          c.kind == obs::transition::retried || c.kind == obs::transition::parked
                      ? 1
                      : 0;
    }
    CHECK(recorded == audited);
  }
  std::set<std::string> delivered_by_calls;
  for (const auto& c : rec.calls)
    for (const auto& link : c.events) {
      REQUIRE(by_id.contains(link.event_id));
      const ob::event& e = by_id[link.event_id];
      CHECK(link.correlation_id == e.correlation_id);
      CHECK(link.trace.trace_id == obs::parse_traceparent(e.traceparent)->trace_id);
      if (!c.error) delivered_by_calls.insert(link.event_id);
    }
  CHECK(delivered_by_calls.size() == 24);  // each event reached Odoo in a call recorded under its trace

  // A claimed record opens the attempt span the settlement and the calls hang under.
  std::set<std::string> attempt_spans;
  for (const auto& c : rec.changes)
    if (c.kind == obs::transition::claimed) attempt_spans.insert(c.span_id);
  for (const auto& c : rec.changes)
    if (c.kind == obs::transition::delivered || c.kind == obs::transition::retried) CHECK(attempt_spans.contains(c.parent_span_id));
  for (std::size_t i = connect_calls; i < rec.calls.size(); ++i) CHECK(attempt_spans.contains(rec.calls[i].parent_span_id));
}

TEST_CASE("observer: dead letters replayed and discarded are reported with their trace") {
  auto clock = start_clock();
  auto contracts = odoolink::test::test_registry();
  recorder rec;
  ob::memory_store store;
  ob::outbox box{store, contracts, {.observer = &rec}, &clock};
  // A stored payload that no longer fits its contract dead-letters at once.
  for (const char* key : {"a", "b"}) REQUIRE(box.enqueue({.subject = "customer", .payload = customer(1), .idempotency_key = key}));
  auto odoo = std::make_shared<odoolink::test::fake_load_odoo>();
  ob::odoo_sink sink(odoolink::test::client_on(odoo, &rec), contracts);
  ob::relay relay(store, sink, relay_with(&rec), &clock);
  auto listed = store.list({});
  REQUIRE(listed);
  // Both dead-lettered through the store, as a relay would after a permanent failure.
  ob::settlement dead;
  for (std::size_t i = 0; i < listed.value().size(); ++i) {
    auto claimed = store.claim({.owner = "ops", .now = ob::to_timestamp(clock.wall_now()), .max_events = 1});
    REQUIRE(claimed);
    REQUIRE(claimed.value().size() == 1);
    dead.id = claimed.value().front().id;
    dead.kind = ob::settlement_kind::dead;
    dead.error = "refused";
    REQUIRE(store.settle("ops", ob::to_timestamp(clock.wall_now()), std::span(&dead, 1)));
  }
  const auto& first = listed.value()[0];
  const auto& second = listed.value()[1];
  REQUIRE(box.replay(first.id));
  REQUIRE(box.discard(second.id, "not needed"));
  CHECK(rec.count(obs::transition::replayed) == 1);
  CHECK(rec.count(obs::transition::discarded) == 1);
  for (const auto& c : rec.changes) {
    if (c.kind != obs::transition::replayed && c.kind != obs::transition::discarded) continue;
    const auto& e = c.kind == obs::transition::replayed ? first : second;
    CHECK(c.event_id == e.id);
    const auto ctx = obs::parse_traceparent(e.traceparent);
    REQUIRE(ctx);  // with an observer every event gets a context, here a new trace
    CHECK(c.trace_id == ctx->trace_id);
    CHECK(c.parent_span_id == ctx->span_id);
  }
  // The replayed event is delivered in its own trace.
  drain(relay, clock);
  CHECK(rec.count(obs::transition::delivered) == 1);
  for (const auto& c : rec.changes)
    if (c.kind == obs::transition::delivered) CHECK(c.trace_id == obs::parse_traceparent(first.traceparent)->trace_id);
}

TEST_CASE("observer: without an observer no trace context is made") {
  auto clock = start_clock();
  auto contracts = odoolink::test::test_registry();
  ob::memory_store store;
  ob::outbox box{store, contracts, {}, &clock};
  REQUIRE(box.enqueue({.subject = "customer", .payload = customer(1), .idempotency_key = "a"}));
  REQUIRE(box.enqueue({.subject = "customer", .payload = customer(2), .idempotency_key = "b",
                       .traceparent = traceparent_of(7)}));
  auto a = store.find_by_key("a");
  auto b = store.find_by_key("b");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a.value()->traceparent.empty());  // no ids drawn when nobody listens
  // A context the host passes is kept: a child span of it, in its trace.
  const auto ctx = obs::parse_traceparent(b.value()->traceparent);
  REQUIRE(ctx);
  CHECK(ctx->trace_id == obs::parse_traceparent(traceparent_of(7))->trace_id);
  CHECK(ctx->span_id != obs::parse_traceparent(traceparent_of(7))->span_id);
}

#if defined(ODOOLINK_HAS_SQLITE)
TEST_CASE("observer: a relay restarted on the same store delivers in the traces the events were enqueued in") {
  namespace fs = std::filesystem;
  std::random_device rd;
  const fs::path dir = fs::path(ODOOLINK_TEST_BINARY_DIR) / ("observer-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(dir);
  const std::string path = (dir / "outbox.sqlite").string();
  auto clock = start_clock();
  auto contracts = odoolink::test::test_registry();
  auto odoo = std::make_shared<odoolink::test::fake_load_odoo>();
  std::map<std::string, std::string> trace_of_key;
  {
    recorder rec;
    auto store = ob::sqlite_store::open({.path = path});
    REQUIRE(store);
    ob::outbox box{*store.value(), contracts, {.observer = &rec}, &clock};
    for (int i = 0; i < 6; ++i) {
      const std::string key = "c" + std::to_string(i);
      REQUIRE(box.enqueue({.subject = "customer", .payload = customer(i), .idempotency_key = key,
                           .correlation_id = "flow-" + key, .traceparent = traceparent_of(i)}));
      trace_of_key[key] = obs::parse_traceparent(traceparent_of(i))->trace_id;
    }
    // The first relay's every request is lost before it reaches Odoo: all retried, none delivered.
    auto flaky = faulty(odoo, {.drop_request = 1.0});
    ob::odoo_sink sink(odoolink::test::client_on(flaky, &rec), contracts);
    ob::relay first(*store.value(), sink, relay_with(&rec), &clock);
    auto report = first.pump(100);
    REQUIRE(report);
    CHECK(report.value().retried > 0);
    CHECK(report.value().delivered == 0);
    CHECK(rec.count(obs::transition::retried) == report.value().retried);
  }
  // A new process: the store reopened, a new relay, a new client, a new observer.
  clock.advance(std::chrono::minutes(5));
  recorder rec;
  auto store = ob::sqlite_store::open({.path = path});
  REQUIRE(store);
  ob::odoo_sink sink(odoolink::test::client_on(odoo, &rec), contracts);
  const std::size_t connect_calls = rec.calls.size();
  ob::relay second(*store.value(), sink, relay_with(&rec), &clock);
  drain(second, clock);
  CHECK(rec.count(obs::transition::delivered) == 6);
  auto events = store.value()->list({});
  REQUIRE(events);
  std::map<std::string, std::string> enqueue_span;  // event id → its stored span
  for (const auto& e : events.value()) {
    const auto ctx = obs::parse_traceparent(e.traceparent);
    REQUIRE(ctx);
    CHECK(ctx->trace_id == trace_of_key[e.idempotency_key]);
    enqueue_span[e.id] = ctx->span_id;
  }
  for (const auto& c : rec.changes) {
    REQUIRE(enqueue_span.contains(c.event_id));
    const std::string key = c.correlation_id.substr(5);
    CHECK(c.trace_id == trace_of_key[key]);
    if (c.kind == obs::transition::claimed) CHECK(c.parent_span_id == enqueue_span[c.event_id]);
  }
  REQUIRE(rec.calls.size() > connect_calls);
  for (std::size_t i = connect_calls; i < rec.calls.size(); ++i) {
    const call& c = rec.calls[i];
    REQUIRE_FALSE(c.events.empty());
    CHECK(c.trace_id == trace_of_key[c.events.front().correlation_id.substr(5)]);
    for (const auto& link : c.events) CHECK(link.trace.trace_id == trace_of_key[link.correlation_id.substr(5)]);
  }
  store.value().reset();
  std::error_code ec;
  fs::remove_all(dir, ec);
}
#endif
