// The code generator: the committed headers in include/odoolink/models are
// exactly what it makes of the recorded fields_get dumps, its output does not
// depend on input order, and no field type breaks it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "odoolink/json/parse.hpp"
#include "odoolink/model/codegen.hpp"
#include "odoolink/model/field_info.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
namespace m = odoolink::model;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const fs::path fields_dir = fs::path(ODOOLINK_FIXTURES_DIR) / "odoo18" / "fields";
const fs::path models_dir = fs::path(ODOOLINK_FIXTURES_DIR).parent_path().parent_path() / "include" / "odoolink" / "models";

std::vector<m::field_info> fields_of(std::string_view json_text) {
  auto f = m::parse_fields_get(json_text);
  REQUIRE_MESSAGE(f.has_value(), odoolink::test::error_of(f).describe());
  return std::move(f).value();
}

std::string header_of(std::string_view model, std::string_view json_text) {
  auto h = m::generate_model_header(model, fields_of(json_text));
  REQUIRE_MESSAGE(h.has_value(), odoolink::test::error_of(h).describe());
  return std::move(h).value();
}

}  // namespace

TEST_CASE("the committed model headers of every series are exactly what the generator makes of the fixtures") {
  for (const int series : {16, 17, 18, 19}) {
    INFO("Odoo " << series);
    const fs::path input_dir = fs::path(ODOOLINK_FIXTURES_DIR) / ("odoo" + std::to_string(series)) / "fields";
    const fs::path output_dir = models_dir / m::series_namespace(series);
    std::vector<fs::path> inputs;
    for (const auto& e : fs::directory_iterator(input_dir))
      if (e.path().extension() == ".json") inputs.push_back(e.path());
    std::sort(inputs.begin(), inputs.end());
    REQUIRE(inputs.size() == 27);
    std::vector<std::string> expected_files;
    for (const auto& input : inputs) {
      const std::string model = input.stem().string();
      INFO("model: " << model);
      auto generated = m::generate_model_header(model, fields_of(read_text(input)), {.series = series, .default_series = series == 18});
      REQUIRE(generated.has_value());
      const fs::path committed = output_dir / m::model_header_name(model);
      REQUIRE_MESSAGE(fs::exists(committed), committed.string() << " is missing: run scripts/generate-models.sh");
      CHECK_MESSAGE(generated.value() == read_text(committed), committed.string() << " differs from the generator's output");
      expected_files.push_back(m::model_header_name(model));
    }
    // No stale header without its fixture.
    for (const auto& e : fs::directory_iterator(output_dir))
      CHECK_MESSAGE(std::find(expected_files.begin(), expected_files.end(), e.path().filename().string()) != expected_files.end(),
                    e.path().string() << " has no fields_get fixture");
  }
  // models::<name> is Odoo 18's: each top-level header includes the v18 one.
  std::size_t forwarding = 0;
  for (const auto& e : fs::directory_iterator(models_dir)) {
    if (e.is_directory()) {
      CHECK_MESSAGE((e.path().filename() == "v16" || e.path().filename() == "v17" || e.path().filename() == "v18" ||
                     e.path().filename() == "v19"), e.path().string());
      continue;
    }
    ++forwarding;
    const std::string name = e.path().filename().string();
    CHECK(fs::exists(models_dir / "v18" / name));
    CHECK(read_text(e.path()).find("#include \"odoolink/models/v18/" + name + "\"") != std::string::npos);
  }
  CHECK(forwarding == 27);
}

