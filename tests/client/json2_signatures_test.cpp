// JSON-2 for any method: positional arguments of methods outside the codec's
// table are named by the signatures the server publishes at
// `/doc-bearer/<model>.json`, learnt once per client and model.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;

namespace {

// A user who may read partners but not change them.
std::shared_ptr<testing::fake_odoo> server19(bool read_only_partners = true) {
  testing::fake_options o;
  o.major_version = 19;
  o.users.front().api_key = "test-key";
  if (read_only_partners) o.users.front().read_only_models = {"res.partner"};
  return std::make_shared<testing::fake_odoo>(o);
}

client::client connect(std::shared_ptr<transport::http_transport> t) {
  auto c = client::client::connect(
      {.url = "http://127.0.0.1:8069", .api_key = "test-key", .protocol = client::protocol_kind::json2, .transport = std::move(t)});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  return std::move(c).value();
}

json::value value_of(const result<protocol::reply>& r) {
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  auto v = json::parse(r.value().json());
  REQUIRE(v.has_value());
  return std::move(v).value();
}

std::size_t doc_fetches(const testing::fake_odoo& s) {
  const auto stats = s.stats();
  const auto it = stats.per_method.find("doc-bearer");
  return it == stats.per_method.end() ? 0 : it->second;
}

bool names(const error& e, std::string_view model, std::string_view method) {
  const std::string msg = e.message();
  return msg.find(std::string(model) + "." + std::string(method)) != std::string::npos;
}

// Answers /doc-bearer as a server without the api_doc module does (404).
struct without_api_doc final : transport::sync_transport {
  explicit without_api_doc(std::shared_ptr<testing::fake_odoo> s) : server(std::move(s)) {}
  result<http_response> send(const http_request& request) override {
    if (request.target.rfind("/doc-bearer/", 0) == 0) return http_response{404, {{"Content-Type", "text/html"}}, "<p>Not Found</p>"};
    return server->send(request);
  }
  std::shared_ptr<testing::fake_odoo> server;
};

}  // namespace

TEST_CASE("a json2 call of a method outside the built-in table is mapped by the server's signatures") {
  auto server = server19();
  auto c = connect(server);
  // has_access(operation) is a record method the codec's table does not know.
  CHECK(value_of(c.execute_kw("res.partner", "has_access", json::array{json::array{1}, "read"})) == json::value(true));
  CHECK(value_of(c.execute_kw("res.partner", "has_access", json::array{json::array{1}, "write"})) == json::value(false));
  CHECK(doc_fetches(*server) == 1);  // learnt once per client and model
  // A copy of the client shares what was learnt.
  client::client copy = c;
  CHECK(value_of(copy.execute_kw("res.partner", "has_access", json::array{json::array{1}, "create"})) == json::value(false));
  CHECK(doc_fetches(*server) == 1);

  // Impossible mappings: typed errors naming model and method, nothing sent.
  const std::size_t calls = server->stats().calls;
  auto too_many = c.execute_kw("res.partner", "has_access", json::array{json::array{1}, "read", true});
  REQUIRE_FALSE(too_many.has_value());
  CHECK(too_many.error() == protocol_errc::unsupported_call);
  CHECK(names(too_many.error(), "res.partner", "has_access"));
  auto unknown = c.execute_kw("res.partner", "no_such_method", json::array{json::array{1}, 2});
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error() == protocol_errc::unsupported_call);
  CHECK(names(unknown.error(), "res.partner", "no_such_method"));
  CHECK(server->stats().calls == calls);

  // Host-driven: another model's signatures are fetched before its call goes out.
  std::optional<result<protocol::reply>> outcome;
  auto id = c.submit({"res.company", "has_access", json::array{json::array{1}, "read"}},
                     [&](result<protocol::reply> r) { outcome = std::move(r); });
  REQUIRE_MESSAGE(id.has_value(), odoolink::test::error_of(id).describe());
  for (int i = 0; i < 100 && !outcome; ++i) REQUIRE(c.poll(std::chrono::milliseconds(10)).has_value());
  REQUIRE(outcome.has_value());
  CHECK(value_of(*outcome) == json::value(true));
  CHECK(doc_fetches(*server) == 2);
}

TEST_CASE("without published signatures json2 keeps its own rule: ids first and nothing else positional") {
  auto server = server19(false);
  auto c = connect(std::make_shared<without_api_doc>(server));
  const auto archived = c.execute_kw("res.partner", "action_archive", json::array{json::array{1}});
  REQUIRE_MESSAGE(archived.has_value(), odoolink::test::error_of(archived).describe());
  auto unnamed = c.execute_kw("res.partner", "has_access", json::array{json::array{1}, "read"});
  REQUIRE_FALSE(unnamed.has_value());
  CHECK(unnamed.error() == protocol_errc::unsupported_call);
  CHECK(names(unnamed.error(), "res.partner", "has_access"));
  // Named, it goes through.
  CHECK(value_of(c.execute_kw("res.partner", "has_access", json::array{json::array{1}}, json::object{{"operation", "read"}})) ==
        json::value(true));
}
