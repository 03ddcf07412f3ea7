// Scale-out on the PostgreSQL store: N relay processes (forked, each with its
// own connection and owner name) drain one outbox of 4,000 events in 400
// aggregates into a sink that answers after a fixed latency per call, as an
// Odoo `load` served by several workers does (each relay waits only for its
// own call). The ratio against one relay, measured in the same run, is the
// figure:
//
//   ODOOLINK_TEST_PG='host=127.0.0.1 ...' odoolink_scaleout_bench --benchmark_counters_tabular=true
//
// Per-aggregate order bounds the parallelism: an aggregate's next event waits
// while an earlier one is leased, so N relays with batches of B events can
// only all work when at least N x B aggregates have events due (here 400
// aggregates for 4 relays of 50).
//
// Arguments: relays, and the sink's latency per call in ms (a real Odoo takes
// some 50-100 ms to `load` 50 new records: ~600 records/s on Odoo 18).
#include <benchmark/benchmark.h>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

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

constexpr std::size_t events = 4000, aggregates = 400, batch_size = 50;
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

// One relay process: relays until every event is delivered; the exit code says how it went.
template <class Counters>
int relay_process(const char* conninfo, std::size_t r, std::chrono::milliseconds latency, Counters& shared) {
  auto store = ob::postgres_store::open({.conninfo = conninfo, .schema = schema});
  if (!store) return 3;
  latency_sink sink(latency);
  ob::relay relay(*store.value(), sink, {.owner = "relay-" + std::to_string(r), .batch_size = batch_size});
  while (shared.delivered.load() < events) {
    auto report = relay.pump(batch_size);
    if (!report) return 3;
    if (report.value().claimed == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the rest is claimed by other relays
      continue;
    }
    ++shared.sink_calls;
    shared.delivered += report.value().delivered;
  }
  return 0;
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
    setup.value().reset();  // the children open their own connections
    // Counters the relay processes share with this one.
    struct shared_counters {
      std::atomic<std::size_t> delivered{0}, sink_calls{0}, failures{0};
    };
    void* mem = ::mmap(nullptr, sizeof(shared_counters), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
      state.SkipWithError("mmap failed");
      return;
    }
    auto* shared = new (mem) shared_counters;
    const auto start = std::chrono::steady_clock::now();
    std::vector<pid_t> children;
    for (std::size_t r = 0; r < relays; ++r) {
      const pid_t pid = ::fork();
      if (pid == 0) ::_exit(relay_process(conninfo, r, latency, *shared));
      if (pid > 0) children.push_back(pid);
    }
    bool exited_cleanly = children.size() == relays;
    for (const pid_t pid : children) {
      int status = 0;
      ::waitpid(pid, &status, 0);
      exited_cleanly = exited_cleanly && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    const std::size_t delivered = shared->delivered.load(), sink_calls = shared->sink_calls.load();
    ::munmap(mem, sizeof(shared_counters));
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (!exited_cleanly || delivered != events) {
      state.SkipWithError("a relay failed or events were lost");
      return;
    }
    calls += sink_calls;
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
    ->Args({1, 50})
    ->Args({4, 50})
    ->Args({1, 5})
    ->Args({4, 5})
    ->Iterations(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
