#pragma once
/// @file
/// Delivers events to Odoo with idempotent operations only, so a replay, a
/// crash or a lost response never creates a second record:
///
/// - **upsert** (the default for every subject): `model.load` through the
///   contract's mapping, keyed by an external id — the payload's own (the
///   field mapped to `id`) or one derived from the idempotency key
///   (`<module>.<subject>_<key>`). one2many lines get external ids of their
///   own: recorded on Odoo 18, replaying a `load` whose lines have none adds
///   the lines again, while lines with ids stay as they were.
/// - **action** routes: a method called on the record only while its state
///   is not already one of `done_states` (confirming an already confirmed
///   order is success, not an error).
/// - **unlink** routes: deleting a record that is already gone counts as done.
///
/// Batching: started events of one contract version (with the same columns)
/// share a `load` call, whatever their aggregate, bounded by `max_batch`
/// records and `max_batch_bytes`. Order still holds: an event goes into the
/// same call as its aggregate's previous event (after it: rows apply in
/// order) or is sent once that one is settled (`aggregate_order` says which
/// previous event counts: any, or the same subject's), and an event referencing an
/// external id that another unfinished event creates is sent once that one
/// is delivered (customers and products before the orders that use them).
/// An event whose predecessor is to be retried, or whose referenced record
/// was not delivered, is not attempted (released, no attempt counted). Odoo
/// rolls back a whole `load` when one row is bad and answers `ids: false`
/// with messages (no exception), so a refused batch is split in halves,
/// sent one after the other, until the bad rows are isolated: only they
/// fail, the rest is delivered. A row refused only because a record it
/// references by external id does not exist yet fails with
/// store_errc::dependency_pending: the relay parks it (retried at
/// `relay_options::park_for`, no attempt counted), since that record may be
/// an event still queued, or dead until an operator replays it.
///
/// Pacing: Odoo's time per row of `load` grows with the batch for records
/// with lines (measured on Odoo 19, sale orders of 3 lines: 10 per call in
/// 0.3 s, 200 per call in 20.8 s). So the records per call of each model
/// follow the server: a call that keeps the server busy for
/// `target_load_time` or longer, answered or timed out, shrinks the next
/// calls of its model to what would have fit in that time (a failed one at
/// least halves them); a full call answered with time to spare lets them
/// grow towards what fits, at most doubling. A call's time runs from its
/// sending or from the end of the previous `load`, whichever is later, so
/// calls queued behind each other on a single-worker server are not
/// charged for the wait. Quick partial calls and quick failures (a 503, a
/// reset) change nothing.
///
/// Pipelining: the sink is an `async_sink`. Up to `max_in_flight` calls of
/// the events started are on the wire at once through the client's
/// host-driven `submit` (each sent as soon as what it needs is delivered,
/// not level by level); their completions are settled inside `poll`, on the
/// host's thread.
///
/// Server fields: a contract mapping marked `optional` is written only where
/// the server has the field. Unless `load.server_has` is given, the sink
/// learns a model's fields host-driven too: the first event of a model whose
/// fields the client has not learnt yet waits (parked in the sink) while a
/// `fields_get` goes out through `submit`; once it is settled in `poll` the
/// event is sent without the fields the server lacks. The answer goes into
/// the client's cache (`client::server_fields()`), once per model and client,
/// shared with its copies (typed reads, `reconcile`). When `fields_get`
/// fails with a retryable error (unreachable server, timeout, 503, an
/// unreadable reply) the waiting events come back not attempted and the sink
/// pauses as after a failed connection. When Odoo refuses it (an access
/// error, a model it lacks) the fields are taken as present until the client
/// connects again, as `client::field_presence_of` does: they are sent, and
/// the `load` answer names the problem.
///
/// Offline start: the client may be one made by `client::create` that never
/// reached its server. The sink connects host-driven before its first call;
/// when connecting fails (no server, a version probe or a login refused) the
/// started events come back not attempted (released, nothing counted, never
/// dead-lettered) and the sink pauses for `reconnect` before it takes more
/// (`wants_more` is false, `next_wakeup` is the end of the pause).
///
/// Because every call above is safe to repeat, a reply that cannot be read
/// (cut short, corrupted, invalid UTF-8, a proxy's page instead of JSON) is
/// reported as transport_errc::outcome_unknown and retried: Odoo may well
/// hold the records already, and only Odoo's own permanent errors dead-letter.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/backoff.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/config.hpp"
#include "odoolink/contract/mapping.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/outbox/sink.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// A subject delivered by calling a method on one record.
struct action_route {
  std::string subject;          ///< e.g. `sale_order_confirmation`
  std::string model;            ///< e.g. `sale.order`
  std::string method;           ///< e.g. `action_confirm`
  std::string record_field;     ///< payload field holding the record's external id
  std::string state_field = "state";
  std::vector<std::string> done_states;  ///< e.g. `sale`, `done`: the action already happened
};

/// A subject delivered by deleting one record.
struct unlink_route {
  std::string subject;
  std::string model;
  std::string record_field;  ///< payload field holding the record's external id
};

