// PII values are never quoted: over every shipped contract, every field
// marked PII (and every object holding such fields) gets values that break
// each of its rules; no violation message and no error of outbox::enqueue
// may contain them. Values of other fields are still quoted.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "odoolink/contract/registry.hpp"
#include "odoolink/contract/validate.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/outbox.hpp"

using namespace odoolink;

namespace {

const std::filesystem::path contracts_dir = std::filesystem::path(ODOOLINK_TEST_SOURCE_DIR) / ".." / "contracts";

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A field of a contract document: where it sits in a payload, and its spec.
struct field_at {
  std::vector<std::string> path;  // object keys; "*" for the first element of an array
  json::value spec;
  bool pii = false;             // marked PII, or inside a field so marked
  bool holds_pii = false;       // some field at or below it is marked PII
};

bool holds_pii(const json::value& spec) {
  if (const auto* p = spec.find("pii"); p != nullptr && p->is_bool() && p->as_bool()) return true;
  if (const auto* fields = spec.find("fields"); fields != nullptr && fields->is_object())
    for (const auto& [k, f] : fields->as_object())
      if (holds_pii(f)) return true;
  if (const auto* items = spec.find("items"); items != nullptr) return holds_pii(*items);
  return false;
}

void collect(const json::value& fields, std::vector<std::string> at, bool inherited, std::vector<field_at>& out) {
  for (const auto& [name, spec] : fields.as_object()) {
    field_at f;
    f.path = at;
    f.path.push_back(name);
    const auto* p = spec.find("pii");
    f.pii = inherited || (p != nullptr && p->is_bool() && p->as_bool());
    f.holds_pii = f.pii || holds_pii(spec);
    f.spec = spec;
    out.push_back(f);
    if (const auto* sub = spec.find("fields"); sub != nullptr && sub->is_object()) collect(*sub, f.path, f.pii, out);
    if (const auto* items = spec.find("items"); items != nullptr) {
      auto inner = f.path;
      inner.push_back("*");
      const auto* ip = items->find("pii");
      const bool items_pii = f.pii || (ip != nullptr && ip->is_bool() && ip->as_bool());
      if (const auto* sub = items->find("fields"); sub != nullptr && sub->is_object()) collect(*sub, inner, items_pii, out);
    }
  }
}

// Sets `v` at `path` inside `payload`, creating objects and one-element arrays.
void put(json::value& payload, const std::vector<std::string>& path, std::size_t i, json::value v) {
  if (i == path.size()) {
    payload = std::move(v);
    return;
  }
  if (path[i] == "*") {
    if (!payload.is_array() || payload.as_array().empty()) payload = json::array{json::object{}};
    put(payload.as_array()[0], path, i + 1, std::move(v));
    return;
  }
  if (!payload.is_object()) payload = json::object{};
  json::value* slot = payload.find(path[i]);
  if (slot == nullptr) {
    payload.set(path[i], json::value(nullptr));
    slot = payload.find(path[i]);
  }
  put(*slot, path, i + 1, std::move(v));
}

// Values that break the rules a field may have, each with a unique marker.
std::vector<std::pair<json::value, std::string>> hostile_values(std::size_t n) {
  const std::string tag = "Zq" + std::to_string(1000 + n);
  std::vector<std::pair<json::value, std::string>> out;
  out.emplace_back(json::value("ada.lovelace." + tag + "@@not-an-address"), "lovelace." + tag);  // format, pattern, enum
  out.emplace_back(json::value(std::string(300, 'L') + tag), std::string(40, 'L'));          // length
  out.emplace_back(json::value(std::int64_t{987654321000} + static_cast<std::int64_t>(n)),
                   std::to_string(std::int64_t{987654321000} + static_cast<std::int64_t>(n)));  // type, bounds
  out.emplace_back(json::value(-98765.4321 - static_cast<double>(n)), "98765.4321");            // bounds, type
  out.emplace_back(json::value("not a date " + tag), "date " + tag);                             // dates, references
  return out;
}

}  // namespace

