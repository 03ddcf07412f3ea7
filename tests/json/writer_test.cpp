#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include "odoolink/json/writer.hpp"

using namespace odoolink;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

std::string quoted(std::string_view s) {
  std::string out;
  json::write_string(out, s);
  return out;
}

std::string dbl(double d) {
  std::string out;
  json::write_double(out, d);
  return out;
}

}  // namespace

TEST_CASE("write_string escapes quotes, backslashes and every control character") {
  CHECK(quoted("") == R"("")");
  CHECK(quoted("plain text") == R"("plain text")");
  CHECK(quoted("say \"hi\"") == R"("say \"hi\"")");
  CHECK(quoted("C:\\path\\") == R"("C:\\path\\")");
  CHECK(quoted("/") == R"("/")");  // solidus needs no escape
  CHECK(quoted("\x7f") == "\"\x7f\"");  // DEL is not a control character for JSON

  // Every byte below 0x20: short forms where JSON has them, else \u00XX.
  const char* expected[32] = {
      "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
      "\\b",     "\\t",     "\\n",     "\\u000b", "\\f",     "\\r",     "\\u000e", "\\u000f",
      "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
      "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f"};
  for (int c = 0; c < 32; ++c) {
    CAPTURE(c);
    const std::string in(1, static_cast<char>(c));
    CHECK(quoted(in) == "\""s + expected[c] + "\"");
    CHECK(quoted("a" + in + "b") == "\"a"s + expected[c] + "b\"");
  }
}

