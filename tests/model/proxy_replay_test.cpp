// Recordset operations against recorded exchanges of real Odoo 18 (JSON-RPC,
// web session) and Odoo 19 (JSON-2) servers: each operation must send exactly
// the recorded request and read the recorded answer.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "model/model_fixtures.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/model.hpp"
#include "odoolink/models/product_product.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/models/sale_order.hpp"
#include "odoolink/models/sale_order_line.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::models;
namespace m = odoolink::model;

namespace {

struct partner_card {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  bool is_company = false;
  m::many2one<res_country> country_id;
  m::many2many<res_partner_category> category_id;
  m::one2many<res_partner> child_ids;
  std::optional<res_partner::type_value> type;
  std::optional<m::datetime> create_date;
  double credit_limit = 0;
  ODOOLINK_VIEW(partner_card, res_partner, id, name, email, is_company, country_id, category_id, child_ids, type, create_date,
                credit_limit)
};

struct partner_name {
  std::int64_t id = 0;
  std::string name;
  ODOOLINK_VIEW(partner_name, res_partner, id, name)
};

// Checks the last request matched a recording (the replay answers 404 otherwise).
void check_matched(const testing::replay_transport& t, std::string_view recording) {
  REQUIRE_FALSE(t.used().empty());
  CHECK(t.used().back() == recording);
}

}  // namespace

TEST_CASE("Odoo 18 over JSON-RPC: search / search_count / search_read / read") {
  auto t = test::recordings("odoo18");
  m::proxy<res_partner> partners(test::odoo18_client(t));
  CHECK(partners.model_name() == "res.partner");

  auto ids = partners.search(res_partner::is_company == true, {.limit = 5, .order = "id"});
  REQUIRE_MESSAGE(ids.has_value(), odoolink::test::error_of(ids).describe());
  CHECK(ids.value() == std::vector<std::int64_t>{1, 9, 10, 11, 12});
  check_matched(*t, "jsonrpc/search");

  auto count = partners.search_count(res_partner::is_company == true);
  REQUIRE_MESSAGE(count.has_value(), odoolink::test::error_of(count).describe());
  CHECK(count.value() == 10);

  auto cards = partners.search_read<partner_card>(res_partner::is_company == true, {.limit = 3, .order = "id"});
  REQUIRE_MESSAGE(cards.has_value(), odoolink::test::error_of(cards).describe());
  check_matched(*t, "jsonrpc/search_read_partner");
  REQUIRE(cards.value().size() == 3);
  CHECK(cards.value()[2].name == "Deco Addict");
  CHECK(cards.value()[2].child_ids == m::one2many<res_partner>{36, 19, 20});

  auto page = partners.search_read<partner_name>({}, {.offset = 5, .limit = 2, .order = "name asc, id desc"});
  REQUIRE_MESSAGE(page.has_value(), odoolink::test::error_of(page).describe());
  REQUIRE(page.value().size() == 2);
  CHECK(page.value()[0].name == "Colleen Diaz");
  CHECK(page.value()[1].id == 10);

  auto none = partners.search_read<partner_name>(res_partner::name == "no such partner xyz");
  REQUIRE_MESSAGE(none.has_value(), odoolink::test::error_of(none).describe());
  CHECK(none.value().empty());

  struct partner_detail {
    std::int64_t id = 0;
    std::string name;
    m::many2one<res_partner> parent_id;
    m::one2many<res_partner> child_ids;
    std::optional<std::string> phone;
    std::optional<res_partner::lang_value> lang;
    std::optional<std::string> tz;
    bool active = false;
    ODOOLINK_VIEW(partner_detail, res_partner, id, name, parent_id, child_ids, phone, lang, tz, active)
  };
  auto detail = partners.read<partner_detail>({10});
  REQUIRE_MESSAGE(detail.has_value(), odoolink::test::error_of(detail).describe());
  check_matched(*t, "jsonrpc/read");
  REQUIRE(detail.value().size() == 1);
  CHECK(detail.value()[0].parent_id.empty());
  CHECK(detail.value()[0].phone == "(603)-996-3829");
  CHECK(detail.value()[0].lang == res_partner::lang_value::en_us);
  CHECK(m::to_string(*detail.value()[0].lang) == "en_US");
  CHECK_FALSE(detail.value()[0].tz.has_value());
  CHECK(detail.value()[0].active);

  // A deleted id: Odoo answers an empty list, not an error.
  auto gone = partners.read<partner_name>(51);
  REQUIRE_MESSAGE(gone.has_value(), odoolink::test::error_of(gone).describe());
  check_matched(*t, "jsonrpc/read_deleted_record_returns_empty");
  CHECK(gone.value().empty());

  // Per-call context.
  struct name_tz {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> tz;
    ODOOLINK_VIEW(name_tz, res_partner, id, name, tz)
  };
  auto ctx = partners.search_read<name_tz>(
      res_partner::id == 10, {},
      {.context = json::object{{"lang", "en_US"}, {"tz", "Europe/Brussels"}, {"active_test", false}}});
  REQUIRE_MESSAGE(ctx.has_value(), odoolink::test::error_of(ctx).describe());
  check_matched(*t, "jsonrpc/execute_kw_with_context");
}

