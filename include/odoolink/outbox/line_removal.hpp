#pragma once
/// @file
/// Removing one2many lines that Odoo holds but the host never sent — the one
/// disagreement re-sending a payload cannot fix, since `load` adds and
/// updates lines but never removes one.
///
/// Such a removal is an event of subject `odoolink.line_removal` (contract
/// `line_removal_contract()`, which the host adds to its registry), enqueued
/// by `enqueue_corrections` with `correction_options::remove_added_lines`
/// and delivered by a `line_removal_sink` wrapped around the host's sink:
/// it unlinks the named lines that still belong to the record, and counts
/// lines already gone as done, so a replay is harmless.

#include <memory>
#include <span>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/outbox/sink.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// The subject of line removals.
inline constexpr std::string_view line_removal_subject = "odoolink.line_removal";

/// The contract of `odoolink.line_removal` events: `model`, `record_id`
/// and `external_id` of the record, its one2many `field`, the lines'
/// `line_model` and the `remove` line ids.
/// @par Thread Safety  Pure function.
[[nodiscard]] contract::contract line_removal_contract();

/// Delivers `odoolink.line_removal` events itself and every other event
/// through `next`. Per-aggregate order holds: a removal is not attempted
/// while an earlier event of its aggregate in the same call was not delivered.
/// @par Thread Safety  Used from the relay's thread.
class line_removal_sink final : public sink {
 public:
  /// `next` must outlive this sink.
  line_removal_sink(client::client odoo, sink& next);
  /// Around an `async_sink` (such as `odoo_sink`): its deliveries are waited
  /// for (`deliver_and_wait`), so corrections go one claim at a time.
  line_removal_sink(client::client odoo, async_sink& next);
  ~line_removal_sink() override;

  /// Errors of removals: the client's (a missing record or line is success).
  [[nodiscard]] std::vector<delivery> deliver(std::span<const event> events) override;
  /// `next`'s scrubber.
  [[nodiscard]] const secret_scrubber* scrubber() const noexcept override;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
