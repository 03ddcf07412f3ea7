#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/xmlrpc.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
namespace xmlrpc = odoolink::protocol::xmlrpc;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------
// Fixtures

struct fixture {
  std::string id;    // e.g. "odoo18/xmlrpc/read"
  std::string stem;  // e.g. "read"
  json::value doc;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every recorded XML-RPC exchange of both server versions, found by listing.
std::vector<fixture> load_fixtures() {
  std::vector<fixture> out;
  for (std::string_view version : {"odoo18", "odoo19"}) {
    const fs::path dir = fs::path(ODOOLINK_FIXTURES_DIR) / version / "xmlrpc";
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto doc = json::parse(read_file(f));
      REQUIRE_MESSAGE(doc.has_value(), f.string());
      out.push_back({std::string(version) + "/xmlrpc/" + f.stem().string(), f.stem().string(), std::move(doc).value()});
    }
  }
  return out;
}

const std::string& str(const json::value& doc, std::string_view a, std::string_view b = {}) {
  const json::value* v = doc.find(a);
  REQUIRE(v != nullptr);
  if (!b.empty()) v = v->find(b);
  REQUIRE(v != nullptr);
  REQUIRE(v->is_string());
  return v->as_string();
}

http_response recorded_response(const json::value& doc) {
  http_response r;
  r.status = static_cast<int>(doc.find("http")->find("status")->as_int());
  for (const auto& [name, value] : doc.find("http")->find("response_headers")->as_object())
    r.headers.push_back({name, value.as_string()});
  r.body = str(doc, "response_body");
  return r;
}

// The recordings replace API keys by `<API_KEY>` inside `<string>` elements,
// which no XML parser accepts; put the placeholder back as escaped text.
std::string unredact(std::string body) {
  for (std::string_view placeholder : {"<API_KEY>", "<CLERK_API_KEY>"}) {
    const std::string escaped = "&lt;" + std::string(placeholder.substr(1, placeholder.size() - 2)) + "&gt;";
    for (auto at = body.find(placeholder); at != std::string::npos; at = body.find(placeholder, at + escaped.size()))
      body.replace(at, placeholder.size(), escaped);
  }
  return body;
}

json::value parse_json(std::string_view text) {
  auto v = json::parse(text);
  REQUIRE_MESSAGE(v.has_value(), std::string(text));
  return std::move(v).value();
}

struct expected_fault {
  std::string_view stem;
  int fault_code;  // 0: the legacy string code
  odoo_errc code;
  std::string_view odoo_class;
  std::string_view message;  // the error's message starts with this
};

// Fault recordings of both versions, by file stem. A new fault fixture must be added here.
constexpr expected_fault fault_table[] = {
    {"fault_access_denied", 3, odoo_errc::access_denied, "odoo.exceptions.AccessDenied", "Access Denied"},
    {"fault_access_error", 4, odoo_errc::access_error, "odoo.exceptions.AccessError",
     "You are not allowed to create 'Currency' (res.currency) records."},
    {"fault_legacy_endpoint_user_error", 0, odoo_errc::user_error, "odoo.exceptions.UserError",
     "You can not delete a sent quotation or a confirmed sales order."},
    {"fault_malformed_xml", 1, odoo_errc::server_error, "xml.parsers.expat.ExpatError",
     "no element found: line 1, column 55"},
    {"fault_missing_error", 2, odoo_errc::missing_error, "odoo.exceptions.MissingError",
     "Record does not exist or has been deleted."},
    {"fault_unknown_method", 1, odoo_errc::unknown_method, "builtins.AttributeError",
     "The method 'no_such_method' does not exist on the model 'res.partner'"},
    {"fault_unknown_model", 2, odoo_errc::unknown_model, "odoo.exceptions.UserError", "Object no.such.model doesn't exist"},
    {"fault_user_error", 2, odoo_errc::user_error, "odoo.exceptions.UserError", ""},
    {"fault_validation_error", 2, odoo_errc::validation_error, "odoo.exceptions.ValidationError",
     "You cannot create recursive Partner hierarchies."},
};

// Results checked by hand against the recorded XML, as JSON text.
struct expected_result {
  std::string_view id;
  std::string_view json;
};

constexpr expected_result result_table[] = {
    {"odoo18/xmlrpc/read",
     R"([{"id": 10, "name": "Deco Addict", "parent_id": false, "child_ids": [36, 19, 20],
         "phone": "(603)-996-3829"}])"},
    {"odoo18/xmlrpc/common_version",
     R"({"server_version": "18.0+e-20241005", "server_version_info": [18, 0, 0, "final", 0, ""],
         "server_serie": "18.0", "protocol_version": 1})"},
    {"odoo19/xmlrpc/common_version",
     R"({"server_version": "19.0", "server_version_info": [19, 0, 0, "final", 0, ""],
         "server_serie": "19.0", "protocol_version": 1})"},
    {"odoo18/xmlrpc/common_authenticate_bad_password", "false"},
    {"odoo18/xmlrpc/common_authenticate_ok", "2"},
    {"odoo18/xmlrpc/create", "58"},
    {"odoo18/xmlrpc/unlink", "true"},
    {"odoo18/xmlrpc/load_upsert", R"({"ids": [54], "messages": [], "nextrow": 0})"},
    {"odoo18/xmlrpc/search_read_sale_order_types",
     R"([{"id": 3, "name": "S00003", "state": "draft", "partner_id": [12, "Ready Mat"], "order_line": [6, 7],
         "tag_ids": [1, 2], "validity_date": "2026-12-22", "date_order": "2026-11-22 06:02:49",
         "amount_total": 377.5, "currency_id": [1, "USD"], "signature": false,
         "note": "<p>Deliver <b>before</b> noon &amp; call ahead</p>", "require_signature": true}])"},
    {"odoo19/xmlrpc/execute_kw_search_read",
     R"j([{"id": 1, "name": "My Company (San Francisco)", "country_id": [233, "United States"], "comment": false},
          {"id": 8, "name": "Wood Corner", "country_id": [233, "United States"], "comment": false}])j"},
};