TEST_CASE("Odoo 18 / host-driven: submit_search_read completes inside poll()") {
  auto t = test::recordings("odoo18");
  m::proxy<res_partner> partners(test::odoo18_client(t));
  std::optional<result<std::vector<partner_card>>> got;
  auto id = partners.submit_search_read<partner_card>(m::domain(res_partner::is_company == true), {.limit = 3, .order = "id"},
                                                      [&](result<std::vector<partner_card>> r) { got = std::move(r); });
  REQUIRE_MESSAGE(id.has_value(), odoolink::test::error_of(id).describe());
  CHECK_FALSE(got.has_value());  // never inside submit
  for (int i = 0; i < 10 && !got; ++i) REQUIRE(partners.connection().transport().poll(std::chrono::milliseconds(0)).has_value());
  REQUIRE(got.has_value());
  REQUIRE_MESSAGE(got->has_value(), odoolink::test::error_of(*got).describe());
  CHECK(got->value().size() == 3);
  CHECK(got->value()[1].name == "Wood Corner");
}

TEST_CASE("Odoo 18 over JSON-RPC: create one and many / write with x2many commands / unlink") {
  auto t = test::recordings("odoo18");
  m::proxy<res_partner> partners(test::odoo18_client(t));

  auto id = partners.create(m::values<res_partner>()
                                .set(res_partner::name, "Fixture Partner")
                                .set(res_partner::email, "fixture@example.com")
                                .set(res_partner::is_company, true)
                                .set(res_partner::comment, "<p>Created by fixture</p>"));
  REQUIRE_MESSAGE(id.has_value(), odoolink::test::error_of(id).describe());
  check_matched(*t, "jsonrpc/create");
  CHECK(id.value() == 51);

  auto ids = partners.create(std::vector<m::values<res_partner>>{
      m::values<res_partner>().set(res_partner::name, "Fixture Child A").set(res_partner::parent_id, 51),
      m::values<res_partner>().set(res_partner::name, "Fixture Child B").set(res_partner::parent_id, 51)});
  REQUIRE_MESSAGE(ids.has_value(), odoolink::test::error_of(ids).describe());
  check_matched(*t, "jsonrpc/create_multi");
  CHECK(ids.value() == std::vector<std::int64_t>{52, 53});

  auto written = partners.write({51}, m::values<res_partner>()
                                          .set(res_partner::phone, "+1 555 0100")
                                          .set(res_partner::category_id, {m::command::set({1})}));
  REQUIRE_MESSAGE(written.has_value(), odoolink::test::error_of(written).describe());
  check_matched(*t, "jsonrpc/write");

  auto removed = partners.unlink({52, 53, 51});
  REQUIRE_MESSAGE(removed.has_value(), odoolink::test::error_of(removed).describe());
  check_matched(*t, "jsonrpc/unlink");

  // Writing a deleted record: Odoo's MissingError, typed.
  auto missing = partners.write(51, m::values<res_partner>().set(res_partner::name, "x"));
  REQUIRE(missing.has_error());
  CHECK(missing.error() == odoo_errc::missing_error);
  CHECK(missing.error().message().rfind("res.partner.write: ", 0) == 0);

  // A business refusal (unlinking a confirmed order).
  m::proxy<sale_order> orders(partners.connection());
  auto refused = orders.unlink(4);
  REQUIRE(refused.has_error());
  CHECK(refused.error() == odoo_errc::user_error);
  CHECK(refused.error() == condition::user_error);
}

