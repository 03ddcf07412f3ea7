#pragma once
/// @file
/// Reconciliation: proves that Odoo still holds what the outbox delivered.
///
/// For delivered events (all, one subject, a delivery-time window, or a list
/// of external ids) the records are read back from Odoo in batches by
/// external id and every mapped field is compared with what was sent,
/// through the event's contract: renamed fields, enum values, references as
/// external ids, one2many lines matched by their external ids, decimals,
/// dates and date-times compare as values, not as text. Only the last
/// delivered event of each external id is compared (an earlier one was
/// superseded), and only fields the payload sent (or whose default `load`
/// wrote), mapped both ways; fields Odoo owns (`direction: read`) are not
/// compared.
///
/// Per batch of up to `batch_size` records of one contract version it makes
/// at most three calls, all reads: `ir.model.data.search_read` (external ids
/// to ids), one `web_read` of the records with the fields the batch sent,
/// their lines and references, and — when there are references or lines —
/// one more `ir.model.data.search_read` for their external ids. Odoo 16 has
/// no `web_read`: there the records come from `read`, plus one `fields_get`
/// and one `read` per related model (lines, references). It never
/// writes to Odoo; corrections go through the outbox (`enqueue_corrections`),
/// only when the host asks.
///
/// Values of fields marked `pii` are compared but never copied into a
/// report: such a difference names the field only.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/config.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/outbox/event.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

class outbox;

/// What reconciliation found for one record.
enum class record_status : std::uint8_t {
  agrees,        ///< every compared field holds what was sent
  changed,       ///< Odoo holds other values (see `record_report::differences`)
  deleted,       ///< the external id or the record is gone from Odoo
  archived,      ///< the record exists but is archived (`active` false) though the host sent it active
  not_produced,  ///< a record of a reconciled module and model that no event of the outbox produced
};

/// `"agrees"`, `"changed"`, `"deleted"`, `"archived"`, `"not_produced"`.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view to_string(record_status s) noexcept;

/// One field whose value in Odoo differs from the value sent.
struct field_difference {
  /// JSON pointer into the payload: `/email`, `/address/city`; one2many lines
  /// are keyed by their external id: `/lines/pos.o1_l2/quantity`, or
  /// `/lines/pos.o1_l3` for a whole line missing on one side. A line Odoo
  /// holds without an external id is named `model(id,)` (`sale.order.line(57,)`).
  std::string path;
  /// The Odoo field (dotted below lines: `order_line.product_uom_qty`).
  std::string odoo_field;
  /// The field is marked `pii`: `sent` and `in_odoo` are left null.
  bool pii = false;
  /// The value sent, in the contract's terms (null: absent or empty).
  json::value sent;
  /// The value Odoo holds, in the contract's terms (null: absent or empty).
  json::value in_odoo;
};

/// The finding for one record.
struct record_report {
  std::string subject;             ///< the contract subject
  std::string external_id;         ///< the record's external id (`module.name`)
  std::string model;               ///< its Odoo model
  std::int64_t record_id = 0;      ///< 0 when not found in Odoo
  std::string event_id;            ///< the delivered event compared (empty for `not_produced`)
  timestamp delivered_at{};        ///< when that event was delivered
  record_status status = record_status::agrees;
  std::vector<field_difference> differences;  ///< for `changed`
  std::string write_date;          ///< Odoo's `write_date` (UTC `YYYY-MM-DD HH:MM:SS`); empty when unknown
  std::int64_t write_uid = 0;      ///< Odoo's `write_uid` (0 when unknown)
  std::string write_user;          ///< that user's display name
  std::string note;                ///< why a record could not be compared field by field (no values quoted)
};

/// Counts of one subject.
struct reconcile_counts {
  /// Records compared, then how many of them had each status.
  std::size_t checked = 0, agrees = 0, changed = 0, deleted = 0, archived = 0, not_produced = 0;
  /// Everything but agreement.
  [[nodiscard]] std::size_t disagreements() const noexcept { return changed + deleted + archived + not_produced; }
};

