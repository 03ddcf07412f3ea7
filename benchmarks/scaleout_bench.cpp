// Scale-out on the PostgreSQL store: N relays (threads of the host, each with
// its own connection and owner name, as N processes would have) drain one
// outbox of 2,000 events in 100 aggregates into a sink that answers after a
// fixed latency per call, as an Odoo `load` over the network does. The ratio
// against one relay, measured in the same run, is the figure:
//
//   ODOOLINK_TEST_PG='host=127.0.0.1 ...' odoolink_scaleout_bench --benchmark_counters_tabular=true
//
// Arguments: relays, and the sink's latency per call in ms.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "odoolink/outbox/relay.hpp"
#include "odoolink/outbox/uuid.hpp"
#if defined(ODOOLINK_HAS_POSTGRES)
#include <libpq-fe.h>

#include "odoolink/outbox/postgres_store.hpp"
#endif

namespace {

namespace ob = odoolink::outbox;

constexpr std::size_t events = 2000, aggregates = 100;
constexpr const char* schema = "odoolink_scaleout_bench";

// Delivers every event of a call after `latency`, like one remote batch call.
class latency_sink final : public ob::sink {
 public:
  explicit latency_sink(std::chrono::milliseconds latency) : latency_(latency) {}
  std::vector<ob::delivery> deliver(std::span<const ob::event> batch) override {
    std::this_thread::sleep_for(latency_);
    std::vector<ob::delivery> out(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i)
      out[i].outcome = ob::delivery_result{"res.partner", static_cast<std::int64_t>(i + 1), "bench." + batch[i].id};
    return out;
  }

 private:
  std::chrono::milliseconds latency_;
};

#if defined(ODOOLINK_HAS_POSTGRES)
bool reset_schema(const char* conninfo) {
  PGconn* c = PQconnectdb(conninfo);
  const bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PQclear(PQexec(c, "SET client_min_messages TO warning"));
    PQclear(PQexec(c, (std::string("DROP SCHEMA IF EXISTS ") + schema + " CASCADE").c_str()));
  }
  PQfinish(c);
  return ok;
}

std::vector<ob::new_event> make_events() {
  std::vector<ob::new_event> out;
  const auto now = ob::to_timestamp(std::chrono::system_clock::now());
  for (std::size_t i = 0; i < events; ++i) {
    ob::new_event e;
    e.id = ob::make_uuid_v7(now);
    e.idempotency_key = "k" + std::to_string(i);
    e.aggregate_key = "agg-" + std::to_string(i % aggregates);
    e.subject = "customer";
    e.contract_version = "1.0.0";
    e.fingerprint = std::string(64, 'b');
    e.payload = R"({"name":"Customer )" + std::to_string(i) + R"("})";
    e.created_at = now;
    e.audit_payload = e.payload;
    out.push_back(std::move(e));
  }
  return out;
}
#endif

void BM_postgres_relays(benchmark::State& state) {
#if defined(ODOOLINK_HAS_POSTGRES)
  const char* conninfo = std::getenv("ODOOLINK_TEST_PG");
  if (conninfo == nullptr) {
    state.SkipWithError("set ODOOLINK_TEST_PG to a libpq connection string to run the PostgreSQL benchmarks");
    return;
  }
  const auto relays = static_cast<std::size_t>(state.range(0));
  const std::chrono::milliseconds latency(state.range(1));
  const auto batch = make_events();
  std::size_t calls = 0;
  for (auto _ : state) {
    if (!reset_schema(conninfo)) {
      state.SkipWithError("cannot connect to ODOOLINK_TEST_PG");
      return;
    }
    auto setup = ob::postgres_store::open({.conninfo = conninfo, .schema = schema});
    if (!setup || !setup.value()->enqueue(batch)) {
      state.SkipWithError("cannot prepare the PostgreSQL outbox");
      return;
    }
    std::atomic<std::size_t> delivered{0}, sink_calls{0}, failures{0};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (std::size_t r = 0; r < relays; ++r)
      threads.emplace_back([&, r] {
        auto store = ob::postgres_store::open({.conninfo = conninfo, .schema = schema});
        if (!store) {
          ++failures;
          return;
        }
        latency_sink sink(latency);
        ob::relay relay(*store.value(), sink, {.owner = "relay-" + std::to_string(r), .batch_size = 50});
        while (delivered.load() < events) {
          auto report = relay.pump(50);
          if (!report) {
            ++failures;
            return;
          }
          if (report.value().claimed == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the rest is claimed by other relays
            continue;
          }
          ++sink_calls;
          delivered += report.value().delivered;
        }
      });
    for (auto& t : threads) t.join();
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (failures.load() != 0 || delivered.load() != events) {
      state.SkipWithError("a relay failed or events were lost");
      return;
    }
    calls += sink_calls.load();
  }
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events * state.iterations()), benchmark::Counter::kIsRate);
  state.counters["sink_calls"] = static_cast<double>(calls) / static_cast<double>(state.iterations());
#else
  state.SkipWithError("built without the PostgreSQL store (ODOOLINK_WITH_POSTGRES)");
#endif
}
BENCHMARK(BM_postgres_relays)
    ->ArgNames({"relays", "latency_ms"})
    ->Args({1, 20})
    ->Args({2, 20})
    ->Args({4, 20})
    ->Iterations(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