TEST_CASE("a series puts the models and their relation tags into models::v<series>") {
  const std::string text = R"({"id": {"type": "integer"}, "partner_id": {"type": "many2one", "relation": "res.partner"}})";
  auto v17 = m::generate_model_header("x.demo", fields_of(text), {.series = 17});
  REQUIRE(v17.has_value());
  CHECK(v17.value().find("namespace models {\nnamespace v17 {") != std::string::npos);
  CHECK(v17.value().find("::odoolink::models::v17::res_partner") != std::string::npos);
  CHECK(v17.value().find("inline namespace") == std::string::npos);
  CHECK(v17.value().find("}  // namespace v17") != std::string::npos);
  auto v18 = m::generate_model_header("x.demo", fields_of(text), {.series = 18, .default_series = true});
  REQUIRE(v18.has_value());
  CHECK(v18.value().find("inline namespace v18 {") != std::string::npos);
  auto plain = m::generate_model_header("x.demo", fields_of(text));
  REQUIRE(plain.has_value());
  CHECK(plain.value().find("::odoolink::models::res_partner") != std::string::npos);
  CHECK(plain.value().find("namespace v") == std::string::npos);
  CHECK(m::series_namespace(19) == "v19");
  CHECK(m::series_namespace(0).empty());
}

TEST_CASE("generation is deterministic: key order and repetition do not matter") {
  const std::string text = read_text(fields_dir / "sale.order.json");
  const std::string once = header_of("sale.order", text);
  CHECK(header_of("sale.order", text) == once);
  // The same fields in another order.
  auto fields = fields_of(text);
  std::mt19937 rng(42);
  std::shuffle(fields.begin(), fields.end(), rng);
  auto again = m::generate_model_header("sale.order", fields);
  REQUIRE(again.has_value());
  CHECK(again.value() == once);
}

TEST_CASE("field types map as documented / unknown types become raw JSON") {
  const std::string h = header_of("x.demo", R"({
    "id": {"type": "integer", "string": "ID"},
    "name": {"type": "char", "string": "Name", "required": true},
    "flag": {"type": "boolean", "string": "Flag"},
    "ratio": {"type": "float"},
    "amount": {"type": "monetary", "string": "Amount"},
    "currency_id": {"type": "many2one", "relation": "res.currency"},
    "line_ids": {"type": "one2many", "relation": "x.demo.line"},
    "tag_ids": {"type": "many2many", "relation": "x.tag"},
    "parent_id": {"type": "many2one", "relation": "x.demo"},
    "orphan_id": {"type": "many2one"},
    "day": {"type": "date"}, "at": {"type": "datetime"}, "blob": {"type": "binary"},
    "body": {"type": "html"}, "notes": {"type": "text"},
    "props": {"type": "properties"}, "data": {"type": "json"}, "ref": {"type": "reference"},
    "res_id": {"type": "many2one_reference"}, "future": {"type": "some_new_type"},
    "state": {"type": "selection", "selection": [["draft", "Draft"], ["to invoice", "To Invoice"], ["no-message", "No"], ["0002", "Code"], ["unknown", "Unknown"], ["class", "Class"]]},
    "clash": {"type": "selection", "selection": [["a-b", "1"], ["a b", "2"]]},
    "group": {"type": "selection", "selection": [[false, ""], [13, "Group"]]},
    "dynamic": {"type": "selection", "selection": []},
    "default": {"type": "char", "string": "A keyword"},
    "record": {"type": "char", "string": "A reserved name"},
    "state_value": {"type": "char", "string": "Clashes with the enum name"}
  })");
  const auto has = [&](std::string_view s) {
    INFO("looking for: " << s);
    CHECK(h.find(s) != std::string::npos);
  };
  has("static constexpr std::string_view odoo_model = \"x.demo\";");
  has("field<x_demo, ::odoolink::model::kind::char_> name{\"name\"};");
  has("std::optional<std::string> name;");
  has("bool flag = false;");
  has("double ratio = 0;");
  has("::odoolink::model::monetary amount = 0;");
  has("(monetary). In the currency of `currency_id`.");
  has("::odoolink::model::one2many<::odoolink::models::x_demo_line> line_ids;");
  has("::odoolink::model::many2many<::odoolink::models::x_tag> tag_ids;");
  has("::odoolink::model::many2one<::odoolink::models::x_demo> parent_id;");
  has("::odoolink::model::many2one<::odoolink::model::any_model> orphan_id;");
  has("std::optional<::odoolink::model::date> day;");
  has("std::optional<::odoolink::model::datetime> at;");
  has("std::optional<::odoolink::model::binary> blob;");
  for (const char* raw : {"props", "data", "ref", "res_id", "future", "group"}) has("::odoolink::json::value " + std::string(raw) + ";");
  has("Odoo type `some_new_type`, kept as JSON.");
  // Selection values become identifiers; `unknown` stays the catch-all.
  has("enum class state_value_ : std::uint8_t {");
  for (const char* e : {"draft,", "to_invoice,", "no_message,", "v0002,", "unknown_,", "class_,"}) has(std::string("    ") + e);
  has("{state_value_::to_invoice, \"to invoice\"}");
  // Two values with one identifier, and an empty selection, stay text.
  has("field<x_demo, ::odoolink::model::kind::selection_text> clash{\"clash\"};");
  has("field<x_demo, ::odoolink::model::kind::selection_text> dynamic{\"dynamic\"};");
  // Keywords and reserved names get a trailing underscore.
  has("default_{\"default\"};");
  has("record_{\"record\"};");
  has("state_value{\"state_value\"};");
  has("struct x_tag;");
  CHECK(h.find("struct x_demo;") == std::string::npos);  // itself is not forward-declared

  CHECK(m::model_identifier("account.move.line") == "account_move_line");
  CHECK(m::model_header_name("stock.move.line") == "stock_move_line.hpp");
  CHECK(m::generate_model_header("", {}).has_error());
  CHECK(m::generate_model_header("bad model!", {}).has_error());
  // A fields_get without `id` still gets one.
  const std::string minimal = header_of("x.min", R"({"name": {"type": "char"}})");
  CHECK(minimal.find("std::int64_t id = 0;") != std::string::npos);
}

