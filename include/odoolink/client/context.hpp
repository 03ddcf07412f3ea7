#pragma once
/// @file
/// `client::context`: the Odoo context keys integrators set most (`lang`,
/// `tz`, `allowed_company_ids`), typed, for `client_options::context` (every
/// call of a client) and `call_options::context` (one call; its keys win key
/// by key). Typed proxies take `call_options` on every call, so the same
/// values reach them too:
///
///     auto c = client::client::connect({..., .context = client::context().lang("fr_BE").tz("Europe/Brussels")});
///     orders.create(vals, {.context = client::context().companies({2})});  // lands in company 2

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

/// Builds a context object key by key; converts to the `json::value` the
/// options hold. Setting a key again replaces it.
/// @par Thread Safety  A value type; distinct objects are independent.
class context {
 public:
  /// An empty context.
  context() = default;
  /// Starts from `base` (an object; null or anything else: empty), so typed
  /// keys can be added to a context built elsewhere.
  explicit context(json::value base);

  /// `lang`: the language of translated values and messages, an Odoo code
  /// such as `fr_BE` (it must be installed on the server, else Odoo falls
  /// back to English).
  context& lang(std::string_view code);
  /// `tz`: the user's time zone (`Europe/Brussels`), used by the server for
  /// date defaults and reports; stored datetimes stay UTC.
  context& tz(std::string_view zone);
  /// `allowed_company_ids`: the companies the call acts in. The first is the
  /// current company: records created without a `company_id` get it, and
  /// multi-company record rules see all of them. A company the user may not
  /// access makes Odoo refuse the call (odoo_errc::access_error). Empty: the
  /// key is removed (the user's default companies apply).
  context& companies(std::span<const std::int64_t> ids);
  /// As above, from a list: `companies({2, 1})`.
  context& companies(std::initializer_list<std::int64_t> ids) {
    return companies(std::span<const std::int64_t>(ids.begin(), ids.size()));
  }
  /// `active_test`: false makes searches include archived records.
  context& active_test(bool enabled);
  /// Any other key (`default_<field>`, import keys, ...).
  context& set(std::string_view key, json::value v);

  /// The context object built so far.
  [[nodiscard]] const json::value& value() const& noexcept { return value_; }
  /// The context object, for `client_options::context` / `call_options::context`.
  operator json::value() const& { return value_; }  // NOLINT(google-explicit-constructor): reads as a context value
  /// The context object, moved out.
  operator json::value() && { return std::move(value_); }  // NOLINT(google-explicit-constructor)

 private:
  json::value value_ = json::object{};
};

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
