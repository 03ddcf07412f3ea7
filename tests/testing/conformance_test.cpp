// Conformance of the fake Odoo against every recorded exchange: each
// recording's request is replayed, in recording order, against a fake
// set up like the recording server (same users, database, version, the
// demo records the requests name), and the fake's answer must have the same
// shape: status, content type, error class, and the same keys and value
// types all the way down. Values themselves depend on server data and are
// not compared, except that `false` (Odoo's empty value) may stand for any
// value and an empty list for any list.

#include <doctest/doctest.h>


#include "odoolink/json/parse.hpp"
#include "odoolink/protocol/xmlrpc.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "odoolink/testing/recorded_exchange.hpp"
#include "support/fixtures.hpp"
#include "support/json_shape.hpp"

using namespace odoolink;

namespace {


std::string media(const http_response& r) {
  const std::string_view t = r.header("Content-Type");
  return std::string(t.substr(0, t.find(';')));
}

std::string error_class(const json::value& body) {
  if (const json::value* e = body.find("error"))
    if (const json::value* d = e->find("data"))
      if (const json::value* n = d->find("name"); n != nullptr && n->is_string()) return n->as_string();
  if (const json::value* n = body.find("name"); n != nullptr && n->is_string() && body.find("debug") != nullptr)
    return n->as_string();
  return {};
}

// Compares one answer with its recording; "" when conformant.
std::string compare(const testing::recorded_exchange& e, const http_response& got, bool subset) {
  if (got.status != e.status) return "status " + std::to_string(e.status) + " recorded, " + std::to_string(got.status);
  const http_response want = e.response();
  if (media(want) != media(got)) return "content type " + media(want) + " recorded, " + media(got);
  if (media(want) == "text/xml") {
    auto w = protocol::xmlrpc::decode(http_response(want));
    auto g = protocol::xmlrpc::decode(http_response(got));
    if (w.has_value() != g.has_value()) return w ? "fault from the fake: " + g.error().describe() : "no fault from the fake";
    if (!w) {
      if (w.error() != g.error()) return "fault " + w.error().describe() + " recorded, " + g.error().describe();
      return {};
    }
    auto wv = json::parse(w.value().json());
    auto gv = json::parse(g.value().json());
    REQUIRE(wv.has_value());
    REQUIRE(gv.has_value());
    return test::shape_diff(wv.value(), gv.value(), "");
  }
  if (media(want) != "application/json") return {};
  auto w = json::parse(want.body);
  auto g = json::parse(got.body);
  if (!w) return {};
  if (!g) return "the fake's JSON does not parse";
  if (error_class(w.value()) != error_class(g.value()))
    return "error class '" + error_class(w.value()) + "' recorded, '" + error_class(g.value()) + "'";
  if (const json::value* err = w.value().find("error")) {
    const json::value* code = g.value().find("error") ? g.value().find("error")->find("code") : nullptr;
    if (code == nullptr || !(*code == *err->find("code"))) return "error code differs";
    return test::shape_diff(w.value(), g.value(), "");
  }
  return test::shape_diff(w.value(), g.value(), "", subset);
}

struct setup {
  std::string dir;
  testing::fake_options options;
  std::string seed_file;
};

setup setup_for(const std::string& version) {
  setup s;
  s.dir = std::string(ODOOLINK_FIXTURES_DIR) + "/" + version;
  auto& o = s.options;
  o.major_version = version == "odoo19" ? 19 : 18;
  o.database = version == "odoo19" ? "odoolink19" : "odoolink";
  testing::fake_user admin;
  admin.api_key = "<API_KEY>";
  testing::fake_user demo{.uid = 6, .login = "demo", .password = "demo", .name = "Marc Demo"};
  demo.record_rules["sale.order"] = json::array{json::array{"user_id", "=", 6}};
  demo.read_only_models = {"res.currency"};
  testing::fake_user portal{.uid = 7, .login = "portal", .password = "portal", .name = "Joel Willis"};
  portal.denied_models = {"crm.lead", "purchase.order"};
  o.users = {admin, demo};
  if (o.major_version == 19) {
    testing::fake_user clerk{.uid = 7, .login = "clerk", .password = "clerk", .api_key = "<CLERK_API_KEY>",
                             .name = "Clerk (low privilege)"};
    clerk.denied_models = {"purchase.order"};
    clerk.record_rules["sale.order"] = json::array{json::array{"user_id", "=", 7}};
    o.users.push_back(clerk);
  } else {
    o.users.push_back(portal);
  }
  s.seed_file = std::string(ODOOLINK_TEST_SOURCE_DIR) + "/testing/data/conformance_seed_" + version + ".json";
  return s;
}

// Exchanges the fake cannot reproduce, and why (kept in step with the
// header comment of fake_odoo.hpp).
const std::map<std::string, std::string> not_reproduced = {};

// Answers that carry the web client's UI data (menus, views, discuss
// settings): the fake sends the session facts only, so its keys need only
// be a subset of the recorded ones.
bool ui_payload(const std::string& name) { return name.find("session_authenticate_ok") != std::string::npos ||
                                                  name.find("session_get_session_info") != std::string::npos; }

// What the recording server went through between exchanges that the
// recordings do not show: records created off the record, a concurrent
// transaction.
void before(testing::fake_odoo& fake, const std::string& name) {
  if (name == "jsonrpc/quirk_write_m2o_string_value") {
    auto r = fake.seed(R"({"res.partner": [{"id": 56, "name": "Quirk Parent", "is_company": true},
                                           {"id": 57, "name": "Quirk Child", "parent_id": 56}]})");
    if (!r) FAIL(r.error().describe());
  }
  if (name == "jsonrpc/error_serialization_failure")
    fake.inject({.kind = testing::fake_fault_kind::concurrency_failure, .model = "res.partner", .method = "write"});
}

