#pragma once
/// @file
/// `retry_transport`: retries around any transport, with capped exponential
/// backoff and full jitter, `Retry-After`, and the idempotency rule that keeps
/// a request the server may already have applied from being sent twice.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "odoolink/backoff.hpp"
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

/// Settings of `retry_transport`.
struct retry_options {
  /// Attempts in all, the first included (1 disables retries).
  int max_attempts = 4;
  /// The wait between attempts (the relay follows the same policy).
  backoff_policy backoff{.initial = std::chrono::milliseconds(200), .max = std::chrono::seconds(30)};
  /// A `Retry-After` longer than this is not waited for: the 429/503 response
  /// is returned as is, so the caller can schedule the work later.
  std::chrono::milliseconds max_retry_after{60'000};
  /// Seed of the jitter generator; `nullopt` seeds from `std::random_device`.
  std::optional<std::uint64_t> seed;
  /// Time source (steady time for schedules, calendar time for HTTP dates); null: `real_clock`.
  std::shared_ptr<const odoolink::clock> clock;
  /// Used by the blocking `send` between attempts; null: `real_clock`.
  std::shared_ptr<odoolink::sleeper> sleeper;
};

/// What `retry_transport` does with the outcome of one attempt.
enum class retry_verdict {
  done,             ///< hand the outcome to the caller
  retry,            ///< send the request again after a backoff
  outcome_unknown,  ///< the server may have applied a request that must not be repeated
};

/// Retries another transport (any implementation of `http_transport`).
///
/// What is retried:
/// - Always (the server did not apply the request): HTTP 429 and 503, and
///   the errors `dns_failed`, `connect_failed`, `tls_failed` and
///   `injected_fault`, where nothing was sent.
/// - Only when `http_request::idempotent` is true (the server may have
///   applied it): HTTP 502 and 504 (a gateway may have forwarded the
///   request), `timeout` and `connection_lost`. For a request that is not
///   idempotent these end at once with `transport_errc::outcome_unknown`,
///   whose message names the original cause.
/// - Never: other statuses, `certificate_invalid`, `response_too_large`,
///   `invalid_request`, `cancelled`.
///
/// Waits: before retry n (1-based) what `options.backoff` says (a uniformly
/// random time up to a capped exponential bound); after a 429 or 503 carrying `Retry-After` (seconds or an
/// HTTP-date), exactly that long, unless it exceeds `max_retry_after`.
/// When attempts run out, the last outcome is returned (an error gains the
/// context "gave up after N attempts").
///
/// The blocking `send` sleeps through the injected sleeper. The host-driven
/// form never blocks beyond `poll`'s timeout: a retry waits in a schedule,
/// shows in `next_wakeup()`, and is sent by the first `poll()` after it is
/// due (a `poll()` whose next transport is idle waits with the sleeper).
///
/// @par Thread Safety  As `http_transport`: one object, one thread at a time.
class retry_transport final : public http_transport {
 public:
  /// Wraps `next`, which must not be null.
  explicit retry_transport(std::shared_ptr<http_transport> next, retry_options options = {})
      : s_(std::make_shared<state>(std::move(next), std::move(options))) {}

  retry_transport(const retry_transport&) = delete;
  retry_transport& operator=(const retry_transport&) = delete;
  /// Cancels the attempts in flight in the next transport; no completion runs.
  ~retry_transport() override {
    for (auto& [id, o] : s_->ops)
      if (o.in_flight) s_->next->cancel(o.inner);
  }

  /// The verdict for one attempt's outcome (see the class comment).
  /// @par Thread Safety  Pure function.
  [[nodiscard]] static retry_verdict classify(const http_request& request,
                                              const result<http_response>& outcome) noexcept {
    if (outcome) {
      switch (outcome.value().status) {
        case 429:
        case 503:
          return retry_verdict::retry;
        case 502:
        case 504:
          return request.idempotent ? retry_verdict::retry : retry_verdict::outcome_unknown;
        default:
          return retry_verdict::done;
      }
    }
    const std::error_code code = outcome.error().code();
    if (code.category() != transport_category()) return retry_verdict::done;
    switch (static_cast<transport_errc>(code.value())) {
      case transport_errc::dns_failed:
      case transport_errc::connect_failed:
      case transport_errc::tls_failed:
      case transport_errc::injected_fault:
        return retry_verdict::retry;
      case transport_errc::timeout:
      case transport_errc::connection_lost:
        return request.idempotent ? retry_verdict::retry : retry_verdict::outcome_unknown;
      default:
        return retry_verdict::done;
    }
  }