// ---------------------------------------------------------------------------
// Helpers for hand-written documents

http_response ok(std::string body) {
  http_response r;
  r.status = 200;
  r.headers.push_back({"Content-Type", "text/xml; charset=utf-8"});
  r.body = std::move(body);
  return r;
}

std::string response_with(std::string_view value_xml) {
  return "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n" + std::string(value_xml) +
         "\n</param>\n</params>\n</methodResponse>\n";
}

result<json::value> decode_value(std::string_view value_xml, const protocol::decode_options& opts = {}) {
  ODOOLINK_TRY(auto r, xmlrpc::decode(ok(response_with(value_xml)), opts));
  return json::parse(r.json());
}

error decode_error(http_response response, const protocol::decode_options& opts = {}) {
  auto r = xmlrpc::decode(std::move(response), opts);
  REQUIRE_MESSAGE(r.has_error(), (r ? std::string(r.value().json()) : std::string()));
  return r.error();
}

json::value round_trip(const json::value& v) {
  auto r = xmlrpc::decode(ok(xmlrpc::encode_response(v)));
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  return parse_json(r.value().json());
}

std::string nested_arrays(std::size_t depth) {
  std::string s;
  s.reserve(depth * 45);
  for (std::size_t i = 0; i < depth; ++i) s += "<value><array><data>";
  s += "<value><int>1</int></value>";
  for (std::size_t i = 0; i < depth; ++i) s += "</data></array></value>";
  return s;
}

std::string billion_laughs() {
  std::string s = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    s += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) s += i == 1 ? "&lol;" : "&lol" + std::to_string(i - 1) + ";";
    s += "\">\n";
  }
  s += "]>\n<methodResponse><params><param><value><string>&lol9;</string></value></param></params></methodResponse>\n";
  return s;
}

}  // namespace

// ===========================================================================
// Recorded exchanges

TEST_CASE("xmlrpc: every recorded response decodes as recorded") {
  const auto fixtures = load_fixtures();
  REQUIRE(fixtures.size() >= 27);  // 21 from Odoo 18, 6 from Odoo 19
  std::size_t faults = 0, results = 0, hand_checked = 0;
  for (const auto& f : fixtures) {
    CAPTURE(f.id);
    const http_response recorded = recorded_response(f.doc);
    auto r = xmlrpc::decode(http_response(recorded));
    if (f.stem.rfind("fault_", 0) == 0) {
      ++faults;
      REQUIRE(r.has_error());
      const auto* row = std::find_if(std::begin(fault_table), std::end(fault_table),
                                     [&](const expected_fault& e) { return e.stem == f.stem; });
      REQUIRE_MESSAGE(row != std::end(fault_table), "no expectation for " << f.id);
      const error& e = r.error();
      CHECK(e == row->code);
      CHECK(e.odoo_class() == row->odoo_class);
      CHECK(e.message().rfind(row->message, 0) == 0);
      CHECK(e.message().find("Traceback") == std::string::npos);
      CHECK_FALSE(e.message().empty());
      CHECK_FALSE(e.debug().empty());
      CHECK(e.http_status() == 200);
      // debug keeps the fault string exactly: Odoo's bytes come back from it.
      if (row->fault_code != 0) CHECK(xmlrpc::encode_fault(row->fault_code, e.debug()) == recorded.body);
      continue;
    }
    ++results;
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
    const json::value got = parse_json(r.value().json());
    // Independent check 1: Odoo's own bytes come back when the value is re-encoded.
    CHECK(xmlrpc::encode_response(got) == recorded.body);
    // Independent check 2: hand-written expectations.
    for (const auto& row : result_table) {
      if (row.id != f.id) continue;
      ++hand_checked;
      CHECK(got == parse_json(row.json));
    }
  }
  CHECK(faults == 12);
  CHECK(results == 15);
  CHECK(hand_checked == std::size(result_table));
}

TEST_CASE("xmlrpc: read.json gives the exact JSON text") {
  const fs::path p = fs::path(ODOOLINK_FIXTURES_DIR) / "odoo18" / "xmlrpc" / "read.json";
  const json::value doc = parse_json(read_file(p));
  auto r = xmlrpc::decode(recorded_response(doc));
  REQUIRE(r.has_value());
  CHECK(r.value().json() ==
        R"([{"id": 10, "name": "Deco Addict", "parent_id": false, "child_ids": [36, 19, 20], "phone": "(603)-996-3829"}])");
  // The reply is a padded buffer later layers can iterate with simdjson.
  simdjson::ondemand::parser parser;
  const std::string_view text = r.value().json();
  auto d = parser.iterate(simdjson::padded_string_view(text.data(), text.size(), r.value().readable()));
  std::int64_t id = 0;
  CHECK(d.at(0)["id"].get_int64().get(id) == simdjson::SUCCESS);
  CHECK(id == 10);
}