TEST_CASE("write_string passes valid UTF-8 through, U+2028 and U+2029 included") {
  CHECK(quoted("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
  CHECK(quoted("\xE2\x82\xAC 5") == "\"\xE2\x82\xAC 5\"");
  CHECK(quoted("\xF0\x9F\x98\x80") == "\"\xF0\x9F\x98\x80\"");
  CHECK(quoted("\xE2\x80\xA8|\xE2\x80\xA9") == "\"\xE2\x80\xA8|\xE2\x80\xA9\"");
  CHECK(quoted("\xF4\x8F\xBF\xBF") == "\"\xF4\x8F\xBF\xBF\"");  // U+10FFFF
}

TEST_CASE("write_string replaces each maximal invalid subpart by one U+FFFD, like Python") {
  // Expected outputs are Python's bytes.decode("utf-8", "replace").
  const std::string r = "\xEF\xBF\xBD";
  struct row {
    std::string_view in;
    std::string out;
  };
  const row rows[] = {
      {"\x80"sv, r},                              // lone continuation byte
      {"\xFF"sv, r},                              // never a UTF-8 byte
      {"\xC3"sv, r},                              // truncated 2-byte sequence at the end
      {"\xE2\x82" "A"sv, r + "A"},                // truncated 3-byte sequence: one U+FFFD
      {"a\xF0\x9F\x98"sv, "a" + r},               // truncated 4-byte sequence
      {"\xF0\x90\x80"sv, r},
      {"\xC0\x80"sv, r + r},                      // overlong NUL (C0 is never valid)
      {"\xE0\x80\x80"sv, r + r + r},              // overlong 3-byte form
      {"\xED\xA0\x80"sv, r + r + r},              // UTF-16 surrogate U+D800
      {"\xF4\x90\x80\x80"sv, r + r + r + r},      // above U+10FFFF
      {"\xF5\x80"sv, r + r},                      // lead byte past F4
      {"\xE2(\xA1"sv, r + "(" + r},
      {"ok\xF0\x9F\x98\x80\xFF"sv, "ok\xF0\x9F\x98\x80" + r},
  };
  for (const auto& [in, out] : rows) {
    CAPTURE(std::string(in));
    CHECK(quoted(in) == "\"" + out + "\"");
    CHECK_FALSE(json::is_valid_utf8(in));
    CHECK(json::is_valid_utf8(out));
  }
}

TEST_CASE("is_valid_utf8 follows RFC 3629") {
  struct row {
    std::string_view text;
    bool valid;
  };
  const row rows[] = {
      {""sv, true},
      {"ascii"sv, true},
      {"\x00"sv, true},
      {"\xC2\x80"sv, true},           // U+0080, smallest 2-byte
      {"\xDF\xBF"sv, true},           // U+07FF
      {"\xE0\xA0\x80"sv, true},       // U+0800, smallest 3-byte
      {"\xED\x9F\xBF"sv, true},       // U+D7FF, just below the surrogates
      {"\xEE\x80\x80"sv, true},       // U+E000, just above
      {"\xEF\xBF\xBF"sv, true},       // U+FFFF
      {"\xF0\x90\x80\x80"sv, true},   // U+10000, smallest 4-byte
      {"\xF4\x8F\xBF\xBF"sv, true},   // U+10FFFF
      {"\xC0\x80"sv, false},          // overlong
      {"\xC1\xBF"sv, false},          // overlong
      {"\xE0\x9F\xBF"sv, false},      // overlong
      {"\xF0\x8F\xBF\xBF"sv, false},  // overlong
      {"\xED\xA0\x80"sv, false},      // U+D800
      {"\xED\xBF\xBF"sv, false},      // U+DFFF
      {"\xF4\x90\x80\x80"sv, false},  // U+110000
      {"\xF8\x88\x80\x80\x80"sv, false},
      {"\xC3"sv, false},              // truncated
      {"\xE2\x82"sv, false},
      {"\xF0\x9F\x98"sv, false},
      {"\xC3\x28"sv, false},          // bad continuation
      {"\x80"sv, false},
      {"\xBF"sv, false},
      {"\xFE"sv, false},
  };
  for (const auto& [text, valid] : rows) {
    CAPTURE(std::string(text));
    CHECK(json::is_valid_utf8(text) == valid);
  }
}

TEST_CASE("write_int covers the whole int64 range") {
  auto text = [](std::int64_t i) {
    std::string out;
    json::write_int(out, i);
    return out;
  };
  CHECK(text(0) == "0");
  CHECK(text(-1) == "-1");
  CHECK(text(std::numeric_limits<std::int64_t>::max()) == "9223372036854775807");
  CHECK(text(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
}

TEST_CASE("write_double writes the shortest text that reads back, always as a float") {
  CHECK(dbl(0.1) == "0.1");
  CHECK(dbl(1.0) == "1.0");
  CHECK(dbl(0.0) == "0.0");
  CHECK(dbl(-0.0) == "-0.0");
  CHECK(dbl(377.5) == "377.5");
  CHECK(dbl(-2.5) == "-2.5");
  CHECK(dbl(1e300) == "1e+300");
  CHECK(dbl(5e-324) == "5e-324");
  CHECK(dbl(1e16) == "1e+16");
  CHECK(dbl(1e-7) == "1e-07");
  CHECK(dbl(0.1 + 0.2) == "0.30000000000000004");
  CHECK(dbl(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
  CHECK(dbl(std::nan("")) == "null");
  CHECK(dbl(std::numeric_limits<double>::infinity()) == "null");
  CHECK(dbl(-std::numeric_limits<double>::infinity()) == "null");

  for (double d : {0.1, 1.0, 1e300, 5e-324, 2.2250738585072014e-308, 123456789012345680.0, 1.5e-10, 4.35, 1740.0}) {
    const std::string t = dbl(d);
    CAPTURE(t);
    CHECK(t.find_first_of(".e") != std::string::npos);
    CHECK(std::strtod(t.c_str(), nullptr) == d);
  }
}

TEST_CASE("to_string uses Python's json.dumps spacing and keeps member order") {
  json::value v = json::object{
      {"b", 1},
      {"a", json::array{nullptr, true, false, 2.5, "x"}},
      {"empty", json::object{}},
      {"list", json::array{}},
  };
  CHECK(json::to_string(v) == R"({"b": 1, "a": [null, true, false, 2.5, "x"], "empty": {}, "list": []})");
  CHECK(json::to_string(json::value(1.0)) == "1.0");
  CHECK(json::to_string(json::value(1)) == "1");
  CHECK(json::to_string(json::value("q\"")) == R"("q\"")");
}

TEST_CASE("writer inserts commas and nests") {
  std::string out;
  json::writer w(out);
  w.begin_object();
  w.key("jsonrpc").string("2.0");
  w.key("params").begin_object().key("args").begin_array();
  w.string("db").integer(2).number(1.0).boolean(false).null();
  w.begin_array().end_array();
  w.begin_object().end_object();
  w.val(json::value(json::array{1, 2}));
  w.raw(R"({"k": 1})");
  w.end_array().end_object();
  w.key("id").integer(7);
  w.end_object();
  CHECK(out == R"({"jsonrpc": "2.0", "params": {"args": ["db", 2, 1.0, false, null, [], {}, [1, 2], {"k": 1}]}, "id": 7})");
  CHECK(w.ok());
}

TEST_CASE("writer keys are escaped") {
  std::string out;
  json::writer w(out);
  w.begin_object().key("a\"b\n").integer(1).end_object();
  CHECK(out == R"({"a\"b\n": 1})");
  CHECK(w.ok());
}

TEST_CASE("writer::ok reports incomplete documents and misuse") {
  auto check = [](auto build) {
    std::string out;
    json::writer w(out);
    build(w);
    return w.ok();
  };
  CHECK(check([](json::writer& w) { w.integer(1); }));
  CHECK(check([](json::writer& w) { w.begin_array().end_array(); }));
  CHECK_FALSE(check([](json::writer&) {}));                                           // nothing written
  CHECK_FALSE(check([](json::writer& w) { w.begin_array(); }));                         // unclosed
  CHECK_FALSE(check([](json::writer& w) { w.begin_object().key("a"); w.end_object(); }));  // key without value
  CHECK_FALSE(check([](json::writer& w) { w.begin_object().integer(1).end_object(); }));   // value without key
  CHECK_FALSE(check([](json::writer& w) { w.begin_array().key("a").integer(1).end_array(); }));  // key in array
  CHECK_FALSE(check([](json::writer& w) { w.begin_array().end_object(); }));            // mismatched close
  CHECK_FALSE(check([](json::writer& w) { w.end_array(); }));                           // close without open
  CHECK_FALSE(check([](json::writer& w) { w.integer(1).integer(2); }));                 // two roots
  CHECK_FALSE(check([](json::writer& w) { w.key("a").integer(1); }));                   // key at the root
}

TEST_CASE("writer tracks max_depth levels and flags deeper nesting") {
  for (std::size_t depth : {json::writer::max_depth, json::writer::max_depth + 1, json::writer::max_depth + 5}) {
    CAPTURE(depth);
    std::string out;
    json::writer w(out);
    for (std::size_t i = 0; i < depth; ++i) w.begin_array();
    w.integer(1).integer(2);
    for (std::size_t i = 0; i < depth; ++i) w.end_array();
    CHECK(w.ok() == (depth <= json::writer::max_depth));
    CHECK(out.size() >= 2 * depth);
    if (depth == json::writer::max_depth) {
      CHECK(out == std::string(depth, '[') + "1, 2" + std::string(depth, ']'));
    }
  }
}
