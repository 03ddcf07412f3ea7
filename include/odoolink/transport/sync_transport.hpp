#pragma once
/// @file
/// `sync_transport`: a base for transports that only know how to send
/// blocking (a host's own HTTP client, a test fake). It supplies the
/// host-driven form by running queued requests, one after another, inside
/// `poll()`.

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/transport/ready_queue.hpp"
#include "odoolink/transport/transport.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {

/// Derive and implement `send()`; `submit()` queues, and `poll()` sends every
/// request queued before it (blocking, in submission order) and then runs
/// their completions. `poll()` never waits when nothing is queued, so it is
/// only as non-blocking as `send()` is fast.
/// @par Thread Safety  As `http_transport`: one object, one thread at a time.
class sync_transport : public http_transport {
 public:
  /// Queues `request`; it is sent by the next `poll()`.
  request_id submit(http_request request, completion done) override {
    const request_id id = next_id_++;
    queued_.push_back(queued{id, std::move(request), std::move(done)});
    return id;
  }

  /// Sends the queued requests and runs the due completions; never waits
  /// for `timeout` (there is nothing to wait for). Returns the completions run.
  [[nodiscard]] result<std::size_t> poll(std::chrono::milliseconds /*timeout*/) override {
    // Only the requests queued so far: completions may submit more.
    for (std::size_t n = queued_.size(); n > 0 && !queued_.empty(); --n) {
      queued q = std::move(queued_.front());
      queued_.pop_front();
      ready_.push(std::move(q.done), send(q.request));
    }
    return ready_.run();
  }

  /// Zero while anything is queued or due, else `nullopt`.
  [[nodiscard]] std::optional<std::chrono::milliseconds> next_wakeup() const override {
    if (queued_.empty() && ready_.empty()) return std::nullopt;
    return std::chrono::milliseconds(0);
  }

  /// Queued plus due requests.
  [[nodiscard]] std::size_t pending() const noexcept override { return queued_.size() + ready_.size(); }

  /// Cancels a request that has not been sent yet.
  bool cancel(request_id id) override {
    for (auto it = queued_.begin(); it != queued_.end(); ++it) {
      if (it->id != id) continue;
      ready_.push(std::move(it->done), error(transport_errc::cancelled, "request cancelled before it was sent"));
      queued_.erase(it);
      return true;
    }
    return false;
  }

 private:
  struct queued {
    request_id id;
    http_request request;
    completion done;
  };
  std::deque<queued> queued_;
  detail::ready_queue ready_;
  request_id next_id_ = 1;
};

}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
