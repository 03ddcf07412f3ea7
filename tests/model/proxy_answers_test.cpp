// What a proxy does with answers a real server should not send: id lists
// that are not lists of ids, or not JSON at all, end in a clear error.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>

#include "model/model_fixtures.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/model.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/transport/sync_transport.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::models;
namespace m = odoolink::model;

namespace {

// Answers every `execute_kw` with `result_text` as the raw JSON-RPC result;
// the login comes from the Odoo 18 recordings.
class scripted_odoo final : public transport::sync_transport {
 public:
  explicit scripted_odoo(std::string result_text) : result_text_(std::move(result_text)), inner_(test::recordings("odoo18")) {}

  result<http_response> send(const http_request& request) override {
    auto body = json::parse(request.body);
    if (body) {
      const json::value* params = body.value().find("params");
      const json::value* method = params != nullptr ? params->find("method") : nullptr;
      if (method != nullptr && *method == json::value("execute_kw")) {
        const json::value* id = body.value().find("id");
        const std::string id_text = id != nullptr && id->is_int() ? std::to_string(id->as_int()) : "null";
        return http_response{200, {{"Content-Type", "application/json"}},
                             R"({"jsonrpc": "2.0", "id": )" + id_text + R"(, "result": )" + result_text_ + "}"};
      }
    }
    return inner_->send(request);
  }

 private:
  std::string result_text_;
  std::shared_ptr<testing::replay_transport> inner_;
};

result<std::vector<std::int64_t>> search_answered_with(std::string result_text) {
  m::proxy<res_partner> partners(test::odoo18_client(std::make_shared<scripted_odoo>(std::move(result_text))));
  return partners.search(res_partner::is_company == true);
}

}  // namespace

TEST_CASE("search reads the id list the server answers") {
  auto ids = search_answered_with("[3, 1, 9223372036854775807]");
  REQUIRE_MESSAGE(ids.has_value(), odoolink::test::error_of(ids).describe());
  CHECK(ids.value() == std::vector<std::int64_t>{3, 1, INT64_MAX});
  auto none = search_answered_with(" [ ] ");
  REQUIRE_MESSAGE(none.has_value(), odoolink::test::error_of(none).describe());
  CHECK(none.value().empty());
}

TEST_CASE("search refuses an answer that is not a list of ids") {
  for (const char* answer : {R"(["3"])", "[1.5]", "{\"ids\": [1]}", "false", "[1, [2]]"}) {
    auto ids = search_answered_with(answer);
    REQUIRE_MESSAGE(ids.has_error(), answer);
    CHECK_MESSAGE(ids.error() == protocol_errc::unexpected_type, answer << " -> " << ids.error().describe());
    CHECK(ids.error().message().find("res.partner.search: expected a list of ids") == 0);
  }
}

TEST_CASE("an answer of the wrong shape is named by its kind, never quoted") {
  // A misrouted server answering with personal data: the message says what
  // came back, not what it said.
  for (const char* answer : {R"(["jane.doe@example.com"])", R"("jane.doe@example.com")", R"({"email": "jane.doe@example.com"})",
                             R"([1, "jane.doe@example.com"])"}) {
    auto ids = search_answered_with(answer);
    REQUIRE_MESSAGE(ids.has_error(), answer);
    const std::string message = ids.error().message();
    CHECK_MESSAGE(message.find("jane") == std::string::npos, message);
    CHECK_MESSAGE(message.find("example.com") == std::string::npos, message);
  }
  CHECK(search_answered_with(R"(["jane.doe@example.com"])").error().message().find("a string (not shown)") != std::string::npos);
  m::proxy<res_partner> partners(test::odoo18_client(std::make_shared<scripted_odoo>(R"("Jane Doe")")));
  auto count = partners.search_count(res_partner::is_company == true);
  REQUIRE(count.has_error());
  CHECK(count.error() == protocol_errc::unexpected_type);
  CHECK(count.error().message().find("Jane") == std::string::npos);
  CHECK(count.error().message().find("a string (not shown)") != std::string::npos);
}

namespace {

struct partner_row {
  std::int64_t id = 0;
  std::string name;
  bool is_company = false;
  ODOOLINK_VIEW(partner_row, res_partner, id, name, is_company)
};

struct partner_view_row {
  std::int64_t id = 0;
  std::string_view name;
  ODOOLINK_VIEW(partner_view_row, res_partner, id, name)
};

result<std::vector<partner_row>> search_read_answered_with(std::string result_text) {
  m::proxy<res_partner> partners(test::odoo18_client(std::make_shared<scripted_odoo>(std::move(result_text))));
  return partners.search_read<partner_row>(res_partner::is_company == true);
}

}  // namespace

TEST_CASE("typed search_read decodes in the pass that reads the envelope") {
  auto rows = search_read_answered_with(R"([{"id": 4, "name": "Caf\u00e9", "is_company": true, "extra": [1, {"a": null}]}])");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  REQUIRE(rows.value().size() == 1);
  CHECK(rows.value()[0].name == "Caf\xc3\xa9");
  // A huge string is read whole.
  const std::string big(1U << 20U, 'x');
  rows = search_read_answered_with(R"([{"id": 5, "name": ")" + big + R"(", "is_company": false}])");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  CHECK(rows.value()[0].name == big);
  // View records keep the received body alive.
  m::proxy<res_partner> partners(test::odoo18_client(
      std::make_shared<scripted_odoo>(R"([{"id": 6, "name": "Viewed"}, {"id": 7, "name": "Too"}])")));
  auto views = partners.search_read<partner_view_row>(res_partner::is_company == true);
  REQUIRE_MESSAGE(views.has_value(), odoolink::test::error_of(views).describe());
  REQUIRE(views.value().size() == 2);
  CHECK(views.value()[1].name == "Too");
}

TEST_CASE("typed search_read ends hostile answers in their typed error") {
  const auto code_of = [](std::string text) {
    auto r = search_read_answered_with(std::move(text));
    REQUIRE_FALSE(r.has_value());
    return r.error();
  };
  // Truncated: the records end early, so the envelope is cut too.
  CHECK(code_of(R"([{"id": 4, "name": "A", "is_compa)") == protocol_errc::malformed_response);
  CHECK(code_of("[{\"id\": 4, \"name\": \"\xff\", \"is_company\": true}]") == protocol_errc::invalid_utf8);
  CHECK(code_of(R"([{"id": 4, "name": "A", "is_company": true, "deep": )" + std::string(5000, '[') + std::string(5000, ']') + "}]") ==
        protocol_errc::nesting_too_deep);
  const error wrong = code_of(R"([{"id": 4, "name": 42, "is_company": true}])");
  CHECK(wrong == protocol_errc::unexpected_type);
  CHECK(wrong.message().find("\"name\"") != std::string::npos);
  const error twice = code_of(R"([{"id": 4, "name": "A", "is_company": true, "name": "B"}])");
  CHECK(twice == protocol_errc::malformed_response);
  CHECK(twice.message().find("twice") != std::string::npos);
  CHECK(twice.message().find("\"name\"") != std::string::npos);
  // Out of Odoo's order, the same rule.
  CHECK(code_of(R"([{"name": "A", "id": 4, "name": "B", "is_company": true}])") == protocol_errc::malformed_response);
  CHECK(code_of(R"({"id": 4})") == protocol_errc::unexpected_type);
}
