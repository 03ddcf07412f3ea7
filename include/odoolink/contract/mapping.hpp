#pragma once
/// @file
/// Mapping canonical payloads onto Odoo and back.
///
/// - `to_odoo_vals`: the `vals` of `create`/`write`.
/// - `to_load_row`: the `fields` and rows of `load`, the idempotent writer:
///   an `id` column with the record's external id, `field/id` columns for
///   references by external id, and one2many lines on following rows, each
///   line with its own external id (`order_line/id`), so a replay updates the
///   same lines instead of adding them again.
/// - `from_odoo_record`: a record from `read`/`search_read`/`web_read` back
///   to the canonical payload.
///
/// Value conversions (payload → Odoo):
///
/// | contract                       | vals                         | load cell                      |
/// |--------------------------------|------------------------------|--------------------------------|
/// | string, enum (via `values`)    | string                       | the text                       |
/// | integer / number / decimal     | int / double / double        | `2`, `9.5`, `12.50` (decimal strings as written) |
/// | boolean                        | bool                         | `true` / `false`               |
/// | date                           | `"YYYY-MM-DD"`               | `YYYY-MM-DD`                   |
/// | datetime (any offset)          | `"YYYY-MM-DD HH:MM:SS"` UTC  | the same; the load call then carries `tz: UTC` in its context, since `load` reads date-times in the context's time zone |
/// | null                           | `false`                      | empty cell                     |
/// | reference by id                | the id                       | `field/.id` column             |
/// | reference by external_id       | id from the resolver         | `field/id` column              |
/// | reference by name, dotted path | id from the resolver         | `field` column (name search) / `first_hop/.id` with the resolved id |
/// | array of references            | `[[6, 0, ids]]`              | comma-separated in one cell    |
/// | array of objects (one2many)    | `[[0, 0, vals], ...]`        | lines on following rows        |
/// | flattened object               | its fields on the record     | its fields' columns            |
/// | object mapped as a whole       | the JSON object              | its JSON text                  |
///
/// A field absent from the payload is left out (the record keeps its value
/// on update) unless it has a default, which is written. Fields mapped
/// `read` only are never written; fields without mapping are not sent.
///
/// Odoo facts this relies on (recorded on Odoo 18): a many2one given as a
/// string is silently stored as NULL, so references always go as integer
/// ids or through `load`'s `/id` columns; `read` of a deleted id returns `[]`.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/protocol/call.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// What to resolve to a database id. The views are valid during the
/// resolver call only.
struct reference_query {
  std::string_view model;    ///< the related model (the mapping's `relation`)
  reference_by by{};         ///< `external_id`, `name`, or `value` for a dotted path
  std::string_view field;    ///< for dotted paths: the path below the first hop (`code` of `country_id.code`)
  const json::value* value;  ///< the payload value (a string for external ids and names)
};

/// Turns references into database ids for `create`/`write` (which, unlike
/// `load`, cannot resolve external ids or names themselves). A host
/// typically searches `ir.model.data` or the related model and caches.
using reference_resolver = std::function<result<std::int64_t>(const reference_query&)>;

/// Whether the server's `model` has `field`: mappings marked `optional`
/// (`"odoo": {"field": "mobile", "optional": true}`) are left out where it
/// says no, so one contract serves several Odoo series. Typically answered
/// from `client::client::server_fields()`.
using field_presence = std::function<bool(std::string_view model, std::string_view field)>;

/// Options of `to_odoo_vals`.
struct vals_options {
  reference_resolver resolve;  ///< needed for references by external id or name, and dotted paths
  field_presence server_has;   ///< for `optional` mappings; null: every field exists
};

/// The `vals` dict of `create`/`write` for a valid payload.
/// Errors: contract_errc::violation (the payload is invalid; every
/// violation listed), contract_errc::unknown_subject (the contract has no
/// Odoo model), or the resolver's error (an unresolved reference; with no
/// resolver, contract_errc::violation naming the field).
/// @par Thread Safety  Reentrant (the resolver is called from this thread).
[[nodiscard]] result<json::value> to_odoo_vals(const contract& c, const json::value& payload, const vals_options& options = {});

/// The `fields` and rows of one or more `load` calls.
/// @par Thread Safety  A value type.
struct load_rows {
  std::vector<std::string> fields;             ///< column names: `id`, `partner_id/id`, `order_line/product_uom_qty` ...
  std::vector<std::vector<std::string>> rows;  ///< one record and its lines per group of rows
  bool utc_datetimes = false;                  ///< some column holds a date-time (send with context `tz: UTC`)

  /// Appends the rows of `other`. Errors: contract_errc::violation when the
  /// columns differ (an empty cell would clear a field the other record
  /// left alone: load such records in separate calls).
  [[nodiscard]] result<void> append(const load_rows& other);
  /// `fields` as a JSON array.
  [[nodiscard]] json::value fields_json() const;
  /// `rows` as a JSON array of arrays of strings.
  [[nodiscard]] json::value rows_json() const;
};

/// Options of `to_load_row`.
struct load_options {
  reference_resolver resolve;  ///< needed for dotted paths only
  field_presence server_has;   ///< for `optional` mappings; null: every field exists
};

/// The `load` columns and rows for one valid payload with its external id
/// (`module.name`; empty to take it from the field mapped to `"id"`). Lines
/// of one2many fields get their external id from their own `"id"` field,
/// else `<external_id>_<field>_<n>` (n from 1; stable for a replayed payload).
/// Columns are the fields present in the payload (and defaults), in
/// contract order; lines use the union of their fields.
/// Errors: contract_errc::violation (invalid payload, no external id, a
/// name holding a comma in a many2many cell, one2many nested in one2many),
/// contract_errc::unknown_subject (no Odoo model), the resolver's error.
/// @par Thread Safety  Reentrant.
[[nodiscard]] result<load_rows> to_load_row(const contract& c, const json::value& payload, std::string_view external_id,
                                            const load_options& options = {});

/// The `model.load(fields, rows)` call for `rows`, with context `tz: UTC`
/// when they hold date-times. Errors: contract_errc::unknown_subject when the
/// contract has no Odoo model.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<protocol::call> to_load_call(const contract& c, const load_rows& rows);

/// Options of `from_odoo_record`.
struct from_odoo_options {
  /// Gives the external id of a related record (for references mapped by
  /// external id; `read` only returns `[id, name]`).
  std::function<result<std::string>(std::string_view model, std::int64_t id)> external_id_of;
  /// The record's own external id, for the field mapped to `"id"` (empty: left out).
  std::string external_id;
  /// Validate the payload read (the default). Off for comparing what Odoo
  /// holds with what was sent, where a value that no longer fits the
  /// contract is a finding, not an error.
  bool validate = true;
};

/// The canonical payload of an Odoo record (`read`/`search_read`, or
/// `web_read` whose nested specification gives related records as objects
/// and one2many lines as lists of records). `false` reads as absent (or
/// `null` for nullable fields) except for booleans; many2one as `[id, name]`
/// or `{"id": ...}`; date-times as RFC 3339 UTC (`...Z`); dotted paths from
/// nested objects or a flat `"a.b"` key. The payload is then validated
/// (unless `options.validate` is false).
/// Errors: contract_errc::violation (the record does not fit: unknown
/// selection value, a one2many given as bare ids, invalid result ...),
/// the `external_id_of` error.
/// @par Thread Safety  Reentrant.
[[nodiscard]] result<json::value> from_odoo_record(const contract& c, const json::value& record,
                                                   const from_odoo_options& options = {});

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