TEST_CASE("Odoo 18: name_search / read_group eager and lazy / fields_get / default_get / other methods") {
  auto t = test::recordings("odoo18");
  auto c = test::odoo18_client(t);
  m::proxy<res_partner> partners(c);

  auto found = partners.name_search("Deco", m::expr<res_partner>{}, {.limit = 3});
  REQUIRE_MESSAGE(found.has_value(), odoolink::test::error_of(found).describe());
  REQUIRE(found.value().size() == 3);
  CHECK(found.value()[0] == m::many2one<res_partner>(10, "Deco Addict"));
  CHECK(found.value()[2].name == "Deco Addict, Douglas Fletcher");

  m::proxy<sale_order> orders(c);
  auto groups = orders.read_group(m::expr<sale_order>{}, {"state"}, {"amount_total:sum"});
  REQUIRE_MESSAGE(groups.has_value(), odoolink::test::error_of(groups).describe());
  check_matched(*t, "jsonrpc/read_group");
  REQUIRE(groups.value().size() == 3);
  CHECK(groups.value()[1].count == 19);
  CHECK(*groups.value()[1].find("state") == json::value("sale"));
  CHECK(groups.value()[1].find("amount_total")->as_double() == 27660.5);
  CHECK(groups.value()[1].where.to_json() == json::parse(R"([["state", "=", "sale"]])").value());

  auto lazy = partners.read_group(res_partner::is_company == false, {"parent_id"}, {"id:count"}, {.limit = 3, .lazy = std::nullopt});
  REQUIRE_MESSAGE(lazy.has_value(), odoolink::test::error_of(lazy).describe());
  check_matched(*t, "jsonrpc/read_group_lazy_m2o");
  REQUIRE(lazy.value().size() == 3);
  CHECK(lazy.value()[2].count == 4);
  CHECK(*lazy.value()[2].find("parent_id") == json::parse(R"([11, "Gemini Furniture"])").value());

  auto fields = partners.fields_get({"name", "parent_id", "child_ids", "category_id", "type", "is_company", "image_128",
                                     "comment", "create_date", "date", "credit", "credit_limit", "color", "company_id"});
  REQUIRE_MESSAGE(fields.has_value(), odoolink::test::error_of(fields).describe());
  check_matched(*t, "jsonrpc/fields_get_partner");
  REQUIRE(fields.value().size() == 13);  // `date` does not exist on res.partner
  CHECK(fields.value()[0].name == "category_id");  // sorted by name
  CHECK(fields.value()[0].type == "many2many");
  CHECK(fields.value()[0].relation == "res.partner.category");
  const auto type = std::find_if(fields.value().begin(), fields.value().end(), [](const auto& f) { return f.name == "type"; });
  REQUIRE(type != fields.value().end());
  CHECK(type->selection.size() == 4);
  CHECK(type->selection[1].second == "Invoice Address");

  auto defaults = orders.default_get({"state", "date_order", "company_id", "user_id"});
  REQUIRE_MESSAGE(defaults.has_value(), odoolink::test::error_of(defaults).describe());
  CHECK(*defaults.value().find("state") == json::value("draft"));

  m::any_proxy tags(c, "res.partner.category");
  auto created = tags.call_model("name_create", json::array{"Fixture Tag"});
  REQUIRE_MESSAGE(created.has_value(), odoolink::test::error_of(created).describe());
  CHECK(json::parse(created.value().json()).value() == json::parse(R"([9, "Fixture Tag"])").value());
}

