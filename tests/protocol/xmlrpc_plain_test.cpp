// XML-RPC responses take one of two readers: Odoo's plain layout a fast
// reader of its own, anything else expat (xmlrpc_plain.hpp). A comment after
// the root element is well-formed XML that only expat takes, so decoding a
// body with and without one runs both readers on the same document: they
// must give the same JSON, or fail with the same error code.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/protocol/xmlrpc.hpp"

using namespace odoolink;
namespace xmlrpc = odoolink::protocol::xmlrpc;
namespace fs = std::filesystem;

namespace {

result<protocol::reply> decode_body(std::string body, const protocol::decode_options& opts = {}) {
  return xmlrpc::decode(http_response{200, {{"Content-Type", "text/xml; charset=utf-8"}}, std::move(body)}, opts);
}

// Decodes `body` as sent and with a trailing comment; returns the first.
result<protocol::reply> both_readers(const std::string& body, const protocol::decode_options& opts = {}) {
  auto as_sent = decode_body(body, opts);
  auto by_expat = decode_body(body + "<!-- -->", opts);
  REQUIRE_MESSAGE(as_sent.has_value() == by_expat.has_value(), body.substr(0, 200));
  if (as_sent) {
    CHECK_MESSAGE(as_sent.value().json() == by_expat.value().json(), body.substr(0, 200));
  } else {
    CHECK_MESSAGE(as_sent.error().code() == by_expat.error().code(), body.substr(0, 200));
  }
  return as_sent;
}

std::string response(std::string_view value) {
  return "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n" + std::string(value) +
         "\n</param>\n</params>\n</methodResponse>\n";
}

std::string json_of(const std::string& body, const protocol::decode_options& opts = {}) {
  auto r = both_readers(body, opts);
  REQUIRE_MESSAGE(r.has_value(), body.substr(0, 200));
  return std::string(r.value().json());
}

std::error_code error_of(const std::string& body, const protocol::decode_options& opts = {}) {
  auto r = both_readers(body, opts);
  REQUIRE_MESSAGE(r.has_error(), body.substr(0, 200));
  CHECK_FALSE(r.error().message().empty());
  return r.error().code();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("xmlrpc plain path: every recorded response reads the same as through expat") {
  std::size_t bodies = 0;
  for (const auto& series : fs::directory_iterator(ODOOLINK_FIXTURES_DIR)) {
    const fs::path dir = series.path() / "xmlrpc";
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      CAPTURE(entry.path().string());
      auto doc = json::parse(read_file(entry.path()));
      REQUIRE(doc.has_value());
      const json::value* body = doc.value().find("response_body");
      if (body == nullptr || !body->is_string()) continue;
      (void)both_readers(std::string(body->as_string()));
      ++bodies;
    }
  }
  CHECK(bodies >= 27);
}

TEST_CASE("xmlrpc plain path: what Odoo writes comes back exactly") {
  // Every type, escapes, non-ASCII text, nesting and empty containers, in
  // Python's layout (encode_response writes it).
  const auto value = json::parse(R"({"id": 7, "name": "Caf\u00e9 <Zo\u00e9> & \"Sons\" 'Ltd'", "empty": "",
    "none": null, "yes": true, "no": false, "big": 9007199254740993, "neg": -42, "ratio": 0.1, "huge": 1e300,
    "tags": [1, 2, [3, [4, {}]], []], "nested": {"a": {"b": {"c": ["x\ty\nz"]}}}, "emoji": "\ud83d\ude00"})");
  REQUIRE(value.has_value());
  const std::string body = xmlrpc::encode_response(value.value());
  const auto back = json::parse(json_of(body));
  REQUIRE(back.has_value());
  CHECK(back.value() == value.value());
}

