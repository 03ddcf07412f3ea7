// The relay process the delivery crash test kills. Usage:
//   odoolink_outbox_delivery_child --store <spec> --url <fake Odoo> --contracts <dir> --mode run|drain --seed <n>
// It relays the store's events through the real Odoo sink over loopback
// HTTP, with 30 % of the requests faulted (connection failures, responses
// lost after Odoo committed, 503s, truncated and corrupted bodies).
// run:   relays forever. Prints "ready" once the store is open (connecting to
//        Odoo comes after: it is part of resuming).
// drain: relays until nothing is pending or in flight, then prints "drained"
//        and exits 0.
// Every run relays under one owner name with leases far longer than the test,
// so what a killed run left in flight resumes only through the next run
// taking its name's leases back (relay_options::owner).
// Exit codes: 0 drained, 2 bad arguments, 3 a store, contract or connection error.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fault_transport.hpp"
#include "odoolink/transport/curl_transport.hpp"
#include "outbox/support/open_store.hpp"

namespace {

namespace ob = odoolink::outbox;
using namespace std::chrono_literals;

struct arguments {
  std::string store, url, contracts, mode, seed;
};

bool parse(int argc, char** argv, arguments& out) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    std::string* slot = flag == "--store"       ? &out.store
                        : flag == "--url"       ? &out.url
                        : flag == "--contracts" ? &out.contracts
                        : flag == "--mode"      ? &out.mode
                        : flag == "--seed"      ? &out.seed
                                                : nullptr;
    if (slot == nullptr) return false;
    *slot = argv[i + 1];
  }
  return argc % 2 == 1 && !out.store.empty() && !out.url.empty() && !out.contracts.empty() &&
         (out.mode == "run" || out.mode == "drain");
}

int fail(const char* what, const odoolink::error& e) {
  std::fprintf(stderr, "delivery child: %s: %s\n", what, e.describe().c_str());
  return 3;
}

// 30 % of requests faulted, in equal parts.
odoolink::testing::fault_options faults(std::uint64_t seed) {
  odoolink::testing::fault_options f;
  f.seed = seed;
  f.drop_request = 0.06;   // never reaches Odoo: a connection failure
  f.drop_response = 0.06;  // Odoo committed, the answer is lost
  f.status_503 = 0.06;
  f.truncate_body = 0.06;
  f.corrupt_body = 0.06;
  return f;
}

struct fault_counts {
  std::size_t injected = 0, requests = 0;
};

fault_counts count_faults(const odoolink::testing::fault_stats& stats) {
  fault_counts out;
  for (std::size_t k = 0; k < odoolink::testing::fault_kind_count; ++k) {
    out.requests += stats.injected[k];
    if (k != static_cast<std::size_t>(odoolink::testing::fault_kind::none)) out.injected += stats.injected[k];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  arguments args;
  if (!parse(argc, argv, args)) {
    std::fprintf(stderr, "usage: %s --store <spec> --url <url> --contracts <dir> --mode run|drain --seed <n>\n",
                 argc > 0 ? argv[0] : "odoolink_outbox_delivery_child");
    return 2;
  }
  auto store = odoolink::test::open_test_store(args.store);
  if (!store) return fail("open the store", store.error());
  auto registry = odoolink::contract::registry::load_directory(args.contracts);
  if (!registry) return fail("load the contracts", registry.error());
  std::printf("ready\n");
  std::fflush(stdout);

  auto curl = odoolink::transport::curl_transport::create({.base_url = args.url});
  if (!curl) return fail("create the transport", curl.error());
  auto flaky = std::make_shared<odoolink::testing::fault_transport>(
      std::shared_ptr<odoolink::transport::http_transport>(std::move(curl).value()),
      faults(std::strtoull(args.seed.c_str(), nullptr, 10)));
  // The version probe and login go through clean: starting offline is not what this test is about.
  constexpr std::size_t kept_clean = 6;
  for (std::size_t i = 0; i < kept_clean; ++i) flaky->force(odoolink::testing::fault_kind::none);
  auto connection = odoolink::client::client::connect(
      {.url = args.url, .database = "odoolink", .login = "admin", .password = "admin", .transport = flaky});
  if (!connection) return fail("connect", connection.error());

  ob::odoo_sink sink(std::move(connection).value(), registry.value(), {.xid_module = "pos", .max_batch = 50});
  // The default retry budgets: at this fault rate about one event in 30,000
  // fails ten times running, which must not dead-letter it (relay_options::retry_for).
  ob::relay relay(*store.value(), sink,
                  {.owner = "pos-relay", .lease = 1h, .batch_size = 200,
                   .backoff = {.initial = 20ms, .max = 500ms}, .park_for = 500ms});
  const fault_counts at_connect = count_faults(flaky->stats());  // the clean ones are not counted
  std::size_t reported = 0;
  for (;;) {
    auto pumped = relay.pump(400);
    if (!pumped) return fail("pump", pumped.error());
    fault_counts counts = count_faults(flaky->stats());
    counts.requests -= std::min(counts.requests, std::max(kept_clean, at_connect.requests));
    if (counts.requests != reported) {
      // Killed runs cannot say what they injected at the end: each says it as it goes.
      reported = counts.requests;
      std::printf("faults %zu of %zu\n", counts.injected, counts.requests);
      std::fflush(stdout);
    }
    if (args.mode == "drain") {
      auto stats = store.value()->stats();
      if (!stats) return fail("stats", stats.error());
      if (stats.value().pending == 0 && stats.value().in_flight == 0) {
        std::printf("drained\n");
        std::fflush(stdout);
        return 0;
      }
    }
    if (pumped.value().claimed == 0) std::this_thread::sleep_for(5ms);  // a retry is not due yet
  }
}
