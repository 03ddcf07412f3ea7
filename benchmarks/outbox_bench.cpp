// Outbox costs, with their baselines measured in the same run:
//
// Enqueue (events/s as items_per_second):
// - BM_raw_write_fsync: append a ~300 B record to a file and fsync it — the
//   floor of any durable single write on this disk;
// - BM_raw_sqlite_insert: a prepared INSERT per row, each in its own
//   transaction (WAL, synchronous=FULL), and batches of 100 / 1000 rows per
//   transaction — SQLite's own floor;
// - BM_outbox_enqueue_sqlite: outbox::enqueue (contract validation, UUIDv7,
//   idempotency key, hash-chained audit row) single and in batches of
//   100 / 1000, at full and at normal durability;
// - BM_outbox_enqueue_postgres: the same on PostgreSQL when the PostgreSQL
//   store is built and ODOOLINK_TEST_PG holds a libpq connection string.
//
// Relay (per_event = time per event):
// - BM_relay_noop_sink: claim → deliver to a sink that does nothing → settle,
//   on the memory store, on SQLite (full and normal durability) and on
//   PostgreSQL (with ODOOLINK_TEST_PG).
//
// Odoo (only with ODOOLINK_TEST_URL, _DB, _USER, _PASSWORD set; records/s):
// - BM_odoo_create_loop: one res.partner create call per record;
// - BM_odoo_create_batch: one create([...]) call for all records;
// - BM_odoo_load: one load call for all records (external ids), no outbox;
// - BM_outbox_to_odoo_batched: events already enqueued, drained through the
//   relay and the Odoo sink with load batches of max_batch records;
// - BM_outbox_to_odoo_unbatched: the same with max_batch 1.
// The partners created are deleted after each iteration (not timed).
//
// Files go to ODOOLINK_BENCH_DIR (default: the system temporary folder);
// fsync numbers only mean something on a real disk, not on tmpfs.

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/contract/mapping.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#if defined(ODOOLINK_HAS_SQLITE)
#include <sqlite3.h>

#include "odoolink/outbox/sqlite_store.hpp"
#endif
#if defined(ODOOLINK_HAS_POSTGRES)
#include "odoolink/outbox/postgres_store.hpp"
#endif

