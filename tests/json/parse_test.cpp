#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include <simdjson.h>

#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "support/error_of.hpp"

using namespace odoolink;

namespace {

json::value parsed(std::string_view text) {
  auto r = json::parse(text);
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).message());
  return std::move(r).value();
}

json::value parsed_with(std::string_view text, const json::parse_options& opts) {
  auto r = json::parse(text, opts);
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).message());
  return std::move(r).value();
}

std::error_code failure(std::string_view text, const json::parse_options& opts = {}) {
  auto r = json::parse(text, opts);
  return r.has_error() ? r.error().code() : std::error_code{};
}

std::string nested(std::size_t depth, std::string_view inner = "") {
  return std::string(depth, '[') + std::string(inner) + std::string(depth, ']');
}

// splitmix64: deterministic on every platform (std distributions are not).
struct rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80U) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800U) {
    out.push_back(static_cast<char>(0xC0U | (cp >> 6U)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else if (cp < 0x10000U) {
    out.push_back(static_cast<char>(0xE0U | (cp >> 12U)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xF0U | (cp >> 18U)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  }
}

std::string random_string(rng& g) {
  std::string s;
  const auto n = g.below(12);
  for (std::uint64_t i = 0; i < n; ++i) {
    switch (g.below(6)) {
      case 0: s.push_back(static_cast<char>(g.below(0x20))); break;  // control characters
      case 1: s.push_back("\"\\/'"[g.below(4)]); break;
      case 2: append_utf8(s, static_cast<std::uint32_t>(0x80 + g.below(0x800 - 0x80))); break;
      case 3: {
        auto cp = static_cast<std::uint32_t>(0x800 + g.below(0x10000 - 0x800));
        if (cp >= 0xD800U && cp <= 0xDFFFU) cp = 0x2028U;  // no surrogates
        append_utf8(s, cp);
        break;
      }
      case 4: append_utf8(s, static_cast<std::uint32_t>(0x10000 + g.below(0x110000 - 0x10000))); break;
      default: s.push_back(static_cast<char>('a' + g.below(26)));
    }
  }
  return s;
}

double random_double(rng& g) {
  switch (g.below(4)) {
    case 0: return static_cast<double>(static_cast<std::int64_t>(g.below(2000001))) / 100.0 - 10000.0;
    case 1: return static_cast<double>(g.below(1000));  // integral doubles must stay doubles
    default: {
      double d = 0;
      do d = std::bit_cast<double>(g.next());
      while (!std::isfinite(d));
      return d;
    }
  }
}

json::value random_value(rng& g, int depth) {
  const auto pick = g.below(depth > 0 ? 8 : 6);
  switch (pick) {
    case 0: return nullptr;
    case 1: return g.below(2) == 0;
    case 2: {
      switch (g.below(3)) {
        case 0: return static_cast<std::int64_t>(g.next());
        case 1: return g.below(2) == 0 ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
        default: return static_cast<std::int64_t>(g.below(200)) - 100;
      }
    }
    case 3: return random_double(g);
    case 4:
    case 5: return random_string(g);
    case 6: {
      json::array a;
      const auto n = g.below(6);
      for (std::uint64_t i = 0; i < n; ++i) a.push_back(random_value(g, depth - 1));
      return a;
    }
    default: {
      json::object o;
      const auto n = g.below(6);
      for (std::uint64_t i = 0; i < n; ++i) {
        // A small key space makes duplicate keys common.
        std::string key = g.below(4) == 0 ? random_string(g) : std::string(1, static_cast<char>('a' + g.below(4)));
        o.emplace_back(std::move(key), random_value(g, depth - 1));
      }
      return o;
    }
  }
}

}  // namespace

TEST_CASE("parse reads every kind") {
  const json::value v = parsed(R"( {"n": null, "t": true, "f": false, "i": -12, "d": 1.5, "e": 1E2, "s": "x\u00e9\n",
                                    "a": [1, [2]], "o": {"k": {}}} )");
  CHECK(v.find("n")->is_null());
  CHECK(v.find("t")->as_bool());
  CHECK_FALSE(v.find("f")->as_bool());
  CHECK(v.find("i")->as_int() == -12);
  CHECK(v.find("d")->as_double() == 1.5);
  CHECK(v.find("e")->is_double());
  CHECK(v.find("e")->as_double() == 100.0);
  CHECK(v.find("s")->as_string() == "x\xC3\xA9\n");
  CHECK(*v.find("a") == json::value(json::array{1, json::array{2}}));
  CHECK(*v.find("o") == json::value(json::object{{"k", json::object{}}}));
}

TEST_CASE("parse keeps integers and doubles apart") {
  CHECK(parsed("1").is_int());
  CHECK(parsed("1.0").is_double());
  CHECK(parsed("-0").is_int());
  CHECK(parsed("-0.0").is_double());
  CHECK(std::signbit(parsed("-0.0").as_double()));
  CHECK(parsed("1e0").is_double());
}

TEST_CASE("parse covers the int64 range and refuses what does not fit") {
  CHECK(parsed("9223372036854775807").as_int() == std::numeric_limits<std::int64_t>::max());
  CHECK(parsed("-9223372036854775808").as_int() == std::numeric_limits<std::int64_t>::min());
  CHECK(failure("9223372036854775808") == protocol_errc::unexpected_type);   // uint64 only
  CHECK(failure("18446744073709551615") == protocol_errc::unexpected_type);
  CHECK(failure("[18446744073709551616]") == protocol_errc::malformed_response);  // beyond uint64
  CHECK(failure("-9223372036854775809") == protocol_errc::malformed_response);
  CHECK(failure("1e400") == protocol_errc::malformed_response);
}

TEST_CASE("parse refuses a key given twice in one object and names it") {
  for (const char* text : {R"({"a": 1, "b": 2, "a": 3})", R"({"a": 1, "\u0061": 2})", R"([1, {"x": {"a": 1, "a": {}}}])",
                           R"({"a": {"b": 1}, "c": [{"a": 1, "a": 1}]})"}) {
    CAPTURE(text);
    auto r = json::parse(text);
    REQUIRE_FALSE(r);
    CHECK(r.error() == protocol_errc::malformed_response);
    CHECK(r.error().message().find("\"a\" comes twice") != std::string::npos);
  }
  // Past the keys compared in place.
  std::string wide = "{";
  for (int i = 0; i < 300; ++i) wide += (i == 0 ? "\"k" : ", \"k") + std::to_string(i) + "\": " + std::to_string(i);
  CHECK(parsed(wide + "}").as_object().size() == 300);
  CHECK(failure(wide + ", \"k299\": 0}") == protocol_errc::malformed_response);
  // The same key in sibling objects, or in an object and one it holds, is no repeat.
  CHECK(parsed(R"([{"a": 1}, {"a": 2, "b": {"a": 3}}])").as_array().size() == 2);
  CHECK(parsed(R"({"a\\": 1, "a": 2, "a\"": 3})").as_object().size() == 3);
}

TEST_CASE("parse keeps duplicate keys in order when asked to") {
  const json::value v = parsed_with(R"({"a": 1, "b": 2, "a": 3})", {.keep_duplicate_keys = true});
  const auto& o = v.as_object();
  REQUIRE(o.size() == 3);
  CHECK(o[0] == json::member{"a", 1});
  CHECK(o[1] == json::member{"b", 2});
  CHECK(o[2] == json::member{"a", 3});
  CHECK(v.find("a")->as_int() == 3);
}

TEST_CASE("parse refuses malformed text") {
  for (const char* text : {"", " ", "[1,]", "{'a': 1}", "{\"a\" 1}", "nul", "[1] x", "[1", "{\"a\": 1", "NaN",
                           "\"\\ud800\"", "\"tab\there\"", "01", ".5", "\"\\x41\""}) {
    CAPTURE(text);
    CHECK(failure(text) == protocol_errc::malformed_response);
  }
  CHECK(parsed(R"("\ud83d\ude00")").as_string() == "\xF0\x9F\x98\x80");
  CHECK(parsed("\"\xE2\x80\xA8\"").as_string() == "\xE2\x80\xA8");
  CHECK(parsed(R"("\u0000")").as_string() == std::string(1, '\0'));
}

TEST_CASE("parse refuses invalid UTF-8") {
  for (const char* text : {"\"\xFF\"", "\"\xC0\x80\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"a\xC3\""}) {
    CAPTURE(text);
    CHECK(failure(text) == protocol_errc::invalid_utf8);
  }
}

TEST_CASE("parse enforces max_depth: containers nested in one another") {
  CHECK(parsed(nested(256, "1")).is_array());
  CHECK(parsed(nested(256)).is_array());
  CHECK(failure(nested(257)) == protocol_errc::nesting_too_deep);
  CHECK(failure(nested(257, "1")) == protocol_errc::nesting_too_deep);
  CHECK(failure(nested(100000)) == protocol_errc::nesting_too_deep);

  const json::parse_options two{.max_depth = 2};
  CHECK(failure(R"([[1]])", two) == std::error_code{});
  CHECK(failure(R"({"a": {"b": 1}})", two) == std::error_code{});
  CHECK(failure(R"({"a": [[]]})", two) == protocol_errc::nesting_too_deep);
  CHECK(failure(R"([{"a": {}}])", two) == protocol_errc::nesting_too_deep);

  const json::parse_options huge{.max_depth = std::size_t{1} << 40U};
  const json::value deepest = parsed_with(nested(json::parse_options::depth_ceiling), huge);
  CHECK(json::to_string(deepest) == nested(json::parse_options::depth_ceiling));
  CHECK(failure(nested(json::parse_options::depth_ceiling + 1), huge) == protocol_errc::nesting_too_deep);

  const json::parse_options scalars{.max_depth = 0};
  CHECK(failure("3", scalars) == std::error_code{});
  CHECK(failure("[]", scalars) == protocol_errc::nesting_too_deep);
}

TEST_CASE("parse enforces max_bytes") {
  const json::parse_options small{.max_bytes = 10};
  CHECK(failure("[1,2,3,44]", small) == std::error_code{});  // exactly 10 bytes
  CHECK(failure("[1,2,3,444]", small) == protocol_errc::response_too_large);
  CHECK(failure("\"x\"", {.max_bytes = 2}) == protocol_errc::response_too_large);
}

TEST_CASE("parse(to_string(v)) == v over generated values") {
  rng g{20260122};
  for (int i = 0; i < 3000; ++i) {
    const json::value v = random_value(g, 5);
    const std::string text = json::to_string(v);
    CAPTURE(text);
    auto back = json::parse(text, {.keep_duplicate_keys = true});  // generated objects may repeat keys
    REQUIRE_MESSAGE(back.has_value(), odoolink::test::error_of(back).message());
    CHECK(back.value() == v);
    CHECK(json::to_string(back.value()) == text);  // the text is stable too
  }
}

TEST_CASE("buffer views its text with padding behind it") {
  json::buffer whole(std::string(R"({"result": [1, 2]})"));
  CHECK(whole.json() == R"({"result": [1, 2]})");
  CHECK(whole.whole() == whole.json());
  CHECK(whole.readable() >= whole.json().size() + json::padding);
  CHECK(json::padding >= simdjson::SIMDJSON_PADDING);

  json::buffer part(std::string(R"({"result": [1, 2]})"), 11, 6);
  CHECK(part.json() == "[1, 2]");
  const char* before = part.json().data();
  json::buffer moved = std::move(part);
  CHECK(moved.json().data() == before);  // moving keeps views valid

  simdjson::ondemand::parser parser;
  CHECK(moved.readable() >= moved.json().size() + json::padding);
  auto doc = parser.iterate(simdjson::padded_string_view(moved.json().data(), moved.json().size(), moved.readable()));
  std::int64_t sum = 0;
  for (auto e : doc.get_array()) sum += e.get_int64().value();
  CHECK(sum == 3);

  json::buffer clamped(std::string("abc"), 10, 5);
  CHECK(clamped.json().empty());
  json::buffer tail(std::string("abcdef"), 4, 100);
  CHECK(tail.json() == "ef");
}

TEST_CASE("buffer::slice re-views a range of the same storage") {
  json::buffer b(std::string(R"({"result": "x"})"));
  const std::string_view inside = b.whole().substr(11, 3);
  json::buffer s = std::move(b).slice(inside);
  CHECK(s.json() == "\"x\"");
  CHECK(s.json().data() == inside.data());
  json::buffer other = std::move(s).slice(std::string_view("elsewhere"));
  CHECK(other.json().empty());
}