TEST_CASE("violations and enqueue errors never quote a PII value of a shipped contract") {
  auto registry = contract::registry::load_directory(contracts_dir);
  REQUIRE(registry.has_value());
  outbox::memory_store store;
  outbox::outbox box(store, registry.value());
  contract::validator check;
  std::size_t payloads = 0;
  std::size_t messages = 0;
  std::size_t pii_fields = 0;
  std::size_t leaks = 0;
  std::size_t quoted_other = 0;  // non-PII values still quoted (the messages stay useful)
  for (const auto& entry : std::filesystem::recursive_directory_iterator(contracts_dir)) {
    if (entry.path().extension() != ".json") continue;
    auto doc = json::parse(read_file(entry.path()));
    REQUIRE(doc.has_value());
    const std::string subject = doc.value().find("subject")->as_string();
    const std::string version = doc.value().find("version")->as_string();
    CAPTURE(entry.path().filename().string());
    auto c = registry.value().lookup(subject, version);
    REQUIRE(c.has_value());
    std::vector<field_at> fields;
    collect(*doc.value().find("fields"), {}, false, fields);
    for (const auto& f : fields) {
      if (f.holds_pii) ++pii_fields;
      for (auto& [value, marker] : hostile_values(payloads)) {
        json::value payload = json::object{};
        put(payload, f.path, 0, value);
        std::string text;
        json::write(text, payload);
        ++payloads;
        const bool valid = check.validate(c.value(), text);
        std::string all;
        for (const auto& v : check.violations()) all += v.message + "\n";
        auto queued = box.enqueue({.subject = subject, .payload = text, .idempotency_key = "k" + std::to_string(payloads),
                                   .version = version});
        if (!queued) all += queued.error().describe() + "\n" + queued.error().message();
        if (valid) continue;
        ++messages;
        const bool found = all.find(marker) != std::string::npos;
        if (f.holds_pii) {
          CHECK_MESSAGE(!found, all);
          leaks += found ? 1 : 0;
        } else {
          quoted_other += found ? 1 : 0;
        }
      }
    }
  }
  MESSAGE(payloads << " payloads, " << messages << " refused, " << pii_fields << " PII fields or holders; PII values in "
                   << "messages: " << leaks << "; refusals quoting a non-PII value: " << quoted_other);
  CHECK(pii_fields > 0);
  CHECK(quoted_other > 0);
  CHECK(leaks == 0);
}

TEST_CASE("enqueue bounds its keys and checks the payload's own external id") {
  auto registry = contract::registry::load_directory(contracts_dir);
  REQUIRE(registry.has_value());
  outbox::memory_store store;
  outbox::outbox box(store, registry.value(), {.max_key_bytes = 64});
  const std::string ok = R"({"customer_id": "pos.customer_1", "name": "Ada"})";
  CHECK(box.enqueue({.subject = "customer", .payload = ok, .idempotency_key = std::string(64, 'k')}).has_value());
  const std::string long_key(2 * 1024 * 1024, 'k');
  auto too_long = box.enqueue({.subject = "customer", .payload = ok, .idempotency_key = long_key});
  REQUIRE_FALSE(too_long.has_value());
  CHECK(too_long.error() == transport_errc::invalid_request);
  CHECK(too_long.error().message().size() < 200);  // the key is not quoted
  auto long_aggregate = box.enqueue({.subject = "customer", .payload = ok, .idempotency_key = "k2",
                                     .aggregate_key = std::string(65, 'a')});
  REQUIRE_FALSE(long_aggregate.has_value());
  CHECK(long_aggregate.error() == transport_errc::invalid_request);
  for (const char* bad : {"pos customer 1", "pos..customer", ".pos", "pos/customer", "pos.customer\\u00e9"}) {
    CAPTURE(bad);
    const std::string payload = std::string(R"({"customer_id": ")") + bad + R"(", "name": "Ada"})";
    auto refused = box.enqueue({.subject = "customer", .payload = payload, .idempotency_key = "k3"});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == contract_errc::violation);
    CHECK(refused.error().message().find("/customer_id") != std::string::npos);
  }
  // The default bound.
  outbox::outbox defaults(store, registry.value());
  CHECK_FALSE(defaults.enqueue({.subject = "customer", .payload = ok, .idempotency_key = long_key}).has_value());
  CHECK(defaults.enqueue({.subject = "customer", .payload = ok, .idempotency_key = std::string(200, 'k')}).has_value());
}
