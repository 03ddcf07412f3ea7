// The domain DSL: every operator compiles to the exact prefix-notation domain
// Odoo reads, and values of the wrong type do not compile.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "odoolink/json/parse.hpp"
#include "odoolink/model/field.hpp"
#include "odoolink/models/product_product.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/models/sale_order.hpp"
#include "odoolink/models/sale_order_line.hpp"

using namespace odoolink;
using namespace odoolink::models;
using namespace std::chrono_literals;
namespace m = odoolink::model;

namespace {

json::value expected(std::string_view text) { return json::parse(text).value(); }

template <class M>
void check(const m::expr<M>& e, std::string_view want) {
  INFO("got:  " << e.to_string());
  INFO("want: " << want);
  CHECK(e.to_json() == expected(want));
}

// Compile-time probes: which operations a field accepts.
template <class F, class V>
concept eq_ok = requires(const F& f, const V& v) { f == v; };
template <class F, class V>
concept lt_ok = requires(const F& f, const V& v) { f < v; };
template <class F>
concept like_ok = requires(const F& f) { f.ilike("x"); };
template <class F>
concept child_of_ok = requires(const F& f) { f.child_of(1); };
template <class F, class G>
concept dot_ok = requires(const F& f, const G& g) { f.dot(g); };
template <class F, class E>
concept any_ok = requires(const F& f, const E& e) { f.any(e); };
template <class A, class B>
concept and_ok = requires(const A& a, const B& b) { a && b; };

}  // namespace

TEST_CASE("leaves: each operator gives Odoo's leaf") {
  struct row {
    m::expr<res_partner> e;
    const char* want;
  };
  const std::vector<row> cases{
      {res_partner::is_company == true, R"([["is_company", "=", true]])"},
      {res_partner::is_company != false, R"([["is_company", "!=", false]])"},
      {res_partner::name == "Deco Addict", R"([["name", "=", "Deco Addict"]])"},
      {res_partner::name != std::string("x"), R"([["name", "!=", "x"]])"},
      {res_partner::color < 3, R"([["color", "<", 3]])"},
      {res_partner::color <= 3, R"([["color", "<=", 3]])"},
      {res_partner::credit_limit > 1000, R"([["credit_limit", ">", 1000]])"},
      {res_partner::credit_limit >= 2.5, R"([["credit_limit", ">=", 2.5]])"},
      {res_partner::id.in({1, 2, 3}), R"([["id", "in", [1, 2, 3]]])"},
      {res_partner::id.not_in(std::vector<std::int64_t>{7, 8}), R"([["id", "not in", [7, 8]]])"},
      {res_partner::name.like("Deco"), R"([["name", "like", "Deco"]])"},
      {res_partner::name.ilike("deco"), R"([["name", "ilike", "deco"]])"},
      {res_partner::name.not_like("x"), R"([["name", "not like", "x"]])"},
      {res_partner::email.not_ilike("@example.com"), R"([["email", "not ilike", "@example.com"]])"},
      {res_partner::email.like_pattern("%@odoo.com"), R"([["email", "=like", "%@odoo.com"]])"},
      {res_partner::ref.ilike_pattern("P_"), R"([["ref", "=ilike", "P_"]])"},
      {res_partner::parent_id.child_of(10), R"([["parent_id", "child_of", 10]])"},
      {res_partner::id.child_of({10, 11}), R"([["id", "child_of", [10, 11]]])"},
      {res_partner::parent_id.parent_of(36), R"([["parent_id", "parent_of", 36]])"},
      {res_partner::parent_id == 10, R"([["parent_id", "=", 10]])"},
      {res_partner::parent_id == m::unset, R"([["parent_id", "=", false]])"},
      {res_partner::email != m::unset, R"([["email", "!=", false]])"},
      {res_partner::email.is_set(), R"([["email", "!=", false]])"},
      {res_partner::phone.is_unset(), R"([["phone", "=", false]])"},
      {res_partner::category_id.in({1, 2}), R"([["category_id", "in", [1, 2]]])"},
      {res_partner::category_id == 7, R"([["category_id", "=", 7]])"},
      {res_partner::parent_id.ilike("Deco"), R"([["parent_id", "ilike", "Deco"]])"},
      {res_partner::type == res_partner::type_value::invoice, R"([["type", "=", "invoice"]])"},
      {res_partner::type.in({res_partner::type_value::contact, res_partner::type_value::other}),
       R"([["type", "in", ["contact", "other"]]])"},
      {res_partner::tz == "Europe/Brussels", R"([["tz", "=", "Europe/Brussels"]])"},
      {res_partner::create_date >= std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 6h + 1min + 23s,
       R"([["create_date", ">=", "2026-11-22 06:01:23"]])"},
      {res_partner::write_date < std::chrono::sys_days{std::chrono::year{2026} / 1 / 2},
       R"([["write_date", "<", "2026-01-02 00:00:00"]])"},
      {res_partner::parent_id.dot(res_partner::name) == "Deco Addict", R"([["parent_id.name", "=", "Deco Addict"]])"},
      {res_partner::parent_id.dot(res_partner::parent_id).dot(res_partner::is_company) == true,
       R"([["parent_id.parent_id.is_company", "=", true]])"},
      {res_partner::child_ids.any(res_partner::email.ilike("@odoo.com")),
       R"([["child_ids", "any", [["email", "ilike", "@odoo.com"]]]])"},
      {res_partner::child_ids.not_any(res_partner::active == false),
       R"([["child_ids", "not any", [["active", "=", false]]]])"},
      {m::field_named<res_partner>("x_rank") == 3, R"([["x_rank", "=", 3]])"},
      {m::expr<res_partner>::leaf("name", "=?", false), R"([["name", "=?", false]])"},
  };
  for (const auto& c : cases) check(c.e, c.want);

  check(sale_order::validity_date == m::date{std::chrono::year{2026} / 12 / 22}, R"([["validity_date", "=", "2026-12-22"]])");
  check(sale_order::state.not_in({sale_order::state_value::cancel}), R"([["state", "not in", ["cancel"]]])");
  check(sale_order::amount_total > 100.0, R"([["amount_total", ">", 100.0]])");
  check(sale_order::partner_id.dot(res_partner::country_id) == 233, R"([["partner_id.country_id", "=", 233]])");
  check(sale_order::order_line.any(sale_order_line::product_id.dot(product_product::default_code) == "FURN_0001"),
        R"([["order_line", "any", [["product_id.default_code", "=", "FURN_0001"]]]])");
}