TEST_CASE("xmlrpc plain path: scalars read as Python reads them") {
  CHECK(json_of(response("<value><int>5</int></value>")) == "5");
  CHECK(json_of(response("<value><i4> +5 </i4></value>")) == "5");
  CHECK(json_of(response("<value><i8>-9223372036854775808</i8></value>")) == "-9223372036854775808");
  CHECK(json_of(response("<value><double>1e400</double></value>")) == "null");
  CHECK(json_of(response("<value><double>-1e-400</double></value>")) == "-0.0");
  CHECK(json_of(response("<value><boolean>1</boolean></value>")) == "true");
  CHECK(json_of(response("<value><boolean> false </boolean></value>")) == "false");
  CHECK(json_of(response("<value><nil/></value>")) == "null");
  CHECK(json_of(response("<value><dateTime.iso8601>20261122T06:02:49</dateTime.iso8601></value>")) ==
        R"("2026-11-22 06:02:49")");
  CHECK(json_of(response("<value><dateTime.iso8601>soon</dateTime.iso8601></value>")) == R"("soon")");
  CHECK(json_of(response("<value><base64>aGVs\nbG8=\n</base64></value>")) == R"("aGVsbG8=")");
  CHECK(json_of(response("<value>bare text</value>")) == R"("bare text")");
  CHECK(json_of(response("<value></value>")) == R"("")");
  CHECK(json_of(response("<value> \n </value>")) == R"(" \n ")");
  CHECK(json_of(response("<value> <string>a&amp;b&lt;&gt;&quot;&apos;</string> </value>")) == R"("a&b<>\"'")");
  CHECK(json_of(response("<value><array><data></data></array></value>")) == "[]");
  CHECK(json_of(response("<value><struct></struct></value>")) == "{}");
  CHECK(json_of(response("<value><struct><member><name>a&amp;b</name><value><int>1</int></value></member>"
                         "<member><name>c</name><value>2</value></member></struct></value>")) ==
        R"({"a&b": 1, "c": "2"})");
}

TEST_CASE("xmlrpc plain path: what it leaves to expat still decodes") {
  // Declarations other than the plain one.
  CHECK(json_of("<?xml version='1.0'?><methodResponse><params><param><value>x</value></param></params>"
                "</methodResponse>") == R"("x")");
  CHECK(json_of("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>" + response("<value>x</value>").substr(21)) == R"("x")");
  CHECK(json_of("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodResponse><params><param><value>caf\xE9"
                "</value></param></params></methodResponse>") == "\"caf\xC3\xA9\"");
  CHECK(json_of("<?xml version=\"1.0\" standalone=\"yes\"?>" + response("<value>x</value>").substr(21)) == R"("x")");
  CHECK(json_of("\xEF\xBB\xBF" + response("<value>x</value>")) == R"("x")");  // a byte order mark
  // XML turns CR LF and a lone CR into LF.
  CHECK(json_of(response("<value><string>a\r\nb\rc</string></value>")) == R"("a\nb\nc")");
  CHECK(json_of("<methodResponse>\r\n<params><param><value>x</value></param></params></methodResponse>") ==
        R"("x")");
  // Character references, CDATA, comments and processing instructions.
  CHECK(json_of(response("<value><string>&#65;&#x42;</string></value>")) == R"("AB")");
  CHECK(json_of(response("<value><string><![CDATA[<b>&]]></string></value>")) == R"("<b>&")");
  CHECK(json_of(response("<value><!-- note --><int>1</int></value>")) == "1");
  CHECK(json_of(response("<value><?pi x?><int>1</int></value>")) == "1");
  // Prefixed names (Apache's ex:nil), the long form of nil, attributes.
  CHECK(json_of(response("<value><ex:nil xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\"/></value>")) ==
        "null");
  CHECK(json_of(response("<value><nil></nil></value>")) == "null");
  CHECK(json_of(response("<value type=\"x\"><int>1</int></value>")) == "1");
  CHECK(json_of(response("<value><string/></value>")) == R"("")");
  CHECK(json_of(response("<value><array><data/></array></value>")) == "[]");
}

TEST_CASE("xmlrpc plain path: what is wrong fails as through expat") {
  using odoolink::protocol_errc;
  CHECK(error_of(response("<value><int>12x</int></value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value><int>99999999999999999999</int></value>")) == protocol_errc::unexpected_type);
  CHECK(error_of(response("<value><boolean>2</boolean></value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value><double>x</double></value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value><float>1</float></value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value>text<int>1</int></value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value><int>1</int>text</value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value><string>a&bogus;b</string></value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value><string>a]]>b</string></value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value><string>a\x01z</string></value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value><string>a\xEF\xBF\xBEz</string></value>")) == protocol_errc::malformed_response);
  CHECK(error_of(response("<value><string>a\xC3(z</string></value>")) == protocol_errc::invalid_utf8);
  CHECK(error_of(response("<value><struct><member><name>a</name><value>1</value></member>"
                          "<member><name>a</name><value>2</value></member></struct></value>")) ==
        protocol_errc::malformed_response);
  CHECK(error_of(response("<value><struct><member><value>1</value><name>a</name></member></struct></value>")) ==
        protocol_errc::malformed_response);
  CHECK(error_of(response("<value><struct><member><name>a</name></member></struct></value>")) ==
        protocol_errc::malformed_response);
  CHECK(error_of(response("<value>1</value></param><param><value>2</value>")) == protocol_errc::malformed_response);
  CHECK(error_of("<methodResponse><params></params></methodResponse>") == protocol_errc::malformed_response);
  CHECK(error_of(response("<value>1</value>") + "<extra/>") == protocol_errc::malformed_response);
  CHECK(error_of(" " + response("<value>1</value>")) == protocol_errc::malformed_response);  // declaration not first
  CHECK(error_of(response("<value><array><data><value>1</value></array></value>")) ==
        protocol_errc::malformed_response);
  const std::string whole = response("<value><array><data><value><int>1</int></value></data></array></value>");
  for (std::size_t cut = 1; cut < whole.size(); cut += 7) {
    CAPTURE(cut);
    CHECK(error_of(whole.substr(0, cut)) == protocol_errc::malformed_response);
  }
}