namespace {

namespace ob = odoolink::outbox;
namespace fs = std::filesystem;
using odoolink::json::value;
using odoolink::json::array;
using odoolink::json::object;

// ---------------------------------------------------------------- fixtures

// Distinguishes this process's keys and external ids from earlier runs.
const std::string& run_id() {
  static const std::string id = [] {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    return "b" + std::to_string(us);
  }();
  return id;
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

// A folder for this process's files, removed at exit.
const fs::path& bench_dir() {
  // Never destroyed: the exit handler below still needs it.
  static const fs::path* const dir = [] {
    const char* base = env("ODOOLINK_BENCH_DIR");
    auto* d = new fs::path(fs::path(base != nullptr ? base : fs::temp_directory_path().string()) /
                           ("odoolink-outbox-bench-" + std::to_string(::getpid())));
    fs::create_directories(*d);
    return d;
  }();
  static const bool removed_at_exit = std::atexit([] {
    std::error_code ignored;
    fs::remove_all(*dir, ignored);
  }) == 0;
  (void)removed_at_exit;
  return *dir;
}

// A file name not used before in this process.
fs::path fresh_file(const std::string& stem) {
  static int n = 0;
  return bench_dir() / (stem + "-" + std::to_string(++n) + ".db");
}

const odoolink::contract::registry& contracts() {
  static const odoolink::contract::registry r = [] {
    auto loaded = odoolink::contract::registry::load_directory(fs::path(ODOOLINK_FIXTURES_DIR) / ".." / ".." / "contracts");
    if (!loaded) {
      std::fprintf(stderr, "contracts: %s\n", loaded.error().describe().c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return r;
}

// A point-of-sale customer, about 300 bytes, valid against contracts/customer.
std::string customer_payload(std::uint64_t n) {
  const std::string i = std::to_string(n);
  return R"({"customer_id":"odoolink_bench.)" + run_id() + "_c" + i + R"(","name":"Point of sale customer )" + i +
         R"(","email":"customer)" + i + R"(@shop.example.com","phone":"+1 415 555 )" + std::to_string(1000 + n % 9000) +
         R"(","reference":")" + run_id() + "-C" + i +
         R"(","address":{"street":"1200 Harbour Boulevard, unit 4","zip":"94107","city":"San Francisco"}})";
}

// Owning text of enqueue requests.
struct pending_events {
  std::vector<std::string> payloads, keys;
  std::vector<ob::enqueue_request> requests;

  // `count` customers numbered from `*next` (advanced).
  pending_events(std::size_t count, std::uint64_t* next) {
    payloads.reserve(count);
    keys.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint64_t n = (*next)++;
      payloads.push_back(customer_payload(n));
      keys.push_back(run_id() + "-k" + std::to_string(n));
    }
    for (std::size_t i = 0; i < count; ++i)
      requests.push_back({.subject = "customer", .payload = payloads[i], .idempotency_key = keys[i],
                          .aggregate_key = keys[i]});
  }
};

// Items per second is the rate; this counter is its inverse (time per item).
void per_item_counter(benchmark::State& state, const char* name, double items) {
  state.counters[name] = benchmark::Counter(items, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Enqueues in batches of `batch` (1: the single-event call) until the loop ends.
void enqueue_loop(benchmark::State& state, ob::store& store, std::size_t batch) {
  ob::outbox box(store, contracts());
  static std::uint64_t next = 0;
  std::size_t items = 0;
  for (auto _ : state) {
    pending_events events(batch, &next);  // timed, as the baselines build their records
    if (batch == 1) {
      auto r = box.enqueue(events.requests.front());
      if (!r) {
        state.SkipWithError(r.error().describe().c_str());
        break;
      }
    } else {
      auto r = box.enqueue(events.requests);
      if (!r) {
        state.SkipWithError(r.error().describe().c_str());
        break;
      }
    }
    items += batch;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  per_item_counter(state, "per_event", static_cast<double>(items));
}

// ---------------------------------------------------------------- baselines

void BM_raw_write_fsync(benchmark::State& state) {
  const fs::path file = fresh_file("raw-append");
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    state.SkipWithError("cannot open the file");
    return;
  }
  std::uint64_t n = 0;
  for (auto _ : state) {
    const std::string record = customer_payload(n++) + "\n";
    if (::write(fd, record.data(), record.size()) != static_cast<ssize_t>(record.size()) || ::fsync(fd) != 0) {
      state.SkipWithError("write or fsync failed");
      break;
    }
  }
  ::close(fd);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(customer_payload(0).size() + 1));
  per_item_counter(state, "per_event", static_cast<double>(state.iterations()));
}
BENCHMARK(BM_raw_write_fsync)->UseRealTime()->MinTime(1.0);

#if defined(ODOOLINK_HAS_SQLITE)
bool sqlite_exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

// range(0): rows per transaction (1: each INSERT in its own transaction).
void BM_raw_sqlite_insert(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  const fs::path file = fresh_file("raw-sqlite");
  sqlite3* db = nullptr;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK || !sqlite_exec(db, "PRAGMA journal_mode=WAL") ||
      !sqlite_exec(db, "PRAGMA synchronous=FULL") ||
      !sqlite_exec(db, "CREATE TABLE events(seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, payload TEXT NOT NULL)")) {
    state.SkipWithError(db != nullptr ? sqlite3_errmsg(db) : "sqlite3_open failed");
    sqlite3_close(db);
    return;
  }
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO events(key, payload) VALUES (?1, ?2)", -1, &insert, nullptr);
  std::uint64_t n = 0;
  std::size_t items = 0;
  for (auto _ : state) {
    if (batch > 1) sqlite_exec(db, "BEGIN");
    for (std::size_t i = 0; i < batch; ++i) {
      const std::string key = run_id() + "-k" + std::to_string(n);
      const std::string payload = customer_payload(n++);
      sqlite3_bind_text(insert, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 2, payload.data(), static_cast<int>(payload.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError(sqlite3_errmsg(db));
      sqlite3_reset(insert);
    }
    if (batch > 1 && !sqlite_exec(db, "COMMIT")) state.SkipWithError(sqlite3_errmsg(db));
    items += batch;
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  per_item_counter(state, "per_event", static_cast<double>(items));
}
BENCHMARK(BM_raw_sqlite_insert)->ArgName("batch")->Arg(1)->Arg(100)->Arg(1000)->UseRealTime()->MinTime(1.0);
#endif

// ---------------------------------------------------------------- enqueue

// range(0): events per enqueue call; range(1): 1 = full durability, 0 = normal.
void BM_outbox_enqueue_sqlite(benchmark::State& state) {
#if defined(ODOOLINK_HAS_SQLITE)
  ob::sqlite_options o;
  o.path = fresh_file("outbox").string();
  o.durability = state.range(1) != 0 ? ob::sqlite_durability::full : ob::sqlite_durability::normal;
  auto store = ob::sqlite_store::open(o);
  if (!store) {
    state.SkipWithError(store.error().describe().c_str());
    return;
  }
  enqueue_loop(state, *store.value(), static_cast<std::size_t>(state.range(0)));
#else
  state.SkipWithError("built without the SQLite store");
#endif
}
BENCHMARK(BM_outbox_enqueue_sqlite)
    ->ArgNames({"batch", "full"})
    ->Args({1, 1})
    ->Args({100, 1})
    ->Args({1000, 1})
    ->Args({1, 0})
    ->Args({100, 0})
    ->Args({1000, 0})
    ->UseRealTime()
    ->MinTime(1.0);

// range(0): events per enqueue call. PostgreSQL commits are durable (fsync at commit, as configured on the server).
void BM_outbox_enqueue_postgres(benchmark::State& state) {
#if defined(ODOOLINK_HAS_POSTGRES)
  const char* conninfo = env("ODOOLINK_TEST_PG");
  if (conninfo == nullptr) {
    state.SkipWithError("set ODOOLINK_TEST_PG to a libpq connection string to run the PostgreSQL benchmarks");
    return;
  }
  auto store = ob::postgres_store::open({.conninfo = conninfo, .schema = "odoolink_bench"});
  if (!store) {
    state.SkipWithError(store.error().describe().c_str());
    return;
  }
  enqueue_loop(state, *store.value(), static_cast<std::size_t>(state.range(0)));
#else
  state.SkipWithError("built without the PostgreSQL store (ODOOLINK_WITH_POSTGRES)");
#endif
}
BENCHMARK(BM_outbox_enqueue_postgres)->ArgName("batch")->Arg(1)->Arg(100)->Arg(1000)->UseRealTime()->MinTime(1.0);

// ---------------------------------------------------------------- relay

// Acknowledges every event without doing anything.
class noop_sink final : public ob::sink {
 public:
  std::vector<ob::delivery> deliver(std::span<const ob::event> events) override {
    return std::vector<ob::delivery>(events.size());
  }
};

// The store of BM_relay_noop_sink's range(0), or null after skipping the benchmark.
std::unique_ptr<ob::store> relay_store(benchmark::State& state) {
  const auto which = state.range(0);
  if (which == 0) return std::make_unique<ob::memory_store>();
  if (which == 3) {
#if defined(ODOOLINK_HAS_POSTGRES)
    const char* conninfo = env("ODOOLINK_TEST_PG");
    if (conninfo == nullptr) {
      state.SkipWithError("set ODOOLINK_TEST_PG to a libpq connection string to run the PostgreSQL benchmarks");
      return nullptr;
    }
    // A schema of its own: the enqueue benchmarks leave their events pending in theirs.
    auto s = ob::postgres_store::open({.conninfo = conninfo, .schema = "odoolink_bench_relay"});
    if (!s) {
      state.SkipWithError(s.error().describe().c_str());
      return nullptr;
    }
    return std::move(s).value();
#else
    state.SkipWithError("built without the PostgreSQL store (ODOOLINK_WITH_POSTGRES)");
    return nullptr;
#endif
  }
#if defined(ODOOLINK_HAS_SQLITE)
  ob::sqlite_options o;
  o.path = fresh_file("relay").string();
  o.durability = which == 1 ? ob::sqlite_durability::full : ob::sqlite_durability::normal;
  auto s = ob::sqlite_store::open(o);
  if (!s) {
    state.SkipWithError(s.error().describe().c_str());
    return nullptr;
  }
  return std::move(s).value();
#else
  state.SkipWithError("built without the SQLite store");
  return nullptr;
#endif
}

// range(0): store (0 memory, 1 SQLite full durability, 2 SQLite normal durability, 3 PostgreSQL).
// Each iteration delivers 1,000 queued events (enqueueing and purging them is not timed).
void BM_relay_noop_sink(benchmark::State& state) {
  std::unique_ptr<ob::store> store = relay_store(state);
  if (!store) return;
  static constexpr const char* labels[] = {"memory", "sqlite full", "sqlite normal", "postgres"};
  state.SetLabel(labels[state.range(0)]);
  constexpr std::size_t per_iteration = 1000;
  ob::outbox box(*store, contracts());
  noop_sink sink;
  ob::relay_options o;
  o.batch_size = 256;
  ob::relay relay(*store, sink, o);
  static std::uint64_t next = 1'000'000'000;
  std::size_t items = 0;
  for (auto _ : state) {
    state.PauseTiming();
    (void)store->purge(ob::to_timestamp(std::chrono::system_clock::now() + std::chrono::hours(1)));
    pending_events events(per_iteration, &next);
    auto queued = box.enqueue(events.requests);
    if (!queued) {
      state.SkipWithError(queued.error().describe().c_str());
      break;
    }
    state.ResumeTiming();
    std::size_t delivered = 0;
    while (delivered < per_iteration) {
      auto report = relay.pump(per_iteration);
      if (!report || report.value().delivered == 0) {
        state.SkipWithError(report ? "nothing delivered" : report.error().describe().c_str());
        break;
      }
      delivered += report.value().delivered;
    }
    items += delivered;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  per_item_counter(state, "per_event", static_cast<double>(items));
}
BENCHMARK(BM_relay_noop_sink)->ArgName("store")->Arg(0)->Arg(1)->Arg(2)->Arg(3)->UseRealTime()->MinTime(1.0);

// ---------------------------------------------------------------- Odoo

// The Odoo of ODOOLINK_TEST_*, or nullopt (the benchmark is skipped).
std::optional<odoolink::client::client_options> odoo_options() {
  const char* url = env("ODOOLINK_TEST_URL");
  const char* db = env("ODOOLINK_TEST_DB");
  const char* user = env("ODOOLINK_TEST_USER");
  const char* password = env("ODOOLINK_TEST_PASSWORD");
  if (url == nullptr || db == nullptr || user == nullptr || password == nullptr) return std::nullopt;
  // A password: a web session (one login, then the session cookie).
  return odoolink::client::client_options{.url = url, .database = db, .login = user, .password = password};
}

// A connection for one benchmark, or nullopt after SkipWithError.
std::optional<odoolink::client::client> odoo_or_skip(benchmark::State& state) {
  auto o = odoo_options();
  if (!o) {
    state.SkipWithError("set ODOOLINK_TEST_URL, _DB, _USER and _PASSWORD to run the Odoo benchmarks");
    return std::nullopt;
  }
  auto c = odoolink::client::client::connect(std::move(*o));
  if (!c) {
    state.SkipWithError(c.error().describe().c_str());
    return std::nullopt;
  }
  return std::move(c).value();
}

// What a customer payload puts on the partner (the load maps the same fields
// plus the contract's defaults), as create vals.
value partner_vals(std::uint64_t n) {
  const std::string i = std::to_string(n);
  return object{{"name", "Point of sale customer " + i},
                {"company_type", "person"},
                {"email", "customer" + i + "@shop.example.com"},
                {"phone", "+1 415 555 " + std::to_string(1000 + n % 9000)},
                {"ref", run_id() + "-C" + i},
                {"street", "1200 Harbour Boulevard, unit 4"},
                {"zip", "94107"},
                {"city", "San Francisco"},
                {"active", true}};
}

// Deletes partners (not timed by the callers).
void unlink_partners(benchmark::State& state, odoolink::client::client& odoo, array ids) {
  if (ids.empty()) return;
  auto r = odoo.execute_kw("res.partner", "unlink", array{value(std::move(ids))});
  if (!r) state.SkipWithError(r.error().describe().c_str());
}

std::int64_t id_of(const value& created) {
  // JSON-2 answers a list even for one record.
  return created.is_array() ? created.as_array().front().as_int() : created.as_int();
}

// range(0): records per iteration, one create call each.
void BM_odoo_create_loop(benchmark::State& state) {
  auto odoo = odoo_or_skip(state);
  if (!odoo) return;
  const auto count = static_cast<std::size_t>(state.range(0));
  static std::uint64_t next = 2'000'000'000;
  std::size_t items = 0;
  for (auto _ : state) {
    array ids;
    for (std::size_t i = 0; i < count; ++i) {
      auto r = odoo->execute_kw("res.partner", "create", array{partner_vals(next++)});
      if (!r) {
        state.SkipWithError(r.error().describe().c_str());
        break;
      }
      ids.emplace_back(id_of(odoolink::json::parse(r.value().json()).value()));
    }
    items += ids.size();
    state.PauseTiming();
    unlink_partners(state, *odoo, std::move(ids));
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
}
BENCHMARK(BM_odoo_create_loop)->ArgName("records")->Arg(100)->Iterations(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// range(0): records per iteration, all in one create([...]) call.
void BM_odoo_create_batch(benchmark::State& state) {
  auto odoo = odoo_or_skip(state);
  if (!odoo) return;
  const auto count = static_cast<std::size_t>(state.range(0));
  static std::uint64_t next = 3'000'000'000;
  std::size_t items = 0;
  for (auto _ : state) {
    state.PauseTiming();
    array vals;
    for (std::size_t i = 0; i < count; ++i) vals.push_back(partner_vals(next++));
    state.ResumeTiming();
    auto r = odoo->execute_kw("res.partner", "create", array{value(std::move(vals))});
    if (!r) {
      state.SkipWithError(r.error().describe().c_str());
      break;
    }
    state.PauseTiming();
    const value ids = odoolink::json::parse(r.value().json()).value();
    if (!ids.is_array() || ids.as_array().size() != count) state.SkipWithError("create did not answer one id per record");
    items += count;
    unlink_partners(state, *odoo, ids.as_array());
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
}
BENCHMARK(BM_odoo_create_batch)->ArgName("records")->Arg(500)->Iterations(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// External ids of this run's partners created by load (for the clean-up).
array partners_of_run(benchmark::State& state, odoolink::client::client& odoo) {
  auto r = odoo.execute_kw("ir.model.data", "search_read",
                           array{array{array{"module", "=", "odoolink_bench"}, array{"model", "=", "res.partner"},
                                       array{"name", "=like", run_id() + "\\_%"}}},
                           object{{"fields", array{"res_id"}}});
  array ids;
  if (!r) {
    state.SkipWithError(r.error().describe().c_str());
    return ids;
  }
  const value rows = odoolink::json::parse(r.value().json()).value();
  for (const auto& row : rows.as_array()) ids.push_back(*row.find("res_id"));
  return ids;
}

// range(0): records per iteration, all in one load call with external ids (what the sink sends, without the outbox).
void BM_odoo_load(benchmark::State& state) {
  auto odoo = odoo_or_skip(state);
  if (!odoo) return;
  const auto count = static_cast<std::size_t>(state.range(0));
  const auto customer = contracts().latest("customer").value();
  static std::uint64_t next = 4'000'000'000;
  std::size_t items = 0;
  for (auto _ : state) {
    state.PauseTiming();
    odoolink::contract::load_rows rows;
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint64_t n = next++;
      auto row = odoolink::contract::to_load_row(customer, odoolink::json::parse(customer_payload(n)).value(), "");
      if (!row) {
        state.SkipWithError(row.error().describe().c_str());
        break;
      }
      if (i == 0) {
        rows = std::move(row).value();
      } else {
        (void)rows.append(row.value());
      }
    }
    auto call = odoolink::contract::to_load_call(customer, rows);
    state.ResumeTiming();
    auto r = odoo->execute_kw(std::move(call).value());
    if (!r) {
      state.SkipWithError(r.error().describe().c_str());
      break;
    }
    state.PauseTiming();
    const value answer = odoolink::json::parse(r.value().json()).value();
    const value* ids = answer.find("ids");
    if (ids == nullptr || !ids->is_array() || ids->as_array().size() != count)
      state.SkipWithError(("load refused the rows: " + std::string(r.value().json().substr(0, 300))).c_str());
    items += count;
    unlink_partners(state, *odoo, partners_of_run(state, *odoo));
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
}
BENCHMARK(BM_odoo_load)->ArgName("records")->Arg(500)->Iterations(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// Each iteration enqueues `count` customers (not timed), then times the
// relay draining them into Odoo through the sink with load batches of at
// most `max_batch` rows.
void outbox_to_odoo(benchmark::State& state, std::size_t count, std::size_t max_batch) {
  auto odoo = odoo_or_skip(state);
  if (!odoo) return;
#if defined(ODOOLINK_HAS_SQLITE)
  auto opened = ob::sqlite_store::open({.path = fresh_file("to-odoo").string()});
  if (!opened) {
    state.SkipWithError(opened.error().describe().c_str());
    return;
  }
  std::unique_ptr<ob::store> store = std::move(opened).value();
#else
  std::unique_ptr<ob::store> store = std::make_unique<ob::memory_store>();
#endif
  ob::outbox box(*store, contracts());
  ob::odoo_sink_options sink_options;
  sink_options.xid_module = "odoolink_bench";
  sink_options.max_batch = max_batch;
  ob::odoo_sink sink(*odoo, contracts(), sink_options);
  ob::relay_options relay_options;
  relay_options.batch_size = std::max<std::size_t>(max_batch, 64);  // a claim bounds the load batch
  ob::relay relay(*store, sink, relay_options);
  static std::uint64_t next = 5'000'000'000;
  std::size_t items = 0;
  const std::size_t calls_before = sink.load_calls();
  for (auto _ : state) {
    state.PauseTiming();
    pending_events events(count, &next);
    auto queued = box.enqueue(events.requests);
    if (!queued) {
      state.SkipWithError(queued.error().describe().c_str());
      break;
    }
    state.ResumeTiming();
    std::size_t delivered = 0;
    while (delivered < count) {
      auto report = relay.pump(count);
      if (!report || report.value().delivered == 0) {
        state.SkipWithError(report ? "a pump delivered nothing (see the outbox's dead letters)" : report.error().describe().c_str());
        break;
      }
      delivered += report.value().delivered;
    }
    items += delivered;
    state.PauseTiming();
    unlink_partners(state, *odoo, partners_of_run(state, *odoo));
    (void)store->purge(ob::to_timestamp(std::chrono::system_clock::now() + std::chrono::hours(1)));
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  state.counters["load_calls"] = static_cast<double>(sink.load_calls() - calls_before);
}

// range(0): records per iteration; range(1): max_batch.
void BM_outbox_to_odoo_batched(benchmark::State& state) {
  outbox_to_odoo(state, static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
}
BENCHMARK(BM_outbox_to_odoo_batched)
    ->ArgNames({"records", "max_batch"})
    ->Args({500, 250})
    ->Args({500, 500})
    ->Iterations(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// range(0): records per iteration, one load call each.
void BM_outbox_to_odoo_unbatched(benchmark::State& state) {
  outbox_to_odoo(state, static_cast<std::size_t>(state.range(0)), 1);
}
BENCHMARK(BM_outbox_to_odoo_unbatched)->ArgName("records")->Arg(100)->Iterations(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
