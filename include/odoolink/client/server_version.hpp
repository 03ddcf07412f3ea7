#pragma once
/// @file
/// Lenient parsing of the version strings Odoo servers report.

#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

/// A server's version as far as protocol choice needs it.
struct server_version {
  int major = 0;      ///< 18 for "18.0+e-20241005", 17 for "saas~17.4"
  int minor = 0;      ///< 0 for "18.0", 4 for "saas~17.4"
  std::string text;   ///< as the server reported it

  /// JSON-2 (`/json/2`) exists from Odoo 19 on.
  [[nodiscard]] bool has_json2() const noexcept { return major >= 19; }
  /// `web_read` and the domain operators `any` / `not any` exist from Odoo 17 on.
  [[nodiscard]] bool has_web_read() const noexcept { return major >= 17; }
  /// API keys with an expiry (`expiration_date`) exist from Odoo 18 on.
  [[nodiscard]] bool has_key_expiry() const noexcept { return major >= 18; }
  /// False until the version was probed (a client that never connected).
  [[nodiscard]] bool known() const noexcept { return major != 0; }
};

/// Parses a version string leniently: "18.0", "18.0+e-20241005",
/// "18.0-20241005", "19.0", "saas~17.4", "17.0+e", "18". The first
/// `major[.minor]` number pair found wins.
/// Errors: protocol_errc::unexpected_type when no version number is found.
[[nodiscard]] result<server_version> parse_server_version(std::string_view text);

/// Reads a version answer of any of the probe routes: `{"version_info": [19, 0, ...], "version": "19.0"}`
/// (`/web/version`), `{"server_version": ..., "server_version_info": [...]}`
/// (`/web/webclient/version_info`, `common.version`). `version_info` numbers win over the text.
[[nodiscard]] result<server_version> server_version_from(const json::value& answer);

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