  /// The upper bound of the jittered wait before retry `n` (1-based).
  /// @par Thread Safety  Const; safe alongside other const calls.
  [[nodiscard]] clock::duration backoff_cap(int n) const noexcept { return s_->backoff_cap(n); }

  /// Sends with retries, sleeping between attempts.
  [[nodiscard]] result<http_response> send(const http_request& request) override {
    state& s = *s_;
    for (int attempt = 1;; ++attempt) {
      result<http_response> outcome = s.next->send(request);
      auto step = s.decide(request, std::move(outcome), attempt);
      if (step.final) return std::move(*step.final);
      s.sleeper->sleep_for(step.wait);
    }
  }

  /// Starts the first attempt; see the class comment for the rest.
  request_id submit(http_request request, completion done) override {
    state& s = *s_;
    const request_id id = s.next_id++;
    op& o = s.ops[id];
    o.request = std::move(request);
    o.done = std::move(done);
    state::start(s_, id, o);
    return id;
  }

  /// Sends the retries that are due, drives the next transport for up to
  /// `timeout` (or until the next retry is due), and runs completions.
  [[nodiscard]] result<std::size_t> poll(std::chrono::milliseconds timeout) override {
    state& s = *s_;
    s.launch_due(s_);
    std::chrono::milliseconds wait = s.ready.empty() ? timeout : std::chrono::milliseconds(0);
    const auto due = s.until_next_due();
    if (due) wait = std::min(wait, *due);
    if (s.next->pending() > 0 || !due) {
      ODOOLINK_TRYV(s.next->poll(wait));
    } else if (wait > std::chrono::milliseconds(0)) {
      s.sleeper->sleep_for(wait);
    }
    s.launch_due(s_);
    return s.ready.run();
  }

  /// The earlier of the next transport's wake-up and the next scheduled retry.
  [[nodiscard]] std::optional<std::chrono::milliseconds> next_wakeup() const override {
    const state& s = *s_;
    if (!s.ready.empty()) return std::chrono::milliseconds(0);
    return detail::earliest(s.next->next_wakeup(), s.until_next_due());
  }

  /// Requests whose completion has not run yet (in flight, waiting to retry, or due).
  [[nodiscard]] std::size_t pending() const noexcept override { return s_->ops.size() + s_->ready.size(); }

  /// Cancels a request waiting for its retry at once, or forwards the
  /// cancellation of an attempt in flight to the next transport.
  bool cancel(request_id id) override {
    state& s = *s_;
    auto it = s.ops.find(id);
    if (it == s.ops.end()) return false;
    if (it->second.in_flight) return s.next->cancel(it->second.inner);
    s.unschedule(id, it->second.due);
    s.ready.push(std::move(it->second.done),
                 error(transport_errc::cancelled, "request cancelled while waiting to be retried"));
    s.ops.erase(it);
    return true;
  }

 private:
  struct op {
    http_request request;
    completion done;
    int attempts = 0;
    bool in_flight = false;
    request_id inner = 0;
    clock::time_point due{};
  };

  struct step {
    std::optional<result<http_response>> final;  // set: hand this to the caller
    clock::duration wait{};                      // else: retry after this
  };

  struct state {
    state(std::shared_ptr<http_transport> n, retry_options o)
        : next(std::move(n)),
          options(std::move(o)),
          time(options.clock ? options.clock : std::make_shared<real_clock>()),
          sleeper(options.sleeper ? options.sleeper : std::make_shared<real_clock>()),
          rng(options.seed ? *options.seed : std::random_device{}()) {}

