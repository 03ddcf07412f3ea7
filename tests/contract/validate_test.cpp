// Payload validation: tables of valid and invalid payloads, hostile inputs,
// and the allocation-free fast path.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "contract_support.hpp"
#include "odoolink/contract/validate.hpp"
#include "odoolink/json/writer.hpp"

// Counts heap allocations while `counting` is set (this test program only).
namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace
void* operator new(std::size_t n) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (simdjson uses them), so every pair matches.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace odoolink;
using namespace odoolink::contract;

namespace {

const char* const all_types = R"({"subject": "v", "version": "1.0.0", "owner": "o", "system_of_record": "s",
  "odoo": {"model": "res.partner"},
  "fields": {
    "s": {"type": "string", "min_length": 2, "max_length": 5},
    "email": {"type": "string", "format": "email"},
    "country": {"type": "string", "format": "country"},
    "currency": {"type": "string", "format": "currency"},
    "uuid": {"type": "string", "format": "uuid"},
    "uri": {"type": "string", "format": "uri"},
    "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"},
    "i": {"type": "integer", "minimum": -5, "maximum": 5},
    "n": {"type": "number", "minimum": 0.5, "maximum": 10},
    "d": {"type": "decimal", "precision": 6, "scale": 2, "minimum": 0},
    "b": {"type": "boolean"},
    "day": {"type": "date"},
    "at": {"type": "datetime"},
    "e": {"type": "enum", "values": ["red", "green"]},
    "tags": {"type": "array", "items": {"type": "string"}, "min_items": 1, "max_items": 3},
    "obj": {"type": "object", "fields": {"x": {"type": "integer", "required": true}, "y": {"type": "string", "nullable": true}}},
    "ref": {"type": "reference", "contract": "other"},
    "refid": {"type": "reference", "contract": "other", "odoo": {"field": "parent_id", "by": "id", "relation": "res.partner"}},
    "req": {"type": "string", "required": true},
    "reqd": {"type": "integer", "required": true, "default": 1},
    "nul": {"type": "string", "nullable": true}
  }})";

const contract::contract& subject() {
  static const contract::contract c = odoolink::test::load(all_types);
  return c;
}

// `{"req": "x", <fragment>}`
std::string payload(const std::string& fragment) {
  return fragment.empty() ? R"({"req": "x"})" : R"({"req": "x", )" + fragment + "}";
}

std::string summary(const std::vector<violation>& vs) {
  std::string out;
  for (const auto& v : vs) out += (out.empty() ? "" : "; ") + v.path + " " + std::string(to_string(v.kind)) + " (" + v.message + ")";
  return out;
}

}  // namespace

TEST_CASE("valid payloads") {
  const char* const valid[] = {
      "",
      R"("s": "ab")",
      R"("s": "héllo")",  // 5 code points, 6 bytes
      R"("email": "ada.lovelace+tag@example.co.uk")",
      R"("email": "user@sub-domain.example.org")",
      R"("country": "BE")",
      R"("currency": "EUR")",
      R"("uuid": "123e4567-e89b-12d3-a456-426614174000")",
      R"("uri": "https://example.com/a?b=c")",
      R"("code": "ABC-42")",
      R"("i": -5)",
      R"("i": 5)",
      R"("i": 3.0)",
      R"("n": 0.5)",
      R"("n": 10)",
      R"("d": "1234.50")",
      R"("d": 9999.99)",
      R"("d": "0.05")",
      R"("d": 12)",
      R"("b": false)",
      R"("day": "2024-02-29")",
      R"("at": "2026-11-22T06:02:49Z")",
      R"("at": "2026-11-22T08:02:49.123456+02:00")",
      R"("at": "2026-11-22t06:02:49z")",
      R"("e": "green")",
      R"("tags": ["a", "b", "c"])",
      R"("obj": {"x": 1})",
      R"("obj": {"x": 1, "y": null})",
      R"("ref": "module.name")",
      R"("ref": "__import__.so_1")",
      R"("ref": "sales_platform_pos.order_20261122_0042_line_1")",  // several 16-byte blocks
      R"("ref": "abcdefghijklmnop")",                                 // exactly one block
      R"("refid": 42)",
      R"("reqd": 7)",
      R"("nul": null)",
      R"("r\u0065f": "m.n")",  // escaped key
  };
  for (const char* fragment : valid) {
    const std::string text = payload(fragment);
    CAPTURE(text);
    const auto vs = validate(subject(), text);
    CHECK_MESSAGE(vs.empty(), summary(vs));
    // The same through an owned JSON value.
    const auto vs2 = validate(subject(), odoolink::test::parse_json(text));
    CHECK_MESSAGE(vs2.empty(), summary(vs2));
  }
}

