// Transport throughput against a minimal loopback HTTP/1.1 server that
// answers the recorded Odoo 18 search_read exchange:
// - blocking odoolink::transport::curl_transport vs. a plain libcurl easy
//   handle (keep-alive) sending the same bytes, in the same run;
// - the host-driven form with 1, 8 and 32 requests in flight on one thread.
//
// Budget: the blocking transport reaches at least 90% of plain libcurl's
// calls/s (checked at the end; the program fails when it does not).

#include <benchmark/benchmark.h>
#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../tests/transport/support/http_server.hpp"
#include "../tests/transport/support/recorded_exchange.hpp"
#include "odoolink/transport/curl_transport.hpp"

namespace {

using odoolink_test::http_server;
using odoolink_test::recorded_exchange;

const recorded_exchange& exchange() {
  static const recorded_exchange x = recorded_exchange::load("odoo18/jsonrpc/search_read_partner.json");
  return x;
}

http_server& server() {
  static http_server s(exchange().replay());
  return s;
}

odoolink::transport::curl_options options() {
  odoolink::transport::curl_options o;
  o.base_url = server().url();
  o.proxy_from_environment = false;
  return o;
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Plain libcurl, set up once, as a hand-written client would: same method,
// target, headers, body, user agent and Accept-Encoding as the transport sends.
void plain_libcurl_easy(benchmark::State& state) {
  const auto& x = exchange();
  const std::string url = server().url() + x.path;
  CURL* e = curl_easy_init();
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  std::string body;
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(x.request_body.size()));
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, x.request_body.data());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_USERAGENT, "odoolink/" ODOOLINK_VERSION_STRING);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
  for (auto _ : state) {
    body.clear();
    long status = 0;
    if (curl_easy_perform(e) != CURLE_OK) state.SkipWithError("curl_easy_perform failed");
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200 || body.size() != x.response_body.size()) state.SkipWithError("unexpected response");
    benchmark::DoNotOptimize(body.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  curl_slist_free_all(headers);
  curl_easy_cleanup(e);
}

// range(0): 1 for an idempotent request (a read), 0 for one that is not (a
// create); both go out the same way, headers and body in one write.
void odoolink_blocking(benchmark::State& state) {
  auto t = odoolink::transport::curl_transport::create(options());
  if (!t) {
    state.SkipWithError(t.error().describe().c_str());
    return;
  }
  odoolink::http_request request = exchange().request();
  request.idempotent = state.range(0) != 0;
  for (auto _ : state) {
    auto r = t.value()->send(request);
    if (!r || r.value().status != 200 || r.value().body.size() != exchange().response_body.size())
      state.SkipWithError("unexpected response");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// One iteration = `batch` calls, keeping `in_flight` of them outstanding.
void odoolink_host_driven(benchmark::State& state) {
  const auto in_flight = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t batch = 256;
  auto created = odoolink::transport::curl_transport::create(options());
  if (!created) {
    state.SkipWithError(created.error().describe().c_str());
    return;
  }
  auto& t = *created.value();
  const odoolink::http_request request = exchange().request();
  std::size_t submitted = 0;
  std::size_t failures = 0;
  std::function<void(odoolink::result<odoolink::http_response>)> again;
  again = [&](odoolink::result<odoolink::http_response> r) {
    if (!r || r.value().status != 200) ++failures;
    if (submitted < batch) {
      ++submitted;
      t.submit(request, again);
    }
  };
  for (auto _ : state) {
    submitted = 0;
    for (std::size_t i = 0; i < in_flight && submitted < batch; ++i, ++submitted) t.submit(request, again);
    while (t.pending() > 0) {
      if (!t.poll(std::chrono::milliseconds(100))) {
        state.SkipWithError("poll failed");
        return;
      }
    }
  }
  if (failures > 0) state.SkipWithError("failed requests");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch));
}

BENCHMARK(plain_libcurl_easy)->UseRealTime()->MinTime(0.5);
BENCHMARK(odoolink_blocking)->ArgName("idempotent")->Arg(0)->Arg(1)->UseRealTime()->MinTime(0.5);
BENCHMARK(odoolink_host_driven)->Arg(1)->Arg(8)->Arg(32)->UseRealTime()->MinTime(0.5);

// Remembers calls/s per run so main() can check the budget.
class recording_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      if (run.error_occurred) continue;
      auto it = run.counters.find("items_per_second");
      if (it == run.counters.end()) continue;
      if (run.run_type == Run::RT_Iteration) rates[run.run_name.str()].push_back(it->second.value);
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")
        medians[run.run_name.str()] = it->second.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, std::vector<double>> rates;  // per repetition
  std::map<std::string, double> medians;             // when repetitions are aggregated
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The median calls/s of the benchmark whose name starts with `prefix`.
double rate_of(const recording_reporter& r, const std::string& prefix) {
  for (const auto& [name, m] : r.medians)
    if (name.rfind(prefix, 0) == 0) return m;
  for (const auto& [name, v] : r.rates)
    if (name.rfind(prefix, 0) == 0) return median(v);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Loopback timings on a shared machine drift: by default repeat every
  // benchmark, interleave the repetitions at random and compare medians.
  std::vector<char*> args(argv, argv + argc);
  std::string repetitions = "--benchmark_repetitions=9";
  std::string interleave = "--benchmark_enable_random_interleaving=true";
  std::string aggregates = "--benchmark_report_aggregates_only=true";
  bool given = false;
  for (int i = 1; i < argc; ++i) given = given || std::string(argv[i]).rfind("--benchmark_repetitions", 0) == 0;
  if (!given) {
    args.push_back(repetitions.data());
    args.push_back(interleave.data());
    args.push_back(aggregates.data());
  }
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  argv = args.data();
  argc = count;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  recording_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  const double plain = rate_of(reporter, "plain_libcurl_easy");
  // The request as recorded (a call that is not idempotent), as plain libcurl sends it.
  const double ours = rate_of(reporter, "odoolink_blocking/idempotent:0");
  if (plain <= 0 || ours <= 0) return 0;  // filtered out
  const double ratio = ours / plain;
  std::printf("\nblocking odoolink / plain libcurl = %.0f / %.0f calls/s = %.3f (budget >= 0.90): %s\n", ours, plain,
              ratio, ratio >= 0.90 ? "PASS" : "FAIL");
  return ratio >= 0.90 ? 0 : 1;
}
