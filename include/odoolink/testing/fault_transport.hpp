#pragma once
/// @file
/// `fault_transport`: injects network and server faults at seeded rates
/// around any transport, for tests of the layers above (retries, the outbox,
/// idempotent delivery).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "odoolink/clock.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/transport/ready_queue.hpp"
#include "odoolink/transport/transport.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing {

/// The faults `fault_transport` can inject; one request gets at most one.
enum class fault_kind {
  none = 0,       ///< forwarded untouched
  drop_request,   ///< never sent: transport_errc::injected_fault
  drop_response,  ///< forwarded and handled by the server, then transport_errc::connection_lost
  delay,          ///< forwarded after `fault_options::delay_by`
  status_429,     ///< not forwarded: a synthetic 429 Too Many Requests
  status_502,     ///< forwarded (the server handles it), then a synthetic 502 Bad Gateway
  status_503,     ///< not forwarded: a synthetic 503 Service Unavailable
  status_504,     ///< forwarded (the server handles it), then a synthetic 504 Gateway Timeout
  truncate_body,  ///< forwarded; the response body is cut short (strictly shorter)
  corrupt_body,   ///< forwarded; one byte of the body becomes 0xFF, never valid UTF-8
};

/// Number of `fault_kind` values, for arrays indexed by kind.
inline constexpr std::size_t fault_kind_count = 10;

/// Rates (probabilities per request, 0..1) and details of the faults. The
/// kinds are exclusive: one uniform draw per request picks a kind by the
/// cumulative rates in the order of `fault_kind`, so the rates should sum to
/// at most 1 (beyond that, later kinds are starved).
struct fault_options {
  /// Seed of the generator: the same seed and submission order give the same faults.
  std::uint64_t seed = 1;
  double drop_request = 0;   ///< rate of fault_kind::drop_request
  double drop_response = 0;  ///< rate of fault_kind::drop_response
  double delay = 0;          ///< rate of fault_kind::delay
  double status_429 = 0;     ///< rate of fault_kind::status_429
  double status_502 = 0;     ///< rate of fault_kind::status_502
  double status_503 = 0;     ///< rate of fault_kind::status_503
  double status_504 = 0;     ///< rate of fault_kind::status_504
  double truncate_body = 0;  ///< rate of fault_kind::truncate_body
  double corrupt_body = 0;   ///< rate of fault_kind::corrupt_body
  /// How long a delayed request waits before it is forwarded.
  std::chrono::milliseconds delay_by{100};
  /// `Retry-After` (seconds) put on synthetic 429 and 503 responses; none when unset.
  std::optional<std::chrono::seconds> retry_after;
  /// Time source for delays; null: `real_clock`.
  std::shared_ptr<const odoolink::clock> clock;
  /// Sleeps the blocking form's delays; null: `real_clock`.
  std::shared_ptr<odoolink::sleeper> sleeper;
};

/// What was injected so far.
struct fault_stats {
  /// Requests per kind, indexed by `fault_kind` (`none` counts clean ones).
  std::array<std::size_t, fault_kind_count> injected{};
  /// Requests handed to the next transport.
  std::size_t forwarded = 0;
  /// Requests that got `kind`.
  [[nodiscard]] std::size_t count(fault_kind kind) const noexcept {
    return injected[static_cast<std::size_t>(kind)];
  }
};

/// Wraps any transport and injects faults (see `fault_kind`) at seeded
/// rates, or in a forced order (`force`). Works in the blocking and the
/// host-driven form; in the latter a delayed request waits in a schedule
/// shown by `next_wakeup()`.
/// @par Thread Safety  As `transport::http_transport`: one object, one thread at a time.
class fault_transport final : public transport::http_transport {
 public:
  /// Wraps `next`, which must not be null.
  explicit fault_transport(std::shared_ptr<transport::http_transport> next, fault_options options = {})
      : s_(std::make_shared<state>(std::move(next), std::move(options))) {}

  fault_transport(const fault_transport&) = delete;
  fault_transport& operator=(const fault_transport&) = delete;
  /// Cancels the forwarded requests still in flight; no completion runs.
  ~fault_transport() override {
    for (auto& [id, o] : s_->ops)
      if (o.forwarded) s_->next->cancel(o.inner);
  }

