#pragma once
// What the live tests that write records share: a run id to keep them apart
// on a shared server, plain calls whose failure fails the test, and the
// records a run created (by their external ids' module).

#include <chrono>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/value.hpp"
#include "support/error_of.hpp"

namespace odoolink::test {

/// A run id: letters and digits only, so it fits external ids as is.
inline std::string run_id() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  std::ostringstream out;
  out << "r" << std::hex << std::chrono::duration_cast<std::chrono::microseconds>(now).count()
      << (std::random_device{}() & 0xFFFFU);
  return out.str();
}

/// `model.method(args, kwargs)`; a failure fails the test.
inline json::value call(client::client& odoo, std::string_view model, std::string_view method, json::value args,
                        json::value kwargs = json::object{}) {
  auto r = odoo.execute_kw(model, method, std::move(args), std::move(kwargs));
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  auto v = json::parse(r.value().json());
  REQUIRE_MESSAGE(v.has_value(), odoolink::test::error_of(v).describe());
  return std::move(v).value();
}

/// The ids of the records of `model` under external-id module `module`.
inline json::array ids_in(client::client& odoo, std::string_view module, std::string_view model) {
  const auto rows = call(odoo, "ir.model.data", "search_read",
                         json::array{json::array{json::array{"module", "=", module}, json::array{"model", "=", model}}},
                         json::object{{"fields", json::array{"res_id"}}});
  json::array ids;
  for (const auto& r : rows.as_array()) ids.push_back(*r.find("res_id"));
  return ids;
}

/// The id of the record of `model` named `xid` (`module.name`).
inline std::int64_t id_of(client::client& odoo, const std::string& xid, std::string_view model) {
  const auto dot = xid.find('.');
  const auto rows = call(odoo, "ir.model.data", "search_read",
                         json::array{json::array{json::array{"module", "=", xid.substr(0, dot)},
                                                 json::array{"name", "=", xid.substr(dot + 1)},
                                                 json::array{"model", "=", model}}},
                         json::object{{"fields", json::array{"res_id"}}});
  REQUIRE(rows.as_array().size() == 1);
  return rows.as_array()[0].find("res_id")->as_int();
}

/// Deletes the records of each of `models`, in that order, under `module`
/// (best effort: a record Odoo keeps is left).
inline void delete_run(client::client& odoo, std::string_view module, std::initializer_list<std::string_view> models) {
  for (const auto model : models) {
    json::array ids = ids_in(odoo, module, model);
    if (!ids.empty()) (void)odoo.execute_kw(model, "unlink", json::array{std::move(ids)});
  }
}

}  // namespace odoolink::test