/// Which earlier events of its aggregate an event waits for in the sink.
enum class aggregate_order : std::uint8_t {
  /// Every one: the aggregate's events reach Odoo in the order they were
  /// recorded, whatever their subject.
  all_events,
  /// Those of its own subject only: for an aggregate such as a till whose
  /// customers, products and orders are independent but for the records
  /// they reference (which are always waited for). Ties fewer events
  /// together, so they share fewer, larger calls.
  same_subject,
};

/// Settings of `odoo_sink`.
struct odoo_sink_options {
  /// Module part of derived external ids (`<module>.<subject>_<key>`).
  std::string xid_module = "odoolink_outbox";
  /// Records per `load` call at most; 1 turns batching off.
  std::size_t max_batch = 200;
  /// How long a `load` call should keep the server busy: the records per
  /// call of each model follow the server's pace (see "Pacing" above),
  /// between 1 and `max_batch`. Zero: always up to `max_batch`.
  std::chrono::milliseconds target_load_time{1000};
  /// Bytes of row text per `load` call at most (a record larger than this
  /// still goes, alone).
  std::size_t max_batch_bytes = std::size_t{4} << 20U;
  /// `load` and action calls on the wire at once (1: one after the other).
  std::size_t max_in_flight = 4;
  /// A `load` that is not full (its model's paced records, at most
  /// `max_batch`, or `max_batch_bytes`) goes only when no other call is on
  /// the wire, one at a time, the oldest first; until then it gathers the
  /// events that become ready: a server spends much of a `load` on the call
  /// itself, so a few large calls beat many small ones. Full calls still go
  /// at once, up to `max_in_flight`. False sends every ready event as soon as
  /// there is room.
  bool fill_batches_while_busy = true;
  /// See `aggregate_order`. The store still claims an aggregate's events in
  /// order and holds the later ones back while an earlier one is due for a
  /// retry; this only decides what may share or overtake a call.
  aggregate_order order = aggregate_order::all_events;
  /// Limit of one `load` request, replacing the client's per-request timeout
  /// (a batch of hundreds of rows takes the server far longer than a read);
  /// unset: the client's. Reads and actions keep the client's.
  std::optional<std::chrono::milliseconds> load_timeout;
  /// The pause after a failed connection (probe or login), growing with
  /// every failure in a row (no jitter: one client, one server).
  backoff_policy reconnect{.initial = std::chrono::milliseconds(500), .max = std::chrono::seconds(30)};
  std::vector<action_route> actions;
  std::vector<unlink_route> unlinks;
  /// For dotted-path references in mappings; `server_has` left empty: the
  /// sink learns the server's fields host-driven (see above). A predicate
  /// given here is called from `start` and `poll` and must not block.
  contract::load_options load;
};

/// @par Thread Safety  Used from the relay's thread (as its client).
class odoo_sink final : public async_sink {
 public:
  /// `registry` must outlive the sink. `connection` may be unconnected
  /// (`client::create`): the sink connects on first use.
  odoo_sink(client::client connection, const contract::registry& registry, odoo_sink_options options = {});
  ~odoo_sink() override;
  odoo_sink(const odoo_sink&) = delete;
  odoo_sink& operator=(const odoo_sink&) = delete;

  /// Takes `events` and sends what is ready, without waiting.
  void start(std::span<const event> events) override;
  /// Runs the client's `poll(timeout)`, settles completed calls, sends what
  /// they made ready and returns the finished outcomes (errors scrubbed with
  /// the client's `secret_scrubber`). Errors: the transport's.
  [[nodiscard]] result<std::vector<finished_delivery>> poll(std::chrono::milliseconds timeout) override;
  /// Started events not returned yet.
  [[nodiscard]] std::size_t in_flight() const noexcept override;
  /// True when every started event is finished and no reconnect pause
  /// runs: claims follow each other (a claim taken while earlier events are
  /// unsettled could hold an event whose referenced record sits, unclaimed,
  /// behind one of them), while the calls of one claim overlap.
  [[nodiscard]] bool wants_more() const noexcept override;
  /// See `async_sink::next_wakeup`.
  [[nodiscard]] wakeup next_wakeup() const override;

  /// Blocking: delivers `events` (`deliver_and_wait`) and returns one
  /// outcome per event, at the same index.
  [[nodiscard]] std::vector<delivery> deliver(std::span<const event> events);

  /// The client's scrubber (password, API key, session ids).
  [[nodiscard]] const secret_scrubber* scrubber() const noexcept override;

  /// The external id an event without its own gets: `<module>.<subject>_<key>`
  /// with every character outside `[A-Za-z0-9_-]` replaced by `_` and, when
  /// something was replaced, a short hash of the key appended (no collisions).
  [[nodiscard]] static std::string derived_external_id(std::string_view module, std::string_view subject,
                                                       std::string_view idempotency_key);

  /// `load` calls made (for tests and benchmarks).
  [[nodiscard]] std::size_t load_calls() const noexcept;

  /// Records the next `load` of `model` (an Odoo model, `sale.order`) may
  /// hold: `max_batch` until a call of that model was timed, then paced.
  [[nodiscard]] std::size_t load_limit(std::string_view model) const;

 private:
  struct state;
  std::shared_ptr<state> s_;  // completions hold it weakly
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