TEST_CASE("xmlrpc plain path: the nesting limit is the same") {
  protocol::decode_options opts;
  opts.max_depth = 3;
  const std::string three = "<value><array><data><value><struct><member><name>k</name><value><array><data>"
                            "</data></array></value></member></struct></value></data></array></value>";
  CHECK(json_of(response(three), opts) == R"([{"k": []}])");
  opts.max_depth = 2;
  CHECK(error_of(response(three), opts) == protocol_errc::nesting_too_deep);
}

TEST_CASE("xmlrpc plain path: a repeated member name is found in every struct of a list") {
  // The plain reader compares each struct's names with the last struct's at
  // its depth before checking them in full: a record that follows the
  // previous one part of the way and then repeats a name must still fail.
  auto member = [](std::string_view name) {
    return "<member><name>" + std::string(name) + "</name><value><int>1</int></value></member>";
  };
  auto structure = [&](std::initializer_list<std::string_view> names) {
    std::string s = "<value><struct>";
    for (const auto n : names) s += member(n);
    return s + "</struct></value>";
  };
  auto list = [&](std::initializer_list<std::string> items) {
    std::string s = "<value><array><data>";
    for (const auto& i : items) s += i;
    return response(s + "</data></array></value>");
  };
  const std::string abc = structure({"a", "b", "c"});
  CHECK(json_of(list({abc, abc, structure({"a", "b"}), structure({"a", "b", "c", "d"}), structure({"b", "a"}), abc})) ==
        R"([{"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 1}, {"a": 1, "b": 1, "c": 1, "d": 1}, )"
        R"({"b": 1, "a": 1}, {"a": 1, "b": 1, "c": 1}])");
  using odoolink::protocol_errc;
  CHECK(error_of(list({abc, abc, structure({"a", "b", "a"})})) == protocol_errc::malformed_response);
  CHECK(error_of(list({abc, structure({"a", "b", "c", "b"})})) == protocol_errc::malformed_response);
  CHECK(error_of(list({abc, structure({"a", "a"})})) == protocol_errc::malformed_response);
  CHECK(error_of(list({abc, structure({"c", "b", "c"})})) == protocol_errc::malformed_response);
  // Names with entities are compared by their text.
  CHECK(error_of(list({structure({"x&amp;y", "z"}), structure({"x&amp;y", "x&amp;y"})})) ==
        protocol_errc::malformed_response);
  CHECK(error_of(list({structure({"x&amp;y", "z"}), structure({"x&amp;y", "x&#38;y"})})) ==
        protocol_errc::malformed_response);
  // Nested structs have shapes of their own.
  auto holder = [&](const std::string& inner) {
    return "<value><struct><member><name>k</name>" + inner + "</member></struct></value>";
  };
  CHECK(json_of(list({holder(abc), holder(abc), holder(structure({"c"}))})) ==
        R"([{"k": {"a": 1, "b": 1, "c": 1}}, {"k": {"a": 1, "b": 1, "c": 1}}, {"k": {"c": 1}}])");
  CHECK(error_of(list({holder(abc), holder(structure({"a", "b", "b"}))})) == protocol_errc::malformed_response);
}

TEST_CASE("xmlrpc plain path: text is read the same whatever the byte's place in a word") {
  // The plain reader scans text eight bytes at a time: put each kind of
  // byte it must stop at at every offset of strings around a word's size.
  const std::string specials[] = {"&amp;", "&lt;", "\xC3\xA9", "\t", "\n", "]]>", "\x01", "\xC3", ">", "]]", "&#65;"};
  for (const auto& special : specials) {
    for (std::size_t length = 0; length <= 20; ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        std::string text(length, 'x');
        text.insert(at, special);
        CAPTURE(text);
        (void)both_readers(response("<value><string>" + text + "</string></value>"));
        (void)both_readers(response("<value><struct><member><name>" + text +
                                    "</name><value>1</value></member></struct></value>"));
      }
    }
  }
}