TEST_CASE("xmlrpc: every recorded request round-trips through encode") {
  std::size_t reencoded = 0;
  for (const auto& f : load_fixtures()) {
    CAPTURE(f.id);
    const std::string path = str(f.doc, "http", "path");
    const std::string body = unredact(str(f.doc, "request_body"));
    auto first = xmlrpc::decode_request(body);
    if (f.stem == "fault_malformed_xml") {
      // The recording sent a truncated document on purpose.
      REQUIRE(first.has_error());
      CHECK(first.error() == protocol_errc::malformed_response);
      continue;
    }
    REQUIRE_MESSAGE(first.has_value(), odoolink::test::error_of(first).describe());
    REQUIRE(first.value().params.is_array());
    if (path == "/xmlrpc/object") {
      // Legacy endpoint: decoded only; odoolink sends to /xmlrpc/2.
      CHECK(first.value().method == "execute_kw");
      CHECK(first.value().params.as_array().size() == 7);
      continue;
    }
    REQUIRE(path.rfind("/xmlrpc/2/", 0) == 0);
    const std::string service = path.substr(10);
    const json::array& params = first.value().params.as_array();
    http_request req;
    if (service == "object") {
      REQUIRE(first.value().method == "execute_kw");
      REQUIRE(params.size() == 7);
      protocol::credentials who{params[0].as_string(), params[1].as_int(), params[2].as_string()};
      protocol::call c;
      c.model = params[3].as_string();
      c.method = params[4].as_string();
      c.args = params[5];
      c.kwargs = params[6];
      req = xmlrpc::encode(c, who);
    } else {
      req = xmlrpc::encode(protocol::service_call{service, first.value().method, first.value().params});
    }
    ++reencoded;
    CHECK(req.target == path);
    CHECK(req.method == str(f.doc, "http", "method"));
    CHECK(req.header("Content-Type") == str(*f.doc.find("http"), "request_headers", "Content-Type"));
    CHECK_FALSE(req.idempotent);
    // Python's xmlrpc.client wrote these bytes; we write the same ones.
    CHECK(req.body == body);
    auto second = xmlrpc::decode_request(req.body);
    REQUIRE(second.has_value());
    CHECK(second.value().method == first.value().method);
    CHECK(second.value().params == first.value().params);
  }
  CHECK(reencoded == 25);
}

TEST_CASE("xmlrpc: execute_kw merges the call context into kwargs") {
  protocol::call c;
  c.model = "res.partner";
  c.method = "search_read";
  c.args = json::array{json::value(json::array{})};
  c.kwargs = json::object{{"fields", json::array{"name"}}, {"context", json::object{{"tz", "UTC"}}}};
  c.context = json::object{{"lang", "fr_FR"}};
  const http_request req = xmlrpc::encode(c, {"db", 2, "secret"});
  CHECK(req.target == "/xmlrpc/2/object");
  auto decoded = xmlrpc::decode_request(req.body);
  REQUIRE(decoded.has_value());
  const json::array& p = decoded.value().params.as_array();
  REQUIRE(p.size() == 7);
  CHECK(p[0] == json::value("db"));
  CHECK(p[1] == json::value(2));
  CHECK(p[2] == json::value("secret"));
  CHECK(p[3] == json::value("res.partner"));
  CHECK(p[4] == json::value("search_read"));
  CHECK(p[5] == parse_json("[[]]"));
  CHECK(p[6] == parse_json(R"({"fields": ["name"], "context": {"tz": "UTC", "lang": "fr_FR"}})"));
  // A null args is sent as no positional arguments.
  c.args = nullptr;
  auto again = xmlrpc::decode_request(xmlrpc::encode(c, {"db", 2, "secret"}).body);
  REQUIRE(again.has_value());
  CHECK(again.value().params.as_array()[5] == parse_json("[]"));
}

