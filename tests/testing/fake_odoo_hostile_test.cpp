// Hostile input to the fake Odoo: every recorded request, cut short and
// with bytes flipped, must get an answer (an error shape), never a crash,
// and a failed call must leave the records as they were.

#include <doctest/doctest.h>

#include <random>

#include "odoolink/testing/fake_odoo.hpp"
#include "odoolink/testing/recorded_exchange.hpp"

using namespace odoolink;

TEST_CASE("mutated recorded requests get answers and leave the data consistent") {
  for (const char* version : {"odoo18", "odoo19"}) {
    CAPTURE(version);
    testing::fake_options o;
    o.major_version = std::string(version) == "odoo19" ? 19 : 18;
    o.database = o.major_version == 19 ? "odoolink19" : "odoolink";
    o.users.front().api_key = "<API_KEY>";
    testing::fake_odoo fake(o);
    const auto exchanges = testing::load_exchanges(std::string(ODOOLINK_FIXTURES_DIR) + "/" + version);
    REQUIRE(exchanges.size() > 50);
    std::mt19937_64 rng(20261202);
    std::size_t sent = 0;
    for (const auto& e : exchanges) {
      const std::string body = e.request_body.value_or("");
      for (int round = 0; round < 12; ++round) {
        http_request r;
        r.method = e.method;
        r.target = e.path;
        r.headers = e.request_headers;
        r.body = body;
        if (!r.body.empty()) {
          if (round % 3 == 0) r.body.resize(rng() % r.body.size());
          for (int flips = 1 + static_cast<int>(rng() % 4); flips > 0 && !r.body.empty(); --flips)
            r.body[rng() % r.body.size()] = static_cast<char>(rng() % 256);
        }
        const std::size_t partners = fake.count("res.partner");
        auto answer = fake.send(r);
        REQUIRE(answer.has_value());
        CHECK(answer.value().status >= 200);
        // A call that failed changed nothing.
        if (answer.value().status != 200 || answer.value().body.find("\"error\"") != std::string::npos ||
            answer.value().body.find("<fault>") != std::string::npos)
          CHECK(fake.count("res.partner") == partners);
        ++sent;
      }
    }
    MESSAGE(version << ": " << sent << " mutated requests answered");
  }
}
