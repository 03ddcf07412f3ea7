#pragma once
/// @file
/// `rate_limit_transport`: a client-side token bucket in front of any
/// transport, which also backs off for a server's `Retry-After`.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "odoolink/clock.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/transport/ready_queue.hpp"
#include "odoolink/transport/retry_after.hpp"
#include "odoolink/transport/transport.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {

/// Settings of `rate_limit_transport`.
struct rate_limit_options {
  /// Sustained requests per second (tokens added per second); 0 or less: no limit.
  double rate = 10.0;
  /// Bucket size: how many requests may go out back to back after a quiet
  /// spell. At least 1 (smaller values count as 1). The bucket starts full.
  double burst = 10.0;
  /// After a 429 or 503 with `Retry-After`, hold every request until then.
  bool honour_retry_after = true;
  /// Longest hold a `Retry-After` can impose.
  std::chrono::milliseconds max_pause{60'000};
  /// Time source; null: `real_clock`.
  std::shared_ptr<const odoolink::clock> clock;
  /// Used by the blocking `send` to wait for a token; null: `real_clock`.
  std::shared_ptr<odoolink::sleeper> sleeper;
};

/// Lets requests through to the next transport at most at `rate` per second
/// with bursts of `burst`, in submission order.
///
/// The blocking `send` sleeps (injected sleeper) until a token is free. The
/// host-driven form never blocks beyond `poll`'s timeout: `submit` forwards
/// at once when a token is free and otherwise queues; `poll` forwards
/// queued requests as tokens come and `next_wakeup()` says when the next is due.
///
/// @par Thread Safety  As `http_transport`: one object, one thread at a time.
class rate_limit_transport final : public http_transport {
 public:
  /// Wraps `next`, which must not be null.
  explicit rate_limit_transport(std::shared_ptr<http_transport> next, rate_limit_options options = {})
      : s_(std::make_shared<state>(std::move(next), std::move(options))) {}

  rate_limit_transport(const rate_limit_transport&) = delete;
  rate_limit_transport& operator=(const rate_limit_transport&) = delete;
  /// Cancels the forwarded requests still in flight; no completion runs.
  ~rate_limit_transport() override {
    for (auto& [id, inner] : s_->forwarded) s_->next->cancel(inner);
  }

  /// How long until a request could go out (zero when one can now).
  [[nodiscard]] clock::duration wait_time() const { return s_->wait_time(); }

  /// Waits for a token, then sends.
  [[nodiscard]] result<http_response> send(const http_request& request) override {
    state& s = *s_;
    for (;;) {
      const auto wait = s.wait_time();
      if (wait <= clock::duration::zero()) break;
      s.sleeper->sleep_for(wait);
    }
    s.take();
    result<http_response> outcome = s.next->send(request);
    s.observe(outcome);
    return outcome;
  }

  /// Forwards now if a token is free and nothing waits before it, else queues.
  request_id submit(http_request request, completion done) override {
    state& s = *s_;
    const request_id id = s.next_id++;
    s.queue.push_back(queued{id, std::move(request), std::move(done)});
    state::dispatch(s_);
    return id;
  }

  /// Forwards what the bucket allows, drives the next transport for up to
  /// `timeout` (or until the next token), forwards again, runs completions.
  [[nodiscard]] result<std::size_t> poll(std::chrono::milliseconds timeout) override {
    state& s = *s_;
    state::dispatch(s_);
    std::chrono::milliseconds wait = s.ready.empty() ? timeout : std::chrono::milliseconds(0);
    if (!s.queue.empty()) wait = std::min(wait, detail::ceil_ms(s.wait_time()));
    if (s.next->pending() > 0 || s.queue.empty()) {
      ODOOLINK_TRYV(s.next->poll(wait));
    } else if (wait > std::chrono::milliseconds(0)) {
      s.sleeper->sleep_for(wait);
    }
    state::dispatch(s_);
    return s.ready.run();
  }