TEST_CASE("invalid payloads: each violation with its JSON pointer") {
  struct bad {
    const char* fragment;
    const char* path;
    violation_kind kind;
  };
  const bad table[] = {
      {R"("s": "a")", "/s", violation_kind::too_short},
      {R"("s": "abcdef")", "/s", violation_kind::too_long},
      {R"("s": 12)", "/s", violation_kind::type_mismatch},
      {R"("s": null)", "/s", violation_kind::null_not_allowed},
      {R"("email": "not-an-email")", "/email", violation_kind::format_mismatch},
      {R"("email": "a@b")", "/email", violation_kind::format_mismatch},
      {R"("email": "a..b@example.com")", "/email", violation_kind::format_mismatch},
      {R"("email": "a b@example.com")", "/email", violation_kind::format_mismatch},
      {R"("country": "XX")", "/country", violation_kind::format_mismatch},
      {R"("country": "be")", "/country", violation_kind::format_mismatch},
      {R"("currency": "EURO")", "/currency", violation_kind::format_mismatch},
      {R"("uuid": "123e4567e89b12d3a456426614174000")", "/uuid", violation_kind::format_mismatch},
      {R"("uri": "no scheme")", "/uri", violation_kind::format_mismatch},
      {R"("code": "abc-42")", "/code", violation_kind::pattern_mismatch},
      {R"("i": 6)", "/i", violation_kind::above_maximum},
      {R"("i": -6)", "/i", violation_kind::below_minimum},
      {R"("i": 1.5)", "/i", violation_kind::type_mismatch},
      {R"("i": "1")", "/i", violation_kind::type_mismatch},
      {R"("i": 18446744073709551615)", "/i", violation_kind::above_maximum},
      {R"("n": 0.49)", "/n", violation_kind::below_minimum},
      {R"("n": true)", "/n", violation_kind::type_mismatch},
      {R"("d": "12.345")", "/d", violation_kind::scale_exceeded},
      {R"("d": "12345.67")", "/d", violation_kind::precision_exceeded},
      {R"("d": "1e5")", "/d", violation_kind::type_mismatch},
      {R"("d": "-1")", "/d", violation_kind::below_minimum},
      {R"("d": 0.001)", "/d", violation_kind::scale_exceeded},
      {R"("b": "true")", "/b", violation_kind::type_mismatch},
      {R"("day": "2023-02-29")", "/day", violation_kind::invalid_date},
      {R"("day": "2024-1-01")", "/day", violation_kind::invalid_date},
      {R"("at": "2026-11-22 06:02:49")", "/at", violation_kind::invalid_datetime},
      {R"("at": "2026-11-22T06:02:49")", "/at", violation_kind::invalid_datetime},
      {R"("at": "2026-11-22T24:00:00Z")", "/at", violation_kind::invalid_datetime},
      {R"("e": "blue")", "/e", violation_kind::not_in_enum},
      {R"("tags": [])", "/tags", violation_kind::too_few_items},
      {R"("tags": ["a", "b", "c", "d"])", "/tags", violation_kind::too_many_items},
      {R"("tags": ["a", 2])", "/tags/1", violation_kind::type_mismatch},
      {R"("obj": {})", "/obj/x", violation_kind::missing_required},
      {R"("obj": {"x": 1, "z": 2})", "/obj/z", violation_kind::unknown_field},
      {R"("obj": [1])", "/obj", violation_kind::type_mismatch},
      {R"("ref": "bad id")", "/ref", violation_kind::invalid_reference},
      {R"("ref": 12)", "/ref", violation_kind::type_mismatch},
      // ".." where the checker's 8- and 16-byte blocks meet, and beyond them.
      {R"("ref": "module_..bcdefgh")", "/ref", violation_kind::invalid_reference},
      {R"("ref": "abcdefghijklmno..qrstuvwxyzabcde")", "/ref", violation_kind::invalid_reference},
      {R"("ref": "abcdefghijklmnopqrstuvwxyz..abcdefgh")", "/ref", violation_kind::invalid_reference},
      {R"("ref": "abcdefghijklmnopqrstuvwxyzé")", "/ref", violation_kind::invalid_reference},
      {R"("refid": 0)", "/refid", violation_kind::invalid_reference},
      {R"("refid": "12")", "/refid", violation_kind::type_mismatch},
      {R"("extra": 1)", "/extra", violation_kind::unknown_field},
      {R"("a/b~c": 1)", "/a~1b~0c", violation_kind::unknown_field},
      {R"("req": "y")", "/req", violation_kind::duplicate_key},
  };
  for (const auto& b : table) {
    const std::string text = payload(b.fragment);
    CAPTURE(text);
    const auto vs = validate(subject(), text);
    REQUIRE_MESSAGE(vs.size() == 1, summary(vs));
    CHECK(vs[0].path == b.path);
    CHECK(vs[0].kind == b.kind);
    CHECK_FALSE(vs[0].message.empty());
    // The owned-value walker agrees (duplicate keys included: json::value keeps
    // them when asked); integers beyond int64 have no json::value form.
    if (auto owned = json::parse(text, {.keep_duplicate_keys = true})) {
      const auto vs2 = validate(subject(), owned.value());
      REQUIRE_MESSAGE(vs2.size() == 1, summary(vs2));
      CHECK(vs2[0] == vs[0]);
    }
  }
}

