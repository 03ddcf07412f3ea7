#include "odoolink/outbox/metrics.hpp"

#include <cstdio>
#include <string>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

namespace {

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void metric(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, const std::string& name, double value) {
  out += name;
  out += ' ';
  out += number(value);
  out += '\n';
}

}  // namespace

std::string to_prometheus(const metrics_snapshot& m) {
  std::string out;
  const auto& c = m.counters;
  metric(out, "odoolink_outbox_enqueued_total", "counter", "Events enqueued (duplicates not counted).");
  sample(out, "odoolink_outbox_enqueued_total", static_cast<double>(c.enqueued));
  metric(out, "odoolink_outbox_duplicates_total", "counter", "Enqueues answered with an existing event.");
  sample(out, "odoolink_outbox_duplicates_total", static_cast<double>(c.duplicates));
  metric(out, "odoolink_outbox_delivered_total", "counter", "Events delivered.");
  sample(out, "odoolink_outbox_delivered_total", static_cast<double>(c.delivered));
  metric(out, "odoolink_outbox_retried_total", "counter", "Deliveries that failed and will be retried.");
  sample(out, "odoolink_outbox_retried_total", static_cast<double>(c.retried));
  metric(out, "odoolink_outbox_dead_total", "counter", "Events dead-lettered.");
  sample(out, "odoolink_outbox_dead_total", static_cast<double>(c.dead));

  metric(out, "odoolink_outbox_events", "gauge", "Stored events by state.");
  const std::pair<const char*, std::size_t> states[] = {{"pending", m.queue.pending},
                                                        {"in_flight", m.queue.in_flight},
                                                        {"delivered", m.queue.delivered},
                                                        {"dead", m.queue.dead},
                                                        {"discarded", m.queue.discarded}};
  for (const auto& [name, count] : states)
    sample(out, std::string("odoolink_outbox_events{state=\"") + name + "\"}", static_cast<double>(count));
  metric(out, "odoolink_outbox_queue_depth", "gauge", "Events waiting for delivery (pending and in flight).");
  sample(out, "odoolink_outbox_queue_depth", static_cast<double>(m.queue.pending + m.queue.in_flight));
  metric(out, "odoolink_outbox_oldest_pending_age_seconds", "gauge", "Age of the oldest undelivered event.");
  sample(out, "odoolink_outbox_oldest_pending_age_seconds", m.oldest_pending_age_seconds.value_or(0.0));

  metric(out, "odoolink_outbox_delivery_latency_seconds", "histogram", "Time from enqueue to delivery.");
  for (std::size_t i = 0; i < latency_buckets_seconds.size(); ++i)
    sample(out, "odoolink_outbox_delivery_latency_seconds_bucket{le=\"" + number(latency_buckets_seconds[i]) + "\"}",
           static_cast<double>(c.latency_buckets[i]));
  sample(out, "odoolink_outbox_delivery_latency_seconds_bucket{le=\"+Inf\"}", static_cast<double>(c.latency_buckets.back()));
  sample(out, "odoolink_outbox_delivery_latency_seconds_sum", c.latency_sum_seconds);
  sample(out, "odoolink_outbox_delivery_latency_seconds_count", static_cast<double>(c.latency_buckets.back()));
  return out;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