void run_conformance(const std::string& version) {
  const setup st = setup_for(version);
  testing::fake_odoo fake(st.options);
  if (auto seeded = fake.seed(test::read_file(st.seed_file)); !seeded) FAIL(seeded.error().describe());
  auto index = json::parse(test::read_file(st.dir + "/index.json"));
  REQUIRE(index.has_value());
  std::string session;  // the fake's live web session
  std::size_t checked = 0;
  std::vector<std::string> failures;
  for (const auto& entry : index.value().as_array()) {
    std::string file = entry.find("file")->as_string();
    const std::string name = file.substr(0, file.size() - 5);
    auto ex = testing::parse_exchange(test::read_file(st.dir + "/" + file), name);
    REQUIRE(ex.has_value());
    const testing::recorded_exchange& e = ex.value();
    if (not_reproduced.count(version + "/" + name)) continue;
    http_request req;
    req.method = e.method;
    req.target = e.path;
    req.headers = e.request_headers;
    req.body = e.protocol == "xmlrpc" ? testing::escape_placeholders(e.request_body.value_or("")) : e.request_body.value_or("");
    before(fake, name);
    for (auto& h : req.headers)
      if (h.name == "Cookie") h.value = name.find("bad_session") != std::string::npos ? "session_id=bogus" : "session_id=" + session;
    auto got = fake.send(req);
    REQUIRE(got.has_value());
    if (auto cookie = got.value().header("Set-Cookie"); !cookie.empty() && name.find("authenticate_ok") != std::string::npos)
      session = std::string(cookie.substr(11, cookie.find(';') - 11));
    ++checked;
    if (auto diff = compare(e, got.value(), ui_payload(name)); !diff.empty())
      failures.push_back(version + "/" + name + ": " + diff + "\n    fake said: " + got.value().body.substr(0, 300));
  }
  for (const auto& f : failures) MESSAGE(f);
  CHECK(failures.empty());
  CHECK(checked + not_reproduced.size() >= index.value().as_array().size());
  MESSAGE(version << ": " << checked << " exchanges replayed against the fake");
}

}  // namespace

TEST_CASE("the fake answers every Odoo 18 recording with the recorded shape") { run_conformance("odoo18"); }
TEST_CASE("the fake answers every Odoo 19 recording with the recorded shape") { run_conformance("odoo19"); }
