// Redaction of PII for logs and audit.
#include <doctest/doctest.h>

#include "contract_support.hpp"
#include "odoolink/contract/redact.hpp"
#include "odoolink/json/writer.hpp"

using namespace odoolink;
using namespace odoolink::contract;
using odoolink::test::parse_json;

namespace {
const char* const ada = R"({"name": "Ada", "email": "ada@example.com", "phone": "+32 2 555 01 00",
  "address": {"street": "Rue de la Loi 16", "zip": "1000", "city": "Brussels", "country": "BE"},
  "tags": ["VIP"], "active": true})";
}

TEST_CASE("PII fields are masked - the rest kept as is") {
  const auto customer = odoolink::test::shipped("customer");
  const auto out = redact(customer, parse_json(ada));
  CHECK(json::to_string(out) ==
        R"({"name": "Ada", "email": "***", "phone": "***", "address": {"street": "***", "zip": "***", "city": "Brussels", "country": "BE"}, "tags": ["VIP"], "active": true})");
  redact_options custom;
  custom.mask = "[redacted]";
  CHECK(redact(customer, parse_json(ada), custom).find("email")->as_string() == "[redacted]");
}

TEST_CASE("a keyed hash keeps redacted values joinable") {
  const auto customer = odoolink::test::shipped("customer");
  redact_options opts;
  opts.hmac_key = "audit-key-1";
  const auto a = redact(customer, parse_json(ada), opts);
  const auto b = redact(customer, parse_json(R"({"name": "Ada L.", "email": "ada@example.com"})"), opts);
  const std::string mac = a.find("email")->as_string();
  // HMAC-SHA-256("audit-key-1", "ada@example.com"), computed with `openssl dgst -sha256 -hmac`.
  CHECK(mac == "hmac-sha256:3ce9b34999b3d701e917f547279d81e3a1d8857fb403f20e9d1670551aecbab9");
  CHECK(b.find("email")->as_string() == mac);
  CHECK(a.find("phone")->as_string() != mac);
  opts.hmac_key = "audit-key-2";
  CHECK(redact(customer, parse_json(ada), opts).find("email")->as_string() != mac);
}

TEST_CASE("undeclared keys are masked by default - or kept - or dropped") {
  const auto customer = odoolink::test::shipped("customer");
  const auto payload = parse_json(R"({"name": "Ada", "birthday": "1815-12-10", "address": {"city": "London", "flat": "3B"}})");
  CHECK(json::to_string(redact(customer, payload)) ==
        R"({"name": "Ada", "birthday": "***", "address": {"city": "London", "flat": "***"}})");
  redact_options keep;
  keep.undeclared = undeclared_values::keep;
  CHECK(redact(customer, payload, keep) == payload);
  redact_options drop;
  drop.undeclared = undeclared_values::drop;
  CHECK(json::to_string(redact(customer, payload, drop)) == R"({"name": "Ada", "address": {"city": "London"}})");
}

TEST_CASE("invalid payloads are redacted too - hiding whatever might hold PII") {
  const auto customer = odoolink::test::shipped("customer");
  // address should be an object; it holds PII fields, so the odd value is hidden whole.
  const auto out = redact(customer, parse_json(R"({"name": 42, "email": ["a@b.c"], "address": "Rue de la Loi 16, Brussels"})"));
  CHECK(json::to_string(out) == R"({"name": 42, "email": "***", "address": "***"})");
  CHECK(json::to_string(redact(customer, parse_json(R"(["ada@example.com"])"))) == R"("***")");
  // null stays null: nothing to hide.
  CHECK(redact(customer, parse_json(R"({"email": null})")).find("email")->is_null());
  // Lines of arrays are walked.
  const auto nested = odoolink::test::load(R"({"subject": "n", "version": "1.0.0", "owner": "o", "system_of_record": "s",
    "fields": {"people": {"type": "array", "items": {"type": "object", "fields": {
      "name": {"type": "string"}, "ssn": {"type": "string", "pii": true}}}}}})");
  CHECK(nested.has_pii());
  CHECK(json::to_string(redact(nested, parse_json(R"({"people": [{"name": "A", "ssn": "1"}, {"name": "B", "ssn": "2"}]})"))) ==
        R"({"people": [{"name": "A", "ssn": "***"}, {"name": "B", "ssn": "***"}]})");
}

TEST_CASE("redacting JSON text") {
  const auto customer = odoolink::test::shipped("customer");
  auto out = redact_json(customer, R"({"name":"Ada","email":"ada@example.com"})");
  REQUIRE(out.has_value());
  CHECK(out.value() == R"({"name": "Ada", "email": "***"})");
  CHECK_FALSE(redact_json(customer, "{not json").has_value());
}