TEST_CASE("all violations are reported - not only the first") {
  const auto vs = validate(subject(), R"({"s": "a", "i": 99, "obj": {"y": 3}, "tags": [1, 2], "bogus": true})");
  CHECK(summary(vs).find("/s too_short") != std::string::npos);
  REQUIRE_MESSAGE(vs.size() == 8, summary(vs));
  CHECK(vs[0].path == "/s");
  CHECK(vs[1].path == "/i");
  CHECK(vs[2].path == "/obj/y");
  CHECK(vs[3].path == "/obj/x");
  CHECK(vs[4].path == "/tags/0");
  CHECK(vs[5].path == "/tags/1");
  CHECK(vs[6].path == "/bogus");
  CHECK(vs[7].path == "/req");  // missing required fields come after the members seen
  // The missing required field comes last, after the members seen.
  const auto missing = validate(subject(), R"({})");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].path == "/req");
  CHECK(missing[0].kind == violation_kind::missing_required);
}

TEST_CASE("hostile inputs are refused cleanly") {
  validator v;
  SUBCASE("deep nesting") {
    const std::string deep = R"({"req": "x", "s": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK_FALSE(v.validate(subject(), deep));
    REQUIRE(v.violations().size() == 1);
    CHECK(v.violations()[0].kind == violation_kind::too_deep);
    const std::string unclosed = R"({"req": )" + std::string(5000, '{');
    CHECK_FALSE(v.validate(subject(), unclosed));
    CHECK(v.violations().size() == 1);
  }
  SUBCASE("undeclared keys given twice are duplicate keys, ignored or not") {
    const auto lax = odoolink::test::load(R"({"subject": "l", "version": "1.0.0", "owner": "o", "system_of_record": "s",
      "unknown_fields": "ignore", "fields": {"a": {"type": "string"},
      "o": {"type": "object", "unknown_fields": "ignore", "fields": {"b": {"type": "string"}}}}})");
    CHECK(v.validate(lax, R"({"a": "x", "junk": 1, "more": 2, "o": {"junk": 1}})"));
    for (const char* text : {R"({"a": "x", "junk": 1, "junk": 2})", R"({"junk": 1, "a": "x", "j\u0075nk": [1]})",
                             R"({"a": "x", "o": {"b": "y", "junk": 1, "junk": 2}, "junk": 3})"}) {
      CAPTURE(text);
      CHECK_FALSE(v.validate(lax, text));
      REQUIRE(v.violations().size() == 1);
      CHECK(v.violations()[0].kind == violation_kind::duplicate_key);
      CHECK(v.violations()[0].path.find("junk") != std::string::npos);
      // The owned-value walker agrees.
      const auto owned = json::parse(text, {.keep_duplicate_keys = true});
      REQUIRE(owned);
      const auto vs = validate(lax, owned.value());
      REQUIRE_MESSAGE(vs.size() == 1, summary(vs));
      CHECK(vs[0] == v.violations()[0]);
    }
    // Many undeclared keys: a repeat past the first ones still counts.
    std::string wide = R"({"a": "x")";
    for (int i = 0; i < 100; ++i) wide += ", \"k" + std::to_string(i) + "\": " + std::to_string(i);
    CHECK(v.validate(lax, wide + "}"));
    CHECK_FALSE(v.validate(lax, wide + R"(, "k64": 0})"));
    REQUIRE(v.violations().size() == 1);
    CHECK(v.violations()[0].path == "/k64");
    // Where unknown keys are refused, the repeat is reported as such.
    CHECK_FALSE(v.validate(subject(), payload(R"("extra": 1, "extra": 2)")));
    REQUIRE(v.violations().size() == 2);
    CHECK(v.violations()[0].kind == violation_kind::unknown_field);
    CHECK(v.violations()[1].kind == violation_kind::duplicate_key);
  }
  SUBCASE("nesting within the limit in an ignored field is skipped without recursion") {
    const auto lax = odoolink::test::load(R"({"subject": "l", "version": "1.0.0", "owner": "o", "system_of_record": "s",
      "unknown_fields": "ignore", "fields": {"a": {"type": "string"}}})");
    const std::string nested = R"({"junk": )" + std::string(60, '[') + std::string(60, ']') + "}";
    CHECK(v.validate(lax, nested));
  }
  SUBCASE("huge strings") {
    const std::string huge(8 << 20, 'A');
    CHECK_FALSE(v.validate(subject(), R"({"req": "x", "s": ")" + huge + "\"}"));
    REQUIRE(v.violations().size() == 1);
    CHECK(v.violations()[0].kind == violation_kind::too_long);
    CHECK(v.violations()[0].message == "must have at most 5 characters, has 8388608");
    // Patterns are not run on strings beyond the limit (regex denial of service).
    CHECK_FALSE(v.validate(subject(), R"({"req": "x", "code": "ABC-)" + std::string(1 << 20, '1') + "\"}"));
    REQUIRE(v.violations().size() == 1);
    CHECK(v.violations()[0].kind == violation_kind::pattern_mismatch);
    // A long string that fits the limit is matched in linear time.
    CHECK(v.validate(subject(), R"({"req": "x", "code": "ABC-)" + std::string(4000, '1') + "\"}"));
  }
  SUBCASE("payloads over the size limit") {
    validator small(validate_options{.max_bytes = 1024});
    CHECK_FALSE(small.validate(subject(), R"({"req": ")" + std::string(2000, 'x') + "\"}"));
    REQUIRE(small.violations().size() == 1);
    CHECK(small.violations()[0].kind == violation_kind::too_large);
  }
  SUBCASE("invalid UTF-8") {
    for (const std::string bad : {std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                                  std::string("\xf4\x90\x80\x80"), std::string("abc\xe2\x82")}) {
      CAPTURE(bad.size());
      CHECK_FALSE(v.validate(subject(), R"({"req": ")" + bad + "\"}"));
      REQUIRE(v.violations().size() == 1);
      CHECK(v.violations()[0].kind == violation_kind::invalid_utf8);
      // Owned values built in code are checked too, with the path.
      json::value owned = json::object{{"req", "x"}, {"s", bad}};
      const auto vs = validate(subject(), owned);
      REQUIRE(vs.size() == 1);
      CHECK(vs[0].path == "/s");
      CHECK(vs[0].kind == violation_kind::invalid_utf8);
    }
    json::value bad_key = json::object{{"req", "x"}, {"\xff", 1}};
    const auto vs = validate(subject(), bad_key);
    REQUIRE(vs.size() == 1);
    CHECK(vs[0].kind == violation_kind::invalid_utf8);
  }
  SUBCASE("escaped lone surrogates") {
    CHECK_FALSE(v.validate(subject(), R"({"req": "\ud800"})"));
    REQUIRE(v.violations().size() == 1);
    CHECK(v.violations()[0].kind == violation_kind::malformed_json);
  }
  SUBCASE("duplicate keys in nested objects") {
    CHECK_FALSE(v.validate(subject(), R"({"req": "x", "obj": {"x": 1, "x": "two"}})"));
    REQUIRE(v.violations().size() == 1);
    CHECK(v.violations()[0].path == "/obj/x");
    CHECK(v.violations()[0].kind == violation_kind::duplicate_key);
  }
  SUBCASE("not JSON or trailing content or not an object") {
    for (const char* text : {"", "{", R"({"req": "x"} {})", R"({"req": 'x'})", "nul", R"({"req": "x",})"}) {
      CAPTURE(text);
      CHECK_FALSE(v.validate(subject(), std::string_view(text)));
      REQUIRE(v.violations().size() == 1);
      CHECK(v.violations()[0].kind == violation_kind::malformed_json);
      CHECK(v.violations()[0].path.empty());
    }
    CHECK_FALSE(v.validate(subject(), "[1, 2]"));
    REQUIRE(v.violations().size() == 1);
    CHECK(v.violations()[0].kind == violation_kind::type_mismatch);
    CHECK(v.violations()[0].path.empty());
  }
  SUBCASE("numbers beyond double range") {
    CHECK_FALSE(v.validate(subject(), R"({"req": "x", "n": 1e400})"));
    REQUIRE(v.violations().size() == 1);
    CHECK(v.violations()[0].kind == violation_kind::malformed_json);
  }
  SUBCASE("floods of violations stop at the limit") {
    std::string many = R"({"req": "x", "tags": [)";
    for (int i = 0; i < 100000; ++i) many += i == 0 ? "1" : ",1";
    many += "]}";
    validator capped(validate_options{.max_violations = 50});
    CHECK_FALSE(capped.validate(subject(), many));
    REQUIRE(capped.violations().size() == 51);
    CHECK(capped.violations().back().kind == violation_kind::too_many_violations);
    CHECK(capped.violations()[0].kind == violation_kind::too_many_items);
    CHECK(capped.violations()[49].path == "/tags/48");
  }
}

