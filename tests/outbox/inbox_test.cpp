// The inbox over real Odoo 18 webhook posts: 15 posts, 2 distinct events.
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "odoolink/json/parse.hpp"
#include "odoolink/outbox/inbox.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/testing/fake_clock.hpp"

namespace ob = odoolink::outbox;
using namespace std::chrono_literals;

TEST_CASE("inbox: the recorded webhook storm is processed once per change") {
  std::ifstream in(std::string(ODOOLINK_FIXTURES_DIR) + "/odoo18/webhooks/partner_on_save.json");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = odoolink::json::parse(text.str());
  REQUIRE(doc);
  const auto* posts = doc.value().find("posts");
  REQUIRE(posts != nullptr);
  REQUIRE(posts->as_array().size() == 15);

  odoolink::testing::fake_clock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000))};
  ob::memory_store store;
  ob::inbox inbox(store, 24h, &clock);
  std::vector<std::string> processed;
  for (const auto& post : posts->as_array()) {
    const auto& body = post.find("request_body")->as_string();
    auto key = ob::inbox::webhook_key(body);
    REQUIRE(key);
    auto ran = inbox.process(key.value(), [&]() -> odoolink::result<void> {
      processed.push_back(key.value());
      return odoolink::success();
    });
    REQUIRE(ran);
  }
  REQUIRE(processed.size() == 2);
  CHECK(processed[0] == "res.partner/2571/2026-11-22 06:20:04.480128");
  CHECK(processed[0] != processed[1]);
}

TEST_CASE("inbox: a failed handler lets the redelivery through") {
  ob::memory_store store;
  ob::inbox inbox(store, 1h);
  int runs = 0;
  auto failed = inbox.process("k", [&]() -> odoolink::result<void> {
    ++runs;
    return odoolink::error(odoolink::store_errc::io_failed, "disk full");
  });
  CHECK_FALSE(failed);
  auto second = inbox.process("k", [&]() -> odoolink::result<void> {
    ++runs;
    return odoolink::success();
  });
  REQUIRE(second);
  CHECK(second.value());
  auto third = inbox.process("k", [&]() -> odoolink::result<void> {
    ++runs;
    return odoolink::success();
  });
  REQUIRE(third);
  CHECK_FALSE(third.value());
  CHECK(runs == 2);
}

TEST_CASE("inbox: malformed webhook posts are refused with a clear error") {
  for (const char* body : {"", "[]", "{\"_model\":\"res.partner\",\"_id\":7}", "{\"_model\":1,\"_id\":7,\"write_date\":\"x\"}",
                           "{\"_model\":\"res.partner\",\"_id\":\"7\",\"write_date\":\"x\"}"}) {
    auto key = ob::inbox::webhook_key(body);
    REQUIRE_FALSE(key);
    CHECK(key.error().code() == odoolink::protocol_errc::malformed_response);
  }
}