TEST_CASE("&& / || and ! give Odoo's normalized prefix form") {
  const auto a = res_partner::is_company == true;
  const auto b = res_partner::name.ilike("deco");
  const auto c = res_partner::email.is_set();
  check(a && b, R"(["&", ["is_company", "=", true], ["name", "ilike", "deco"]])");
  check(a || b, R"(["|", ["is_company", "=", true], ["name", "ilike", "deco"]])");
  check(!a, R"(["!", ["is_company", "=", true]])");
  check(a && b && c, R"(["&", "&", ["is_company", "=", true], ["name", "ilike", "deco"], ["email", "!=", false]])");
  check(a && (b || c), R"(["&", ["is_company", "=", true], "|", ["name", "ilike", "deco"], ["email", "!=", false]])");
  check((a || b) && c, R"(["&", "|", ["is_company", "=", true], ["name", "ilike", "deco"], ["email", "!=", false]])");
  check(!(a && b), R"(["!", "&", ["is_company", "=", true], ["name", "ilike", "deco"]])");
  check(a || !b, R"(["|", ["is_company", "=", true], "!", ["name", "ilike", "deco"]])");

  // The empty domain is "every record": neutral for &&, absorbing for ||.
  const m::expr<res_partner> all;
  check(all, "[]");
  check(all && a, R"([["is_company", "=", true]])");
  check(a && all, R"([["is_company", "=", true]])");
  check(all || a, "[]");
  check(!all, "[[0, \"=\", 1]]");
  CHECK(all.matches_all());
  CHECK_FALSE(a.matches_all());
}

TEST_CASE("raw domains and the untyped domain") {
  const auto raw = m::domain::raw(json::parse(R"(["|", ["a", "=", 1], ["b", "=", 2]])").value());
  check(raw, R"(["|", ["a", "=", 1], ["b", "=", 2]])");
  check(raw && m::domain::leaf("c", "like", "x"), R"(["&", "|", ["a", "=", 1], ["b", "=", 2], ["c", "like", "x"]])");
  // A typed expression becomes untyped only explicitly.
  const m::domain untyped(res_partner::is_company == true);
  check(untyped, R"([["is_company", "=", true]])");
  static_assert(!std::is_convertible_v<m::expr<res_partner>, m::domain>);
  static_assert(!std::is_convertible_v<m::expr<res_partner>, m::expr<sale_order>>);
  CHECK(m::domain::raw(json::value(42)).matches_all());
}

// A wrong field type is a compile error: these probes are compile-time checks.
static_assert(eq_ok<decltype(res_partner::name), const char*>);
static_assert(!eq_ok<decltype(res_partner::name), int>);
static_assert(!eq_ok<decltype(res_partner::is_company), int>);
static_assert(!eq_ok<decltype(res_partner::is_company), const char*>);
static_assert(!eq_ok<decltype(res_partner::color), const char*>);
static_assert(!eq_ok<decltype(res_partner::color), double>);  // integer fields take integers
static_assert(eq_ok<decltype(res_partner::credit_limit), int>);
static_assert(!eq_ok<decltype(res_partner::type), const char*>);  // selections take their enum
static_assert(!eq_ok<decltype(res_partner::type), sale_order::state_value>);
static_assert(!eq_ok<decltype(res_partner::parent_id), const char*>);  // many2one compares ids
static_assert(!eq_ok<decltype(res_partner::create_date), const char*>);
static_assert(!eq_ok<decltype(sale_order::validity_date), m::datetime>);
static_assert(!eq_ok<decltype(res_partner::image_128), const char*>);  // binary: only is_set/is_unset
static_assert(!eq_ok<decltype(res_partner::is_company), m::unset_t>);
static_assert(!lt_ok<decltype(res_partner::is_company), bool>);
static_assert(!lt_ok<decltype(res_partner::type), res_partner::type_value>);
static_assert(!lt_ok<decltype(res_partner::parent_id), int>);
static_assert(lt_ok<decltype(res_partner::name), const char*>);
static_assert(!like_ok<decltype(res_partner::color)>);
static_assert(!like_ok<decltype(res_partner::is_company)>);
static_assert(like_ok<decltype(res_partner::parent_id)>);
static_assert(!child_of_ok<decltype(res_partner::name)>);
static_assert(dot_ok<decltype(sale_order::partner_id), decltype(res_partner::name)>);
static_assert(!dot_ok<decltype(sale_order::partner_id), decltype(sale_order::name)>);  // wrong related model
static_assert(!dot_ok<decltype(sale_order::name), decltype(res_partner::name)>);       // not relational
static_assert(any_ok<decltype(sale_order::order_line), m::expr<sale_order_line>>);
static_assert(!any_ok<decltype(sale_order::order_line), m::expr<res_partner>>);
static_assert(!and_ok<m::expr<res_partner>, m::expr<sale_order>>);
