#include "odoolink/outbox/relay.hpp"

#include <algorithm>
#include <random>

#include "default_clock.hpp"
#include "transition_trace.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

struct relay::state {
  store* events;
  sink* target;
  relay_options options;
  const odoolink::clock* time;
  std::mt19937_64 prng{std::random_device{}()};
  relay_counters counters;
  std::string instance;    // lease owner: `<owner>/<random>`, new for every relay object
  bool reclaimed = false;  // the name's earlier instances were fenced off
  detail::relay_trace trace;

  [[nodiscard]] timestamp now() const { return to_timestamp(time->wall_now()); }

  // Error texts are written to disk: no secret of the sink's or the host's may reach them.
  [[nodiscard]] std::string stored_text(std::string text) const {
    if (const secret_scrubber* own = target->scrubber(); own != nullptr) text = own->scrub(text);
    return options.scrubber.scrub(text);
  }

  [[nodiscard]] double jitter() {
    if (options.jitter) return std::clamp(options.jitter(), 0.0, 1.0);
    return std::uniform_real_distribution<double>(0.0, 1.0)(prng);
  }


  // What becomes of one claimed event after the sink answered.
  settlement settle_one(const event& e, delivery& d, timestamp now, pump_report& report) {
    settlement s;
    s.id = e.id;
    if (!d.attempted) {
      s.kind = settlement_kind::release;
      ++report.released;
      return s;
    }
    if (d.outcome) {
      s.kind = settlement_kind::delivered;
      s.result = std::move(d.outcome).value();
      ++report.delivered;
      counters.count_delivered(e.subject, std::chrono::duration<double>(now - e.created_at).count());
      return s;
    }
    const error& failure = d.outcome.error();
    s.error = stored_text(failure.message());
    if (failure == store_errc::dependency_pending) {
      // Burning attempts here would dead-letter an order whose product is
      // merely late (or dead until replayed): wait at a steady pace instead.
      s.kind = settlement_kind::park;
      s.next_attempt_at = now + std::chrono::duration_cast<std::chrono::microseconds>(options.park_for);
      ++report.parked;
      return s;
    }
    if (!is_retryable_delivery_error(failure)) {
      s.kind = settlement_kind::dead;
    } else if (e.attempts >= options.max_attempts) {
      s.kind = settlement_kind::dead;
      s.error = "gave up after " + std::to_string(e.attempts) + " attempts: " + s.error;
    } else {
      s.kind = settlement_kind::retry;
      s.next_attempt_at = now + options.backoff.wait(e.attempts, jitter());
      ++report.retried;
      counters.count_retried(e.subject);
      return s;
    }
    ++report.dead;
    counters.count_dead(e.subject);
    return s;
  }
};

relay::relay(store& store, sink& sink, relay_options options, const odoolink::clock* clock)
    : s_(std::make_unique<state>(state{&store, &sink, std::move(options), clock != nullptr ? clock : &detail::default_clock(),
                                         std::mt19937_64{std::random_device{}()}, relay_counters{}, std::string(), false,
                                         detail::relay_trace{nullptr}})) {
  s_->trace = detail::relay_trace(s_->options.observer);
  if (s_->options.batch_size == 0) s_->options.batch_size = 1;
  if (s_->options.max_attempts < 1) s_->options.max_attempts = 1;
  static constexpr char hex[] = "0123456789abcdef";
  std::string tag(12, '0');
  for (auto& c : tag) c = hex[s_->prng() & 0xFU];
  s_->instance = s_->options.owner + "/" + tag;
}

relay::~relay() = default;
relay::relay(relay&&) noexcept = default;
relay& relay::operator=(relay&&) noexcept = default;

result<pump_report> relay::pump(std::size_t budget) {
  pump_report report;
  if (!s_->reclaimed) {
    // Whatever an earlier instance of this name still holds was lost with it.
    ODOOLINK_TRY(report.reclaimed, s_->events->reclaim(s_->options.owner, s_->instance, s_->now()));
    s_->reclaimed = true;
  }
  while (report.claimed < budget) {
    claim_request request;
    request.owner = s_->instance;
    request.now = s_->now();
    request.lease = s_->options.lease;
    request.max_events = std::min(s_->options.batch_size, budget - report.claimed);
    ODOOLINK_TRY(auto claimed, s_->events->claim(request));
    if (claimed.empty()) break;
    report.claimed += claimed.size();
    s_->trace.claimed(claimed, request.now);

    auto deliveries = s_->target->deliver(claimed);
    s_->trace.sink_returned();
    if (deliveries.size() != claimed.size()) {
      // A sink bug: treat what it did not answer as not attempted; their leases return them.
      deliveries.resize(claimed.size(), delivery::not_attempted());
    }
    const timestamp now = s_->now();
    std::vector<settlement> outcomes;
    outcomes.reserve(claimed.size());
    for (std::size_t i = 0; i < claimed.size(); ++i) outcomes.push_back(s_->settle_one(claimed[i], deliveries[i], now, report));
    ODOOLINK_TRY(auto applied, s_->events->settle(s_->instance, now, outcomes));
    s_->trace.settled(claimed, deliveries, outcomes, applied, now);
    report.lost_leases += static_cast<std::size_t>(std::count(applied.begin(), applied.end(), false));
    if (claimed.size() < request.max_events) break;  // the store had no more due events
  }
  return report;
}

result<std::optional<timestamp>> relay::next_wakeup() {
  ODOOLINK_TRY(auto due, s_->events->next_due());
  if (due && *due < s_->now()) return std::optional<timestamp>(s_->now());
  return due;
}

std::chrono::microseconds relay::backoff_cap(int attempt) const noexcept { return s_->options.backoff.cap(attempt); }

const std::string& relay::instance_owner() const noexcept { return s_->instance; }

const relay_counters& relay::counters() const noexcept { return s_->counters; }

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
