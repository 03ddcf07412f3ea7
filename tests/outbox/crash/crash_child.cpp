// The process the crash-consistency tests kill. Usage:
//   odoolink_outbox_crash_child --store <spec> --sink <sqlite file> --ack <file> --mode run|drain
// run:   forever: enqueue a few events with fresh keys, append their keys to
//        the ack file (fsync) once the store acknowledged them, relay what is
//        due into the record sink. Prints "ready" once the store is open.
// drain: relays until nothing is pending or in flight; exits 0 when done.
// Every run relays under one owner name with leases far longer than the test:
// what a killed run left in flight is only ever resumed because the next
// relay of that name takes it back at once (relay_options::owner).
// Exit codes: 0 drained, 2 bad arguments, 3 a store or sink error.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "odoolink/outbox/relay.hpp"
#include "odoolink/outbox/uuid.hpp"
#include "outbox/crash/record_sink.hpp"
#include "outbox/support/open_store.hpp"

namespace {

namespace ob = odoolink::outbox;
using namespace std::chrono_literals;

struct arguments {
  std::string store, sink, ack, mode;
};

bool parse(int argc, char** argv, arguments& out) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    std::string* slot = flag == "--store" ? &out.store
                        : flag == "--sink" ? &out.sink
                        : flag == "--ack"  ? &out.ack
                        : flag == "--mode" ? &out.mode
                                           : nullptr;
    if (slot == nullptr) return false;
    *slot = argv[i + 1];
  }
  return argc % 2 == 1 && !out.store.empty() && !out.sink.empty() && (out.mode == "run" || out.mode == "drain") &&
         (out.mode == "drain" || !out.ack.empty());
}

int fail(const char* what, const odoolink::error& e) {
  std::fprintf(stderr, "crash child: %s: %s\n", what, e.describe().c_str());
  return 3;
}

constexpr const char* relay_name = "crash-relay";

// Appends lines and makes them durable; a kill may tear the last line, which readers ignore.
bool append_durably(int fd, const std::string& lines) {
  std::size_t done = 0;
  while (done < lines.size()) {
    const ssize_t n = ::write(fd, lines.data() + done, lines.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return ::fsync(fd) == 0;
}

ob::new_event make_event(const std::string& key, std::string aggregate, std::uint64_t n) {
  const auto now = ob::to_timestamp(std::chrono::system_clock::now());
  ob::new_event e;
  e.id = ob::make_uuid_v7(now);
  e.idempotency_key = key;
  e.aggregate_key = std::move(aggregate);
  e.subject = "crash";
  e.contract_version = "1.0.0";
  e.fingerprint = std::string(64, 'c');
  e.payload = R"({"key":")" + key + R"(","n":)" + std::to_string(n) + "}";
  e.correlation_id = "crash";
  e.created_at = now;
  e.audit_payload = R"({"n":)" + std::to_string(n) + "}";
  return e;
}

int run(ob::store& store, ob::sink& sink, const std::string& ack_path) {
  std::mt19937_64 rng(std::random_device{}());
  char run_id[17];
  std::snprintf(run_id, sizeof run_id, "%016" PRIx64, static_cast<std::uint64_t>(rng()));
  const int ack = ::open(ack_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (ack < 0) {
    std::fprintf(stderr, "crash child: open the ack file: %s\n", std::strerror(errno));
    return 3;
  }
  ob::relay relay(store, sink, {.owner = relay_name, .lease = 1h, .batch_size = 8,
                                .max_attempts = 1000, .backoff = {.initial = 1ms, .max = 20ms}});
  std::printf("ready\n");
  std::fflush(stdout);
  for (std::uint64_t n = 0;;) {
    std::vector<ob::new_event> batch;
    const auto size = 1 + rng() % 4;
    for (std::uint64_t i = 0; i < size; ++i, ++n) {
      // Few aggregates, shared by every run, so per-aggregate order is exercised across crashes.
      const auto pick = rng() % 6;
      batch.push_back(make_event(std::string(run_id) + "-" + std::to_string(n),
                                 pick == 0 ? std::string() : "agg-" + std::to_string(pick), n));
    }
    auto stored = store.enqueue(batch);
    if (!stored) return fail("enqueue", stored.error());
    std::string lines;
    for (const auto& e : batch) lines += e.idempotency_key + "\n";
    if (!append_durably(ack, lines)) {
      std::fprintf(stderr, "crash child: write the ack file: %s\n", std::strerror(errno));
      return 3;
    }
    auto pumped = relay.pump(32);
    if (!pumped) return fail("pump", pumped.error());
  }
}

int drain(ob::store& store, ob::sink& sink) {
  ob::relay relay(store, sink, {.owner = relay_name, .lease = 1h, .max_attempts = 1000,
                                .backoff = {.initial = 1ms, .max = 20ms}});
  for (int round = 0; round < 100000; ++round) {
    auto pumped = relay.pump(1024);
    if (!pumped) return fail("pump", pumped.error());
    auto stats = store.stats();
    if (!stats) return fail("stats", stats.error());
    if (stats.value().pending == 0 && stats.value().in_flight == 0) {
      std::printf("drained: %zu delivered, %zu dead\n", stats.value().delivered, stats.value().dead);
      return 0;
    }
    if (pumped.value().claimed == 0) std::this_thread::sleep_for(1ms);  // a retry is not due yet
  }
  std::fprintf(stderr, "crash child: the store did not drain\n");
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  arguments args;
  if (!parse(argc, argv, args)) {
    std::fprintf(stderr,
                 "usage: %s --store <spec> --sink <sqlite file> --ack <file> --mode run|drain\n"
                 "  spec: sqlite:<path> or postgres[.<schema>]:<conninfo>\n",
                 argc > 0 ? argv[0] : "odoolink_outbox_crash_child");
    return 2;
  }
  auto store = odoolink::test::open_test_store(args.store);
  if (!store) return fail("open the store", store.error());
  auto sink = odoolink::test::crash::record_sink::open(args.sink);
  if (!sink) return fail("open the sink", sink.error());
  return args.mode == "run" ? run(*store.value(), *sink.value(), args.ack) : drain(*store.value(), *sink.value());
}
