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
  REQUIRE_MESSAGE(ids.has_value(), ids.error().describe());
  CHECK(ids.value() == std::vector<std::int64_t>{3, 1, INT64_MAX});
  auto none = search_answered_with(" [ ] ");
  REQUIRE_MESSAGE(none.has_value(), none.error().describe());
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
