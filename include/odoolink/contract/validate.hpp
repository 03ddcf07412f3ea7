#pragma once
/// @file
/// Payload validation against a contract version: every violation, each
/// with the JSON pointer of the offending value.
///
/// The fast path is `validator`: it keeps its parser between calls,
/// so validating a valid payload allocates nothing once the parser has grown
/// to the payload size (patterns excepted: `std::regex` may allocate).
///
/// What is checked: the JSON itself (syntax, UTF-8, size, nesting depth);
/// for each object, unknown keys (unless the contract ignores them),
/// duplicate keys (always refused: JSON parsers disagree on which one wins),
/// required fields (a field with a default may be omitted); for each value,
/// its type, `null` (only where `nullable`), and the constraints of its
/// field. Integral numbers such as `1.0` count as integers (as in JSON Schema).
/// Patterns are ECMAScript, unanchored, matched on the UTF-8 bytes; on
/// libstdc++ they run on its polynomial-time matcher, and strings longer
/// than `validate_options::max_pattern_input` are refused, as a guard against
/// regular-expression denial of service.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// What is wrong with a value.
enum class violation_kind {
  malformed_json = 1,   ///< not JSON (syntax), or trailing content
  invalid_utf8,         ///< a string or key is not valid UTF-8
  too_large,            ///< the payload exceeds `max_bytes`
  too_deep,             ///< the payload nests deeper than `max_depth`
  type_mismatch,        ///< wrong JSON type for the field
  null_not_allowed,     ///< `null` for a field that is not `nullable`
  missing_required,     ///< a required field without default is absent
  unknown_field,        ///< a key the contract does not declare (when unknown fields are rejected)
  duplicate_key,        ///< the same key twice in one object
  too_short,            ///< below `min_length`
  too_long,             ///< above `max_length`
  pattern_mismatch,     ///< `pattern` does not match (or the string is too long to match)
  format_mismatch,      ///< `format` (email, country ...) not satisfied
  below_minimum,        ///< below `minimum`
  above_maximum,        ///< above `maximum` (also integers beyond int64)
  not_in_enum,          ///< not one of `values`
  too_few_items,        ///< below `min_items`
  too_many_items,       ///< above `max_items`
  precision_exceeded,   ///< a decimal with more digits than `precision`
  scale_exceeded,       ///< a decimal with more fraction digits than `scale`
  invalid_date,         ///< not an RFC 3339 full-date (or no such day)
  invalid_datetime,     ///< not an RFC 3339 date-time
  invalid_reference,    ///< not a valid key for the reference (external id syntax, id > 0)
  too_many_violations,  ///< `max_violations` reached; the payload was not checked further
};

/// The name of a kind: `"missing_required"` ...
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view to_string(violation_kind k) noexcept;

/// One violation.
/// @par Thread Safety  A value type.
struct violation {
  std::string path;      ///< JSON pointer of the value (`/lines/1/quantity`; `""` for the payload itself)
  violation_kind kind{};
  /// For people: `expected an integer, found "2"`. The value of a field
  /// marked PII (or of anything inside one, or standing where an object
  /// holding PII fields is expected) is never quoted: the message names its
  /// kind only (`found a string (PII, not shown)`); the path and rule say the rest.
  std::string message;
  friend bool operator==(const violation&, const violation&) = default;
};

/// Limits applied to untrusted payloads.
struct validate_options {
  std::size_t max_bytes = std::size_t{16} << 20U;  ///< larger payloads: `too_large`
  std::size_t max_depth = 64;                      ///< deeper nesting: `too_deep`
  std::size_t max_violations = 100;                ///< then one `too_many_violations` and stop
  std::size_t max_pattern_input = 4096;            ///< longer strings are not matched against patterns
};

/// A reusable validator: owns a parser (simdjson DOM, kept out of this
/// header) and the violation list.
/// Movable, not copyable.
/// @par Thread Safety  One object per thread; contracts may be shared.
class validator {
 public:
  /// A validator with the given limits.
  explicit validator(validate_options options = {});
  ~validator();
  validator(validator&&) noexcept;
  validator& operator=(validator&&) noexcept;

  /// Validates JSON text (copied into the parser's padded buffer, which is
  /// reused). Returns true when the payload satisfies the contract; else
  /// `violations()` lists why.
  [[nodiscard]] bool validate(const contract& c, std::string_view json_text);
  /// @overload (JSON text; spelled out so a `std::string` is not taken for a `json::value`)
  [[nodiscard]] bool validate(const contract& c, const std::string& json_text) { return validate(c, std::string_view(json_text)); }
  /// @overload (JSON text)
  [[nodiscard]] bool validate(const contract& c, const char* json_text) { return validate(c, std::string_view(json_text)); }
  /// Validates the JSON viewed by a buffer (e.g. a `protocol::reply`, or
  /// text read into a `json::buffer`) without copying it: the buffer's
  /// padding lets the parser read it in place.
  [[nodiscard]] bool validate(const contract& c, const json::buffer& json_text);
  /// Validates an owned JSON value (strings and keys are checked for valid UTF-8).
  [[nodiscard]] bool validate(const contract& c, const json::value& payload);

  /// The violations of the last call, in document order (empty after success).
  [[nodiscard]] const std::vector<violation>& violations() const noexcept { return violations_; }

 private:
  // Parses `size` bytes at `text` (read in place when `readable` covers the
  // padding, else copied) and walks the document.
  bool parse_and_walk(const contract& c, const char* text, std::size_t size, std::size_t readable);
  // The parser lives behind a pointer: its layout depends on simdjson's
  // build macros, which must not leak into odoolink's ABI.
  struct parser_holder;
  validate_options options_;
  std::unique_ptr<parser_holder> parser_;
  std::vector<violation> violations_;
};

/// Validates JSON text with a fresh parser. Returns every violation (empty: valid).
/// @par Thread Safety  Reentrant.
[[nodiscard]] std::vector<violation> validate(const contract& c, std::string_view json_text,
                                              const validate_options& options = {});
/// @overload (JSON text; spelled out so a `std::string` is not taken for a `json::value`)
[[nodiscard]] inline std::vector<violation> validate(const contract& c, const std::string& json_text,
                                                     const validate_options& options = {}) {
  return validate(c, std::string_view(json_text), options);
}
/// @overload (JSON text)
[[nodiscard]] inline std::vector<violation> validate(const contract& c, const char* json_text,
                                                     const validate_options& options = {}) {
  return validate(c, std::string_view(json_text), options);
}
/// Validates an owned JSON value. Returns every violation (empty: valid).
/// @par Thread Safety  Reentrant.
[[nodiscard]] std::vector<violation> validate(const contract& c, const json::value& payload,
                                              const validate_options& options = {});

/// A contract_errc::violation error whose message lists the violations
/// (`subject version: /path: message; ...`), for functions that refuse
/// invalid payloads.
/// @par Thread Safety  Pure function.
[[nodiscard]] error violation_error(const contract& c, std::span<const violation> violations);

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
