#pragma once
/// @file
/// `odoolink::contract::contract`: one version of a data contract, loaded
/// from its JSON document (or built with `contract_builder`) and validated.
///
/// A contract document:
///
/// ```json
/// {
///   "subject": "customer",              // [a-z][a-z0-9_.-]*, at most 128 bytes
///   "version": "1.2.0",                 // MAJOR.MINOR.PATCH
///   "owner": "crm-team",
///   "system_of_record": "odoo",
///   "description": "A person or company we sell to.",     // optional
///   "compatibility": "BACKWARD",        // optional, default BACKWARD
///   "unknown_fields": "reject",         // optional: reject (default) | ignore
///   "odoo": {"model": "res.partner"},   // optional: the Odoo model payloads map to
///   "fields": {
///     "name":  {"type": "string", "required": true, "max_length": 128, "odoo": {"field": "name"}},
///     "email": {"type": "string", "format": "email", "pii": true, "odoo": {"field": "email"}},
///     "country": {"type": "string", "format": "country",
///                 "odoo": {"field": "country_id.code", "relation": "res.country"}}
///   }
/// }
/// ```
///
/// A field spec has `type` (see `field_type`; `"enum"` for enumerations) and
/// optionally: `required` (default false), `nullable` (`null` allowed; default
/// false), `default` (a value valid for the field; a missing field reads as
/// its default, so a required field with a default may be omitted),
/// `description`, `pii` (redacted from logs and audit), `deprecated`,
/// `default_from` (for a field of one2many lines: when a line omits it, the
/// value of the named field of the record holding the line, e.g. a
/// receipt's location for its moves; not with `default`), and the
/// constraints of its type:
///
/// | type                        | constraints                                                  |
/// |-----------------------------|--------------------------------------------------------------|
/// | string                      | `min_length`, `max_length` (code points), `pattern` (ECMAScript, unanchored search), `format` (`email`, `country`, `currency`, `uuid`, `uri`) |
/// | integer                     | `minimum`, `maximum` (integers, inclusive)                   |
/// | number                      | `minimum`, `maximum` (inclusive)                             |
/// | decimal                     | `minimum`, `maximum`, `precision` (total digits), `scale` (fraction digits) |
/// | enum                        | `values` (non-empty list of distinct strings)                |
/// | array                       | `items` (a field spec), `min_items`, `max_items`             |
/// | object                      | `fields` (as at the top), `unknown_fields`                   |
/// | reference                   | `contract` (the referenced subject)                          |
///
/// and `odoo`, the mapping onto an Odoo field:
///
/// - `field`: the Odoo field name; a dotted path (`country_id.code`) reads
///   the field of a related record and writes through a `reference_resolver`;
///   `"id"` marks the field that carries the record's external id (for
///   sub-records, the `order_line/id` column of `load`).
/// - `by`: for relational fields, how the value designates the record
///   (`external_id`, `id`, `name`; see `reference_by`). References default to
///   `external_id`, other types to `value`.
/// - `relation`: the related Odoo model; required for references, for `by`
///   other than `value`, for dotted paths and for arrays mapped to x2many fields.
/// - `direction`: `both` (default), `read` (only read from Odoo) or `write`.
/// - `values`: for enums, `{contract value: Odoo selection value}` where they differ.
/// - `server_default`: true when Odoo fills the field itself (e.g. `date_order`),
///   so the contract may leave a field Odoo requires optional.
/// - `optional`: true when the Odoo field exists on some servers only
///   (another Odoo series, a module not installed): where the server lacks
///   it (`load_options::server_has`), the field is left out, and drift checks
///   do not report it missing.
/// - `fallback`: the name another Odoo series gives the field (stock.move's
///   `quantity_done` on 16, `quantity` from 17): where the server's model
///   lacks `field` but has this one, it is written, read, compared and
///   drift-checked instead. A field of the record itself only (not `"id"`,
///   not a dotted path). Adding one to a new version is compatible; changing
///   or removing one is a mapping change.
///
/// An `object` field without an `odoo.field` is flattened: its own fields map
/// onto the parent record (an `address` object onto `street`, `city` ...).
///
/// Loading checks everything and reports every problem, each prefixed with
/// its JSON pointer in the document: unknown keys, wrong value types,
/// constraints that do not apply to the type, inconsistent constraints
/// (`min_length` above `max_length`, a default outside the constraints, a
/// pattern that does not compile, duplicate enum values, duplicate keys ...).
/// Limits: nesting of at most 32 object/array levels and at most 512 fields per object.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/contract/types.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// One immutable, validated contract version. Cheap to copy: copies share
/// the compiled form.
/// @par Thread Safety  Immutable; share freely between threads.
class contract {
 public:
  /// The compiled form (opaque; used by the contract layer's functions).
  struct state;

  /// Loads a contract document from JSON text.
  /// Errors: contract_errc::invalid_document, listing every problem with its
  /// JSON pointer (also for text that is not JSON).
  [[nodiscard]] static result<contract> parse(std::string_view json_text);

  /// Loads a contract document from a parsed JSON value.
  /// Errors: contract_errc::invalid_document, as `parse`.
  [[nodiscard]] static result<contract> from_json(const json::value& document);

  /// The subject (contract name), e.g. `customer`.
  [[nodiscard]] std::string_view subject() const noexcept;
  /// The version text, e.g. `1.2.0`.
  [[nodiscard]] std::string_view version() const noexcept;
  /// The version, parsed.
  [[nodiscard]] semantic_version semver() const noexcept;
  /// The owning team or person.
  [[nodiscard]] std::string_view owner() const noexcept;
  /// The system that holds the authoritative copy of this data.
  [[nodiscard]] std::string_view system_of_record() const noexcept;
  /// The description (may be empty).
  [[nodiscard]] std::string_view description() const noexcept;
  /// The compatibility mode this version declares for its subject.
  [[nodiscard]] compatibility_mode compatibility() const noexcept;
  /// The Odoo model payloads map to; empty when the contract has no mapping.
  [[nodiscard]] std::string_view odoo_model() const noexcept;
  /// True when some field (at any depth) is marked `pii`.
  [[nodiscard]] bool has_pii() const noexcept;

  /// SHA-256 of `canonical_json()` in lower-case hex (64 characters): equal
  /// for documents that differ only in key order, whitespace or spelled-out
  /// defaults (`"required": false`).
  [[nodiscard]] std::string_view fingerprint() const noexcept;
  /// The canonical form: the normalized document with object keys sorted,
  /// default values left out and no whitespace.
  [[nodiscard]] std::string_view canonical_json() const noexcept;
  /// The normalized document: fields in their original order, the keys of
  /// each spec in a fixed order, default values left out.
  [[nodiscard]] const json::value& to_json() const noexcept;
  /// `to_json()` as indented text (two spaces), as the registry saves it.
  [[nodiscard]] std::string to_pretty_json() const;

  /// The compiled form, for the contract layer's own functions.
  [[nodiscard]] const state& internals() const noexcept { return *state_; }

  /// Same fingerprint.
  friend bool operator==(const contract& a, const contract& b) noexcept { return a.fingerprint() == b.fingerprint(); }

 private:
  explicit contract(std::shared_ptr<const state> s) noexcept : state_(std::move(s)) {}
  std::shared_ptr<const state> state_;
};

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
