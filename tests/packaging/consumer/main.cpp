// Uses odoolink the way a host application does: build a JSON document with
// the writer, parse it back, and handle a parse error. Exits non-zero on any
// mismatch.
#include <cstdio>
#include <cstring>
#include <string>

#include <odoolink/error.hpp>
#include <odoolink/json/parse.hpp>
#include <odoolink/json/writer.hpp>
#include <odoolink/version.hpp>

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "consumer: FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  namespace json = odoolink::json;

  std::string text;
  json::writer w(text);
  w.begin_object()
      .key("model").string("res.partner")
      .key("ids").begin_array().integer(7).integer(42).end_array()
      .key("ratio").number(0.5)
      .end_object();
  expect(w.ok(), "writer completes the document");
  const char* expected = R"({"model": "res.partner", "ids": [7, 42], "ratio": 0.5})";
  expect(text == expected, "writer output");

  odoolink::result<json::value> doc = json::parse(text);
  expect(doc.has_value(), "parse succeeds");
  if (doc) {
    const json::value* ids = doc.value().find("ids");
    expect(ids != nullptr && ids->is_array() && ids->as_array().size() == 2 &&
               ids->as_array()[1].as_int() == 42,
           "parsed ids[1] == 42");
    expect(json::to_string(doc.value()) == text, "round trip is exact");
  }

  odoolink::result<json::value> bad = json::parse(R"({"unterminated": )");
  expect(!bad.has_value(), "truncated JSON is refused");
  if (!bad) {
    expect(bad.error() == odoolink::protocol_errc::malformed_response, "error code is malformed_response");
    expect(!bad.error().describe().empty(), "error describes itself");
  }

#ifdef CONSUMER_EXPECTED_VERSION
  if (std::strlen(CONSUMER_EXPECTED_VERSION) != 0)
    expect(std::strcmp(CONSUMER_EXPECTED_VERSION, ODOOLINK_VERSION_STRING) == 0,
           "package version matches version.hpp");
#endif

  if (failures != 0) return 1;
  std::printf("odoolink %s: %s\n", ODOOLINK_VERSION_STRING, text.c_str());
  return 0;
}