TEST_CASE("fields_get parsing is strict about structure / lenient about extra attributes") {
  CHECK(m::parse_fields_get("[]").has_error());
  CHECK(m::parse_fields_get(R"({"a": 1})").has_error());
  CHECK(m::parse_fields_get(R"({"a": {"string": "A"}})").has_error());  // no type
  CHECK(m::parse_fields_get("{").error() == protocol_errc::malformed_response);
  // A field (or an attribute) given twice is refused, in text and in a value.
  const auto twice = m::parse_fields_get(R"({"a": {"type": "char"}, "b": {"type": "char"}, "a": {"type": "integer"}})");
  REQUIRE(twice.has_error());
  CHECK(twice.error() == protocol_errc::malformed_response);
  CHECK(twice.error().message().find("\"a\"") != std::string::npos);
  CHECK(m::parse_fields_get(R"({"a": {"type": "char", "type": "integer"}})").error() == protocol_errc::malformed_response);
  const json::value built = json::object{{"a", json::object{{"type", "char"}}}, {"a", json::object{{"type", "integer"}}}};
  const auto from_value = m::fields_from_json(built);
  REQUIRE(from_value.has_error());
  CHECK(from_value.error() == protocol_errc::malformed_response);
  CHECK(from_value.error().message().find("\"a\" comes twice") != std::string::npos);
  auto f = m::parse_fields_get(R"({"b": {"type": "char", "exportable": true, "help": false}, "a": {"type": "monetary", "currency_field": "company_currency_id"}})");
  REQUIRE(f.has_value());
  REQUIRE(f.value().size() == 2);
  CHECK(f.value()[0].name == "a");
  CHECK(f.value()[0].currency_field == "company_currency_id");
  const std::string h = header_of("x.cur", R"({"a": {"type": "monetary", "currency_field": "company_currency_id"}})");
  CHECK(h.find("In the currency of `company_currency_id`.") != std::string::npos);
}
