#include "odoolink/outbox/sink.hpp"

#include <string>
#include <unordered_map>
#include <unordered_set>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

bool is_retryable_delivery_error(const error& e) noexcept {
  const auto code = e.code();
  return code == condition::retryable || code == transport_errc::outcome_unknown || code == store_errc::busy ||
         code == store_errc::io_failed;
}

std::vector<delivery> per_event_sink::deliver(std::span<const event> events) {
  std::vector<delivery> out;
  out.reserve(events.size());
  std::unordered_set<std::string> stalled;  // aggregates with a retryable failure in this call
  for (const auto& e : events) {
    if (!e.aggregate_key.empty() && stalled.contains(e.aggregate_key)) {
      out.push_back(delivery::not_attempted());
      continue;
    }
    delivery d;
    d.outcome = deliver_one(e);
    if (!d.outcome && is_retryable_delivery_error(d.outcome.error()) && !e.aggregate_key.empty())
      stalled.insert(e.aggregate_key);
    out.push_back(std::move(d));
  }
  return out;
}

void blocking_sink_adapter::start(std::span<const event> events) { held_.insert(held_.end(), events.begin(), events.end()); }

result<std::vector<finished_delivery>> blocking_sink_adapter::poll(std::chrono::milliseconds /*timeout*/) {
  std::vector<finished_delivery> out;
  if (held_.empty()) return out;
  auto outcomes = target_->deliver(held_);
  // A sink that answers too few: what it left out was not attempted.
  outcomes.resize(held_.size(), delivery::not_attempted());
  out.reserve(held_.size());
  for (std::size_t i = 0; i < held_.size(); ++i) out.push_back({std::move(held_[i].id), std::move(outcomes[i])});
  held_.clear();
  return out;
}

wakeup blocking_sink_adapter::next_wakeup() const {
  return held_.empty() ? wakeup::idle() : wakeup::at_time(std::chrono::steady_clock::now());
}

std::vector<delivery> deliver_and_wait(async_sink& target, std::span<const event> events) {
  std::vector<delivery> out(events.size(), delivery::not_attempted());
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < events.size(); ++i) index.emplace(events[i].id, i);
  target.start(events);
  std::size_t open = events.size();
  while (open > 0) {
    const auto wait = target.next_wakeup().wait_from(std::chrono::steady_clock::now(), std::chrono::milliseconds(100));
    auto finished = target.poll(wait);
    if (!finished) {
      for (const auto& [id, i] : index) {
        out[i].outcome = finished.error();
        out[i].attempted = true;
      }
      break;
    }
    for (auto& f : finished.value()) {
      auto it = index.find(f.event_id);
      if (it == index.end()) continue;  // started by someone else before this call
      out[it->second] = std::move(f.outcome);
      index.erase(it);
      --open;
    }
  }
  return out;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