TEST_CASE("xmlrpc: service calls use their service path") {
  const http_request req = xmlrpc::encode(protocol::version_call());
  CHECK(req.target == "/xmlrpc/2/common");
  CHECK(req.body ==
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>version</methodName>\n<params>\n</params>\n</methodCall>\n");
  const http_request db = xmlrpc::encode(protocol::service_call{"db", "list", json::array{}});
  CHECK(db.target == "/xmlrpc/2/db");
  auto decoded = xmlrpc::decode_request(xmlrpc::encode(protocol::login_call("db", "admin", "pw")).body);
  REQUIRE(decoded.has_value());
  CHECK(decoded.value().method == "login");
  CHECK(decoded.value().params == parse_json(R"(["db", "admin", "pw"])"));
  // A call without <params> has none.
  auto bare = xmlrpc::decode_request("<methodCall><methodName>version</methodName></methodCall>");
  REQUIRE(bare.has_value());
  CHECK(bare.value().params == parse_json("[]"));
}

// ===========================================================================
// Faults

TEST_CASE("xmlrpc: fault codes map to Odoo classes") {
  struct row {
    int code;
    std::string_view text;
    odoo_errc expected;
    std::string_view cls;
  };
  const row rows[] = {
      {2, "Record does not exist or has been deleted.\n(Record: res.partner(51,), User: 2)", odoo_errc::missing_error,
       "odoo.exceptions.MissingError"},
      {2, "The operation cannot be completed: The currency code must be unique!", odoo_errc::validation_error,
       "odoo.exceptions.ValidationError"},
      {2, "Object x.y doesn't exist", odoo_errc::unknown_model, "odoo.exceptions.UserError"},
      {2, "Nope.", odoo_errc::user_error, "odoo.exceptions.UserError"},
      {3, "Access Denied", odoo_errc::access_denied, "odoo.exceptions.AccessDenied"},
      {4, "Not for you", odoo_errc::access_error, "odoo.exceptions.AccessError"},
      {99, "odd", odoo_errc::server_error, ""},
      {1, "no traceback here", odoo_errc::server_error, ""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const error e = decode_error(ok(xmlrpc::encode_fault(r.code, r.text)));
    CHECK(e == r.expected);
    CHECK(e.odoo_class() == r.cls);
    CHECK(e.message() == r.text);
    CHECK(e.debug() == r.text);
  }
}

TEST_CASE("xmlrpc: code 1 takes the final exception of the traceback") {
  const std::string chained =
      "Traceback (most recent call last):\n"
      "  File \"/srv/a.py\", line 1, in f\n"
      "    x()\n"
      "KeyError: 'a'\n"
      "\n"
      "During handling of the above exception, another exception occurred:\n"
      "\n"
      "Traceback (most recent call last):\n"
      "  File \"/srv/b.py\", line 2, in g\n"
      "    y()\n"
      "    ^^^\n"
      "psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update\n"
      "CONTEXT: while updating tuple (0,1) in relation \"res_partner\"\n";
  error e = decode_error(ok(xmlrpc::encode_fault(1, chained)));
  CHECK(e == odoo_errc::concurrency_failure);
  CHECK(e.retryable());
  CHECK(e.odoo_class() == "psycopg2.errors.SerializationFailure");
  CHECK(e.message() ==
        "could not serialize access due to concurrent update\nCONTEXT: while updating tuple (0,1) in relation "
        "\"res_partner\"");
  CHECK(e.debug() == chained);

  e = decode_error(ok(xmlrpc::encode_fault(
      1, "Traceback (most recent call last):\n  File \"x\", line 1\nValueError: Invalid field 'nope' on model 'res.partner'\n")));
  CHECK(e == odoo_errc::invalid_value);
  CHECK(e.odoo_class() == "builtins.ValueError");
  CHECK(e.message() == "Invalid field 'nope' on model 'res.partner'");

  e = decode_error(ok(xmlrpc::encode_fault(
      1, "Traceback (most recent call last):\n  File \"x\", line 1\nTypeError: f() takes 1 positional argument\n")));
  CHECK(e == odoo_errc::wrong_arguments);
  e = decode_error(ok(xmlrpc::encode_fault(1, "Traceback (most recent call last):\n  File \"x\", line 1\nKeyboardInterrupt\n")));
  CHECK(e == odoo_errc::server_error);
  CHECK(e.odoo_class() == "builtins.KeyboardInterrupt");
}

TEST_CASE("xmlrpc: legacy string fault codes") {
  auto legacy = [](std::string_view code, std::string_view text) {
    std::string v = "<value><struct>\n<member>\n<name>faultCode</name>\n";
    xmlrpc::write_value(v, json::value(code));
    v += "</member>\n<member>\n<name>faultString</name>\n";
    xmlrpc::write_value(v, json::value(text));
    v += "</member>\n</struct></value>\n";
    return ok("<?xml version=\"1.0\"?>\n<methodResponse>\n<fault>\n" + v + "</fault>\n</methodResponse>\n");
  };
  error e = decode_error(legacy("warning -- MissingError\n\nRecord does not exist or has been deleted.", ""));
  CHECK(e == odoo_errc::missing_error);
  CHECK(e.message() == "Record does not exist or has been deleted.");
  CHECK(e.debug() == "warning -- MissingError\n\nRecord does not exist or has been deleted.");
  e = decode_error(legacy("warning -- AccessError\n\nNot allowed", ""));
  CHECK(e == odoo_errc::access_error);
  CHECK(e.odoo_class() == "odoo.exceptions.AccessError");
  e = decode_error(legacy("warning -- Warning\n\nGo there", ""));
  CHECK(e == odoo_errc::redirect_warning);
  e = decode_error(legacy("warning -- UserError\n\nObject a.b doesn't exist", ""));
  CHECK(e == odoo_errc::unknown_model);
  e = decode_error(legacy("AccessDenied", "Access Denied"));
  CHECK(e == odoo_errc::access_denied);
  CHECK(e.message() == "Access Denied");
  e = decode_error(legacy("division by zero",
                          "Traceback (most recent call last):\n  File \"x\", line 1\nZeroDivisionError: division by zero\n"));
  CHECK(e == odoo_errc::server_error);
  CHECK(e.odoo_class() == "builtins.ZeroDivisionError");
  CHECK(e.message() == "division by zero");
}

TEST_CASE("xmlrpc: faults without the usual members are server errors") {
  error e = xmlrpc::fault_to_error(parse_json(R"({"faultString": "boom"})"));
  CHECK(e == odoo_errc::server_error);
  CHECK(e.message() == "boom");
  e = xmlrpc::fault_to_error(parse_json("[1, 2]"), 200);
  CHECK(e == odoo_errc::server_error);
  e = decode_error(ok("<methodResponse><fault><value><string>bare</string></value></fault></methodResponse>"));
  CHECK(e == odoo_errc::server_error);
  CHECK(e.odoo_class().empty());
}

// ===========================================================================
// Hostile input

TEST_CASE("xmlrpc: non-200 statuses") {
  http_response r = ok("<html>Too many</html>");
  r.status = 429;
  CHECK(decode_error(r) == transport_errc::rate_limited);
  for (int status : {502, 503, 504}) {
    r.status = status;
    CHECK(decode_error(r) == transport_errc::server_unavailable);
  }
  r.status = 500;
  r.body = "Internal Server Error: something\nbroke";
  const error e = decode_error(r);
  CHECK(e == transport_errc::http_status);
  CHECK(e.http_status() == 500);
  CHECK(e.message().find("500") != std::string::npos);
  CHECK(e.message().find("Internal Server Error: something broke") != std::string::npos);
  r.status = 404;
  r.body = std::string(10000, 'x');
  CHECK(decode_error(r).message().size() < 400);  // an excerpt, not the body
}

TEST_CASE("xmlrpc: malformed documents are protocol errors") {
  const std::string good = response_with("<value><int>1</int></value>");
  struct row {
    std::string_view what;
    std::string body;
    protocol_errc expected;
  };
  const row rows[] = {
      {"truncated", good.substr(0, good.size() / 2), protocol_errc::malformed_response},
      {"empty", "", protocol_errc::malformed_response},
      {"blank", "  \n ", protocol_errc::malformed_response},
      {"not xml", "hello", protocol_errc::malformed_response},
      {"json", R"({"jsonrpc": "2.0", "result": 1})", protocol_errc::malformed_response},
      {"wrong root", "<methodCall><methodName>x</methodName></methodCall>", protocol_errc::malformed_response},
      {"no params", "<methodResponse></methodResponse>", protocol_errc::malformed_response},
      {"empty params", "<methodResponse><params></params></methodResponse>", protocol_errc::malformed_response},
      {"empty param", "<methodResponse><params><param></param></params></methodResponse>",
       protocol_errc::malformed_response},
      {"two params", response_with("<value>a</value></param><param><value>b</value>"), protocol_errc::malformed_response},
      {"params and fault",
       "<methodResponse><params><param><value>a</value></param></params><fault><value>x</value></fault></methodResponse>",
       protocol_errc::malformed_response},
      {"unknown type", response_with("<value><float>1</float></value>"), protocol_errc::malformed_response},
      {"two types", response_with("<value><int>1</int><int>2</int></value>"), protocol_errc::malformed_response},
      {"mixed text", response_with("<value>x<int>1</int></value>"), protocol_errc::malformed_response},
      {"trailing text", response_with("<value><int>1</int>x</value>"), protocol_errc::malformed_response},
      {"text in data", response_with("<value><array><data>x</data></array></value>"), protocol_errc::malformed_response},
      {"member without name", response_with("<value><struct><member><value>1</value></member></struct></value>"),
       protocol_errc::malformed_response},
      {"member without value", response_with("<value><struct><member><name>a</name></member></struct></value>"),
       protocol_errc::malformed_response},
      {"value in array without data", response_with("<value><array><value>1</value></array></value>"),
       protocol_errc::malformed_response},
      {"element in string", response_with("<value><string>a<b/>c</string></value>"), protocol_errc::malformed_response},
      {"bad int", response_with("<value><int>12a</int></value>"), protocol_errc::malformed_response},
      {"empty int", response_with("<value><int></int></value>"), protocol_errc::malformed_response},
      {"bad boolean", response_with("<value><boolean>2</boolean></value>"), protocol_errc::malformed_response},
      {"bad double", response_with("<value><double>1.2.3</double></value>"), protocol_errc::malformed_response},
      {"text in nil", response_with("<value><nil>x</nil></value>"), protocol_errc::malformed_response},
      {"undefined entity", response_with("<value><string>&foo;</string></value>"), protocol_errc::malformed_response},
      {"junk after root", good + "<x/>", protocol_errc::malformed_response},
      {"huge int", response_with("<value><int>99999999999999999999</int></value>"), protocol_errc::unexpected_type},
      {"huge negative i8", response_with("<value><i8>-9223372036854775809</i8></value>"), protocol_errc::unexpected_type},
      {"invalid utf-8", response_with("<value><string>caf\xC3</string></value>"), protocol_errc::invalid_utf8},
      {"invalid utf-8 lead", response_with("<value><string>\xFF\xFE</string></value>"), protocol_errc::invalid_utf8},
      {"utf-8 surrogate", response_with("<value><string>\xED\xA0\x80</string></value>"), protocol_errc::invalid_utf8},
      {"control character", response_with("<value><string>a\x01</string></value>"), protocol_errc::malformed_response},
      {"control character reference", response_with("<value><string>a&#1;</string></value>"),
       protocol_errc::malformed_response},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    const error e = decode_error(ok(r.body));
    CHECK(e == r.expected);
    CHECK(e.http_status() == 200);
    CHECK_FALSE(e.message().empty());
  }
}

TEST_CASE("xmlrpc: a refused value's text is shown by its shape, never its characters") {
  // A value that is not what its element says may be anyone's data.
  error e = decode_error(ok(response_with("<value><int>Jane 0612</int></value>")));
  CHECK(e.message().find("invalid integer \"xxxx ####\"") != std::string::npos);
  CHECK(e.message().find("Jane") == std::string::npos);
  e = decode_error(ok(response_with("<value>Jane Doe<int>1</int></value>")));
  CHECK(e.message().find("Jane") == std::string::npos);
  e = decode_error(ok(response_with("<value><boolean>yes</boolean></value>")));
  CHECK(e.message().find("invalid boolean \"xxx\"") != std::string::npos);
  e = decode_error(ok(response_with("<value><int>99999999999999999999</int></value>")));
  CHECK(e.message().find("\"####################\" is outside the int64 range") != std::string::npos);
}

// Bodies are handed to expat in pieces: values, characters and references
// that straddle a piece's end must come out whole.
TEST_CASE("xmlrpc: large bodies decode whole across parse pieces") {
  json::array rows;
  for (int i = 0; i < 20000; ++i)
    rows.emplace_back(json::object{{"id", i}, {"name", "Caf\xC3\xA9 & Zo\xC3\xAB <" + std::to_string(i) + ">"}});
  std::string long_text;
  for (int i = 0; i < 150000; ++i) long_text += i % 3 == 0 ? "\xE2\x82\xAC" : "\xC3\xA9";
  rows.emplace_back(long_text);
  const json::value v(std::move(rows));
  const std::string body = xmlrpc::encode_response(v);
  REQUIRE(body.size() > std::size_t{4} << 20U);
  CHECK(round_trip(v) == v);
}

TEST_CASE("xmlrpc: invalid UTF-8 at the end of a parse piece is still invalid_utf8") {
  // The broken sequence is the last byte of the first 64 KiB piece: expat
  // only finds out in the next piece.
  const std::string head = response_with("<value><string>");
  const std::size_t before = head.find("\n</param>");
  REQUIRE(before < (std::size_t{64} << 10U));
  for (const std::size_t at : {(std::size_t{64} << 10U) - 1, std::size_t{300000}}) {
    CAPTURE(at);
    const std::string body =
        response_with("<value><string>" + std::string(at - before, 'a') + "\xC3x</string></value>");
    REQUIRE(body[at] == '\xC3');
    CHECK(decode_error(ok(body)) == protocol_errc::invalid_utf8);
  }
}

TEST_CASE("xmlrpc: HTML pages are unexpected content") {
  const std::string page = "<!DOCTYPE html>\n<html><head><title>502</title></head><body>Bad gateway</body></html>";
  http_response r = ok(page);
  r.headers = {{"Content-Type", "text/html; charset=utf-8"}};
  CHECK(decode_error(r) == protocol_errc::unexpected_content_type);
  // Sniffed without the header too, and as an XHTML root element.
  CHECK(decode_error(ok(page)) == protocol_errc::unexpected_content_type);
  CHECK(decode_error(ok("<?xml version='1.0'?>\n<html><body>x</body></html>")) ==
        protocol_errc::unexpected_content_type);
  CHECK(decode_error(ok("<?xml version='1.0'?>\n<!DOCTYPE html><html><body>x</body></html>")) ==
        protocol_errc::unexpected_content_type);
}

TEST_CASE("xmlrpc: document type declarations are refused (no entity expansion)") {
  const auto started = std::chrono::steady_clock::now();
  error e = decode_error(ok(billion_laughs()));
  CHECK(e == protocol_errc::malformed_response);
  CHECK(e.message().find("document type") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  // External entities and parameter entities never get a chance either.
  e = decode_error(ok("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" +
                      response_with("<value><string>&x;</string></value>").substr(22)));
  CHECK(e == protocol_errc::malformed_response);
  e = decode_error(ok("<?xml version=\"1.0\"?>\n<!DOCTYPE methodResponse SYSTEM \"http://127.0.0.1:1/x.dtd\">\n"
                      "<methodResponse/>"));
  CHECK(e == protocol_errc::malformed_response);
  auto req = xmlrpc::decode_request(billion_laughs());
  REQUIRE(req.has_error());
  CHECK(req.error() == protocol_errc::malformed_response);
}

TEST_CASE("xmlrpc: nesting is limited and never recursive") {
  // 100k nested arrays: refused at the limit, without touching the stack.
  const std::string deep = nested_arrays(100000);
  error e = decode_error(ok(response_with(deep)));
  CHECK(e == protocol_errc::nesting_too_deep);
  auto req = xmlrpc::decode_request("<methodCall><methodName>m</methodName><params><param>" + deep +
                                    "</param></params></methodCall>");
  REQUIRE(req.has_error());
  CHECK(req.error() == protocol_errc::nesting_too_deep);

  // With a limit above it, the document is converted iteratively.
  protocol::decode_options wide;
  wide.max_depth = 200000;
  auto r = xmlrpc::decode(ok(response_with(deep)), wide);
  REQUIRE(r.has_value());
  CHECK(r.value().json().size() == 100000 * 2 + 1);
  CHECK(r.value().json().substr(99998, 5) == "[[1]]");

  // The limit counts arrays and structs: exactly max_depth passes.
  protocol::decode_options three;
  three.max_depth = 3;
  CHECK(decode_value(nested_arrays(3), three).has_value());
  CHECK(decode_value(nested_arrays(4), three).error() == protocol_errc::nesting_too_deep);
  CHECK(decode_value("<value><struct><member><name>a</name>" + nested_arrays(3) + "</member></struct></value>", three)
            .error() == protocol_errc::nesting_too_deep);
}

TEST_CASE("xmlrpc: bodies over max_bytes are refused before parsing") {
  protocol::decode_options small;
  small.max_bytes = 64;
  const std::string body = response_with("<value><string>" + std::string(100, 'a') + "</string></value>");
  const error e = decode_error(ok(body), small);
  CHECK(e == protocol_errc::response_too_large);
  CHECK(e.message().find("64") != std::string::npos);
  auto req = xmlrpc::decode_request(xmlrpc::encode(protocol::version_call()).body, small);
  REQUIRE(req.has_error());
  CHECK(req.error() == protocol_errc::response_too_large);
  small.max_bytes = body.size();
  CHECK(xmlrpc::decode(ok(body), small).has_value());
}

// ===========================================================================
// Values

TEST_CASE("xmlrpc: scalar types decode to JSON") {
  struct row {
    std::string_view xml;
    std::string_view json;
  };
  const row rows[] = {
      {"<value><int>42</int></value>", "42"},
      {"<value><i4>-7</i4></value>", "-7"},
      {"<value><i8>9223372036854775807</i8></value>", "9223372036854775807"},
      {"<value><i8>-9223372036854775808</i8></value>", "-9223372036854775808"},
      {"<value><int> +5 </int></value>", "5"},
      {"<value><ex:i8 xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">5</ex:i8></value>", "5"},
      {"<value><boolean>1</boolean></value>", "true"},
      {"<value><boolean>0</boolean></value>", "false"},
      {"<value><double>377.5</double></value>", "377.5"},
      {"<value><double>1</double></value>", "1.0"},
      {"<value><double>-1.5e-10</double></value>", "-1.5e-10"},
      {"<value><double>nan</double></value>", "null"},
      {"<value><double>-inf</double></value>", "null"},
      {"<value><double>1e999</double></value>", "null"},
      {"<value><double>-1e-400</double></value>", "-0.0"},
      {"<value><double>0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000001</double></value>",
       "0.0"},
      {"<value><double>100000000000000000000e-420</double></value>", "0.0"},
      {"<value><double>0.001e400</double></value>", "null"},
      {"<value><double>.5</double></value>", "0.5"},
      {"<value><nil/></value>", "null"},
      {"<value><ex:nil xmlns:ex=\"urn:x\"/></value>", "null"},
      {"<value><string>a &amp; b &lt;c&gt; \"q\"</string></value>", R"("a & b <c> \"q\"")"},
      {"<value><string/></value>", R"("")"},
      {"<value>bare text</value>", R"("bare text")"},
      {"<value></value>", R"("")"},
      {"<value>\n  <int>3</int>\n</value>", "3"},
      {"<value><string><![CDATA[<b>&]]></string></value>", R"("<b>&")"},
      {"<value><string>caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80</string></value>",
       "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\""},
      {"<value><string>a&#13;b\tc\nd</string></value>", R"("a\rb\tc\nd")"},
      {"<value><dateTime.iso8601>20261122T06:02:49</dateTime.iso8601></value>", R"("2026-11-22 06:02:49")"},
      {"<value><dateTime.iso8601>2026-11-22T06:02:49</dateTime.iso8601></value>", R"("2026-11-22 06:02:49")"},
      {"<value><dateTime.iso8601>20261122T060249</dateTime.iso8601></value>", R"("2026-11-22 06:02:49")"},
      {"<value><dateTime.iso8601>tomorrow</dateTime.iso8601></value>", R"("tomorrow")"},
      {"<value><base64>aGVs\nbG8=\n</base64></value>", R"("aGVsbG8=")"},
      {"<value><array><data/></array></value>", "[]"},
      {"<value><array></array></value>", "[]"},
      {"<value><struct/></value>", "{}"},
      {"<value><struct><member><name>a</name><value><array><data><value><i4>1</i4></value><value>x</value>"
       "</data></array></value></member><member><name>b</name><value><struct></struct></value></member>"
       "</struct></value>",
       R"({"a": [1, "x"], "b": {}})"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.xml);
    auto decoded = xmlrpc::decode(ok(response_with(r.xml)));
    REQUIRE_MESSAGE(decoded.has_value(), odoolink::test::error_of(decoded).describe());
    CHECK(decoded.value().json() == r.json);
  }
}

TEST_CASE("xmlrpc: write_value escapes text like Python") {
  std::string out;
  xmlrpc::write_value(out, json::value("a & b < c > d \"q\" 'a' ]]>"));
  CHECK(out == "<value><string>a &amp; b &lt; c &gt; d \"q\" 'a' ]]&gt;</string></value>\n");
  out.clear();
  xmlrpc::write_value(out, json::object{{"k<&>", nullptr}});
  CHECK(out == "<value><struct>\n<member>\n<name>k&lt;&amp;&gt;</name>\n<value><nil/></value></member>\n</struct></value>\n");
  CHECK(round_trip(json::object{{"k<&>", "v&"}}) == parse_json(R"({"k<&>": "v&"})"));
}

TEST_CASE("xmlrpc: integers use int within int32 / i8 beyond") {
  struct row {
    std::int64_t v;
    std::string_view xml;
  };
  const row rows[] = {
      {0, "<value><int>0</int></value>\n"},
      {2147483647, "<value><int>2147483647</int></value>\n"},
      {-2147483648LL, "<value><int>-2147483648</int></value>\n"},
      {2147483648LL, "<value><i8>2147483648</i8></value>\n"},
      {-2147483649LL, "<value><i8>-2147483649</i8></value>\n"},
      {std::numeric_limits<std::int64_t>::max(), "<value><i8>9223372036854775807</i8></value>\n"},
      {std::numeric_limits<std::int64_t>::min(), "<value><i8>-9223372036854775808</i8></value>\n"},
  };
  for (const auto& r : rows) {
    std::string out;
    xmlrpc::write_value(out, json::value(r.v));
    CHECK(out == r.xml);
    const json::value back = round_trip(json::value(r.v));
    REQUIRE(back.is_int());
    CHECK(back.as_int() == r.v);
  }
}

TEST_CASE("xmlrpc: doubles round-trip exactly") {
  for (double d : {0.0, -0.0, 1.0, 0.1, 377.5, 1e300, -2.5e-308, 5e-324, 1.7976931348623157e308, 123456789.125}) {
    CAPTURE(d);
    const json::value back = round_trip(json::value(d));
    REQUIRE(back.is_double());
    CHECK(back.as_double() == d);
  }
  std::string out;
  xmlrpc::write_value(out, json::value(1.0));
  CHECK(out == "<value><double>1.0</double></value>\n");
  out.clear();
  xmlrpc::write_value(out, json::value(std::numeric_limits<double>::quiet_NaN()));
  CHECK(out == "<value><nil/></value>");
  out.clear();
  xmlrpc::write_value(out, json::value(std::numeric_limits<double>::infinity()));
  CHECK(out == "<value><nil/></value>");
}

TEST_CASE("xmlrpc: nil / booleans and nested values round-trip") {
  std::string out;
  xmlrpc::write_value(out, nullptr);
  CHECK(out == "<value><nil/></value>");
  out.clear();
  xmlrpc::write_value(out, true);
  CHECK(out == "<value><boolean>1</boolean></value>\n");
  const json::value v = parse_json(R"({"ids": [1, 2, [3, [4, {"deep": [null, false, true, 1.5, "x", {}, []]}]]],
                                       "empty": "", "nested": {"a": {"b": {"c": [[], [[]]]}}}})");
  const json::value back = round_trip(v);
  CHECK(back == v);
  CHECK(xmlrpc::encode_response(back) == xmlrpc::encode_response(v));  // key order kept
}

TEST_CASE("xmlrpc: a struct member named twice is refused") {
  // json::value keeps repeated keys, so the writer can produce such a struct.
  const json::value twice = json::object{{"id", 1}, {"name", "a"}, {"name", "b"}};
  const error e = decode_error(ok(xmlrpc::encode_response(json::array{twice})));
  CHECK(e == protocol_errc::malformed_response);
  CHECK(e.message().find("\"name\" comes twice") != std::string::npos);
  CHECK(e.message().find("\"a\"") == std::string::npos);  // values are not quoted
  // Nested, and spelt differently in XML but the same name.
  const std::string nested =
      "<?xml version='1.0'?><methodResponse><params><param><value><array><data><value><struct>"
      "<member><name>o</name><value><struct><member><name>k</name><value><int>1</int></value></member>"
      "<member><name>&#107;</name><value><int>2</int></value></member></struct></value></member>"
      "</struct></value></data></array></value></param></params></methodResponse>";
  CHECK(decode_error(ok(nested)) == protocol_errc::malformed_response);
  // The same name in sibling structs, and in a struct and the one it holds, is fine.
  const json::value siblings = json::array{json::object{{"k", 1}, {"o", json::object{{"k", 2}}}}, json::object{{"k", 3}}};
  CHECK(round_trip(siblings) == siblings);
  // A request too.
  CHECK_FALSE(xmlrpc::decode_request(xmlrpc::encode(protocol::service_call{"common", "m", json::array{twice}}).body));
}

TEST_CASE("xmlrpc: text XML cannot carry is replaced / never malformed") {
  // C0 controls other than tab/LF/CR, U+FFFE/U+FFFF and invalid UTF-8 become
  // U+FFFD; CR is kept as a character reference; DEL and U+FFFD stay.
  const std::string input = std::string("a\x01") + "b\x1F" + "c\x7F" + "d\r\ne\t" + "f\xEF\xBF\xBE" + "g\xEF\xBF\xBF" +
                            "h\xFF" + "i\xC3" + "j\xED\xA0\x80" + "k\xEF\xBF\xBD" + std::string(1, '\0') + "l";
  std::string out;
  xmlrpc::write_value(out, json::value(input));
  CHECK(out.find('\x01') == std::string::npos);
  CHECK(out.find('\r') == std::string::npos);
  CHECK(out.find("&#13;") != std::string::npos);
  const std::string fffd = "\xEF\xBF\xBD";
  const std::string expected = "a" + fffd + "b" + fffd + "c\x7F" + "d\r\ne\t" + "f" + fffd + "g" + fffd + "h" + fffd +
                               "i" + fffd + "j" + fffd + fffd + fffd + "k" + fffd + fffd + "l";
  CHECK(round_trip(json::value(input)) == json::value(expected));
  // The same holds in requests (method names, keys and strings).
  protocol::call c;
  c.model = "res.partner";
  c.method = "write";
  c.args = json::array{json::value(json::array{1}), json::value(json::object{{"name\x02", input}})};
  auto decoded = xmlrpc::decode_request(xmlrpc::encode(c, {"db", 2, "pw"}).body);
  REQUIRE_MESSAGE(decoded.has_value(), odoolink::test::error_of(decoded).describe());
  const json::value& vals = decoded.value().params.as_array()[5].as_array()[1];
  CHECK(vals == json::value(json::object{{"name" + fffd, expected}}));
}

TEST_CASE("xmlrpc: encode_response and encode_fault use Odoo's layout") {
  CHECK(xmlrpc::encode_response(58) ==
        "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n<value><int>58</int></value>\n</param>\n"
        "</params>\n\n</methodResponse>\n");
  CHECK(xmlrpc::encode_fault(3, "Access Denied") ==
        "<?xml version=\"1.0\"?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n"
        "<value><int>3</int></value>\n</member>\n<member>\n<name>faultString</name>\n"
        "<value><string>Access Denied</string></value>\n</member>\n</struct></value>\n</fault>\n\n"
        "</methodResponse>\n");
}
