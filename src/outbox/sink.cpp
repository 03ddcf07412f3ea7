#include "odoolink/outbox/sink.hpp"

#include <string>
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

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
