#pragma once
// What the outbox's Odoo sinks share: host-driven calls that are safe to
// repeat, so an unreadable reply is an unknown outcome (retried, never
// dead-lettered); an unlink where a record already gone counts as done; and
// the pause after a failed connection.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "odoolink/backoff.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/wakeup.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

// `reply` of a call that is safe to repeat, with an unreadable reply (cut
// short, corrupted, invalid UTF-8, a proxy's page instead of JSON) turned
// into transport_errc::outcome_unknown.
[[nodiscard]] result<protocol::reply> unknown_if_unreadable(result<protocol::reply> reply);

// Submits `c`, which must be safe to repeat, on `odoo`. `done` gets the reply
// (through `unknown_if_unreadable`) inside a later `poll` of the client, and
// only while `owner` lives, so it may use the owner; when the call cannot be
// encoded, `done` gets that error at once.
void submit_repeatable(client::client& odoo, const std::weak_ptr<const void>& owner, protocol::call c,
                       std::function<void(result<protocol::reply>)> done, const client::call_options& per_call = {});

// Submits `model.unlink(ids)`; a record already gone (MissingError) is success.
void submit_unlink(client::client& odoo, const std::weak_ptr<const void>& owner, std::string model, json::array ids,
                   std::function<void(result<void>)> done);

// The re-entry guard of a sink's dispatch. An outcome known at once (a call
// that cannot be encoded) settles, and so dispatches again, from inside a
// round: that runs as one more round after it instead of a nested one.
class dispatch_rounds {
 public:
  template <class Round>
  void run(Round&& round) {
    if (running_) {
      again_ = true;
      return;
    }
    running_ = true;
    do {
      again_ = false;
      round();
    } while (again_);
    running_ = false;
  }
  // Something settled: one more round, since it may free later events.
  void again() noexcept { again_ = true; }

 private:
  bool running_ = false;
  bool again_ = false;
};

// The pause a sink takes after failed connections, longer with every
// failure in a row (no jitter: one client, one server).
class reconnect_pause {
 public:
  using steady = std::chrono::steady_clock;

  [[nodiscard]] bool active(steady::time_point now) const noexcept { return until_ && now < *until_; }
  // One more failure in a row: pauses for `policy.cap(failures)` from now.
  void failed(const backoff_policy& policy) {
    ++failures_;
    until_ = steady::now() + std::chrono::duration_cast<steady::duration>(policy.cap(failures_));
  }
  // The server answered: the next failure pauses briefly again.
  void forgive() noexcept { failures_ = 0; }
  // Connected: no pause.
  void end() noexcept {
    failures_ = 0;
    until_.reset();
  }
  // `w`, or the end of the pause when that is earlier and the pause runs.
  [[nodiscard]] wakeup limit(wakeup w, steady::time_point now) const noexcept {
    return active(now) ? earliest(w, wakeup::at_time(*until_)) : w;
  }

 private:
  int failures_ = 0;
  std::optional<steady::time_point> until_;
};

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
