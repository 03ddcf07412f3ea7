#pragma once
/// @file
/// What the server's models hold: each client learns a model's fields with
/// one `fields_get` the first time a typed call needs them, and keeps them.
///
/// Odoo series differ in their fields (`res.partner.mobile` is gone in 19,
/// `product.template.is_storable` is new in 18), and modules add more. Typed
/// proxies ask this cache before they send a `read`/`search_read`: a field
/// the server lacks is refused before the call (or left out, when the typed
/// record marks it optional), so one program talks to servers of several
/// series.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/protocol/call.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

class client;

/// The fields one model has on one server.
/// @par Thread Safety  Immutable once built; may be read from any thread.
struct model_fields {
  std::string model;  ///< the model's name, e.g. `res.partner`
  /// `(name, Odoo type)` pairs sorted by name.
  std::vector<std::pair<std::string, std::string>> fields;

  /// True when the server has the field `name`.
  [[nodiscard]] bool has(std::string_view name) const noexcept { return type_of(name) != nullptr; }
  /// The Odoo type of `name` (`char`, `many2one`, ...), or nullptr when the server lacks it.
  [[nodiscard]] const std::string* type_of(std::string_view name) const noexcept;
};

/// How typed calls treat the fields a typed record names.
enum class field_check {
  /// Learn each model's fields from the server (one `fields_get` per model
  /// and client) and check every typed record against them (the default).
  server,
  /// Send what the typed record names without asking the server (for
  /// transports that answer only recorded calls, or when every field is
  /// known to exist).
  trust,
};

/// A client's cache of the servers' model fields. Owned by the client (copies
/// of a client share it); obtained with `client::server_fields()`.
/// @par Thread Safety  Like the client: one thread at a time.
class fields_cache {
 public:
  /// The fields of `model` on the server of `connection`: from the cache, or
  /// asked once with `fields_get(attributes=["type"])` and then kept.
  /// Errors: those of `client::execute_kw` (odoo_errc::unknown_model for a
  /// model the server lacks); protocol_errc::unexpected_type when the answer
  /// is not an object of fields.
  [[nodiscard]] result<std::shared_ptr<const model_fields>> get(client& connection, std::string_view model);

  /// The cached fields of `model`, or null when not learnt yet.
  [[nodiscard]] std::shared_ptr<const model_fields> find(std::string_view model) const;

  /// Stores the fields of a model (as if learnt from the server), e.g. to
  /// start from a saved `fields_get` without a round trip.
  void put(model_fields fields);

  /// Forgets `model` (after a module was installed, say): the next typed call
  /// asks the server again.
  void refresh(std::string_view model);
  /// Forgets every model.
  void refresh_all() noexcept;

  /// The policy of typed calls (default `field_check::server`).
  [[nodiscard]] field_check mode() const noexcept { return mode_; }
  /// Sets the policy of typed calls.
  void set_mode(field_check mode) noexcept { mode_ = mode; }

 private:
  std::map<std::string, std::shared_ptr<const model_fields>, std::less<>> models_;
  field_check mode_ = field_check::server;
};

/// A predicate "does the server of `connection` have `model.field`?" for
/// contract mappings marked `optional` (`contract::field_presence`), learnt
/// through the client's cache (one `fields_get` per model; a copy of the
/// client shares it). A model not in the cache yet is asked with
/// `execute_kw`, blocking (a host-driven caller `submit`s `fields_get_call`
/// itself and stores the answer with `fields_cache::put`). True in
/// `field_check::trust` mode, and when the fields cannot be learnt: the
/// field is then sent, and the server's answer names the problem.
/// @par Thread Safety  Like the client: call it from the client's thread.
[[nodiscard]] std::function<bool(std::string_view model, std::string_view field)> field_presence_of(client connection);

/// The `fields_get` call the cache makes for `model` (field types only);
/// `parse_model_fields` reads its answer.
/// @par Thread Safety  Pure function.
[[nodiscard]] protocol::call fields_get_call(std::string_view model);

/// The fields named in a `fields_get` answer (a JSON object of field
/// attribute objects), sorted by name. Errors: protocol_errc::malformed_response
/// (not JSON), protocol_errc::unexpected_type (not an object).
/// @par Thread Safety  Pure function.
[[nodiscard]] result<model_fields> parse_model_fields(std::string_view model, std::string_view fields_get_json);

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