/// Settings of `reconcile`.
struct reconcile_options {
  std::string subject;                    ///< only this subject; empty: every subject
  std::optional<timestamp> since;         ///< only events delivered at or after this
  std::optional<timestamp> until;         ///< only events delivered before this
  std::vector<std::string> external_ids;  ///< only these records (by the external id delivery produced)
  /// Records per read call (and per `ir.model.data` look-up); at least 1.
  std::size_t batch_size = 200;
  /// Batches per `reconcile` call at most (0: no bound); when work is left
  /// the report carries a `cursor` to pass back.
  std::size_t max_batches = 0;
  /// A report's `cursor`, to resume where that call stopped (same options otherwise).
  std::string cursor;
  /// Modules (`pos`) whose external ids, on the models of the reconciled
  /// subjects, are checked for records no event produced.
  std::vector<std::string> unproduced_modules;
  /// Also list records in agreement (they are always counted).
  bool include_agreeing = false;
  /// As `odoo_sink_options::xid_module`: recognises events whose external id
  /// was derived from their idempotency key.
  std::string xid_module = "odoolink_outbox";
};

/// The result of one `reconcile` call.
struct reconcile_report {
  /// Disagreements (and agreeing records with `include_agreeing`), in the
  /// order the events were delivered.
  std::vector<record_report> records;
  /// Counts by subject.
  std::map<std::string, reconcile_counts> subjects;
  /// Calls made to Odoo: record reads (`web_read`; on Odoo 16 `read` and
  /// `fields_get`) and `ir.model.data` look-ups.
  std::size_t read_calls = 0, lookup_calls = 0;
  /// Non-empty when work is left (`max_batches` reached): pass it back in
  /// `reconcile_options::cursor`.
  std::string cursor;

  /// Sum of the per-subject counts.
  [[nodiscard]] reconcile_counts totals() const noexcept;
  /// True when nothing disagrees.
  [[nodiscard]] bool agrees() const noexcept { return totals().disagreements() == 0; }
};

/// Compares delivered events of `events` with what Odoo holds (see the file
/// comment). Read-only on Odoo and on the store.
/// Errors: the client's errors (transport, access, ...), the store's errors,
/// contract_errc::unknown_subject for an event whose contract is not in
/// `contracts`, transport_errc::invalid_request for a malformed cursor.
/// @par Thread Safety  As the client and the store: one thread at a time.
[[nodiscard]] result<reconcile_report> reconcile(client::client& odoo, store& events, const contract::registry& contracts,
                                                 const reconcile_options& options = {});

/// The report as one JSON document: `{"agrees", "totals", "subjects",
/// "records", "read_calls", "lookup_calls", "cursor"}` (PII values never appear).
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string to_json(const reconcile_report& report);

/// What `enqueue_corrections` enqueued.
struct correction {
  std::string external_id;  ///< the record corrected
  std::string event_id;  ///< the new event
  bool duplicate = false; ///< the same correction was enqueued before
};

/// Settings of `enqueue_corrections`.
struct correction_options {
  /// Also enqueue an `odoolink.line_removal` event (see `line_removal.hpp`)
  /// per record and one2many field for the lines Odoo holds that were never
  /// sent (`load` never removes lines). Needs `line_removal_contract()` in
  /// the outbox's registry and a `line_removal_sink` around the relay's sink.
  bool remove_added_lines = false;
};

/// Sends the host's truth again for `chosen` records (reports of `changed`,
/// `deleted` or `archived` records from `reconcile`): each compared event's
/// payload is enqueued again with idempotency key `<key>#reconcile:<event id>`
/// under the same subject, version, aggregate and correlation, caused by the
/// compared event, so the relay delivers it like any event (a deleted record
/// is created again, an archived one made active when its contract maps
/// `active`, changed fields written back). Nothing is enqueued for other
/// statuses, and nothing is written to Odoo here.
/// Errors: store_errc::not_found when a compared event is gone (purged), the
/// outbox's enqueue errors; nothing is enqueued then.
/// @par Thread Safety  As the outbox.
[[nodiscard]] result<std::vector<correction>> enqueue_corrections(outbox& box, std::span<const record_report> chosen,
                                                                  const correction_options& options = {});

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
