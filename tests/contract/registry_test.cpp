// The registry: registration under compatibility modes, look-ups,
// persistence as a directory of contract files.
#include <doctest/doctest.h>

#include "contract_support.hpp"
#include "odoolink/contract/registry.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::contract;

namespace {

contract::contract version_of(const char* version, const char* extra_field = nullptr, const char* mode = "BACKWARD") {
  std::string fields = R"("name": {"type": "string", "required": true})";
  if (extra_field != nullptr) fields += std::string(", ") + extra_field;
  return odoolink::test::load(std::string(R"({"subject": "s", "version": ")") + version +
                              R"(", "owner": "o", "system_of_record": "x", "compatibility": ")" + mode + R"(", "fields": {)" +
                              fields + "}}");
}

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::path(ODOOLINK_TEST_BINARY_DIR) / "contract_registry" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("versions register in order - compatible ones only - with every breaking change listed") {
  registry r;
  REQUIRE(r.add(version_of("1.0.0")).has_value());
  REQUIRE(r.add(version_of("1.1.0", R"("nick": {"type": "string"})")).has_value());
  // Registering the same content again is a no-op; other content under the same version is refused.
  CHECK(r.add(version_of("1.1.0", R"("nick": {"type": "string"})")).has_value());
  auto clash = r.add(version_of("1.1.0", R"("nick": {"type": "integer"})"));
  REQUIRE_FALSE(clash.has_value());
  CHECK(clash.error().message().find("already registered with other content") != std::string::npos);
  auto older = r.add(version_of("1.0.5"));
  REQUIRE_FALSE(older.has_value());
  CHECK(older.error().message().find("not above the latest version 1.1.0") != std::string::npos);

  const auto breaking = version_of("2.0.0", R"("nick": {"type": "integer"}, "age": {"type": "integer", "required": true})");
  const auto changes = r.check(breaking);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].kind == change_kind::type_changed);
  CHECK(changes[1].kind == change_kind::required_field_added);
  auto refused = r.add(breaking);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == contract_errc::incompatible);
  CHECK(refused.error().message().find("type_changed nick") != std::string::npos);
  CHECK(refused.error().message().find("required_field_added age") != std::string::npos);
  CHECK(r.versions("s") == std::vector<std::string>{"1.0.0", "1.1.0"});

  // A subject switched to NONE accepts anything (above the latest version).
  r.set_mode("s", compatibility_mode::none);
  CHECK(r.mode("s") == compatibility_mode::none);
  CHECK(r.add(breaking).has_value());
  CHECK(r.versions("s") == std::vector<std::string>{"1.0.0", "1.1.0", "2.0.0"});
}

TEST_CASE("the subject's mode is the latest version's unless overridden") {
  registry r;
  REQUIRE(r.add(version_of("1.0.0", R"("nick": {"type": "string"})", "FORWARD")).has_value());
  CHECK(r.mode("s") == compatibility_mode::forward);
  // FORWARD: readers on 1.0.0 reject the new field (unknown fields are rejected).
  auto refused = r.add(version_of("1.1.0", R"("nick": {"type": "string"}, "age": {"type": "integer"})", "FORWARD"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message().find("field_added age") != std::string::npos);
  // Removing an optional field is forward compatible; the new version's mode then governs.
  REQUIRE(r.add(version_of("1.2.0", nullptr, "NONE")).has_value());
  CHECK(r.mode("s") == compatibility_mode::none);
  CHECK(r.add(version_of("2.0.0", R"("age": {"type": "integer", "required": true})")).has_value());
  CHECK(r.mode("unknown") == compatibility_mode::backward);
}

TEST_CASE("look-ups by version - latest and fingerprint") {
  registry r;
  const auto v1 = version_of("1.0.0");
  const auto v2 = version_of("1.1.0", R"("nick": {"type": "string"})");
  REQUIRE(r.add(v1).has_value());
  REQUIRE(r.add(v2).has_value());
  CHECK(r.lookup("s", "1.0.0").value() == v1);
  CHECK(r.lookup("s", "latest").value() == v2);
  CHECK(r.latest("s").value().version() == "1.1.0");
  CHECK(r.find_fingerprint(v1.fingerprint()).value().version() == "1.0.0");
  CHECK(r.lookup("s", "9.9.9").error() == contract_errc::unknown_subject);
  CHECK(r.lookup("nope", "1.0.0").error() == contract_errc::unknown_subject);
  CHECK(r.latest("nope").error() == contract_errc::unknown_subject);
  CHECK(r.find_fingerprint("00").error() == contract_errc::unknown_subject);
  CHECK(r.subjects() == std::vector<std::string>{"s"});
  CHECK(r.versions("nope").empty());
}

TEST_CASE("the shipped contracts load as a registry - save and load back unchanged") {
  auto shipped = registry::load_directory(odoolink::test::shipped_contracts());
  REQUIRE_MESSAGE(shipped.has_value(), odoolink::test::error_of(shipped).message());
  CHECK(shipped.value().subjects() == std::vector<std::string>{"customer", "invoice", "product", "sales_order", "stock_receipt"});
  CHECK(shipped.value().versions("customer") == std::vector<std::string>{"1.0.0", "1.1.0"});
  CHECK(shipped.value().mode("invoice") == compatibility_mode::full_transitive);

  const auto dir = scratch("roundtrip");
  REQUIRE(shipped.value().save_directory(dir).has_value());
  CHECK(std::filesystem::exists(dir / "customer" / "1.1.0.json"));
  auto again = registry::load_directory(dir);
  REQUIRE_MESSAGE(again.has_value(), odoolink::test::error_of(again).message());
  for (const auto& subject : shipped.value().subjects())
    for (const auto& v : shipped.value().history(subject)) {
      auto other = again.value().lookup(subject, v.version());
      REQUIRE(other.has_value());
      CHECK(other.value().fingerprint() == v.fingerprint());
    }
  // A second save writes the same bytes (the files are normalized documents).
  const auto dir2 = scratch("roundtrip2");
  REQUIRE(again.value().save_directory(dir2).has_value());
  CHECK(odoolink::test::read_text(dir / "sales_order" / "1.0.0.json") == odoolink::test::read_text(dir2 / "sales_order" / "1.0.0.json"));
}

TEST_CASE("loading a directory reports bad files and incompatible histories") {
  const auto bad = scratch("bad");
  std::ofstream(bad / "broken.json") << R"({"subject": "s", "version": "1.0.0"})";
  auto r = registry::load_directory(bad);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == contract_errc::invalid_document);
  CHECK(r.error().message().find("broken.json") != std::string::npos);

  const auto incompatible = scratch("incompatible");
  std::ofstream(incompatible / "a.json") << version_of("1.0.0").to_pretty_json();
  std::ofstream(incompatible / "b.json") << version_of("2.0.0", R"("age": {"type": "integer", "required": true})").to_pretty_json();
  r = registry::load_directory(incompatible);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == contract_errc::incompatible);

  auto missing = registry::load_directory(scratch("missing") / "nothing-here");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code().category() != contract_category());
}
