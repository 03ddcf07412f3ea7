#include "odoolink/outbox/relay.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <random>
#include <unordered_map>

#include "default_clock.hpp"
#include "transition_trace.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

struct relay::state {
  store* events;
  async_sink* target;
  std::unique_ptr<blocking_sink_adapter> adapter;  // when given a blocking sink
  relay_options options;
  const odoolink::clock* time;
  std::mt19937_64 prng{std::random_device{}()};
  relay_counters counters;
  std::string instance;    // lease owner: `<owner>/<random>`, new for every relay object
  bool reclaimed = false;  // the name's earlier instances were fenced off
  std::unordered_map<std::string, event> started;  // on the sink, by id, until settled
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


  // What one store round trip between two sink calls did.
  struct step_result {
    std::size_t settled = 0;     // outcomes sent to the store
    std::vector<event> claimed;  // when a claim was asked for
  };

  // Settles what the sink finished and, when `claim` is given, claims in the
  // same store call (one commit where the store can: `store::settle_and_claim`).
  result<step_result> settle_and_claim(std::vector<finished_delivery> finished, const claim_request* claim,
                                       pump_report& report) {
    step_result out;
    if (finished.empty()) {
      if (claim != nullptr) {
        ODOOLINK_TRY(out.claimed, events->claim(*claim));
      }
      return out;
    }
    const timestamp now = claim != nullptr ? claim->now : this->now();
    std::vector<settlement> outcomes;
    std::vector<event> settled;
    std::vector<delivery> deliveries;
    outcomes.reserve(finished.size());
    settled.reserve(finished.size());
    deliveries.reserve(finished.size());
    for (auto& f : finished) {
      auto it = started.find(f.event_id);
      if (it == started.end()) continue;  // a sink bug: not ours
      outcomes.push_back(settle_one(it->second, f.outcome, now, report));
      settled.push_back(std::move(it->second));
      deliveries.push_back(std::move(f.outcome));
      started.erase(it);
    }
    std::vector<bool> applied;
    if (claim != nullptr) {
      ODOOLINK_TRY(auto both, events->settle_and_claim(outcomes, *claim));
      applied = std::move(both.applied);
      out.claimed = std::move(both.claimed);
    } else {
      ODOOLINK_TRY(applied, events->settle(instance, now, outcomes));
    }
    trace.settled(settled, deliveries, outcomes, applied, now);
    report.lost_leases += static_cast<std::size_t>(std::count(applied.begin(), applied.end(), false));
    out.settled = outcomes.size();
    return out;
  }

  // Waits at most `wait` for the sink; returns what it finished.
  result<std::vector<finished_delivery>> poll_finished(std::chrono::milliseconds wait) {
    if (started.empty()) return std::vector<finished_delivery>();
    trace.polling();  // calls the sink makes now belong to the events it holds
    auto polled = target->poll(wait);
    trace.sink_returned();
    return polled;
  }

  result<std::size_t> poll_sink(std::chrono::milliseconds wait, pump_report& report) {
    ODOOLINK_TRY(auto finished, poll_finished(wait));
    ODOOLINK_TRY(auto step, settle_and_claim(std::move(finished), nullptr, report));
    return step.settled;
  }