TEST_CASE("the validator is reusable across inputs and forms") {
  validator v;
  CHECK_FALSE(v.validate(subject(), R"({"s": 1})"));
  CHECK(v.violations().size() == 2);
  CHECK(v.validate(subject(), R"({"req": "x"})"));
  CHECK(v.violations().empty());
  const json::buffer buffered(std::string(R"({"req": "x", "e": "red"})"));
  CHECK(v.validate(subject(), buffered));
  const json::buffer pink(std::string(R"({"req": "x", "e": "pink"})"));
  CHECK_FALSE(v.validate(subject(), pink));
  REQUIRE(v.violations().size() == 1);
  CHECK(v.violations()[0].path == "/e");
  // A buffer viewing part of a larger body (a reply's result) is read in place.
  const std::string body = R"({"result": {"req": "x", "i": 9}})";
  const json::buffer nine(body, body.find('{', 1), body.size() - body.find('{', 1) - 1);
  REQUIRE(nine.json() == R"({"req": "x", "i": 9})");
  CHECK_FALSE(v.validate(subject(), nine));
  REQUIRE(v.violations().size() == 1);
  CHECK(v.violations()[0].kind == violation_kind::above_maximum);
  const auto e = violation_error(subject(), v.violations());
  CHECK(e == contract_errc::violation);
  CHECK(e.message().find("/i: 9 is above the maximum 5") != std::string::npos);
}

TEST_CASE("validating a valid order allocates nothing once the validator is warm") {
  const auto order = odoolink::test::shipped("sales_order");
  const std::string text = odoolink::test::read_text(odoolink::test::fixtures().parent_path() / "contract" / "data" / "order_1k.json");
  REQUIRE(text.size() > 900);
  validator v;
  REQUIRE_MESSAGE(v.validate(order, text), summary(v.violations()));
  allocations = 0;
  counting = true;
  bool all_valid = true;
  for (int i = 0; i < 100; ++i) all_valid = v.validate(order, text) && all_valid;
  counting = false;
  CHECK(all_valid);
  CHECK(allocations.load() == 0);
  // An invalid payload allocates only to describe what is wrong.
  counting = true;
  CHECK_FALSE(v.validate(order, R"({"customer": "a.b", "order_ref": "X", "lines": []})"));
  counting = false;
  CHECK(allocations.load() > 0);
}
