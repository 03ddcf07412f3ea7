// Decoding a large JSON-RPC `search_read` response of res.partner records
// (the record shape of tests/fixtures/odoo18/jsonrpc/search_read_partner.json)
// into owning structs:
//
//   BM_nlohmann_parse_extract   nlohmann::json parse + extraction (baseline)
//   BM_simdjson_dom_parse       simdjson DOM parse only (ceiling: no structs)
//   BM_odoolink_decode_structs  odoolink's typed decoder (model/decode.hpp) on the result
//                               array (the envelope around it is read in e2e_decode_bench)
//
// Each runs on a ~5 MB and a ~10 MB body (argument = MiB), reporting bytes/s
// and records/s. Before the benchmarks run, the program checks that the
// baseline and odoolink decoders produce identical structs.
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "odoolink/json/odoo.hpp"
#include "odoolink/model/decode.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"

#if defined(ODOOLINK_HAVE_NLOHMANN)
#include <nlohmann/json.hpp>
#endif

namespace {

using namespace odoolink;

namespace m = odoolink::model;

struct partner {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  bool is_company = false;
  m::many2one<> country;
  std::vector<std::int64_t> category_ids;
  std::vector<std::int64_t> child_ids;
  std::string type;
  std::optional<std::chrono::sys_seconds> create_date;
  double credit_limit = 0;
  friend bool operator==(const partner&, const partner&) = default;
  static constexpr auto odoolink_fields() {
    return m::fields(m::bind<&partner::id>("id"), m::bind<&partner::name>("name"), m::bind<&partner::email>("email"),
                     m::bind<&partner::is_company>("is_company"), m::bind<&partner::country>("country_id"),
                     m::bind<&partner::category_ids>("category_id"), m::bind<&partner::child_ids>("child_ids"),
                     m::bind<&partner::type>("type"), m::bind<&partner::create_date>("create_date"),
                     m::bind<&partner::credit_limit>("credit_limit"));
  }
};

// ---------------------------------------------------------------------------
// The response body

struct body {
  json::buffer text;
  json::buffer rows;  // the same text viewing the result array
  std::size_t records = 0;
};

// splitmix64: the same body on every run and platform.
struct rng {
  std::uint64_t state;
  std::uint64_t below(std::uint64_t n) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return (z ^ (z >> 31U)) % n;
  }
};

body make_body(std::size_t min_bytes) {
  static constexpr std::array<std::string_view, 12> first = {
      "Wood", "Deco", "Ready", "Gemini", "Azure", "Lumber", "Café", "Nordic", "Müller", "O\"Brien", "Jackson", "Ōsaka"};
  static constexpr std::array<std::string_view, 8> second = {
      "Corner", "Addict", "Mat", "Furniture", "Interior", "& Sons", "Trading Co.", "Group"};
  static constexpr std::array<std::string_view, 5> domains = {
      "example.com", "ic.example.com", "agrolait.com", "yourcompany.com", "mail.example.org"};
  struct country {
    std::int64_t id;
    std::string_view name;
  };
  static constexpr std::array<country, 4> countries = {
      country{233, "United States"}, country{21, "Belgium"}, country{38, "Côte d'Ivoire"}, country{75, "France"}};
  static constexpr std::array<std::string_view, 4> types = {"contact", "invoice", "delivery", "other"};

  rng g{18};
  std::string out;
  out.reserve(min_bytes + 4096);
  json::writer w(out);
  w.begin_object().key("jsonrpc").string("2.0").key("id").integer(10).key("result").begin_array();
  std::size_t n = 0;
  std::string name;
  std::string date;
  while (out.size() < min_bytes) {
    const auto id = static_cast<std::int64_t>(n * 3 + 1);
    name.assign(first[g.below(first.size())]);
    name += ' ';
    name += second[g.below(second.size())];
    if (g.below(3) == 0) name += " (" + std::to_string(id) + ")";
    w.begin_object();
    w.key("id").integer(id);
    w.key("name").string(name);
    w.key("email");
    if (g.below(5) == 0) {
      w.boolean(false);
    } else {
      std::string email = "contact" + std::to_string(id) + "@" + std::string(domains[g.below(domains.size())]);
      w.string(email);
    }
    const bool company = g.below(3) == 0;
    w.key("is_company").boolean(company);
    w.key("country_id");
    if (g.below(10) == 0) {
      w.boolean(false);
    } else {
      const country& c = countries[g.below(countries.size())];
      w.begin_array().integer(c.id).string(c.name).end_array();
    }
    w.key("category_id").begin_array();
    for (auto k = g.below(4); k > 0; --k) w.integer(static_cast<std::int64_t>(1 + g.below(40)));
    w.end_array();
    w.key("child_ids").begin_array();
    for (auto k = company ? g.below(6) : 0; k > 0; --k) w.integer(static_cast<std::int64_t>(id + 1 + static_cast<std::int64_t>(k)));
    w.end_array();
    w.key("type").string(types[g.below(types.size())]);
    const auto created = std::chrono::sys_seconds{std::chrono::seconds{1795327283 - static_cast<std::int64_t>(g.below(90'000'000))}};
    w.key("create_date").string(json::format_datetime(created).value());
    w.key("credit_limit").number(g.below(4) == 0 ? static_cast<double>(g.below(2000000)) / 100.0 : 0.0);
    w.end_object();
    ++n;
  }
  w.end_array().end_object();
  if (!w.ok()) {
    std::fprintf(stderr, "decode_bench: body writer failed\n");
    std::abort();
  }
  const auto start = out.find("\"result\":") + 9;
  json::buffer rows(out, start, out.size() - 1 - start);
  return {json::buffer(std::move(out)), std::move(rows), n};
}

