#pragma once
/// @file
/// Compatibility between contract versions: "is B compatible with A under
/// mode M", answered with every breaking change.
///
/// The rules follow from what validation accepts. *Backward* means every
/// payload valid under the old version A is valid under the new version B
/// (consumers upgrade first); *forward* means every payload valid under B is
/// valid under A (producers upgrade first). For each field:
///
/// | change A → B                                   | breaks backward | breaks forward |
/// |------------------------------------------------|:---:|:---:|
/// | field removed                                  | yes, when B rejects unknown fields | when A requires it without default |
/// | optional field (or one with a default) added   | no  | yes, when A rejects unknown fields |
/// | required field without default added           | yes | yes, when A rejects unknown fields |
/// | optional made required (no default)            | yes | no  |
/// | required made optional                         | no  | yes |
/// | type widened (integer → number/decimal, enum/date/datetime → string) | no | yes |
/// | type narrowed (the reverse)                    | yes | no  |
/// | type changed otherwise (also reference target, `by`) | yes | yes |
/// | `nullable` removed / added                     | yes / no | no / yes |
/// | enum value removed / added                     | yes / no | no / yes |
/// | constraint tightened / loosened (bounds, lengths, items, scale, precision, pattern, format) | yes / no | no / yes |
/// | unknown fields: ignore → reject / reject → ignore | yes / no | no / yes |
///
/// Changes of meaning break every mode but `NONE`, whichever side reads:
/// an Odoo mapping changed (field, `by`, relation, direction, value map,
/// model), a default changed (absent values now mean something else), and a
/// `pii` flag removed (values would reach logs unredacted).
///
/// Transitive modes check against every earlier version; the others only
/// against the latest. A pattern that changes in any way counts as
/// tightened and loosened (regular-expression inclusion is not decided).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/contract/types.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// The kinds of breaking changes.
enum class change_kind {
  subject_changed = 1,      ///< the two documents have different subjects
  field_removed,            ///< a field of A is gone from B
  field_added,              ///< B has a field A does not know (A rejects unknown fields)
  required_field_added,     ///< B requires a new field without default
  made_required,            ///< a field A lets payloads omit, B requires (no default)
  made_optional,            ///< a field A requires (no default), B lets payloads omit
  type_changed,             ///< incompatible types (or reference target, or how a reference is given)
  type_narrowed,            ///< B accepts fewer values of the type (e.g. number → integer)
  type_widened,             ///< B accepts more values of the type (e.g. integer → number)
  nullable_removed,         ///< A accepted null, B does not
  nullable_added,           ///< B accepts null, A does not
  enum_value_removed,       ///< a value of A's enum is not in B's
  enum_value_added,         ///< B's enum has a value A's has not
  constraint_tightened,     ///< B's constraint refuses values A's accepted
  constraint_loosened,      ///< B's constraint accepts values A's refused
  unknown_fields_rejected,  ///< A ignored unknown keys, B rejects them
  unknown_fields_ignored,   ///< A rejected unknown keys, B ignores them
  default_changed,          ///< the default differs (added, removed or changed)
  mapping_changed,          ///< the Odoo mapping of a field (or the model) differs
  pii_unflagged,            ///< a field A marked `pii` is not marked in B
};

/// `"field_removed"` ...
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view to_string(change_kind k) noexcept;

/// One breaking change.
/// @par Thread Safety  A value type.
struct breaking_change {
  change_kind kind{};
  std::string path;     ///< the field, e.g. `lines[].quantity`; empty for the whole contract
  std::string message;  ///< for people: what changed and who breaks
  std::string against;  ///< the version B was compared with
  friend bool operator==(const breaking_change&, const breaking_change&) = default;
};

/// Is `newer` compatible with `older` under `mode`? Returns every breaking
/// change (empty: compatible); `NONE` always answers compatible. A
/// transitive mode compares the pair like its non-transitive form.
/// @par Thread Safety  Reentrant.
[[nodiscard]] std::vector<breaking_change> check_compatibility(const contract& older, const contract& newer,
                                                               compatibility_mode mode);

/// Is `candidate` compatible with the `history` of its subject (oldest
/// first) under `mode`? Non-transitive modes compare with the last version
/// only, transitive ones with each. An empty history is compatible.
/// @par Thread Safety  Reentrant.
[[nodiscard]] std::vector<breaking_change> check_compatibility(std::span<const contract> history, const contract& candidate,
                                                               compatibility_mode mode);

/// One line per change: `kind path: message (against version)`.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string describe(std::span<const breaking_change> changes);

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
