// The delivery engine under crashes and faults, end to end: a point-of-sale
// stream (customers, products, orders with lines over four tills) enqueued
// with the shipped contracts, relayed by a child process through the real
// Odoo sink over loopback HTTP into the fake Odoo's listener while 30 % of
// the requests fail (connection failures, responses lost after Odoo
// committed, 503s, truncated and corrupted bodies) and the child is
// SIGKILLed again and again. Afterwards: no dead letter, every record once
// (no duplicate, nothing lost), aggregates in order, the audit chain intact,
// and after every restart delivery resumed (a `load` reached Odoo) within
// 2 s plus the longest backoff.
// ODOOLINK_CRASH_ITERATIONS sets the number of kills (soak runs).
#if defined(ODOOLINK_HAS_SQLITE) && (defined(__unix__) || defined(__APPLE__))
#include <cmath>
#include <map>
#include <random>
#include <set>

#include <doctest/doctest.h>

#include "odoolink/outbox/outbox.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "outbox/support/crash_harness.hpp"
#include "outbox/support/open_store.hpp"
#include "outbox/support/pos_stream.hpp"
#if defined(ODOOLINK_HAS_POSTGRES)
#include "outbox/support/postgres_env.hpp"
#endif

namespace {

namespace crash = odoolink::test::crash;
namespace ob = odoolink::outbox;
using namespace std::chrono_literals;

// The child's longest backoff (delivery_child.cpp): a restart may find every
// remaining event waiting out a retry that long.
constexpr auto child_backoff_max = 500ms;
// Delivery resumes within 2 s of a restart plus that backoff (scaled where
// the suite runs under an emulator, see support/time_scale.hpp).
std::chrono::milliseconds resume_bound() { return odoolink::test::scaled(2s + child_backoff_max); }

std::size_t delivered(ob::store& store) {
  auto st = store.stats();
  if (!st) FAIL(st.error().describe());
  return st.value().delivered;
}

std::vector<std::string> child_args(const std::string& store_spec, const std::string& url, const char* mode,
                                    std::uint64_t seed) {
  return {ODOOLINK_DELIVERY_CHILD, "--store", store_spec, "--url", url, "--contracts", ODOOLINK_CONTRACTS_DIR,
          "--mode", mode, "--seed", std::to_string(seed)};
}

// What a relay run injected: its last "faults <n> of <m>" line.
struct injected_faults {
  std::size_t faults = 0, requests = 0;
};

injected_faults last_fault_line(const std::string& output) {
  injected_faults f;
  const auto at = output.rfind("faults ");
  if (at != std::string::npos) std::sscanf(output.c_str() + at, "faults %zu of %zu", &f.faults, &f.requests);
  return f;
}

// The fewest faults a fair run of `requests` draws at `rate` gives: the
// expected count less 4.5 standard deviations (a false alarm about once in
// 300,000 runs), so a test fails when faults are missing or far too rare,
// not when the dice were unkind.
std::size_t fault_count_floor(std::size_t requests, double rate) {
  const double n = static_cast<double>(requests);
  const double floor = n * rate - 4.5 * std::sqrt(n * rate * (1 - rate));
  return floor > 0 ? static_cast<std::size_t>(floor) : 0;
}

// Everything the child wrote that is still in the pipe (it has ended).
std::string rest_of(int fd) {
  std::string seen;
  (void)crash::detail::read_until(fd, 2s, [&](const std::string& s) {
    seen = s;
    return false;
  });
  return seen;
}

std::size_t loads(odoolink::testing::fake_odoo& odoo) {
  auto st = odoo.stats();
  return st.per_method["load"];
}

// How long a relay run took after it started: to its first `load` reaching
// Odoo (delivery resumed), and to its first event settled as delivered.
struct resume_times {
  std::chrono::milliseconds first_load{}, first_delivered{};
  injected_faults injected;
};

// Runs the child until it delivered something (or everything is), notes how
// long that took, lets it work a random while longer and kills it.
resume_times run_and_kill(odoolink::testing::fake_odoo& odoo, ob::store& store, const std::vector<std::string>& args,
                          std::size_t total, std::mt19937_64& rng) {
  using clock = std::chrono::steady_clock;
  int out = -1;
  const pid_t pid = crash::detail::spawn(args, out);
  REQUIRE(pid > 0);
  const bool ready = crash::detail::wait_ready(out, 20s);
  const auto started = clock::now();
  const std::size_t delivered_before = delivered(store), loads_before = loads(odoo);
  const auto since = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started); };
  resume_times times;
  bool loaded = false;
  while (ready && delivered_before < total && since() < 4 * resume_bound()) {
    if (!loaded && loads(odoo) > loads_before) {
      loaded = true;
      times.first_load = since();
    }
    if (delivered(store) > delivered_before) break;
    std::this_thread::sleep_for(5ms);
  }
  times.first_delivered = since();
  if (!loaded) times.first_load = times.first_delivered;
  std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 300));
  ::kill(pid, SIGKILL);
  const auto end = crash::detail::reap(pid, true);
  times.injected = last_fault_line(rest_of(out));
  ::close(out);
  CHECK_MESSAGE(ready, "the relay child never said ready");
  CHECK_MESSAGE(end.killed, "the relay child ended before it was killed (exit code " << end.exit_code << ")");
  return times;
}