  /// Makes the next requests get `kind`, in the order forced, before any
  /// random draw (`fault_kind::none` forces a clean request).
  void force(fault_kind kind) { s_->forced.push_back(kind); }

  /// Counts of what was injected so far.
  [[nodiscard]] const fault_stats& stats() const noexcept { return s_->stats; }

  /// Sends through the next transport, injecting the chosen fault.
  [[nodiscard]] result<http_response> send(const http_request& request) override {
    state& s = *s_;
    const fault_kind kind = s.choose();
    if (auto early = s.before_sending(kind, request)) return std::move(*early);
    if (kind == fault_kind::delay) s.sleeper->sleep_for(s.options.delay_by);
    ++s.stats.forwarded;
    return s.after_sending(kind, s.next->send(request));
  }

  /// Chooses the fault now; forwards at once, after the delay, or not at all.
  transport::request_id submit(http_request request, transport::completion done) override {
    state& s = *s_;
    const transport::request_id id = s.next_id++;
    const fault_kind kind = s.choose();
    if (auto early = s.before_sending(kind, request)) {
      s.ready.push(std::move(done), std::move(*early));
      return id;
    }
    op& o = s.ops[id];
    o.kind = kind;
    o.done = std::move(done);
    if (kind == fault_kind::delay) {
      o.request = std::move(request);
      o.due = s.time->now() + s.options.delay_by;
      s.delayed.emplace(o.due, id);
    } else {
      state::forward(s_, id, o, std::move(request));
    }
    return id;
  }

  /// Forwards delayed requests that are due, drives the next transport for
  /// up to `timeout` (or until the next delay ends), runs completions.
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

  /// The earlier of the next transport's wake-up and the end of the next delay.
  [[nodiscard]] std::optional<std::chrono::milliseconds> next_wakeup() const override {
    const state& s = *s_;
    if (!s.ready.empty()) return std::chrono::milliseconds(0);
    return transport::detail::earliest(s.next->next_wakeup(), s.until_next_due());
  }

  /// Delayed, forwarded and due requests.
  [[nodiscard]] std::size_t pending() const noexcept override { return s_->ops.size() + s_->ready.size(); }

  /// Cancels a delayed request at once, or forwards the cancellation.
  bool cancel(transport::request_id id) override {
    state& s = *s_;
    auto it = s.ops.find(id);
    if (it == s.ops.end()) return false;
    if (it->second.forwarded) return s.next->cancel(it->second.inner);
    auto [first, last] = s.delayed.equal_range(it->second.due);
    for (auto d = first; d != last; ++d)
      if (d->second == id) {
        s.delayed.erase(d);
        break;
      }
    s.ready.push(std::move(it->second.done), error(transport_errc::cancelled, "request cancelled while delayed"));
    s.ops.erase(it);
    return true;
  }

 private:
  struct op {
    fault_kind kind = fault_kind::none;
    transport::completion done;
    http_request request;  // while delayed
    clock::time_point due{};
    bool forwarded = false;
    transport::request_id inner = 0;
  };

  struct state {
    state(std::shared_ptr<transport::http_transport> n, fault_options o)
        : next(std::move(n)),
          options(std::move(o)),
          time(options.clock ? options.clock : std::make_shared<real_clock>()),
          sleeper(options.sleeper ? options.sleeper : std::make_shared<real_clock>()),
          rng(options.seed),
          mutation_rng(options.seed ^ 0x9E3779B97F4A7C15ULL) {}

    std::shared_ptr<transport::http_transport> next;
    fault_options options;
    std::shared_ptr<const odoolink::clock> time;
    std::shared_ptr<odoolink::sleeper> sleeper;
    std::mt19937_64 rng;           // picks kinds: depends only on submission order
    std::mt19937_64 mutation_rng;  // picks cut and corrupt positions
    std::deque<fault_kind> forced;
    fault_stats stats;
    std::map<transport::request_id, op> ops;
    std::multimap<clock::time_point, transport::request_id> delayed;
    transport::detail::ready_queue ready;
    transport::request_id next_id = 1;