  /// The earlier of the next transport's wake-up and the next token for a queued request.
  [[nodiscard]] std::optional<std::chrono::milliseconds> next_wakeup() const override {
    const state& s = *s_;
    if (!s.ready.empty()) return std::chrono::milliseconds(0);
    std::optional<std::chrono::milliseconds> own;
    if (!s.queue.empty()) own = detail::ceil_ms(s.wait_time_at(s.time->now()));
    return detail::earliest(s.next->next_wakeup(), own);
  }

  /// Queued, forwarded and due requests.
  [[nodiscard]] std::size_t pending() const noexcept override {
    return s_->queue.size() + s_->forwarded.size() + s_->ready.size();
  }

  /// Cancels a queued request at once, or forwards the cancellation.
  bool cancel(request_id id) override {
    state& s = *s_;
    for (auto it = s.queue.begin(); it != s.queue.end(); ++it) {
      if (it->id != id) continue;
      s.ready.push(std::move(it->done), error(transport_errc::cancelled, "request cancelled before it was sent"));
      s.queue.erase(it);
      return true;
    }
    auto f = s.forwarded.find(id);
    return f != s.forwarded.end() && s.next->cancel(f->second);
  }

 private:
  struct queued {
    request_id id;
    http_request request;
    completion done;
  };

  struct state {
    state(std::shared_ptr<http_transport> n, rate_limit_options o)
        : next(std::move(n)),
          options(std::move(o)),
          time(options.clock ? options.clock : std::make_shared<real_clock>()),
          sleeper(options.sleeper ? options.sleeper : std::make_shared<real_clock>()),
          interval(options.rate > 0 ? std::chrono::duration_cast<clock::duration>(
                                          std::chrono::duration<double>(1.0 / options.rate))
                                    : clock::duration::zero()),
          tolerance(std::chrono::duration_cast<clock::duration>(interval * (std::max(1.0, options.burst) - 1.0))),
          tat(time->now()),
          paused_until(tat) {}

    std::shared_ptr<http_transport> next;
    rate_limit_options options;
    std::shared_ptr<const odoolink::clock> time;
    std::shared_ptr<odoolink::sleeper> sleeper;
    // The bucket as a "theoretical arrival time" (GCRA): integer time, so
    // no rounding drift. A request may go when tat - now <= tolerance.
    clock::duration interval;
    clock::duration tolerance;
    clock::time_point tat;
    clock::time_point paused_until;
    std::deque<queued> queue;
    std::map<request_id, request_id> forwarded;  // our id -> id in `next`
    detail::ready_queue ready;
    request_id next_id = 1;

    // Time until a request may go out (token and pause), as of `now`.
    [[nodiscard]] clock::duration wait_time_at(clock::time_point now) const {
      return std::max({clock::duration::zero(), tat - tolerance - now, paused_until - now});
    }
    [[nodiscard]] clock::duration wait_time() const { return wait_time_at(time->now()); }

    void take() {
      const auto now = time->now();
      tat = std::max(tat, now) + interval;
    }

    void observe(const result<http_response>& outcome) {
      if (!options.honour_retry_after || !outcome) return;
      const int status = outcome.value().status;
      if (status != 429 && status != 503) return;
      const auto asked = retry_after(outcome.value(), time->wall_now());
      if (!asked) return;
      const auto hold = std::min<clock::duration>(*asked, options.max_pause);
      paused_until = std::max(paused_until, time->now() + hold);
    }

    static void dispatch(const std::shared_ptr<state>& self) {
      state& s = *self;
      while (!s.queue.empty() && s.wait_time() <= clock::duration::zero()) {
        s.take();
        queued q = std::move(s.queue.front());
        s.queue.pop_front();
        std::weak_ptr<state> weak = self;
        const request_id id = q.id;
        const request_id inner =
            s.next->submit(std::move(q.request), [weak, id, done = std::move(q.done)](result<http_response> r) mutable {
              auto alive = weak.lock();
              if (!alive) return;
              alive->forwarded.erase(id);
              alive->observe(r);
              alive->ready.push(std::move(done), std::move(r));
            });
        s.forwarded.emplace(id, inner);
      }
    }
  };

  std::shared_ptr<state> s_;
};

}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
