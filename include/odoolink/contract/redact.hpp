#pragma once
/// @file
/// Redaction: a copy of a payload safe for logs and audit, with the values
/// of `pii` fields masked, or replaced by a keyed hash so that redacted
/// values can still be joined (same value and key, same hash).
///
/// Redaction works on any payload, valid or not (a refused payload is what
/// one most wants to log): where the payload does not have the shape the
/// contract describes, a value whose field holds PII anywhere below it is
/// masked whole. Keys the contract does not declare are masked by default,
/// since nothing says they are not personal data.

#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// What to do with values of keys the contract does not declare.
enum class undeclared_values {
  mask,  ///< replace by the mask (or hash) like PII (the default)
  keep,  ///< keep as they are
  drop,  ///< leave the key out
};

/// Settings of `redact`.
struct redact_options {
  /// Replaces each PII value when `hmac_key` is empty.
  std::string mask = "***";
  /// When not empty, each PII value becomes `"hmac-sha256:<64 hex>"`, the
  /// HMAC-SHA-256 under this key of the value's text (a string's UTF-8
  /// bytes, else its JSON text). Keep the key secret: short values (phone
  /// numbers, dates) can be found by trying them all if it leaks.
  std::string hmac_key;
  /// Keys the contract does not declare.
  undeclared_values undeclared = undeclared_values::mask;
};

/// A redacted copy of `payload`. `null` values stay `null` (nothing to hide).
/// @par Thread Safety  Reentrant.
[[nodiscard]] json::value redact(const contract& c, const json::value& payload, const redact_options& options = {});

/// Redacts JSON text and returns JSON text.
/// Errors: protocol_errc::* from parsing when the text is not JSON (then
/// nothing of it should be logged).
/// @par Thread Safety  Reentrant.
[[nodiscard]] result<std::string> redact_json(const contract& c, std::string_view payload_text,
                                              const redact_options& options = {});

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
