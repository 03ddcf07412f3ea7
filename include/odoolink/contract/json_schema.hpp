#pragma once
/// @file
/// Export of a contract as a JSON Schema (draft 2020-12), so tools that do
/// not know odoolink can validate the same payloads.
///
/// Mapping: string → `type: string` with `minLength`/`maxLength`/`pattern`;
/// formats `email`, `uuid`, `uri` → the standard `format`; `country` and
/// `currency` → `enum` of the ISO codes; integer/number → `minimum`/`maximum`;
/// decimal → a number, or a string with a decimal `pattern` that also
/// limits the scale (precision, and the scale of numbers, are kept as
/// annotations only); date → `format: date`; datetime →
/// `format: date-time`; enum → `enum`; array → `items`, `minItems`,
/// `maxItems`; object → `properties`, `required`, `additionalProperties`;
/// reference → a string with an external-id pattern (or a positive integer
/// for `by: id`); nullable → a `null` alternative. Descriptions, defaults
/// and `deprecated` carry over. What JSON Schema cannot say goes in
/// annotations, ignored by validators: `x-odoolink-pii`,
/// `x-odoolink-odoo` (the mapping), `x-odoolink-reference`, `x-odoolink-precision`,
/// `x-odoolink-scale`, and on the root `x-odoolink-fingerprint`.
///
/// JSON Schema's `format` is an annotation unless a validator enables format
/// assertions, and it has no rule against duplicate keys; a payload it
/// accepts may still be refused by `validate`, never the reverse for the
/// structural rules.

#include <string>

#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// Settings of the export.
struct json_schema_options {
  /// Prefix of `$id`; the schema's id is `<id_prefix><subject>/<version>`.
  std::string id_prefix = "urn:odoolink:contract:";
};

/// The JSON Schema (2020-12) of a contract version.
/// @par Thread Safety  Reentrant.
[[nodiscard]] json::value to_json_schema(const contract& c, const json_schema_options& options = {});

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