// Runs the child in drain mode to its end; what it injected.
injected_faults drain(ob::store& store, const std::vector<std::string>& args) {
  int out = -1;
  const pid_t pid = crash::detail::spawn(args, out);
  REQUIRE(pid > 0);
  std::string seen;
  const auto finished = crash::detail::read_until(out, 60s, [&](const std::string& s) {
    seen = s;
    return s.find("drained\n") != std::string::npos;
  });
  if (finished != crash::detail::read_end::met) ::kill(pid, SIGKILL);
  const auto end = crash::detail::reap(pid, finished != crash::detail::read_end::met);
  ::close(out);
  auto st = store.stats();
  REQUIRE(st);
  REQUIRE_MESSAGE(end.exit_code == 0, "the drain run failed (exit code " << end.exit_code << "): "
                                          << st.value().delivered << " delivered, " << st.value().pending << " pending, "
                                          << st.value().in_flight << " in flight, " << st.value().dead << " dead");
  return last_fault_line(seen);
}

void check_delivered_once(odoolink::testing::fake_odoo& odoo, ob::store& store, const odoolink::test::pos_counts& counts,
                          const std::map<std::string, std::size_t>& base) {
  auto st = store.stats();
  REQUIRE(st);
  CHECK(st.value().dead == 0);
  CHECK(st.value().pending == 0);
  CHECK(st.value().in_flight == 0);
  CHECK(odoo.count("res.partner") - base.at("res.partner") == static_cast<std::size_t>(counts.customers));
  CHECK(odoo.count("product.product") - base.at("product.product") == static_cast<std::size_t>(counts.products));
  CHECK(odoo.count("sale.order") - base.at("sale.order") == static_cast<std::size_t>(counts.orders));
  CHECK(odoo.count("sale.order.line") - base.at("sale.order.line") == static_cast<std::size_t>(counts.lines));

  // Every event reached its own record, and an aggregate's records of one
  // model were first created in the order of its events.
  std::map<std::pair<std::string, std::string>, std::int64_t> last;  // (aggregate, model) → record id
  std::size_t events = 0;
  for (std::int64_t after = 0;;) {
    auto page = store.list({.after_sequence = after, .limit = 500});
    REQUIRE(page);
    if (page.value().empty()) break;
    for (const auto& e : page.value()) {
      ++events;
      CHECK_MESSAGE(e.state == ob::event_state::delivered, e.idempotency_key << " is " << ob::to_string(e.state) << " after "
                                                                   << e.attempts << " attempts: " << e.last_error);
      const auto record = odoo.xml_id(e.result.external_id);
      CHECK_MESSAGE(record.has_value(), e.idempotency_key << " has no record in Odoo");
      if (record) CHECK(record->second == e.result.record_id);
      auto [it, first] = last.try_emplace({e.aggregate_key, e.result.model}, e.result.record_id);
      CHECK_MESSAGE((first || it->second < e.result.record_id), e.idempotency_key << " was delivered out of order");
      it->second = e.result.record_id;
    }
    after = page.value().back().sequence;
  }
  CHECK(events == static_cast<std::size_t>(counts.customers + counts.products + counts.orders));

  std::string prev(ob::genesis_hash());
  std::map<std::string, int> delivered_rows;
  for (std::int64_t after = 0;;) {
    auto rows = store.audit(after, 1000);
    REQUIRE(rows);
    if (rows.value().empty()) break;
    auto verdict = ob::verify_audit_chain(rows.value(), prev);
    if (!verdict) FAIL(verdict.error().describe());
    for (const auto& row : rows.value())
      if (row.action == ob::audit_action::delivered) ++delivered_rows[row.event_id];
    after = rows.value().back().sequence;
    prev = rows.value().back().hash;
  }
  CHECK(delivered_rows.size() == events);
  for (const auto& row : delivered_rows)
    CHECK_MESSAGE(row.second == 1, "event " << row.first << " was settled delivered " << row.second << " times");
}

