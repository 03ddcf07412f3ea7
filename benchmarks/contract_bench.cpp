// Contract layer throughput: validating a typical ~1 KB sales order against
// its contract, next to parsing the same bytes with simdjson alone.
//
// Budget: validation (parse + checks) costs less than 2x parsing alone.
// Compare BM_validate_padded with BM_parse_dom (the same DOM parse the
// validator runs, without the checks) and BM_parse_ondemand_walk (simdjson
// on-demand touching every value).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include <simdjson.h>

#include "odoolink/contract/contract.hpp"
#include "odoolink/contract/mapping.hpp"
#include "odoolink/contract/redact.hpp"
#include "odoolink/contract/validate.hpp"
#include "odoolink/json/parse.hpp"

namespace {

using namespace odoolink;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string& order_text() {
  static const std::string text = read(std::string(ODOOLINK_FIXTURES_DIR) + "/../contract/data/order_1k.json");
  return text;
}

const contract::contract& order_contract() {
  static const contract::contract c =
      contract::contract::parse(read(std::string(ODOOLINK_FIXTURES_DIR) + "/../../contracts/sales_order/1.0.0.json")).value();
  return c;
}

void per_payload(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Baseline 1: simdjson DOM parse of the payload (what the validator parses with).
void BM_parse_dom(benchmark::State& state) {
  const simdjson::padded_string padded(order_text());
  simdjson::dom::parser parser;
  for (auto _ : state) {
    auto doc = parser.parse(padded);
    if (doc.error() != simdjson::SUCCESS) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(doc);
  }
  per_payload(state, order_text().size());
}
BENCHMARK(BM_parse_dom);

// Baseline 2: simdjson on-demand, touching every value (kernel chosen at compile time).
std::size_t walk(simdjson::ondemand::value v) {
  std::size_t n = 0;
  switch (v.type().value_unsafe()) {
    case simdjson::ondemand::json_type::object:
      for (auto field : v.get_object().value_unsafe()) {
        n += field.unescaped_key().value_unsafe().size();
        n += walk(field.value().value_unsafe());
      }
      return n;
    case simdjson::ondemand::json_type::array:
      for (auto e : v.get_array().value_unsafe()) n += walk(e.value_unsafe());
      return n;
    case simdjson::ondemand::json_type::string: return v.get_string().value_unsafe().size();
    case simdjson::ondemand::json_type::number: return static_cast<std::size_t>(v.get_double().value_unsafe() != 0);
    case simdjson::ondemand::json_type::boolean: return static_cast<std::size_t>(v.get_bool().value_unsafe());
    case simdjson::ondemand::json_type::null: return v.is_null() ? 1 : 0;
  }
  return n;
}

void BM_parse_ondemand_walk(benchmark::State& state) {
  const simdjson::padded_string padded(order_text());
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    auto doc = parser.iterate(padded);
    simdjson::ondemand::value root;
    if (doc.get_value().get(root) != simdjson::SUCCESS) state.SkipWithError("iterate failed");
    benchmark::DoNotOptimize(walk(root));
  }
  per_payload(state, order_text().size());
}
BENCHMARK(BM_parse_ondemand_walk);

// The fast path: padded input, validator reused.
void BM_validate_padded(benchmark::State& state) {
  const json::buffer buffered(order_text());
  contract::validator v;
  for (auto _ : state) {
    const bool ok = v.validate(order_contract(), buffered);
    if (!ok) state.SkipWithError("payload invalid");
    benchmark::DoNotOptimize(ok);
  }
  per_payload(state, order_text().size());
}
BENCHMARK(BM_validate_padded);

// The budget check itself: parse and validate alternate in small batches,
// so both see the same machine load; counters give the best batch of each
// and their ratio (the number to compare with the 2x budget).
void BM_validate_over_parse_ratio(benchmark::State& state) {
  const simdjson::padded_string padded(order_text());
  const json::buffer buffered(order_text());
  simdjson::dom::parser parser;
  contract::validator v;
  using clock = std::chrono::steady_clock;
  constexpr int batch = 100;
  double best_parse = 1e18;
  double best_validate = 1e18;
  for (auto _ : state) {
    const auto t0 = clock::now();
    for (int i = 0; i < batch; ++i) benchmark::DoNotOptimize(parser.parse(padded));
    const auto t1 = clock::now();
    for (int i = 0; i < batch; ++i) benchmark::DoNotOptimize(v.validate(order_contract(), buffered));
    const auto t2 = clock::now();
    best_parse = std::min(best_parse, std::chrono::duration<double, std::nano>(t1 - t0).count() / batch);
    best_validate = std::min(best_validate, std::chrono::duration<double, std::nano>(t2 - t1).count() / batch);
  }
  state.counters["parse_ns"] = best_parse;
  state.counters["validate_ns"] = best_validate;
  state.counters["ratio"] = best_validate / best_parse;
}
BENCHMARK(BM_validate_over_parse_ratio)->Iterations(2000);

// JSON text without padding: one copy into the parser's buffer.
void BM_validate_text(benchmark::State& state) {
  const std::string text = order_text();
  contract::validator v;
  for (auto _ : state) {
    const bool ok = v.validate(order_contract(), std::string_view(text));
    if (!ok) state.SkipWithError("payload invalid");
    benchmark::DoNotOptimize(ok);
  }
  per_payload(state, order_text().size());
}
BENCHMARK(BM_validate_text);

// An invalid payload: three violations described (allocates their messages).
void BM_validate_invalid(benchmark::State& state) {
  std::string text = order_text();
  text.replace(text.find("\"quantity\": 2"), 13, "\"quantity\": -2");
  text.replace(text.find("\"price_unit\": \"2.40\""), 20, "\"price_unit\": \"2.40105\"");
  text.replace(text.find("\"order_ref\""), 11, "\"order_rf\"");
  const json::buffer buffered(text);
  contract::validator v;
  for (auto _ : state) {
    const bool ok = v.validate(order_contract(), buffered);
    if (ok || v.violations().size() != 4) state.SkipWithError("expected 4 violations");
    benchmark::DoNotOptimize(ok);
  }
  per_payload(state, text.size());
}
BENCHMARK(BM_validate_invalid);

// An owned json::value (payloads built in code).
void BM_validate_value(benchmark::State& state) {
  const json::value payload = json::parse(order_text()).value();
  contract::validator v;
  for (auto _ : state) {
    const bool ok = v.validate(order_contract(), payload);
    if (!ok) state.SkipWithError("payload invalid");
    benchmark::DoNotOptimize(ok);
  }
  per_payload(state, order_text().size());
}
BENCHMARK(BM_validate_value);

// Map a parsed payload to load rows (validation included), as an outbox sink does.
void BM_to_load_row(benchmark::State& state) {
  const json::value payload = json::parse(order_text()).value();
  for (auto _ : state) {
    auto rows = contract::to_load_row(order_contract(), payload, "pos.order_1");
    if (!rows) state.SkipWithError("mapping failed");
    benchmark::DoNotOptimize(rows);
  }
  per_payload(state, order_text().size());
}
BENCHMARK(BM_to_load_row);

// The same from JSON text: json::parse into an owned tree first.
void BM_parse_then_to_load_row(benchmark::State& state) {
  for (auto _ : state) {
    auto payload = json::parse(order_text());
    auto rows = contract::to_load_row(order_contract(), payload.value(), "pos.order_1");
    if (!rows) state.SkipWithError("mapping failed");
    benchmark::DoNotOptimize(rows);
  }
  per_payload(state, order_text().size());
}
BENCHMARK(BM_parse_then_to_load_row);

void BM_redact_hmac(benchmark::State& state) {
  const contract::contract customer =
      contract::contract::parse(read(std::string(ODOOLINK_FIXTURES_DIR) + "/../../contracts/customer/1.1.0.json")).value();
  const json::value payload = json::parse(R"({"name": "Ada", "email": "ada@example.com", "phone": "+32 2 555 01 00",
    "address": {"street": "Rue de la Loi 16", "zip": "1000", "city": "Brussels", "country": "BE"}, "tags": ["VIP"]})").value();
  contract::redact_options opts;
  opts.hmac_key = "benchmark-key";
  for (auto _ : state) benchmark::DoNotOptimize(contract::redact(customer, payload, opts));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_redact_hmac);

// Loading a contract document: parse, check, normalize, fingerprint.
void BM_contract_load(benchmark::State& state) {
  const std::string doc = read(std::string(ODOOLINK_FIXTURES_DIR) + "/../../contracts/sales_order/1.0.0.json");
  for (auto _ : state) benchmark::DoNotOptimize(contract::contract::parse(doc));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_contract_load);

}  // namespace

BENCHMARK_MAIN();
