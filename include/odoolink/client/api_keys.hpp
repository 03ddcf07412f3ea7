#pragma once
/// @file
/// API keys of the connected user, made and revoked through the public API
/// as Odoo's preferences dialog does it (Odoo 16 and later): the
/// `res.users.apikeys.description` wizard's `make_key` and
/// `res.users.apikeys.remove`, both behind Odoo's identity check, which
/// wants the user's password again (`res.users.identitycheck.run_check`).
/// `res.users.apikeys._generate` itself is private: no external caller can
/// reach it. A new key is added to the client's secret scrubber before it
/// is returned, so no error of the client quotes it.

#include <cstdint>
#include <string>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

/// What a new key is made with.
struct api_key_options {
  std::string name;        ///< description shown in the user's preferences (required)
  /// Expiry as a UTC datetime `YYYY-MM-DD HH:MM:SS`; empty: the server's
  /// default duration (one day on Odoo 19; users who are not administrators
  /// cannot exceed what their groups allow). Needs Odoo 18 or later: 17's
  /// keys never expire, and asking for an expiry there is refused.
  std::string expiration;
  /// The user's password, which Odoo's identity check asks for again
  /// (required, also when the client itself uses an API key).
  std::string password;
};

/// One key of the user, as the server lists it (never the key itself).
struct api_key_info {
  std::int64_t id = 0;
  std::string name;
  std::string scope;       ///< empty: every scope
  std::string expiration;  ///< UTC datetime; empty: never expires (always, before Odoo 18)
  std::string created;     ///< UTC datetime
};

/// Makes a new API key for the connected user and returns it. The key is
/// shown once by Odoo: store it where secrets go; it is already registered
/// with `c`'s scrubber (see `client::add_secret`).
/// Errors: protocol_errc::unsupported_call (no name, no password for the
/// identity check, or an expiry on Odoo 17); odoo_errc::user_error (the identity check refused the
/// password, or an expiry beyond what the server allows);
/// odoo_errc::access_error; as `client::execute_kw`.
/// @par Thread Safety  As the client: one thread at a time per connection.
[[nodiscard]] result<std::string> generate_api_key(client& c, const api_key_options& what);

/// Revokes the connected user's key `id` (see `list_api_keys`); a key that
/// is already gone counts as revoked. `password`: the user's, for the
/// identity check (required).
/// Errors: as `generate_api_key`.
[[nodiscard]] result<void> revoke_api_key(client& c, std::int64_t id, const std::string& password);

/// The connected user's keys, oldest first.
/// Errors: as `client::execute_kw`.
[[nodiscard]] result<std::vector<api_key_info>> list_api_keys(client& c);

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
