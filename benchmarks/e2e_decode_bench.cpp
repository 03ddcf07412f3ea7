// End to end through the public client: a canned transport hands the client
// a real-shaped search_read response (50,000 res.partner-like records,
// ~15 MB; the same generator as model_bench.cpp) and the program calls
// `proxy::search_read<V>()` or `client::execute_kw()`, per protocol (the
// JSON ones and XML-RPC, whose body carries the same records as
// `<methodResponse>` XML). In the same run: nlohmann::json parse + extraction
// of the same JSON body into the same owning structs, and a bare parse of the
// body (simdjson DOM for JSON, expat without handlers for XML).
//
// The transport's copy of the body is made with the timer paused (a real
// transport writes the bytes it receives once, into storage with room for
// simdjson's padding, as this one does): what is timed is what the library
// does from the received bytes to the records.
//
// Variants (per protocol: jsonrpc, web, json2, xmlrpc):
//   search_read_views   proxy.search_read<partner_view>() (string_view members)
//   search_read_owned   proxy.search_read<partner_owned>() (std::string members)
//   execute_kw          client.execute_kw(): envelope read, result checked and sliced
//   nlohmann            nlohmann::json parse of the body + extraction (no client;
//                       for xmlrpc: of the JSON-RPC body with the same records)
//   simdjson_dom        simdjson DOM parse of the body alone (no extraction; JSON only)
//   expat_bare          expat parse of the XML body alone, no handlers (xmlrpc only)
//   peak_memory         peak resident memory added by one view decode, x body size
//                       (with records_x_body: the records' own size, x body size)
//
// Targets (issue text): views >= 1 GB/s and >= 10x nlohmann; owned >= 0.7 GB/s;
// peak of a view decode <= 1.5x the body.
#include <benchmark/benchmark.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <malloc.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>
#if defined(ODOOLINK_HAS_XMLRPC)
#include <expat.h>
#endif

#include "odoolink/client/client.hpp"
#include "odoolink/model/proxy.hpp"
#include "odoolink/models/res_partner.hpp"
#if defined(ODOOLINK_HAS_XMLRPC)
#include "odoolink/protocol/xmlrpc.hpp"
#endif
#include "odoolink/transport/sync_transport.hpp"
#include "partner_records.hpp"
#if defined(ODOOLINK_HAVE_NLOHMANN)
#include <nlohmann/json.hpp>
#endif

using namespace odoolink;
using namespace odoolink::models;
namespace m = odoolink::model;

namespace {

using bench::make_partners;
using bench::partner_owned;
using bench::partner_view;
using bench::record_count;
using bench::status_kb;

const std::string& records_text() {
  static const std::string s = make_partners(record_count);
  return s;
}

enum class wire { jsonrpc, web, json2, xmlrpc };

// The body the server sends for the search_read, per protocol.
const std::string& body_for(wire w) {
  static const std::string enveloped = R"({"jsonrpc": "2.0", "id": 7, "result": )" + records_text() + "}";
  switch (w) {
    case wire::json2: return records_text();
#if defined(ODOOLINK_HAS_XMLRPC)
    case wire::xmlrpc: {
      static const std::string xml = protocol::xmlrpc::encode_response(json::parse(records_text()).value());
      return xml;
    }
#endif
    default: return enveloped;
  }
}

// The JSON body nlohmann reads for a protocol (XML-RPC: the JSON-RPC one).
const std::string& json_body_for(wire w) { return body_for(w == wire::xmlrpc ? wire::jsonrpc : w); }

// Answers the version probe and the login like Odoo 18 (JSON-RPC, web
// session) or 19 (JSON-2), and every other call with `next`, which the
// benchmark refills (timer paused) before each call.
class canned_transport final : public transport::sync_transport {
 public:
  explicit canned_transport(wire w) : wire_(w) {}
  std::string next;

