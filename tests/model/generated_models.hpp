// Checks shared by the generated-model suites of each Odoo series: a full
// record requests exactly its model's fields, and decodes a response with
// every field set and with every field empty.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>

#include "all_models.hpp"
#include "support/error_of.hpp"

#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/model/codegen.hpp"
#include "odoolink/model/decode.hpp"
#include "odoolink/model/field_info.hpp"

namespace generated_models {
using namespace odoolink;
namespace m = odoolink::model;

inline std::string fields_json(int series, std::string_view model) {
  std::ifstream in(std::filesystem::path(ODOOLINK_FIXTURES_DIR) / ("odoo" + std::to_string(series)) / "fields" / (std::string(model) + ".json"));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A value of the field's type as Odoo sends it; `empty` gives Odoo's empty value.
inline json::value sample(const m::field_info& f, bool empty) {
  const std::string& t = f.type;
  if (t == "boolean") return !empty;
  if (t == "integer") return empty ? 0 : 7;
  if (t == "float" || t == "monetary") return empty ? 0.0 : 2.25;
  if (t == "one2many" || t == "many2many") return empty ? json::array{} : json::array{3, 1, 2};
  if (empty) return false;
  if (t == "char" || t == "text" || t == "html") return "text of " + f.name + " \xC3\xA9";
  if (t == "selection") return f.selection.empty() ? json::value("anything") : f.selection.front().first;
  if (t == "date") return "2026-11-22";
  if (t == "datetime") return "2026-11-22 06:01:23";
  if (t == "binary") return "aGVsbG8=";
  if (t == "many2one") return json::array{3, "Display \"Name\""};
  return json::object{{"kind", t}, {"nested", json::array{1, json::object{{"x", nullptr}}}}};
}

template <class M>
void check_model(int series) {
  const std::string model(M::odoo_model);
  INFO("model: " << model);
  auto fields = m::parse_fields_get(fields_json(series, model));
  REQUIRE_MESSAGE(fields.has_value(), odoolink::test::error_of(fields).describe());

  // The record requests exactly the model's fields.
  const json::array requested = m::view_traits<typename M::record>::field_names();
  std::size_t unreadable = 0;
  for (const auto& f : fields.value()) unreadable += m::unreadable_over_rpc(model, f.name) ? 1 : 0;
  CHECK(requested.size() + 1 + unreadable == fields.value().size());  // all but `id` and what RPC cannot carry

  json::array rows;
  for (int i = 0; i < 2; ++i) {
    json::object row;
    row.emplace_back("id", 10 + i);
    for (const auto& f : fields.value())
      if (f.name != "id" && !m::unreadable_over_rpc(model, f.name)) row.emplace_back(f.name, sample(f, i == 1));
    rows.emplace_back(std::move(row));
  }
  auto decoded = m::decode<typename M::record>(protocol::reply(json::to_string(rows)), model);
  REQUIRE_MESSAGE(decoded.has_value(), odoolink::test::error_of(decoded).describe());
  REQUIRE(decoded.value().size() == 2);
  CHECK(decoded.value()[0].id == 10);
  CHECK(decoded.value()[1].id == 11);
  // Written back, an all-empty record gives false for every nullable field.
  const json::value vals = m::to_vals(decoded.value()[1]);
  REQUIRE(vals.is_object());
  for (const auto& [k, v] : vals.as_object()) CHECK_MESSAGE((v.is_bool() || v.is_number() || v.is_null() || v.is_object()), k);
}

template <class... M>
void check_all(int series, std::tuple<M...>* /*unused*/) {
  (check_model<M>(series), ...);
}

}  // namespace generated_models
