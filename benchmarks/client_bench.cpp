// Client overhead per call. A minimal loopback HTTP server answers three
// recorded Odoo 18 exchanges, a small `read` (one partner, 7 fields), a
// `search_read` (3 partners) and a `create` (one partner; not idempotent, so
// the transport must never let libcurl send it twice); for each, in the same run:
// - plain libcurl (keep-alive) POSTs the recorded request bytes with the
//   request headers odoolink sends (Content-Type, User-Agent) (baseline),
//   and again also parsing the answer with simdjson (what a hand-written
//   client has to do at least);
// - odoolink's client.execute_kw() makes the same call: encode, send through
//   the libcurl transport, validate the body and slice out the result.
// Without the network (BM_odoolink_own_cost, BM_simdjson_parse_only): the
// same execute_kw through a transport that answers at once, which is
// odoolink's own CPU per call, next to a bare simdjson parse of the answer.
// With ODOOLINK_TEST_URL & co set, it also times one search_read of 40
// partners x 5 fields per protocol against that real server.

#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <simdjson.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "../tests/transport/support/http_server.hpp"
#include "../tests/transport/support/recorded_exchange.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/transport/curl_transport.hpp"
#include "odoolink/transport/sync_transport.hpp"

namespace {

using odoolink_test::http_server;
using odoolink_test::recorded_exchange;
namespace oc = odoolink::client;

enum class recorded { read, search_read, create };

const recorded_exchange& exchange(recorded which) {
  static const recorded_exchange read = recorded_exchange::load("odoo18/jsonrpc/read.json");
  static const recorded_exchange search_read = recorded_exchange::load("odoo18/jsonrpc/search_read_partner.json");
  static const recorded_exchange create = recorded_exchange::load("odoo18/jsonrpc/create.json");
  switch (which) {
    case recorded::read: return read;
    case recorded::search_read: return search_read;
    default: return create;
  }
}

// A minimal Odoo 18's answer: version probe, authenticate, then the recorded
// read, search_read or create.
odoolink_test::reply odoo18_answer(std::string_view target, std::string_view body) {
  odoolink_test::reply out;
  out.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
  if (target == "/web/version") {
    out.status = 404;
    out.body = "not here";
  } else if (target == "/web/webclient/version_info") {
    out.body = R"({"jsonrpc": "2.0", "id": 1, "result": {"server_version": "18.0", "server_version_info": [18, 0, 0, "final", 0, ""]}})";
  } else if (body.find("\"authenticate\"") != std::string::npos) {
    out.body = R"({"jsonrpc": "2.0", "id": 1, "result": 2})";
  } else if (body.find("\"search_read\"") != std::string::npos) {
    out.body = exchange(recorded::search_read).response_body;
  } else if (body.find("\"create\"") != std::string::npos) {
    out.body = exchange(recorded::create).response_body;
  } else {
    out.body = exchange(recorded::read).response_body;
  }
  return out;
}

// Plays that Odoo 18 on loopback.
http_server& server() {
  static http_server s([](const odoolink_test::received_request& r) { return odoo18_answer(r.target, r.body); });
  return s;
}

// The call recorded in the exchange.
odoolink::protocol::call recorded_call(recorded which) {
  auto doc = odoolink::json::parse(exchange(which).request_body).value();
  const auto& args = doc.find("params")->find("args")->as_array();
  return {args[3].as_string(), args[4].as_string(), args[5], args[6]};
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

void plain_libcurl(benchmark::State& state, recorded which, bool parse) {
  const auto& x = exchange(which);
  const std::string url = server().url() + x.path;
  CURL* e = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");  // as odoolink's encoder
  // The same User-Agent line as odoolink's transport, so both send the same header bytes.
  const std::string user_agent = odoolink::transport::curl_options{}.user_agent;
  headers = curl_slist_append(headers, "Expect:");
  std::string body;
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(x.request_body.size()));
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, x.request_body.data());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
  simdjson::dom::parser parser;
  for (auto _ : state) {
    body.clear();
    if (curl_easy_perform(e) != CURLE_OK) state.SkipWithError("curl_easy_perform failed");
    if (parse) {
      simdjson::dom::element doc;
      if (parser.parse(body).get(doc) != simdjson::SUCCESS) state.SkipWithError("bad JSON");
      benchmark::DoNotOptimize(doc);
    }
    benchmark::DoNotOptimize(body.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  curl_slist_free_all(headers);
  curl_easy_cleanup(e);
}

void BM_plain_libcurl(benchmark::State& state, recorded which) { plain_libcurl(state, which, false); }
void BM_plain_libcurl_and_parse(benchmark::State& state, recorded which) { plain_libcurl(state, which, true); }

// The recorded call through a client on `transport` (null: libcurl to the loopback server).
void execute_kw_loop(benchmark::State& state, recorded which, std::shared_ptr<odoolink::transport::http_transport> transport) {
  auto c = oc::client::connect(oc::client_options{.url = server().url(), .database = "odoolink", .login = "admin",
                                                  .password = "admin", .protocol = oc::protocol_kind::jsonrpc,
                                                  .transport = std::move(transport)});
  if (!c) {
    state.SkipWithError(c.error().describe().c_str());
    return;
  }
  const auto call = recorded_call(which);
  for (auto _ : state) {
    auto r = c.value().execute_kw(call);
    if (!r) state.SkipWithError(r.error().describe().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_odoolink_execute_kw(benchmark::State& state, recorded which) { execute_kw_loop(state, which, nullptr); }

// odoolink's own work per call, without the network: the same client and
// call through a transport that hands back the same Odoo 18's answers at
// once. What remains is encoding the request, validating and decoding the
// answer into the result and the call's bookkeeping; next to it, a bare
// simdjson parse of the same answer.
class answers_at_once final : public odoolink::transport::sync_transport {
 public:
  explicit answers_at_once(recorded which) : which_(which) {}
  odoolink::result<odoolink::http_response> send(const odoolink::http_request& r) override {
    // After the login (the first /jsonrpc request) every call gets `which_`'s
    // answer, so the transport's own work stays out of the figure.
    if (logged_in_) return odoolink::http_response{200, json_type(), exchange(which_).response_body};
    logged_in_ = r.target == "/jsonrpc";
    auto answer = odoo18_answer(r.target, r.body);
    return odoolink::http_response{answer.status, std::move(answer.headers), std::move(answer.body)};
  }

 private:
  static std::vector<odoolink::http_header> json_type() { return {{"Content-Type", "application/json; charset=utf-8"}}; }
  recorded which_;
  bool logged_in_ = false;
};

void BM_odoolink_own_cost(benchmark::State& state, recorded which) {
  execute_kw_loop(state, which, std::make_shared<answers_at_once>(which));
}

void BM_simdjson_parse_only(benchmark::State& state, recorded which) {
  const std::string& body = exchange(which).response_body;
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element doc;
    if (parser.parse(body).get(doc) != simdjson::SUCCESS) state.SkipWithError("bad JSON");
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

BENCHMARK_CAPTURE(BM_odoolink_own_cost, read, recorded::read)->MinTime(0.5);
BENCHMARK_CAPTURE(BM_simdjson_parse_only, read, recorded::read)->MinTime(0.5);
BENCHMARK_CAPTURE(BM_odoolink_own_cost, search_read, recorded::search_read)->MinTime(0.5);
BENCHMARK_CAPTURE(BM_simdjson_parse_only, search_read, recorded::search_read)->MinTime(0.5);

// Interleaved per call kind, so each ratio compares runs that saw the same load.
BENCHMARK_CAPTURE(BM_plain_libcurl, read, recorded::read)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(BM_plain_libcurl_and_parse, read, recorded::read)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(BM_odoolink_execute_kw, read, recorded::read)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(BM_plain_libcurl, search_read, recorded::search_read)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(BM_plain_libcurl_and_parse, search_read, recorded::search_read)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(BM_odoolink_execute_kw, search_read, recorded::search_read)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(BM_plain_libcurl, create, recorded::create)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(BM_plain_libcurl_and_parse, create, recorded::create)->UseRealTime()->MinTime(1.0);
BENCHMARK_CAPTURE(BM_odoolink_execute_kw, create, recorded::create)->UseRealTime()->MinTime(1.0);

// --- against a real server, when configured ---------------------------------------

std::string env(const char* n) {
  const char* v = std::getenv(n);
  return v != nullptr ? v : "";
}

void BM_live_search_read(benchmark::State& state, oc::protocol_kind p) {
  oc::client_options o{.url = env("ODOOLINK_TEST_URL"), .database = env("ODOOLINK_TEST_DB"),
                       .login = env("ODOOLINK_TEST_USER"), .password = env("ODOOLINK_TEST_PASSWORD"), .protocol = p};
  if (p == oc::protocol_kind::json2) {
    o.password.clear();
    o.api_key = env("ODOOLINK_TEST_API_KEY");
  }
  auto c = oc::client::connect(o);
  if (!c) {
    state.SkipWithError(c.error().describe().c_str());
    return;
  }
  const odoolink::protocol::call call{"res.partner", "search_read", odoolink::json::array{odoolink::json::array{}},
                                      odoolink::json::object{{"fields", odoolink::json::array{"name", "email", "country_id", "is_company", "write_date"}},
                                                             {"limit", 40}}};
  for (auto _ : state) {
    auto r = c.value().execute_kw(call);
    if (!r) state.SkipWithError(r.error().describe().c_str());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

}  // namespace

int main(int argc, char** argv) {
  if (!env("ODOOLINK_TEST_URL").empty()) {
    for (auto p : {oc::protocol_kind::jsonrpc, oc::protocol_kind::web_session, oc::protocol_kind::xmlrpc, oc::protocol_kind::json2}) {
      if (p == oc::protocol_kind::json2 && env("ODOOLINK_TEST_API_KEY").empty()) continue;
      benchmark::RegisterBenchmark(("BM_live_search_read/" + std::string(oc::to_string(p))).c_str(),
                                   [p](benchmark::State& s) { BM_live_search_read(s, p); })
          ->UseRealTime()
          ->MinTime(2.0);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