  result<http_response> send(const http_request& r) override {
    http_response out{200, {{"Content-Type", "application/json; charset=utf-8"}}, {}};
#if defined(ODOOLINK_HAS_XMLRPC)
    if (r.target.starts_with("/xmlrpc/")) {
      out.headers = {{"Content-Type", "text/xml"}};
      out.body = r.target == "/xmlrpc/2/common" ? protocol::xmlrpc::encode_response(json::value(2)) : std::move(next);
      return out;
    }
#endif
    if (r.target == "/web/version") {
      if (wire_ != wire::json2) return http_response{404, {{"Content-Type", "text/html"}}, "<html>404</html>"};
      out.body = R"({"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"})";
    } else if (r.target == "/web/webclient/version_info") {
      out.body = R"({"jsonrpc": "2.0", "id": 1, "result": {"server_version": "18.0", "server_version_info": [18, 0, 0, "final", 0, ""]}})";
    } else if (r.target == "/web/session/authenticate") {
      out.body = R"({"jsonrpc": "2.0", "id": 1, "result": {"uid": 2, "db": "bench"}})";
      out.headers.push_back({"Set-Cookie", "session_id=bench-session; Path=/; HttpOnly"});
    } else if (r.target == "/json/2/res.users/context_get") {
      out.body = R"({"lang": "en_US", "tz": "Europe/Brussels", "uid": 2})";
    } else if (r.body.find("\"authenticate\"") != std::string::npos) {
      out.body = R"({"jsonrpc": "2.0", "id": 1, "result": 2})";
    } else {
      out.body = std::move(next);
    }
    return out;
  }

 private:
  wire wire_;
};

struct connection {
  std::shared_ptr<canned_transport> transport;
  client::client client;
};

connection connect(wire w) {
  auto t = std::make_shared<canned_transport>(w);
  client::client_options o;
  o.url = "http://127.0.0.1:8069";
  o.database = "bench";
  o.login = "admin";
  if (w == wire::json2) {
    o.api_key = "bench-key";
  } else {
    o.password = "bench-password";
  }
  o.protocol = w == wire::jsonrpc ? client::protocol_kind::jsonrpc
               : w == wire::web   ? client::protocol_kind::web_session
               : w == wire::xmlrpc ? client::protocol_kind::xmlrpc
                                  : client::protocol_kind::json2;
  o.transport = t;
  auto c = client::client::connect(std::move(o));
  if (!c) {
    std::fprintf(stderr, "connect failed: %s\n", c.error().describe().c_str());
    std::exit(1);
  }
  // The canned server answers every call with the same records: no fields_get.
  c.value().server_fields().set_mode(client::field_check::trust);
  return {t, std::move(c).value()};
}

// A received body: the bytes, with room behind them for simdjson's padding.
std::string received(wire w) {
  std::string s;
  s.reserve(body_for(w).size() + json::padding);
  s.assign(body_for(w));
  return s;
}

void report(benchmark::State& state, wire w) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(body_for(w).size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * record_count);
  state.counters["body_MB"] = static_cast<double>(body_for(w).size()) / 1e6;
  // bytes_per_second prints in binary units (M/s = MiB/s); the targets are decimal GB/s.
  state.counters["GB_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()) *
                                                      static_cast<double>(body_for(w).size()) / 1e9,
                                                  benchmark::Counter::kIsRate);
}

template <class V>
void search_read(benchmark::State& state, wire w) {
  auto conn = connect(w);
  m::any_proxy partners(conn.client, "res.partner");
  for (auto _ : state) {
    state.PauseTiming();
    conn.transport->next = received(w);
    state.ResumeTiming();
    auto rows = partners.search_read<V>(m::domain{});
    if (!rows || rows.value().size() != record_count) {
      state.SkipWithError(rows ? "wrong record count" : rows.error().describe().c_str());
      break;
    }
    benchmark::DoNotOptimize(rows);
    state.PauseTiming();
    rows = m::decoded<V>{};  // freeing is not decoding
    state.ResumeTiming();
  }
  report(state, w);
}

void execute_kw(benchmark::State& state, wire w) {
  auto conn = connect(w);
  for (auto _ : state) {
    state.PauseTiming();
    conn.transport->next = received(w);
    state.ResumeTiming();
    auto reply = conn.client.execute_kw("res.partner", "search_read", json::array{json::array{}});
    if (!reply) {
      state.SkipWithError(reply.error().describe().c_str());
      break;
    }
    benchmark::DoNotOptimize(reply);
    state.PauseTiming();
    reply = protocol::reply{};
    state.ResumeTiming();
  }
  report(state, w);
}

#if defined(ODOOLINK_HAS_XMLRPC)
// XML-RPC's floor: expat reading the body with no handlers at all.
void expat_bare(benchmark::State& state, wire w) {
  const std::string& text = body_for(w);
  for (auto _ : state) {
    XML_Parser p = XML_ParserCreate(nullptr);
    const bool ok = XML_Parse(p, text.data(), static_cast<int>(text.size()), XML_TRUE) == XML_STATUS_OK;
    XML_ParserFree(p);
    if (!ok) state.SkipWithError("expat parse failed");
  }
  report(state, w);
}
#endif

