// The fault injector around the real libcurl transport and a loopback server:
// every fault kind in the blocking and the host-driven form, many requests in
// flight, and the retry decorator on top.
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>

#include "odoolink/testing/fake_clock.hpp"
#include "odoolink/testing/fault_transport.hpp"
#include "odoolink/transport/retry.hpp"
#include "transport/support/http_server.hpp"
#include "transport/support/loopback.hpp"
#include "transport/support/recorded_exchange.hpp"

using namespace odoolink_test;
using namespace std::chrono_literals;
using odoolink::transport_errc;
using odoolink::testing::fake_clock;
using odoolink::testing::fault_kind;
using odoolink::testing::fault_options;
using odoolink::testing::fault_transport;
using odoolink::transport::may_have_reached_server;

namespace {

const recorded_exchange& search_read() {
  static const recorded_exchange x = recorded_exchange::load("odoo18/jsonrpc/search_read_partner.json");
  return x;
}

fault_options only(fault_kind kind, std::shared_ptr<fake_clock> clock) {
  fault_options o;
  o.seed = 3;
  o.retry_after = std::chrono::seconds(2);
  o.delay_by = 250ms;
  o.clock = clock;
  o.sleeper = clock;
  switch (kind) {
    case fault_kind::drop_request: o.drop_request = 1; break;
    case fault_kind::drop_response: o.drop_response = 1; break;
    case fault_kind::delay: o.delay = 1; break;
    case fault_kind::status_429: o.status_429 = 1; break;
    case fault_kind::status_502: o.status_502 = 1; break;
    case fault_kind::status_503: o.status_503 = 1; break;
    case fault_kind::status_504: o.status_504 = 1; break;
    case fault_kind::truncate_body: o.truncate_body = 1; break;
    case fault_kind::corrupt_body: o.corrupt_body = 1; break;
    case fault_kind::none: break;
  }
  return o;
}

// What a request that got `kind` must look like; returns whether the server saw it.
bool check_outcome(fault_kind kind, const odoolink::result<odoolink::http_response>& r) {
  const std::string& full = search_read().response_body;
  switch (kind) {
    case fault_kind::drop_request:
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error() == transport_errc::injected_fault);
      CHECK_FALSE(may_have_reached_server(r.error().code()));
      return false;
    case fault_kind::drop_response:
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error() == transport_errc::connection_lost);
      CHECK(may_have_reached_server(r.error().code()));
      return true;
    case fault_kind::status_429:
    case fault_kind::status_503:
      REQUIRE(r.has_value());
      CHECK(r.value().status == (kind == fault_kind::status_429 ? 429 : 503));
      CHECK(r.value().header("Retry-After") == "2");
      return false;
    case fault_kind::status_502:
    case fault_kind::status_504:
      REQUIRE(r.has_value());
      CHECK(r.value().status == (kind == fault_kind::status_502 ? 502 : 504));
      CHECK(r.value().header("Retry-After").empty());
      return true;
    case fault_kind::truncate_body:
      REQUIRE(r.has_value());
      CHECK(r.value().status == 200);
      CHECK(r.value().body.size() < full.size());
      CHECK(full.compare(0, r.value().body.size(), r.value().body) == 0);
      return true;
    case fault_kind::corrupt_body: {
      REQUIRE(r.has_value());
      const auto& body = r.value().body;
      REQUIRE(body.size() == full.size());
      int differing = 0;
      for (std::size_t i = 0; i < body.size(); ++i)
        if (body[i] != full[i]) {
          ++differing;
          CHECK(static_cast<unsigned char>(body[i]) == 0xFF);
        }
      CHECK(differing == 1);
      return true;
    }
    case fault_kind::delay:
    case fault_kind::none:
      REQUIRE(r.has_value());
      CHECK(r.value().status == 200);
      CHECK(r.value().body == full);
      return true;
  }
  return true;
}