    fault_kind choose() {
      fault_kind kind = fault_kind::none;
      if (!forced.empty()) {
        kind = forced.front();
        forced.pop_front();
      } else {
        const std::array<double, fault_kind_count> rates = {
            0.0,
            options.drop_request,
            options.drop_response,
            options.delay,
            options.status_429,
            options.status_502,
            options.status_503,
            options.status_504,
            options.truncate_body,
            options.corrupt_body,
        };
        const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
        double cumulative = 0;
        for (std::size_t i = 1; i < rates.size(); ++i) {
          cumulative += rates[i] > 0 ? rates[i] : 0.0;
          if (u < cumulative) {
            kind = static_cast<fault_kind>(i);
            break;
          }
        }
      }
      ++stats.injected[static_cast<std::size_t>(kind)];
      return kind;
    }

    [[nodiscard]] http_response synthetic(int status) const {
      const char* reason = status == 429   ? "Too Many Requests"
                           : status == 502 ? "Bad Gateway"
                           : status == 503 ? "Service Unavailable"
                                           : "Gateway Timeout";
      http_response r;
      r.status = status;
      r.headers.push_back({"Content-Type", "text/html"});
      if (options.retry_after && (status == 429 || status == 503))
        r.headers.push_back({"Retry-After", std::to_string(options.retry_after->count())});
      r.body = "<html><body><h1>" + std::to_string(status) + " " + reason +
               "</h1>injected by odoolink::testing::fault_transport</body></html>";
      return r;
    }

    // The outcome of a fault that never reaches the next transport, if `kind` is one.
    [[nodiscard]] std::optional<result<http_response>> before_sending(fault_kind kind, const http_request& request) {
      switch (kind) {
        case fault_kind::drop_request: {
          const std::string_view target = request.target;
          return result<http_response>(error(
              transport_errc::injected_fault,
              "injected fault: " + request.method + " " + std::string(target.substr(0, target.find('?'))) +
                  " dropped before it was sent; the request was not sent"));
        }
        case fault_kind::status_429:
          return result<http_response>(synthetic(429));
        case fault_kind::status_503:
          return result<http_response>(synthetic(503));
        default:
          return std::nullopt;
      }
    }

    // The outcome handed back for a forwarded request.
    [[nodiscard]] result<http_response> after_sending(fault_kind kind, result<http_response> outcome) {
      switch (kind) {
        case fault_kind::status_502:
          return synthetic(502);
        case fault_kind::status_504:
          return synthetic(504);
        case fault_kind::drop_response:
          if (!outcome) return outcome;  // nothing to drop
          return error(transport_errc::connection_lost,
                       "injected fault: the response was dropped after the server handled the request; the "
                       "request was sent and may have been processed by the server");
        case fault_kind::truncate_body:
          if (outcome && !outcome.value().body.empty()) {
            auto& body = outcome.value().body;
            body.resize(std::uniform_int_distribution<std::size_t>(0, body.size() - 1)(mutation_rng));
          }
          return outcome;
        case fault_kind::corrupt_body:
          if (outcome) {
            auto& body = outcome.value().body;
            if (body.empty()) {
              body.push_back('\xFF');
            } else {
              body[std::uniform_int_distribution<std::size_t>(0, body.size() - 1)(mutation_rng)] = '\xFF';
            }
          }
          return outcome;
        default:
          return outcome;
      }
    }

    static void forward(const std::shared_ptr<state>& self, transport::request_id id, op& o, http_request request) {
      state& s = *self;
      ++s.stats.forwarded;
      o.forwarded = true;
      std::weak_ptr<state> weak = self;
      o.inner = s.next->submit(std::move(request), [weak, id](result<http_response> outcome) {
        auto alive = weak.lock();
        if (!alive) return;
        auto it = alive->ops.find(id);
        if (it == alive->ops.end()) return;
        alive->ready.push(std::move(it->second.done), alive->after_sending(it->second.kind, std::move(outcome)));
        alive->ops.erase(it);
      });
    }

    void launch_due(const std::shared_ptr<state>& self) {
      const auto now = time->now();
      while (!delayed.empty() && delayed.begin()->first <= now) {
        const transport::request_id id = delayed.begin()->second;
        delayed.erase(delayed.begin());
        auto it = ops.find(id);
        if (it != ops.end()) forward(self, id, it->second, std::move(it->second.request));
      }
    }

    [[nodiscard]] std::optional<std::chrono::milliseconds> until_next_due() const {
      if (delayed.empty()) return std::nullopt;
      return transport::detail::ceil_ms(delayed.begin()->first - time->now());
    }
  };

  std::shared_ptr<state> s_;
};

}  // namespace testing
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