TEST_CASE("Odoo 18: load upserts by external id / lines with their own external ids") {
  auto t = test::recordings("odoo18");
  auto c = test::odoo18_client(t);
  m::proxy<res_partner> partners(c);

  m::load_batch<res_partner> batch;
  batch.add("odoolink_fixture.partner_load_1")
      .set(res_partner::name, "Fixture Load Partner")
      .set(res_partner::email, "load1@example.com");
  auto loaded = partners.load(batch);
  REQUIRE_MESSAGE(loaded.has_value(), odoolink::test::error_of(loaded).describe());
  check_matched(*t, "jsonrpc/load_first");
  CHECK(loaded.value().ids == std::vector<std::int64_t>{54});

  m::proxy<sale_order> orders(c);
  m::load_batch<sale_order> order_batch;
  auto order = order_batch.add("odoolink_fixture.so_lineids")
                   .ref(sale_order::partner_id, "odoolink_fixture.cust_pos1")
                   .set(sale_order::client_order_ref, "POS-2");
  order.line(sale_order::order_line, "odoolink_fixture.sol_2_1")
      .ref(sale_order_line::product_id, "odoolink_fixture.prod_pos1")
      .set(sale_order_line::product_uom_qty, 2)
      .set(sale_order_line::price_unit, 9.5);
  order.line(sale_order::order_line, "odoolink_fixture.sol_2_2")
      .ref(sale_order_line::product_id, "odoolink_fixture.prod_pos1")
      .set(sale_order_line::product_uom_qty, 1)
      .set(sale_order_line::price_unit, 3.0);
  auto so = orders.load(order_batch);
  REQUIRE_MESSAGE(so.has_value(), odoolink::test::error_of(so).describe());
  check_matched(*t, "jsonrpc/load_o2m_with_line_ids_first");
  CHECK(so.value().ids == std::vector<std::int64_t>{28});

  // One unresolvable reference: Odoo rolls the batch back and says why.
  m::load_batch<res_partner> bad;
  bad.add("odoolink_fixture.partner_load_2").set(res_partner::name, "Fixture Load Bad").set("country_id", "Neverland");
  auto refused = partners.load(bad);
  REQUIRE(refused.has_error());
  CHECK(refused.error() == odoo_errc::validation_error);
  CHECK(refused.error().message().find("field country_id: No matching record found for name 'Neverland'") != std::string::npos);
}

TEST_CASE("Odoo 18 over a web session: the same search_read with a per-call context") {
  auto t = test::recordings("odoo18");
  m::proxy<res_partner> partners(test::odoo18_client(t, client::protocol_kind::web_session));
  struct name_country {
    std::int64_t id = 0;
    std::string name;
    m::many2one<res_country> country_id;
    ODOOLINK_VIEW(name_country, res_partner, id, name, country_id)
  };
  auto rows = partners.search_read<name_country>(res_partner::is_company == true, {.limit = 2}, {.context = json::object{{"lang", "en_US"}}});
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  check_matched(*t, "web/dataset_call_kw_search_read");
  REQUIRE(rows.value().size() == 2);
  CHECK(rows.value()[0].name == "Azure Interior");
  CHECK(rows.value()[1].country_id.name == "United States");
}

