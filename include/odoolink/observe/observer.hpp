#pragma once
/// @file
/// The observability hook: an interface the host implements to see every
/// HTTP exchange with Odoo and every outbox state change, each record
/// carrying W3C trace-context ids. Nothing here depends on a tracer; leave
/// the hook unset (a null pointer in the options) and no record is built.
///
/// ```cpp
/// struct my_observer final : odoolink::observe::observer {
///   void on_call(const odoolink::observe::call_record& r) override { log(odoolink::observe::log_line(r)); }
///   void on_transition(const odoolink::observe::transition_record& r) override { log(odoolink::observe::log_line(r)); }
/// };
/// my_observer hook;
/// auto odoo = client::client::connect({.url = u, ..., .observer = &hook});
/// outbox::relay relay(store, sink, {.owner = "pos-7", .observer = &hook});
/// ```
///
/// Records never hold a secret (credentials, session ids) nor a payload
/// value: only names, ids, sizes, statuses and error codes.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/observe/trace_context.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace observe {

/// One outbox event a call is made for: the relay's current delivery.
struct event_link {
  std::string event_id;        ///< the event's id (UUIDv7)
  std::string subject;         ///< its contract subject
  std::string correlation_id;  ///< its business flow
  std::string causation_id;    ///< what caused it
  trace_context trace;  ///< the event's delivery attempt (its `claimed` record's span)
};

/// One HTTP exchange of a client with Odoo: every request the client sends
/// (calls, and the version probes and logins of connecting) gives exactly
/// one record when its outcome is known. Views are valid during `on_call` only.
struct call_record {
  std::string_view model;     ///< e.g. `res.partner`; empty for connection requests
  std::string_view method;    ///< e.g. `load`; `version`, `authenticate`, `logout` for connection requests
  std::string_view protocol;  ///< `jsonrpc`, `web_session`, `json2`, `xmlrpc` (`automatic` while probing)
  int attempt = 1;            ///< 1, then 2 when the call is sent again after a web-session login
  std::chrono::system_clock::time_point started_at{};  ///< when the request was handed to the transport
  std::chrono::nanoseconds duration{0};  ///< from sending to the outcome (steady clock)
  std::size_t request_bytes = 0;   ///< request body bytes
  std::size_t response_bytes = 0;  ///< response body bytes (0 without a response)
  int status = 0;                  ///< HTTP status; 0 when no response arrived
  /// The outcome: empty on success, else the transport failure or the Odoo
  /// fault the reply decoded to (connection requests: the transport's only).
  std::error_code error;
  std::string_view trace_id;        ///< the trace this exchange belongs to
  std::string_view span_id;         ///< this exchange's own span
  std::string_view parent_span_id;  ///< empty for a root span
  /// The events this exchange delivers (empty outside a relay's delivery).
  /// When they belong to several traces, the record joins the first one's
  /// and the others are links (as OpenTelemetry span links).
  std::span<const event_link> events;
};

/// An outbox state change (or the first state, `enqueued`).
enum class transition : std::uint8_t {
  enqueued,   ///< stored, pending
  claimed,    ///< pending (or lease expired) → in flight: a delivery attempt starts
  delivered,  ///< in flight → delivered
  retried,    ///< in flight → pending with a later attempt (retryable failure)
  dead,       ///< in flight → dead letter
  parked,     ///< in flight → pending, waiting for a referenced record (attempt not counted)
  released,   ///< in flight → pending, not attempted (an earlier event of its aggregate failed); events a
              ///< restarted relay takes back from its dead predecessor are counted in
              ///< `pump_report::reclaimed` instead, not reported one by one
  replayed,   ///< dead or delivered → pending, by an operator
  discarded,  ///< dead → discarded, by an operator
};

/// `"enqueued"`, `"claimed"`, ... as in the enum.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view to_string(transition t) noexcept;

/// One outbox transition of one event. Views are valid during `on_transition` only.
struct transition_record {
  transition kind = transition::enqueued;  ///< what happened
  std::string_view event_id;               ///< the event's id
  std::string_view subject;                ///< its contract subject
  std::string_view aggregate_key;          ///< its ordering scope (may be built from personal data)
  std::string_view correlation_id;         ///< its business flow
  std::string_view causation_id;           ///< what caused it
  int attempt = 0;  ///< the event's delivery attempts so far
  std::chrono::system_clock::time_point at{};  ///< when (the store's time stamp of the change)
  /// retried, dead, parked: why (the delivery's error code; the text, which
  /// may quote the server, is in the store's `last_error` and audit row).
  std::error_code error;
  std::string_view trace_id;        ///< the event's trace
  std::string_view span_id;         ///< `enqueued`: the event's own span; `claimed`: the attempt's span
  std::string_view parent_span_id;  ///< `enqueued`: the enqueuing code's span; others: the event's or attempt's
};

/// What the host implements to receive records, plus the context that new
/// work joins.
///
/// Pass one observer to the client (`client_options::observer`), the
/// outbox (`outbox_options::observer`) and the relay
/// (`relay_options::observer`): the relay tells it which events it is
/// delivering, and the client's calls join those events' traces.
///
/// @par Thread Safety  Called from the threads that use the objects it is
///   given to; an observer shared by objects on several threads must lock
///   in `on_call` / `on_transition` and must not have its context set
///   concurrently (give each thread its own observer for that).
class observer {
 public:
  observer() = default;
  observer(const observer&) = delete;
  observer& operator=(const observer&) = delete;
  virtual ~observer() = default;

  /// One HTTP exchange finished. Must not call back into the client.
  virtual void on_call(const call_record& record) = 0;
  /// One outbox transition happened (it is committed in the store).
  virtual void on_transition(const transition_record& record) = 0;

  /// The context of the host's current work: events enqueued without a
  /// context of their own join it, and calls made outside a delivery are
  /// its children. Invalid (the default): each such enqueue or call starts a
  /// new trace.
  void set_current(trace_context context) noexcept { current_ = std::move(context); }
  /// See `set_current`.
  [[nodiscard]] const trace_context& current() const noexcept { return current_; }

  /// The events whose delivery is in progress (set by the relay around each
  /// sink call; a host driving its own sink may set it too).
  void set_delivering(std::vector<event_link> events) noexcept { delivering_ = std::move(events); }
  /// See `set_delivering`.
  [[nodiscard]] std::span<const event_link> delivering() const noexcept { return delivering_; }

 private:
  trace_context current_;
  std::vector<event_link> delivering_;
};

}  // namespace observe
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