const body& body_of(std::int64_t mib) {
  static std::map<std::int64_t, body> bodies;
  auto it = bodies.find(mib);
  if (it == bodies.end()) it = bodies.emplace(mib, make_body(static_cast<std::size_t>(mib) << 20U)).first;
  return it->second;
}

[[noreturn]] void die(const char* what, const std::string& detail) {
  std::fprintf(stderr, "decode_bench: %s: %s\n", what, detail.c_str());
  std::abort();
}

// ---------------------------------------------------------------------------
// odoolink: the typed decoder

result<void> odoolink_decode(const json::buffer& rows, std::vector<partner>& out) {
  m::decoder d;
  return d.decode_append(rows, out, "res.partner");
}

void BM_odoolink_decode_structs(benchmark::State& state) {
  const body& b = body_of(state.range(0));
  std::vector<partner> out;
  out.reserve(b.records);
  for (auto _ : state) {
    state.PauseTiming();
    out.clear();  // dropping the previous batch is the consumer's cost, not decoding
    state.ResumeTiming();
    auto r = odoolink_decode(b.rows, out);
    if (!r) die("odoolink decode", r.error().message());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.text.json().size()));
  state.counters["records/s"] = benchmark::Counter(static_cast<double>(state.iterations() * b.records),
                                                   benchmark::Counter::kIsRate);
  state.counters["MB"] = static_cast<double>(b.text.json().size()) / 1e6;
}
BENCHMARK(BM_odoolink_decode_structs)->Arg(5)->Arg(10)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------
// simdjson DOM: parse only, no structs

void BM_simdjson_dom_parse(benchmark::State& state) {
  const body& b = body_of(state.range(0));
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element doc;
    if (auto err = parser.parse(b.text.json().data(), b.text.json().size(), false).get(doc))
      die("simdjson DOM parse", simdjson::error_message(err));
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.text.json().size()));
  state.counters["records/s"] = benchmark::Counter(static_cast<double>(state.iterations() * b.records),
                                                   benchmark::Counter::kIsRate);
  state.counters["MB"] = static_cast<double>(b.text.json().size()) / 1e6;
}
BENCHMARK(BM_simdjson_dom_parse)->Arg(5)->Arg(10)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------
// nlohmann::json: parse + extraction (baseline)

#if defined(ODOOLINK_HAVE_NLOHMANN)
std::optional<std::string> nl_text(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  return std::nullopt;
}

void nlohmann_decode(const json::buffer& text, std::vector<partner>& out) {
  const auto doc = nlohmann::json::parse(text.json().begin(), text.json().end());
  for (const auto& r : doc.at("result")) {
    partner& p = out.emplace_back();
    p.id = r.at("id").get<std::int64_t>();
    if (auto name = nl_text(r.at("name"))) p.name = std::move(*name);
    p.email = nl_text(r.at("email"));
    p.is_company = r.at("is_company").get<bool>();
    if (const auto& c = r.at("country_id"); c.is_array())
      p.country = m::many2one<>(c.at(0).get<std::int64_t>(), c.at(1).get<std::string>());
    for (const auto& id : r.at("category_id")) p.category_ids.push_back(id.get<std::int64_t>());
    for (const auto& id : r.at("child_ids")) p.child_ids.push_back(id.get<std::int64_t>());
    if (auto type = nl_text(r.at("type"))) p.type = std::move(*type);
    if (const auto& d = r.at("create_date"); d.is_string()) {
      auto t = json::parse_datetime(d.get_ref<const std::string&>());
      if (!t) die("nlohmann create_date", t.error().message());
      p.create_date = t.value();
    }
    p.credit_limit = r.at("credit_limit").get<double>();
  }
}

void BM_nlohmann_parse_extract(benchmark::State& state) {
  const body& b = body_of(state.range(0));
  std::vector<partner> out;
  out.reserve(b.records);
  for (auto _ : state) {
    state.PauseTiming();
    out.clear();  // dropping the previous batch is the consumer's cost, not decoding
    state.ResumeTiming();
    nlohmann_decode(b.text, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.text.json().size()));
  state.counters["records/s"] = benchmark::Counter(static_cast<double>(state.iterations() * b.records),
                                                   benchmark::Counter::kIsRate);
  state.counters["MB"] = static_cast<double>(b.text.json().size()) / 1e6;
}
BENCHMARK(BM_nlohmann_parse_extract)->Arg(5)->Arg(10)->Unit(benchmark::kMillisecond);
#endif

// Both decoders must agree (and see every record) before any number counts.
void cross_check() {
  for (std::int64_t mib : {5, 10}) {
    const body& b = body_of(mib);
    std::vector<partner> ours;
    if (auto r = odoolink_decode(b.rows, ours); !r) die("odoolink decode", r.error().message());
    if (ours.size() != b.records) die("odoolink decode", "record count differs");
#if defined(ODOOLINK_HAVE_NLOHMANN)
    std::vector<partner> theirs;
    nlohmann_decode(b.text, theirs);
    if (ours != theirs) die("cross-check", "odoolink and nlohmann decoded different structs");
#endif
    std::fprintf(stderr, "decode_bench: %lld MiB body: %zu bytes, %zu records, decoders agree\n",
                 static_cast<long long>(mib), b.text.json().size(), b.records);
  }
}

}  // namespace

int main(int argc, char** argv) {
  cross_check();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
