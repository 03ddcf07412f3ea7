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
/// it reads which of the named lines still belong to the record and unlinks
/// those, so lines already gone (or the record itself) count as done and a
/// replay is harmless.
///
/// The sink is an `async_sink`, driven by the relay's `pump` like
/// `odoo_sink`: every other event goes on to the wrapped sink at once, and a
/// removal's read and unlink go through the client's host-driven `submit`,
/// their outcomes settled inside `poll` on the host's thread. Nothing waits
/// on the network.
///
/// ```cpp
/// outbox::odoo_sink upserts(odoo, registry);
/// outbox::line_removal_sink corrections(odoo, upserts);
/// outbox::relay relay(store, corrections, {.owner = "till-7"});
/// ```

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "odoolink/backoff.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/outbox/sink.hpp"
#include "odoolink/wakeup.hpp"

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

/// Settings of `line_removal_sink`.
struct line_removal_options {
  /// Removals on the wire at once (each is a read, then an unlink); 0 counts as 1.
  std::size_t max_in_flight = 4;
  /// The pause after a failed connection (no server, a version probe or a
  /// login refused), growing with every failure in a row.
  backoff_policy reconnect{.initial = std::chrono::milliseconds(500), .max = std::chrono::seconds(30)};
};

/// Delivers `odoolink.line_removal` events itself and passes every other
/// event to `next`, without waiting on the network (see the file comment).
///
/// Order: an aggregate's events keep their order across both paths. A
/// removal is not sent while an earlier started event of its aggregate is
/// unfinished; an event after a removal goes to `next` once the removal is
/// delivered. When the earlier event failed with a retryable error or was
/// not attempted, the later ones are `not_attempted` (released, no attempt
/// counted); after a permanent failure (dead-lettered) they go on.
///
/// Outcomes of removals: success when the lines are unlinked or already
/// gone, or the record is gone. Retryable: transport failures, 429/503 and
/// Odoo's concurrency errors, and a reply that cannot be read (cut short,
/// corrupted, a proxy's page), which is transport_errc::outcome_unknown
/// since both calls are safe to repeat. When the connection cannot be
/// opened (no server, a version probe or a login refused) the removals come
/// back `not_attempted` and the sink pauses for `line_removal_options::reconnect`
/// (`wants_more` false). Permanent (dead-lettered): Odoo's own errors (an
/// access error, an unknown model or field) and a payload that is not a
/// line removal. Error texts pass through the client's scrubber.
///
/// @par Thread Safety  Used from the relay's thread (as its client and `next`).
class line_removal_sink final : public async_sink {
 public:
  /// Around an `async_sink` such as `odoo_sink` (usually on the same
  /// client). `next` must outlive this sink. `odoo` may be unconnected
  /// (`client::create`): the first removal connects.
  line_removal_sink(client::client odoo, async_sink& next, line_removal_options options = {});
  /// Around a blocking `sink` (wrapped in a `blocking_sink_adapter`): the
  /// removals stay host-driven, while `poll` blocks as long as `next`'s
  /// `deliver` does for the other events. `next` must outlive this sink.
  line_removal_sink(client::client odoo, sink& next, line_removal_options options = {});
  /// Calls still on the wire complete into nothing (their events come back
  /// to the store when the relay's lease runs out).
  ~line_removal_sink() override;
  line_removal_sink(const line_removal_sink&) = delete;
  line_removal_sink& operator=(const line_removal_sink&) = delete;

  /// Takes `events` (copied): passes those that are free to go to `next`
  /// and sends the removals that are, without waiting.
  void start(std::span<const event> events) override;

  /// Runs the client's `poll` while removals are on the wire (waiting at
  /// most `timeout`, and only when nothing is finished yet), then `next`'s
  /// `poll` (waiting only when this sink has nothing on the wire: with
  /// `next` on another transport, its answers wait for the next call), sends
  /// what became free and returns every outcome finished since the last
  /// call, removals' and `next`'s. Errors: the client's or `next`'s
  /// transport broke (outcomes not returned stay for the next call).
  [[nodiscard]] result<std::vector<finished_delivery>> poll(std::chrono::milliseconds timeout) override;

  /// Started events not returned by `poll` yet.
  [[nodiscard]] std::size_t in_flight() const noexcept override;

  /// True when every started event is finished, no reconnect pause runs
  /// and `next` wants more (claims follow each other, as for `odoo_sink`).
  [[nodiscard]] bool wants_more() const noexcept override;

  /// Now while outcomes wait to be returned; else the earliest of `next`'s
  /// wake-up, the client's transport timers while removals are on the wire,
  /// and the end of a reconnect pause; idle when nothing is started.
  [[nodiscard]] wakeup next_wakeup() const override;

  /// Blocking: delivers `events` (`deliver_and_wait`) and returns one
  /// outcome per event, at the same index.
  [[nodiscard]] std::vector<delivery> deliver(std::span<const event> events);

  /// `next`'s scrubber, or the client's when `next` has none.
  [[nodiscard]] const secret_scrubber* scrubber() const noexcept override;

 private:
  struct state;
  std::shared_ptr<state> s_;  // completions hold it weakly
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
