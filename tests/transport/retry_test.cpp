// The retry decorator over a scripted transport, with a fake clock.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "odoolink/testing/fake_clock.hpp"
#include "odoolink/transport/retry.hpp"
#include "transport/support/loopback.hpp"

using namespace odoolink_test;
using namespace std::chrono_literals;
using odoolink::error;
using odoolink::transport_errc;
using odoolink::testing::fake_clock;
using odoolink::transport::retry_options;
using odoolink::transport::retry_transport;
using odoolink::transport::retry_verdict;

namespace {

struct rig {
  std::shared_ptr<fake_clock> clock = std::make_shared<fake_clock>();
  std::shared_ptr<scripted_transport> inner = std::make_shared<scripted_transport>(clock);
  std::unique_ptr<retry_transport> retry;

  explicit rig(retry_options o = {}) {
    o.clock = clock;
    o.sleeper = clock;
    if (!o.seed) o.seed = 42;
    retry = std::make_unique<retry_transport>(inner, o);
  }
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("classify: what is retried and what only when idempotent and what never") {
  auto req = post();
  auto idem = post("/jsonrpc", "{}", true);
  auto status = [](int s) { return odoolink::result<odoolink::http_response>(response(s)); };
  auto err = [](transport_errc e) { return odoolink::result<odoolink::http_response>(error(e)); };

  for (int s : {429, 503}) {
    CHECK(retry_transport::classify(req, status(s)) == retry_verdict::retry);
    CHECK(retry_transport::classify(idem, status(s)) == retry_verdict::retry);
  }
  for (int s : {502, 504}) {
    CHECK(retry_transport::classify(req, status(s)) == retry_verdict::outcome_unknown);
    CHECK(retry_transport::classify(idem, status(s)) == retry_verdict::retry);
  }
  for (int s : {200, 201, 301, 400, 401, 404, 500}) CHECK(retry_transport::classify(req, status(s)) == retry_verdict::done);
  for (auto e : {transport_errc::dns_failed, transport_errc::connect_failed, transport_errc::tls_failed,
                 transport_errc::injected_fault})
    CHECK(retry_transport::classify(req, err(e)) == retry_verdict::retry);
  for (auto e : {transport_errc::timeout, transport_errc::connection_lost}) {
    CHECK(retry_transport::classify(req, err(e)) == retry_verdict::outcome_unknown);
    CHECK(retry_transport::classify(idem, err(e)) == retry_verdict::retry);
  }
  for (auto e : {transport_errc::certificate_invalid, transport_errc::response_too_large,
                 transport_errc::invalid_request, transport_errc::cancelled, transport_errc::outcome_unknown})
    CHECK(retry_transport::classify(idem, err(e)) == retry_verdict::done);
  CHECK(retry_transport::classify(idem, error(odoolink::odoo_errc::concurrency_failure)) == retry_verdict::done);
}

TEST_CASE("retryable statuses are retried after jittered backoff then succeed") {
  rig r;
  r.inner->then(response(503));
  r.inner->then(response(429));
  r.inner->then(response(200, "done"));
  auto out = r.retry->send(post());
  REQUIRE(out.has_value());
  CHECK(out.value().body == "done");
  CHECK(r.inner->requests.size() == 3);
  const auto sleeps = r.clock->sleeps();
  REQUIRE(sleeps.size() == 2);
  CHECK(sleeps[0] >= 0ms);
  CHECK(sleeps[0] <= 200ms);  // initial_backoff
  CHECK(sleeps[1] <= 400ms);
  // The attempts are separated by exactly the sleeps.
  CHECK(r.inner->times[1] - r.inner->times[0] == sleeps[0]);
  CHECK(r.inner->times[2] - r.inner->times[1] == sleeps[1]);
}

TEST_CASE("backoff bounds grow by the multiplier up to the cap and jitter stays between 0 and the cap") {
  retry_options o;
  o.backoff.initial = 100ms;
  o.backoff.multiplier = 2.0;
  o.backoff.max = 1000ms;
  o.max_attempts = 10;
  rig r(o);
  CHECK(r.retry->backoff_cap(1) == 100ms);
  CHECK(r.retry->backoff_cap(2) == 200ms);
  CHECK(r.retry->backoff_cap(4) == 800ms);
  CHECK(r.retry->backoff_cap(5) == 1000ms);
  CHECK(r.retry->backoff_cap(60) == 1000ms);

  for (int i = 0; i < 10; ++i) r.inner->then(error(transport_errc::connect_failed));
  auto out = r.retry->send(post());
  REQUIRE_FALSE(out.has_value());
  CHECK(out.error() == transport_errc::connect_failed);
  CHECK(contains(out.error().message(), "gave up after 10 attempts"));
  CHECK(r.inner->requests.size() == 10);
  const auto sleeps = r.clock->sleeps();
  REQUIRE(sleeps.size() == 9);
  for (std::size_t i = 0; i < sleeps.size(); ++i) {
    CAPTURE(i);
    CHECK(sleeps[i] >= 0ms);
    CHECK(sleeps[i] <= r.retry->backoff_cap(static_cast<int>(i) + 1));
  }

  // Full jitter: over many draws the waits cover [0, cap], not a narrow band.
  retry_options wide;
  wide.backoff.initial = 1000ms;
  wide.backoff.max = 1000ms;
  wide.max_attempts = 401;
  rig many(wide);
  for (int i = 0; i < 400; ++i) many.inner->then(response(503));
  REQUIRE(many.retry->send(post()).has_value());
  auto s = many.clock->sleeps();
  REQUIRE(s.size() == 400);
  auto [lo, hi] = std::minmax_element(s.begin(), s.end());
  CHECK(*lo >= 0ms);
  CHECK(*lo < 50ms);
  CHECK(*hi <= 1000ms);
  CHECK(*hi > 950ms);
}

TEST_CASE("the same seed gives the same jitter") {
  retry_options o;
  o.seed = 7;
  rig a(o), b(o);
  for (auto* x : {&a, &b}) {
    for (int i = 0; i < 3; ++i) x->inner->then(response(503));
    REQUIRE(x->retry->send(post()).has_value());
  }
  CHECK(a.clock->sleeps() == b.clock->sleeps());
}

TEST_CASE("Retry-After in seconds is honoured exactly") {
  rig r;
  r.inner->then(response(429, "", {{"Retry-After", "7"}}));
  auto out = r.retry->send(post());
  REQUIRE(out.has_value());
  CHECK(out.value().status == 200);
  REQUIRE(r.clock->sleeps().size() == 1);
  CHECK(r.clock->sleeps()[0] == 7s);
}

TEST_CASE("Retry-After as an HTTP-date is honoured against the response's Date or else the wall clock") {
  rig r;
  r.inner->then(response(503, "", {{"Date", "Wed, 21 Oct 2015 07:28:00 GMT"},
                                   {"Retry-After", "Wed, 21 Oct 2015 07:28:30 GMT"}}));
  // No Date header: measured from the fake wall clock (2026-01-01T00:00:00Z).
  r.inner->then(response(503, "", {{"Retry-After", "Thu, 01 Jan 2026 00:01:12 GMT"}}));
  auto out = r.retry->send(post());
  REQUIRE(out.has_value());
  const auto sleeps = r.clock->sleeps();
  REQUIRE(sleeps.size() == 2);
  CHECK(sleeps[0] == 30s);
  CHECK(sleeps[1] == 42s);  // 72 s after the start, 30 s of which already passed
}

TEST_CASE("a Retry-After beyond max_retry_after returns the response instead of waiting") {
  rig r;
  r.inner->then(response(429, "slow down", {{"Retry-After", "3600"}}));
  auto out = r.retry->send(post());
  REQUIRE(out.has_value());
  CHECK(out.value().status == 429);
  CHECK(out.value().body == "slow down");
  CHECK(r.inner->requests.size() == 1);
  CHECK(r.clock->sleeps().empty());
}

TEST_CASE("a non-idempotent request that may have been applied is never repeated: outcome_unknown") {
  struct cause {
    odoolink::result<odoolink::http_response> outcome;
    std::string text;
  };
  std::vector<cause> causes;
  causes.push_back({error(transport_errc::connection_lost, "connection to odoo:8069 lost"), "odoo:8069 lost"});
  causes.push_back({error(transport_errc::timeout, "no complete response within 100 ms"), "within 100 ms"});
  causes.push_back({response(502), "HTTP 502"});
  causes.push_back({response(504), "HTTP 504"});
  for (auto& c : causes) {
    CAPTURE(c.text);
    rig r;
    r.inner->then(c.outcome);
    auto out = r.retry->send(post());
    REQUIRE_FALSE(out.has_value());
    CHECK(out.error() == transport_errc::outcome_unknown);
    CHECK(contains(out.error().message(), c.text));
    CHECK(contains(out.error().message(), "not idempotent"));
    CHECK(r.inner->requests.size() == 1);
    CHECK(r.clock->sleeps().empty());
  }
}

TEST_CASE("an idempotent request is retried after connection_lost and timeout and 502 and 504 and succeeds") {
  rig r;
  r.inner->then(error(transport_errc::connection_lost));
  r.inner->then(error(transport_errc::timeout));
  r.inner->then(response(502));
  r.inner->then(response(200, "applied once"));
  retry_options o;
  o.max_attempts = 5;
  rig r5(o);
  r5.inner->then(error(transport_errc::connection_lost));
  r5.inner->then(error(transport_errc::timeout));
  r5.inner->then(response(502));
  r5.inner->then(response(504));
  auto out = r5.retry->send(post("/jsonrpc", "{}", true));
  REQUIRE(out.has_value());
  CHECK(out.value().body == "ok");
  CHECK(r5.inner->requests.size() == 5);

  auto four = r.retry->send(post("/jsonrpc", "{}", true));
  REQUIRE(four.has_value());
  CHECK(four.value().body == "applied once");
  CHECK(r.inner->requests.size() == 4);
}

TEST_CASE("failures where nothing was sent are retried even when not idempotent") {
  rig r;
  r.inner->then(error(transport_errc::dns_failed));
  r.inner->then(error(transport_errc::connect_failed));
  r.inner->then(error(transport_errc::tls_failed));
  auto out = r.retry->send(post());
  REQUIRE(out.has_value());
  CHECK(r.inner->requests.size() == 4);
}

TEST_CASE("permanent failures and ordinary statuses are returned at once") {
  for (auto e : {transport_errc::certificate_invalid, transport_errc::response_too_large,
                 transport_errc::invalid_request}) {
    rig r;
    r.inner->then(error(e));
    auto out = r.retry->send(post("/x", "{}", true));
    REQUIRE_FALSE(out.has_value());
    CHECK(out.error() == e);
    CHECK(r.inner->requests.size() == 1);
  }
  for (int s : {400, 404, 500}) {
    rig r;
    r.inner->then(response(s));
    auto out = r.retry->send(post("/x", "{}", true));
    REQUIRE(out.has_value());
    CHECK(out.value().status == s);
    CHECK(r.inner->requests.size() == 1);
  }
}

TEST_CASE("when attempts run out the last response is returned as is") {
  retry_options o;
  o.max_attempts = 3;
  rig r(o);
  for (int i = 0; i < 5; ++i) r.inner->then(response(503, "busy"));
  auto out = r.retry->send(post());
  REQUIRE(out.has_value());
  CHECK(out.value().status == 503);
  CHECK(r.inner->requests.size() == 3);
}

TEST_CASE("host-driven: a retry waits in the schedule and shows in next_wakeup and is sent by poll") {
  retry_options o;
  o.backoff.initial = 1000ms;
  o.backoff.max = 1000ms;
  rig r(o);
  r.inner->then(response(503, "", {{"Retry-After", "5"}}));
  r.inner->then(error(transport_errc::connect_failed));
  outcomes out;
  r.retry->submit(post("/jsonrpc", "body"), out.slot(0));
  CHECK(r.retry->pending() == 1);
  CHECK(r.retry->next_wakeup() == 0ms);

  auto n = r.retry->poll(0ms);  // first attempt: 503, Retry-After 5 s
  REQUIRE(n.has_value());
  CHECK(n.value() == 0);
  CHECK(r.inner->requests.size() == 1);
  CHECK(r.retry->next_wakeup() == 5000ms);

  r.clock->advance(4000ms);
  REQUIRE(r.retry->poll(0ms).has_value());  // not due yet
  CHECK(r.inner->requests.size() == 1);
  CHECK(r.retry->next_wakeup() == 1000ms);

  // A poll allowed to wait sleeps (fake) until the retry is due, then sends it.
  REQUIRE(r.retry->poll(60000ms).has_value());
  CHECK(r.clock->total_slept() == 1000ms);
  CHECK(r.retry->next_wakeup() == 0ms);  // the retry is with the next transport now
  REQUIRE(drive(*r.retry));
  REQUIRE(r.inner->times.size() == 3);
  CHECK(r.inner->times[1] - r.inner->times[0] == 5000ms);
  REQUIRE(out.completed == 1);
  REQUIRE(out.at(0).has_value());
  CHECK(out.at(0).value().body == "ok");
  CHECK(r.inner->requests.size() == 3);
  CHECK(r.inner->requests[2].body == "body");
  CHECK(r.retry->pending() == 0);
  CHECK_FALSE(r.retry->next_wakeup().has_value());
}

TEST_CASE("host-driven: non-idempotent lost response gives outcome_unknown and idempotent is retried") {
  rig r;
  r.inner->then(error(transport_errc::connection_lost, "lost"));
  r.inner->then(error(transport_errc::connection_lost, "lost"));
  outcomes out;
  r.retry->submit(post("/a"), out.slot(0));
  r.retry->submit(post("/b", "{}", true), out.slot(1));
  REQUIRE(drive(*r.retry));
  REQUIRE_FALSE(out.at(0).has_value());
  CHECK(out.at(0).error() == transport_errc::outcome_unknown);
  REQUIRE(out.at(1).has_value());
  CHECK(r.inner->requests.size() == 3);
  CHECK(r.inner->requests[2].target == "/b");
}

TEST_CASE("host-driven: cancel during the backoff ends the request at once") {
  rig r;
  r.inner->then(response(503, "", {{"Retry-After", "30"}}));
  outcomes out;
  const auto id = r.retry->submit(post(), out.slot(0));
  REQUIRE(r.retry->poll(0ms).has_value());
  CHECK(r.retry->next_wakeup() == 30000ms);
  CHECK(r.retry->cancel(id));
  REQUIRE(r.retry->poll(0ms).has_value());
  REQUIRE(out.completed == 1);
  CHECK(out.at(0).error() == transport_errc::cancelled);
  CHECK(r.inner->requests.size() == 1);
  CHECK(r.retry->pending() == 0);
}

TEST_CASE("the fake clock moves only when told") {
  fake_clock c;
  const auto t0 = c.now();
  const auto w0 = c.wall_now();
  c.advance(1500ms);
  c.sleep_for(500ms);
  c.advance(-5s);
  CHECK(c.now() - t0 == 2000ms);
  CHECK(c.wall_now() - w0 == 2000ms);
  CHECK(c.sleeps().size() == 1);
  CHECK(c.total_slept() == 500ms);
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(w0.time_since_epoch()).count() == 1767225600);
}