TEST_CASE("Odoo 19 over JSON-2: the same operations map to named arguments") {
  auto t = test::recordings("odoo19");
  auto c = test::odoo19_client(t);
  m::proxy<res_partner> partners(c);

  auto one = partners.create(m::values<res_partner>()
                                 .set(res_partner::name, "OdooLink19 Fixture Co")
                                 .set(res_partner::is_company, true)
                                 .set(res_partner::email, "fixture@example.com"));
  REQUIRE_MESSAGE(one.has_value(), odoolink::test::error_of(one).describe());
  check_matched(*t, "json2/create_single");
  CHECK(one.value() == 55);  // JSON-2 answers [55]

  auto many = partners.create(std::vector<m::values<res_partner>>{
      m::values<res_partner>().set(res_partner::name, "Fixture Contact B").set(res_partner::parent_id, 55),
      m::values<res_partner>().set(res_partner::name, "Fixture Contact C").set(res_partner::parent_id, 55)});
  REQUIRE_MESSAGE(many.has_value(), odoolink::test::error_of(many).describe());
  CHECK(many.value() == std::vector<std::int64_t>{56, 57});

  m::proxy<sale_order> orders(c);
  auto order = orders.create(
      m::values<sale_order>()
          .set(sale_order::partner_id, 55)
          .set(sale_order::tag_ids, {m::command::set({1, 2})})
          .set(sale_order::note, "<p>Deliver <b>before</b> noon</p>")
          .set(sale_order::order_line, {m::command::create(m::values<sale_order_line>()
                                                               .set(sale_order_line::product_id, 62)
                                                               .set(sale_order_line::product_uom_qty, 3))}));
  REQUIRE_MESSAGE(order.has_value(), odoolink::test::error_of(order).describe());
  check_matched(*t, "json2/create_sale_order");
  CHECK(order.value() == 26);

  auto written = partners.write(56, m::values<res_partner>()
                                        .set(res_partner::phone, "+1 555 0100")
                                        .set(res_partner::comment, "<p>Written via <b>JSON-2</b></p>"));
  REQUIRE_MESSAGE(written.has_value(), odoolink::test::error_of(written).describe());
  check_matched(*t, "json2/write");

  struct partner19 {
    std::int64_t id = 0;
    std::string name;
    m::many2one<res_partner> parent_id;
    m::one2many<res_partner> child_ids;
    m::many2many<res_partner_category> category_id;
    std::optional<res_partner::type_value> type;
    bool is_company = false;
    std::optional<std::string> email;
    std::optional<std::string> phone;
    std::optional<std::string> comment;
    ODOOLINK_VIEW(partner19, res_partner, id, name, parent_id, child_ids, category_id, type, is_company, email, phone, comment)
  };
  auto read = partners.read<partner19>({55, 56});
  REQUIRE_MESSAGE(read.has_value(), odoolink::test::error_of(read).describe());
  check_matched(*t, "json2/read");
  REQUIRE(read.value().size() == 2);
  CHECK(read.value()[1].parent_id == m::many2one<res_partner>(55, "OdooLink19 Fixture Co"));
  CHECK(read.value()[1].phone == "+1 555 0100");

  auto ids = partners.search(res_partner::is_company == true, {.limit = 3, .order = "id"});
  REQUIRE_MESSAGE(ids.has_value(), odoolink::test::error_of(ids).describe());
  CHECK(ids.value() == std::vector<std::int64_t>{1, 8, 9});

  auto archived = partners.search_count(res_partner::is_company == true, {.context = json::object{{"active_test", false}}});
  REQUIRE_MESSAGE(archived.has_value(), odoolink::test::error_of(archived).describe());
  check_matched(*t, "json2/search_count_context_active_test");
  CHECK(archived.value() == 12);

  auto found = partners.name_search("fixture", res_partner::parent_id != m::unset, {.operator_ = "ilike", .limit = 5});
  REQUIRE_MESSAGE(found.has_value(), odoolink::test::error_of(found).describe());
  REQUIRE(found.value().size() == 1);
  CHECK(found.value()[0].id == 56);

  auto grouped = orders.read_group(m::expr<sale_order>{}, {"state"}, {"amount_total:sum"}, {.orderby = "state", .lazy = std::nullopt});
  REQUIRE_MESSAGE(grouped.has_value(), odoolink::test::error_of(grouped).describe());
  check_matched(*t, "json2/read_group_deprecated");
  CHECK(grouped.value()[0].count == 5);

  m::load_batch<res_partner> batch;
  batch.add("__import__.odoolink19_load_partner_a").set(res_partner::name, "Load Partner v1").set(res_partner::ref, "LOAD-1");
  auto loaded = partners.load(batch);
  REQUIRE_MESSAGE(loaded.has_value(), odoolink::test::error_of(loaded).describe());
  CHECK(loaded.value().ids == std::vector<std::int64_t>{58});

  auto confirmed = orders.call("action_confirm", 26);
  REQUIRE_MESSAGE(confirmed.has_value(), odoolink::test::error_of(confirmed).describe());
  CHECK(confirmed.value().json() == "true");
  auto missing = orders.call("action_confirm", 999999);
  REQUIRE(missing.has_error());
  CHECK(missing.error() == odoo_errc::missing_error);

  auto removed = partners.unlink(57);
  REQUIRE_MESSAGE(removed.has_value(), odoolink::test::error_of(removed).describe());
  check_matched(*t, "json2/unlink");
}