constexpr fault_kind all_kinds[] = {fault_kind::drop_request,  fault_kind::drop_response, fault_kind::delay,
                                    fault_kind::status_429,    fault_kind::status_502,    fault_kind::status_503,
                                    fault_kind::status_504,    fault_kind::truncate_body, fault_kind::corrupt_body};

// Classifies an outcome back into the fault it shows.
fault_kind observed(const odoolink::result<odoolink::http_response>& r) {
  if (!r) return r.error() == transport_errc::injected_fault ? fault_kind::drop_request : fault_kind::drop_response;
  switch (r.value().status) {
    case 429: return fault_kind::status_429;
    case 502: return fault_kind::status_502;
    case 503: return fault_kind::status_503;
    case 504: return fault_kind::status_504;
    default: break;
  }
  const std::string& full = search_read().response_body;
  if (r.value().body.size() < full.size()) return fault_kind::truncate_body;
  if (r.value().body != full) return fault_kind::corrupt_body;
  return fault_kind::none;  // clean or delayed
}

}  // namespace

TEST_CASE("every fault kind in the blocking form") {
  for (fault_kind kind : all_kinds) {
    CAPTURE(static_cast<int>(kind));
    http_server server(search_read().replay());
    auto clock = std::make_shared<fake_clock>();
    fault_transport faults(make_curl(loopback_options(server.url())), only(kind, clock));
    for (int i = 0; i < 3; ++i) {
      const bool reached = check_outcome(kind, faults.send(search_read().request()));
      CHECK(server.request_count() == static_cast<std::size_t>(reached ? i + 1 : 0));
    }
    CHECK(faults.stats().count(kind) == 3);
    CHECK(faults.stats().forwarded == server.request_count());
    CHECK(clock->total_slept() == (kind == fault_kind::delay ? 750ms : 0ms));
  }
}

TEST_CASE("every fault kind in the host-driven form with 32 requests in flight on one transport") {
  constexpr std::size_t n = 32;
  for (fault_kind kind : all_kinds) {
    CAPTURE(static_cast<int>(kind));
    http_server server([](const received_request& req) {
      reply r = search_read().replay()(req);
      r.delay = 20ms;  // keeps the requests in flight together
      return r;
    });
    auto clock = std::make_shared<fake_clock>();
    auto curl = make_curl(loopback_options(server.url()));
    fault_transport faults(curl, only(kind, clock));
    outcomes out;
    for (std::size_t i = 0; i < n; ++i) faults.submit(search_read().request(), out.slot(i));
    CHECK(out.completed == 0);
    CHECK(faults.pending() == n);
    if (kind == fault_kind::delay) {
      CHECK(curl->pending() == 0);  // held back
      CHECK(faults.next_wakeup() == 250ms);
    } else if (kind == fault_kind::drop_request || kind == fault_kind::status_429 ||
               kind == fault_kind::status_503) {
      CHECK(curl->pending() == 0);  // never forwarded
      CHECK(faults.next_wakeup() == 0ms);
    } else {
      CHECK(curl->pending() == n);  // all in flight at once
    }
    REQUIRE(drive(faults));
    REQUIRE(out.completed == n);
    std::size_t reached = 0;
    for (std::size_t i = 0; i < n; ++i) reached += check_outcome(kind, out.at(i)) ? 1 : 0;
    CHECK(server.request_count() == reached);
    CHECK(faults.stats().count(kind) == n);
    CHECK(faults.stats().forwarded == reached);
    if (kind == fault_kind::delay) CHECK(clock->total_slept() == 250ms);  // one shared wait, not 32
  }
}