  // When the event's run of failures began (`relay_options::retry_for`): its
  // first retry (or park) row since it was enqueued or last replayed; now when
  // this is its first. Called only once the attempts are spent: the audit
  // read stays off the hot path.
  timestamp failing_since(const event& e, timestamp now) {
    if (options.retry_for <= std::chrono::microseconds::zero()) return now;
    auto rows = events->audit(0, std::numeric_limits<std::size_t>::max(), e.id);
    // A store that keeps no log for it cannot say: the event's age decides.
    if (!rows || rows.value().empty()) return e.created_at;
    std::optional<timestamp> since;
    for (const auto& r : rows.value()) {
      if (r.action == audit_action::enqueued || r.action == audit_action::replayed) since.reset();
      else if (r.action == audit_action::retry && !since) since = r.at;
    }
    return since.value_or(now);
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
    } else if (e.attempts >= options.max_attempts && now - failing_since(e, now) >= options.retry_for) {
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

relay::relay(store& store, async_sink& sink, relay_options options, const odoolink::clock* clock)
    : s_(std::make_unique<state>(state{&store, &sink, nullptr, std::move(options),
                                       clock != nullptr ? clock : &detail::default_clock(),
                                       std::mt19937_64{std::random_device{}()}, relay_counters{}, std::string(), false, {},
                                       detail::relay_trace{nullptr}})) {
  s_->trace = detail::relay_trace(s_->options.observer);
  if (s_->options.batch_size == 0) s_->options.batch_size = 1;
  if (s_->options.max_attempts < 1) s_->options.max_attempts = 1;
  static constexpr char hex[] = "0123456789abcdef";
  std::string tag(12, '0');
  for (auto& c : tag) c = hex[s_->prng() & 0xFU];
  s_->instance = s_->options.owner + "/" + tag;
}

relay::relay(store& store, sink& sink, relay_options options, const odoolink::clock* clock) {
  auto adapter = std::make_unique<blocking_sink_adapter>(sink);
  *this = relay(store, *adapter, std::move(options), clock);
  s_->adapter = std::move(adapter);
}

relay::~relay() = default;
relay::relay(relay&&) noexcept = default;
relay& relay::operator=(relay&&) noexcept = default;

result<pump_report> relay::pump(std::size_t budget) {
  state& st = *s_;
  pump_report report;
  if (!st.reclaimed) {
    // Whatever an earlier instance of this name still holds was lost with it.
    ODOOLINK_TRY(report.reclaimed, st.events->reclaim(st.options.owner, st.instance, st.now()));
    st.reclaimed = true;
  }
  bool store_drained = false;
  // A sink whose transport answers at once (in process) asks to be polled
  // again right away, call after call: follow it, a bounded number of times.
  constexpr int max_idle_rounds = 256;
  int idle_rounds = 0;
  for (bool progress = true; progress;) {
    ODOOLINK_TRY(auto finished, st.poll_finished(std::chrono::milliseconds(0)));
    // Settling what finished and claiming the next batch share one store call.
    const bool claim_now = !store_drained && report.claimed < budget && st.target->wants_more();
    claim_request request;
    if (claim_now) {
      request.owner = st.instance;
      request.now = st.now();
      request.lease = st.options.lease;
      request.max_events = std::min(st.options.batch_size, budget - report.claimed);
    }
    ODOOLINK_TRY(auto step, st.settle_and_claim(std::move(finished), claim_now ? &request : nullptr, report));
    idle_rounds = step.settled > 0 ? 0 : idle_rounds + 1;
    progress = step.settled > 0 || (!st.started.empty() && idle_rounds < max_idle_rounds &&
                                    st.target->next_wakeup().is_due(std::chrono::steady_clock::now()));
    if (!claim_now) continue;
    auto& claimed = step.claimed;
    store_drained = claimed.size() < request.max_events;  // no more due events now
    if (claimed.empty()) continue;
    report.claimed += claimed.size();
    st.trace.claimed(claimed, request.now);
    st.target->start(claimed);
    st.trace.sink_returned();
    for (auto& e : claimed) {
      std::string id = e.id;
      st.started.emplace(std::move(id), std::move(e));
    }
    progress = true;
  }
  return report;
}

result<pump_report> relay::deliver_due(std::size_t budget) {
  state& st = *s_;
  pump_report total;
  auto add = [&total](const pump_report& r) {
    total.claimed += r.claimed;
    total.delivered += r.delivered;
    total.retried += r.retried;
    total.dead += r.dead;
    total.released += r.released;
    total.parked += r.parked;
    total.lost_leases += r.lost_leases;
    total.reclaimed += r.reclaimed;
  };
  for (;;) {
    ODOOLINK_TRY(auto r, pump(budget > total.claimed ? budget - total.claimed : 0));
    add(r);
    if (st.started.empty()) {
      if (r.claimed == 0 || total.claimed >= budget) return total;
      continue;
    }
    const auto wait = st.target->next_wakeup().wait_from(std::chrono::steady_clock::now(), std::chrono::milliseconds(100));
    pump_report settled;
    ODOOLINK_TRYV(st.poll_sink(wait, settled));
    add(settled);
  }
}

result<wakeup> relay::next_wakeup() {
  state& st = *s_;
  wakeup w = st.target->next_wakeup();
  if (!st.target->wants_more()) return w;
  ODOOLINK_TRY(auto due, st.events->next_due());
  if (!due) return w;
  // The store keeps wall time; the host's timers run on the steady clock.
  const auto steady_now = st.time->now();
  const auto ahead = std::max(*due - st.now(), std::chrono::microseconds(0));
  return earliest(w, wakeup::at_time(steady_now + ahead));
}

std::size_t relay::in_flight() const noexcept { return s_->started.size(); }

std::chrono::microseconds relay::backoff_cap(int attempt) const noexcept { return s_->options.backoff.cap(attempt); }

const std::string& relay::instance_owner() const noexcept { return s_->instance; }

const relay_counters& relay::counters() const noexcept { return s_->counters; }

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
