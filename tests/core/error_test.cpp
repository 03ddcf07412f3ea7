#include <doctest/doctest.h>

#include "odoolink/error.hpp"

using namespace odoolink;

namespace {
result<int> half(int x) {
  if (x % 2 != 0) return error(protocol_errc::unexpected_type, "odd number");
  return x / 2;
}
result<int> quarter(int x) {
  ODOOLINK_TRY(auto h, half(x));
  return half(h);
}
}  // namespace

TEST_CASE("result propagates errors through ODOOLINK_TRY") {
  CHECK(quarter(8).value() == 2);
  auto r = quarter(6);
  REQUIRE(r.has_error());
  CHECK(r.error() == protocol_errc::unexpected_type);
  CHECK(r.error().message() == "odd number");
  CHECK_THROWS_AS((void)r.value(), std::system_error);
}

TEST_CASE("odoo class paths map to codes as recorded") {
  CHECK(odoo_errc_from_class("odoo.exceptions.ValidationError", "x") == odoo_errc::validation_error);
  CHECK(odoo_errc_from_class("odoo.exceptions.UserError", "Object no.such.model doesn't exist") ==
        odoo_errc::unknown_model);
  CHECK(odoo_errc_from_class("odoo.exceptions.UserError", "You can not delete") == odoo_errc::user_error);
  CHECK(odoo_errc_from_class("psycopg2.errors.SerializationFailure", "") == odoo_errc::concurrency_failure);
  CHECK(odoo_errc_from_class("builtins.TypeError", "") == odoo_errc::wrong_arguments);
  CHECK(odoo_errc_from_class("something.Else", "") == odoo_errc::server_error);
}

TEST_CASE("conditions classify codes") {
  CHECK(make_error_code(odoo_errc::concurrency_failure) == condition::retryable);
  CHECK(make_error_code(odoo_errc::validation_error) == condition::permanent);
  CHECK(make_error_code(odoo_errc::validation_error) == condition::user_error);
  CHECK(make_error_code(odoo_errc::access_error) == condition::user_error);
  CHECK(make_error_code(odoo_errc::access_denied) == condition::auth);
  CHECK(make_error_code(odoo_errc::access_denied) != condition::user_error);
  CHECK(make_error_code(transport_errc::server_unavailable) == condition::retryable);
  CHECK(make_error_code(transport_errc::outcome_unknown) == condition::permanent);
  CHECK(make_error_code(protocol_errc::malformed_response) == condition::permanent);
  error e = error::odoo(odoo_errc::validation_error, "bad", "odoo.exceptions.ValidationError", "tb", 422);
  CHECK(e == condition::user_error);
  CHECK_FALSE(e.retryable());
  CHECK(e.describe() == "odoolink.odoo: bad [odoo.exceptions.ValidationError] (HTTP 422)");
  CHECK(e.with_context("res.partner.create").message() == "res.partner.create: bad");
  CHECK(e.with_context("x").odoo_class() == "odoo.exceptions.ValidationError");
}