TEST_CASE("mixed faults at seeded rates: 64 in flight and outcomes match the statistics") {
  http_server server(search_read().replay());
  fault_options o;
  o.seed = 20240601;
  o.drop_request = o.drop_response = o.status_429 = o.status_502 = o.status_503 = o.status_504 = 0.08;
  o.truncate_body = o.corrupt_body = o.delay = 0.08;
  o.delay_by = 5ms;  // real clock
  auto curl = make_curl(loopback_options(server.url()));
  fault_transport faults(curl, o);
  constexpr std::size_t n = 64;
  outcomes out;
  for (std::size_t i = 0; i < n; ++i) faults.submit(search_read().request(), out.slot(i));
  REQUIRE(drive(faults));
  REQUIRE(out.completed == n);

  std::map<fault_kind, std::size_t> seen;
  for (std::size_t i = 0; i < n; ++i) ++seen[observed(out.at(i))];
  const auto& stats = faults.stats();
  for (fault_kind k : all_kinds) {
    if (k == fault_kind::delay) continue;  // a delayed request looks clean
    CAPTURE(static_cast<int>(k));
    CHECK(seen[k] == stats.count(k));
  }
  CHECK(seen[fault_kind::none] == stats.count(fault_kind::none) + stats.count(fault_kind::delay));
  std::size_t total = 0;
  std::size_t kinds_hit = 0;
  for (auto c : stats.injected) total += c;
  for (fault_kind k : all_kinds) kinds_hit += stats.count(k) > 0 ? 1 : 0;
  CHECK(total == n);
  CHECK(kinds_hit >= 7);  // the rates really mix
  CHECK(stats.forwarded == server.request_count());
  CHECK(stats.forwarded == n - stats.count(fault_kind::drop_request) - stats.count(fault_kind::status_429) -
                               stats.count(fault_kind::status_503));

  // The same seed in the blocking form draws the same sequence of kinds.
  fault_transport again(make_curl(loopback_options(server.url())), o);
  std::map<fault_kind, std::size_t> seen_blocking;
  for (std::size_t i = 0; i < n; ++i) ++seen_blocking[observed(again.send(search_read().request()))];
  CHECK(again.stats().injected == stats.injected);
  CHECK(seen_blocking == seen);
}

TEST_CASE("forced faults come first and in order") {
  http_server server(search_read().replay());
  fault_transport faults(make_curl(loopback_options(server.url())));
  faults.force(fault_kind::status_503);
  faults.force(fault_kind::none);
  faults.force(fault_kind::drop_request);
  CHECK(faults.send(search_read().request()).value().status == 503);
  CHECK(faults.send(search_read().request()).value().status == 200);
  CHECK(faults.send(search_read().request()).error() == transport_errc::injected_fault);
  CHECK(faults.send(search_read().request()).value().status == 200);  // rates are all zero
  CHECK(server.request_count() == 2);
}

TEST_CASE("retry over faults over curl: a lost response is re-sent only for idempotent requests") {
  http_server server(search_read().replay());
  auto clock = std::make_shared<fake_clock>();
  auto faults = std::make_shared<fault_transport>(make_curl(loopback_options(server.url())));
  odoolink::transport::retry_options ro;
  ro.clock = clock;
  ro.sleeper = clock;
  ro.seed = 1;
  odoolink::transport::retry_transport retry(faults, ro);

  faults->force(fault_kind::drop_response);
  auto unsafe = retry.send(search_read().request());
  REQUIRE_FALSE(unsafe.has_value());
  CHECK(unsafe.error() == transport_errc::outcome_unknown);
  CHECK(server.request_count() == 1);  // applied once, never twice

  auto req = search_read().request();
  req.idempotent = true;
  faults->force(fault_kind::drop_response);
  faults->force(fault_kind::status_504);
  auto safe = retry.send(req);
  REQUIRE(safe.has_value());
  CHECK(safe.value().body == search_read().response_body);
  CHECK(server.request_count() == 4);

  // Host-driven: 32 non-idempotent requests behind drops before sending and 503s all succeed.
  for (int i = 0; i < 16; ++i) {
    faults->force(fault_kind::drop_request);
    faults->force(fault_kind::status_503);
  }
  outcomes out;
  for (std::size_t i = 0; i < 32; ++i) retry.submit(search_read().request(), out.slot(i));
  REQUIRE(drive(retry));
  for (std::size_t i = 0; i < 32; ++i) {
    REQUIRE(out.at(i).has_value());
    CHECK(out.at(i).value().status == 200);
  }
  CHECK(server.request_count() == 4 + 32);
}
