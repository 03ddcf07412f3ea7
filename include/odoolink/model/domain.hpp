#pragma once
/// @file
/// Search domains: `expr<M>`, a condition on the records of model `M`, built
/// with the typed field operators of field.hpp (`res_partner::is_company ==
/// true && res_partner::name.ilike("deco")`) and compiled to Odoo's prefix
/// notation (`["&", ["is_company", "=", true], ["name", "ilike", "deco"]]`).
///
/// `domain` (= `expr<any_model>`) is an untyped domain, for raw domains taken
/// from elsewhere (`domain::raw(json)`) and for proxies of models without a
/// generated type. A typed expression never converts to another model's
/// expression implicitly; `domain(e)` makes the untyped copy explicitly.
///
/// Output form: binary operators always written out (`&`, `|`, `!`), as
/// Odoo's own `normalize_domain` produces them: `a && b && c` is
/// `["&", "&", a, b, c]`. The empty domain matches every record.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "odoolink/config.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/model/types.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// A search domain on model `M` (a tag type; `any_model` for untyped).
/// @par Thread Safety  A value type.
template <class M>
class expr {
 public:
  using model_type = M;

  /// The empty domain: every record.
  expr() = default;

  /// A copy of a domain on another model, for the untyped `domain` only
  /// (`domain(e)`): a typed expression is never silently re-targeted.
  template <class Other>
    requires(std::is_same_v<M, any_model> && !std::is_same_v<Other, any_model>)
  explicit expr(const expr<Other>& other) : items_(other.items()) {}

  /// A domain from its JSON form (an array in prefix notation), taken as is.
  /// A value that is not an array becomes the empty domain.
  [[nodiscard]] static expr raw(json::value domain) {
    expr e;
    if (domain.is_array()) e.items_ = std::move(domain.as_array());
    return e;
  }

  /// A single leaf `[path, op, value]`, unchecked: for operators or values
  /// the typed field operators do not cover.
  [[nodiscard]] static expr leaf(std::string path, std::string op, json::value value) {
    expr e;
    e.items_.emplace_back(json::array{std::move(path), std::move(op), std::move(value)});
    return e;
  }

  /// The domain that matches no record (`[[0, "=", 1]]`, Odoo's FALSE_DOMAIN).
  [[nodiscard]] static expr none() {
    expr e;
    e.items_.emplace_back(json::array{0, "=", 1});
    return e;
  }

  /// True for the empty domain.
  [[nodiscard]] bool matches_all() const noexcept { return items_.empty(); }
  /// The tokens in prefix notation.
  [[nodiscard]] const json::array& items() const noexcept { return items_; }
  /// The JSON form (an array).
  [[nodiscard]] json::value to_json() const { return json::value(items_); }
  /// The JSON text, e.g. `["&", ["a", "=", 1], ["b", "=", 2]]`.
  [[nodiscard]] std::string to_string() const { return json::to_string(to_json()); }

  /// Both conditions. An empty side drops out.
  friend expr operator&&(expr a, expr b) { return combine("&", std::move(a), std::move(b)); }
  /// Either condition. An empty side matches everything, and so does the result.
  friend expr operator||(expr a, expr b) {
    if (a.matches_all() || b.matches_all()) return expr{};
    return combine("|", std::move(a), std::move(b));
  }
  /// The negation. `!expr{}` matches nothing.
  friend expr operator!(expr a) {
    if (a.matches_all()) return none();
    expr e;
    e.items_.reserve(a.items_.size() + 1);
    e.items_.emplace_back("!");
    for (auto& item : a.items_) e.items_.push_back(std::move(item));
    return e;
  }
  /// Structural equality of the prefix forms.
  friend bool operator==(const expr& a, const expr& b) { return json::value(a.items_) == json::value(b.items_); }

 private:
  static expr combine(const char* op, expr a, expr b) {
    if (a.matches_all()) return b;
    if (b.matches_all()) return a;
    expr e;
    e.items_.reserve(a.items_.size() + b.items_.size() + 1);
    e.items_.emplace_back(op);
    for (auto& item : a.items_) e.items_.push_back(std::move(item));
    for (auto& item : b.items_) e.items_.push_back(std::move(item));
    return e;
  }

  json::array items_;
};

/// An untyped domain.
using domain = expr<any_model>;

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
