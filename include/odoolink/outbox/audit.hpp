#pragma once
/// @file
/// The audit log: one row per state change of an event, each row holding the
/// SHA-256 of the previous row's hash and its own content, so changing,
/// removing or reordering a row breaks the chain at that row.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/outbox/event.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// What an audit row records.
enum class audit_action : std::uint8_t {
  enqueued = 1,   ///< detail: the payload with PII redacted
  delivered = 2,  ///< detail: attempt and result (`res.partner` id 7, external id)
  retry = 3,      ///< detail: attempt and error
  dead = 4,       ///< detail: attempt and error
  replayed = 5,   ///< detail: who asked, and the corrected payload (redacted) if any
  discarded = 6,  ///< detail: the reason
};

/// `"enqueued"`, `"delivered"` ...
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view to_string(audit_action a) noexcept;

/// One row of the chain.
struct audit_record {
  std::int64_t sequence = 0;  ///< 1, 2, 3 ... without gaps
  std::string event_id;
  timestamp at{};
  audit_action action = audit_action::enqueued;
  std::string detail;
  std::string prev_hash;      ///< lower-case hex; the first row's is `genesis_hash()`
  std::string hash;           ///< `audit_hash(*this)`
};

/// The `prev_hash` of the first row: 64 zeros.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view genesis_hash() noexcept;

/// SHA-256 (lower-case hex) over `prev_hash` and the row's content
/// (sequence, event id, time, action, detail; each length-prefixed so
/// fields cannot bleed into each other). `hash` itself is not read.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string audit_hash(const audit_record& row);

/// Fills `row.sequence`, `prev_hash` and `hash` to follow `previous` (or to
/// start the chain when `previous` is null). Stores call it in the
/// transaction that appends the row.
/// @par Thread Safety  Pure function on its arguments.
void chain_audit(audit_record& row, const audit_record* previous);
/// The same, from the previous row's sequence and hash.
void chain_audit(audit_record& row, std::int64_t previous_sequence, std::string_view previous_hash);

/// Checks `rows`, a contiguous run of the chain in order (starting at
/// sequence 1, or after a row whose hash is `expected_prev_hash`).
/// Errors: store_errc::corrupt naming the first row that does not match
/// (changed content, a gap, a broken link).
/// @par Thread Safety  Pure function.
[[nodiscard]] result<void> verify_audit_chain(std::span<const audit_record> rows,
                                              std::string_view expected_prev_hash = genesis_hash());

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