    std::shared_ptr<http_transport> next;
    retry_options options;
    std::shared_ptr<const odoolink::clock> time;
    std::shared_ptr<odoolink::sleeper> sleeper;
    std::mt19937_64 rng;
    std::map<request_id, op> ops;
    std::multimap<clock::time_point, request_id> schedule;
    detail::ready_queue ready;
    request_id next_id = 1;

    [[nodiscard]] clock::duration backoff_cap(int n) const noexcept {
      return std::chrono::duration_cast<clock::duration>(options.backoff.cap(n));
    }

    // The outcome of attempt `attempt`: final, or the wait before the next.
    step decide(const http_request& request, result<http_response> outcome, int attempt) {
      step out;
      switch (classify(request, outcome)) {
        case retry_verdict::done:
          out.final = std::move(outcome);
          return out;
        case retry_verdict::outcome_unknown:
          out.final = unknown(outcome);
          return out;
        case retry_verdict::retry:
          break;
      }
      if (attempt >= options.max_attempts) {
        if (outcome) {
          out.final = std::move(outcome);
        } else {
          out.final = outcome.error().with_context("gave up after " + std::to_string(attempt) + " attempts");
        }
        return out;
      }
      if (outcome && (outcome.value().status == 429 || outcome.value().status == 503)) {
        if (const auto asked = retry_after(outcome.value(), time->wall_now())) {
          if (*asked > options.max_retry_after) {
            out.final = std::move(outcome);
            return out;
          }
          out.wait = *asked;
          return out;
        }
      }
      out.wait = std::chrono::duration_cast<clock::duration>(
          options.backoff.wait(attempt, std::uniform_real_distribution<double>(0.0, 1.0)(rng)));
      return out;
    }

    static error unknown(const result<http_response>& outcome) {
      std::string cause = outcome ? "the server answered HTTP " + std::to_string(outcome.value().status) +
                                        " (a gateway may have forwarded the request)"
                                  : outcome.error().message();
      return error(transport_errc::outcome_unknown,
                   "outcome unknown, not retried because the request is not idempotent: " + cause);
    }

    static void start(const std::shared_ptr<state>& self, request_id id, op& o) {
      state& s = *self;
      ++o.attempts;
      o.in_flight = true;
      // The last attempt can give its request away.
      http_request copy = o.attempts >= s.options.max_attempts ? std::move(o.request) : o.request;
      std::weak_ptr<state> weak = self;
      o.inner = s.next->submit(std::move(copy), [weak, id](result<http_response> outcome) {
        if (auto alive = weak.lock()) alive->on_attempt(id, std::move(outcome));
      });
    }

    void on_attempt(request_id id, result<http_response> outcome) {
      auto it = ops.find(id);
      if (it == ops.end()) return;
      op& o = it->second;
      o.in_flight = false;
      step next_step = decide(o.request, std::move(outcome), o.attempts);
      if (next_step.final) {
        ready.push(std::move(o.done), std::move(*next_step.final));
        ops.erase(it);
        return;
      }
      o.due = time->now() + next_step.wait;
      schedule.emplace(o.due, id);
    }

    void unschedule(request_id id, clock::time_point due) {
      auto [first, last] = schedule.equal_range(due);
      for (auto it = first; it != last; ++it)
        if (it->second == id) {
          schedule.erase(it);
          return;
        }
    }

    void launch_due(const std::shared_ptr<state>& self) {
      const auto now = time->now();
      while (!schedule.empty() && schedule.begin()->first <= now) {
        const request_id id = schedule.begin()->second;
        schedule.erase(schedule.begin());
        auto it = ops.find(id);
        if (it != ops.end()) start(self, id, it->second);
      }
    }

    [[nodiscard]] std::optional<std::chrono::milliseconds> until_next_due() const {
      if (schedule.empty()) return std::nullopt;
      return detail::ceil_ms(schedule.begin()->first - time->now());
    }
  };

  std::shared_ptr<state> s_;
};

}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