void simdjson_dom(benchmark::State& state, wire w) {
  simdjson::dom::parser parser;
  const simdjson::padded_string text(body_for(w));
  for (auto _ : state) {
    simdjson::dom::element root;
    if (parser.parse(text).get(root) != simdjson::SUCCESS) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(root);
  }
  report(state, w);
}

#if defined(ODOOLINK_HAVE_NLOHMANN)
void nlohmann_parse_extract(benchmark::State& state, wire w) {
  for (auto _ : state) {
    const auto doc = nlohmann::json::parse(json_body_for(w));
    const auto& rows = w == wire::json2 ? doc : doc.at("result");
    std::vector<partner_owned> out;
    bench::extract_partners(rows, out);
    if (out.size() != record_count) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(json_body_for(w).size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * record_count);
  state.counters["body_MB"] = static_cast<double>(json_body_for(w).size()) / 1e6;
}
#endif

// Peak resident memory added by one view decode through the client,
// relative to the body, measured in a child process (so nothing freed
// earlier is reused). The received body itself counts: it is allocated
// before the measurement starts, as a transport would have.
void peak_memory(benchmark::State& state, wire w) {
  double ratio = -1;
  for (auto _ : state) {
    auto conn = connect(w);
    m::any_proxy partners(conn.client, "res.partner");
    conn.transport->next = received(w);
    int pipefd[2];
    if (pipe(pipefd) != 0) break;
    malloc_trim(0);
    const pid_t pid = fork();
    if (pid == 0) {
      close(pipefd[0]);
      std::ofstream("/proc/self/clear_refs") << "5";  // reset the peak to the current resident set
      const long before = status_kb("VmRSS:");
      auto rows = partners.search_read<partner_view>(m::domain{});
      const long peak = status_kb("VmHWM:");
      // The body was resident before; the peak adds the records (and
      // anything else the call allocates).
      double r = rows ? static_cast<double>(peak - before) * 1024.0 / static_cast<double>(body_for(w).size()) + 1.0 : -1;
      if (write(pipefd[1], &r, sizeof r) != sizeof r) _exit(1);
      _exit(0);
    }
    close(pipefd[1]);
    if (read(pipefd[0], &ratio, sizeof ratio) != sizeof ratio) ratio = -1;
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  state.counters["views_peak_x_body"] = ratio;
  // The floor of that peak besides the body: the records' own size (they
  // cannot be smaller than sizeof(V) each).
  state.counters["records_x_body"] =
      static_cast<double>(sizeof(partner_view)) * record_count / static_cast<double>(body_for(w).size());
  state.counters["body_MB"] = static_cast<double>(body_for(w).size()) / 1e6;
}

void register_all() {
  const std::pair<const char*, wire> wires[] = {
      {"jsonrpc", wire::jsonrpc}, {"web", wire::web}, {"json2", wire::json2}, {"xmlrpc", wire::xmlrpc}};
  for (const auto& [name, w] : wires) {
#if !defined(ODOOLINK_HAS_XMLRPC)
    if (w == wire::xmlrpc) continue;
#endif
    const std::string p = name;
    benchmark::RegisterBenchmark((p + "/search_read_views").c_str(), search_read<partner_view>, w)
        ->Unit(benchmark::kMillisecond)->MinTime(1.0);
    benchmark::RegisterBenchmark((p + "/search_read_owned").c_str(), search_read<partner_owned>, w)
        ->Unit(benchmark::kMillisecond)->MinTime(1.0);
    benchmark::RegisterBenchmark((p + "/execute_kw").c_str(), execute_kw, w)->Unit(benchmark::kMillisecond)->MinTime(1.0);
#if defined(ODOOLINK_HAVE_NLOHMANN)
    benchmark::RegisterBenchmark((p + "/nlohmann").c_str(), nlohmann_parse_extract, w)
        ->Unit(benchmark::kMillisecond)->MinTime(1.0);
#endif
#if defined(ODOOLINK_HAS_XMLRPC)
    if (w == wire::xmlrpc)
      benchmark::RegisterBenchmark((p + "/expat_bare").c_str(), expat_bare, w)->Unit(benchmark::kMillisecond)->MinTime(1.0);
    else
#endif
      benchmark::RegisterBenchmark((p + "/simdjson_dom").c_str(), simdjson_dom, w)->Unit(benchmark::kMillisecond)->MinTime(1.0);
    benchmark::RegisterBenchmark((p + "/peak_memory").c_str(), peak_memory, w)->Iterations(1)->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