void run_delivery_crash_test(const std::string& store_spec) {
  odoolink::testing::fake_odoo odoo;
  // Besides the client-side faults, Odoo itself drops a few connections after committing an order batch.
  odoo.inject({.kind = odoolink::testing::fake_fault_kind::lost_response, .model = "sale.order", .method = "load",
               .skip = 2, .count = 3});
  auto listening = odoo.listen();
  if (!listening) FAIL(listening.error().describe());
  const std::string url = listening.value()->url();
  std::map<std::string, std::size_t> base;
  for (const char* model : {"res.partner", "product.product", "sale.order", "sale.order.line"}) base[model] = odoo.count(model);

  auto registry = odoolink::contract::registry::load_directory(ODOOLINK_CONTRACTS_DIR);
  if (!registry) FAIL(registry.error().describe());
  auto opened = odoolink::test::open_test_store(store_spec);
  if (!opened) FAIL(opened.error().describe());
  ob::store& store = *opened.value();
  odoolink::test::pos_counts counts;
  const auto stream = odoolink::test::pos_stream(400, counts);
  {
    ob::outbox box(store, registry.value());
    std::vector<ob::enqueue_request> requests;
    for (const auto& e : stream)
      requests.push_back({.subject = e.subject, .payload = e.payload, .idempotency_key = e.key, .aggregate_key = e.aggregate});
    auto queued = box.enqueue(requests);
    if (!queued) FAIL(queued.error().describe());
  }

  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const int kills = crash::crash_iterations(10);
  resume_times slowest;
  injected_faults injected;
  int runs = 0;
  for (; runs < kills && delivered(store) < stream.size(); ++runs) {
    const auto t = run_and_kill(odoo, store, child_args(store_spec, url, "run", rng()), stream.size(), rng);
    slowest.first_load = std::max(slowest.first_load, t.first_load);
    slowest.first_delivered = std::max(slowest.first_delivered, t.first_delivered);
    injected.faults += t.injected.faults;
    injected.requests += t.injected.requests;
  }
  const std::size_t before_drain = delivered(store);
  const auto last_run = drain(store, child_args(store_spec, url, "drain", rng()));
  injected.faults += last_run.faults;
  injected.requests += last_run.requests;

  check_delivered_once(odoo, store, counts, base);
  auto served = odoo.stats();
  CHECK(served.faults > 0);  // Odoo's own dropped connections happened
  // The client-side faults happened at about their rate (30 %): each request
  // is an independent draw, so the count is binomial; a fixed floor such as
  // 20 % of ~120 requests fails about once in a hundred runs.
  CHECK(injected.faults > 0);
  CHECK_MESSAGE(injected.faults >= fault_count_floor(injected.requests, 0.30),
                injected.faults << " of " << injected.requests << " requests faulted");
  MESSAGE(runs << " relay runs killed; slowest restart to first load " << slowest.first_load.count()
               << " ms, to first delivery settled " << slowest.first_delivered.count() << " ms; " << before_drain << " of "
               << stream.size() << " delivered before the last run; " << injected.faults << " of " << injected.requests
               << " requests faulted by the relays, " << served.faults << " connections dropped by Odoo, which served "
               << served.requests << " requests (" << served.per_method["load"] << " load)");
  CHECK(runs >= std::min(kills, 3));
  // Delivery resumed: the first `load` of every restarted relay reached Odoo
  // within 2 s plus the longest backoff (events it found waiting for a retry).
  CHECK(slowest.first_load <= resume_bound());
}

}  // namespace

TEST_CASE("delivery under faults and SIGKILL on SQLite: no dead letter and every record exactly once") {
#if !defined(ODOOLINK_DELIVERY_CHILD)
  FAIL("the delivery child is not built: tests/CMakeLists.txt must add_subdirectory(outbox/crash)");
#else
  crash::scratch_dir dir("crash-delivery-sqlite");
  run_delivery_crash_test("sqlite:" + dir.file("outbox.db"));
#endif
}

#if defined(ODOOLINK_HAS_POSTGRES)
TEST_CASE("delivery under faults and SIGKILL on PostgreSQL: no dead letter and every record exactly once") {
#if !defined(ODOOLINK_DELIVERY_CHILD)
  FAIL("the delivery child is not built: tests/CMakeLists.txt must add_subdirectory(outbox/crash)");
#else
  if (!odoolink::test::postgres_available()) return;
  const auto schema = odoolink::test::scratch_schemas::instance().make();
  run_delivery_crash_test("postgres." + schema + ":" + odoolink::test::postgres_conninfo());
#endif
}
#endif

#endif
