#include "odoolink/outbox/metrics.hpp"

#include <cstdio>
#include <string>
#include <tuple>
#include <utility>

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

// `{subject="..."` (open: the caller may add labels and closes it), escaped
// as the exposition format asks: backslash, double quote, line feed.
std::string subject_label(std::string_view subject) {
  std::string out = "{subject=\"";
  for (char c : subject) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

// `labels` is empty or an open label set (`{subject="x"`) that `le` joins.
void histogram(std::string& out, const std::string& name, const std::string& labels, const latency_histogram& h) {
  const std::string open = labels.empty() ? "{" : labels + ",";
  const std::string closed = labels.empty() ? "" : labels + "}";
  for (std::size_t i = 0; i < latency_buckets_seconds.size(); ++i)
    sample(out, name + "_bucket" + open + "le=\"" + number(latency_buckets_seconds[i]) + "\"}",
           static_cast<double>(h.buckets[i]));
  sample(out, name + "_bucket" + open + "le=\"+Inf\"}", static_cast<double>(h.count()));
  sample(out, name + "_sum" + closed, h.sum_seconds);
  sample(out, name + "_count" + closed, static_cast<double>(h.count()));
}

const std::pair<const char*, std::size_t queue_stats::*> states[] = {{"pending", &queue_stats::pending},
                                                                     {"in_flight", &queue_stats::in_flight},
                                                                     {"delivered", &queue_stats::delivered},
                                                                     {"dead", &queue_stats::dead},
                                                                     {"discarded", &queue_stats::discarded}};

void totals(std::string& out, const metrics_snapshot& m) {
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
  for (const auto& [name, member] : states)
    sample(out, std::string("odoolink_outbox_events{state=\"") + name + "\"}", static_cast<double>(m.queue.*member));
  metric(out, "odoolink_outbox_queue_depth", "gauge", "Events waiting for delivery (pending and in flight).");
  sample(out, "odoolink_outbox_queue_depth", static_cast<double>(m.queue.pending + m.queue.in_flight));
  metric(out, "odoolink_outbox_oldest_pending_age_seconds", "gauge", "Age of the oldest undelivered event.");
  sample(out, "odoolink_outbox_oldest_pending_age_seconds", m.oldest_pending_age_seconds.value_or(0.0));

  metric(out, "odoolink_outbox_delivery_latency_seconds", "histogram", "Time from enqueue to delivery.");
  histogram(out, "odoolink_outbox_delivery_latency_seconds", {}, c.latency);
}

void per_subject(std::string& out, const std::vector<subject_metrics>& subjects) {
  metric(out, "odoolink_outbox_subject_events", "gauge", "Stored events by subject and state.");
  for (const auto& s : subjects)
    for (const auto& [name, member] : states)
      sample(out, "odoolink_outbox_subject_events" + subject_label(s.subject) + ",state=\"" + name + "\"}",
             static_cast<double>(s.queue.*member));
  metric(out, "odoolink_outbox_subject_oldest_pending_age_seconds", "gauge",
         "Lag: age of the subject's oldest undelivered event (0 when none).");
  for (const auto& s : subjects)
    sample(out, "odoolink_outbox_subject_oldest_pending_age_seconds" + subject_label(s.subject) + "}",
           s.oldest_pending_age_seconds.value_or(0.0));
  const std::tuple<const char*, const char*, std::uint64_t subject_counters::*> counters[] = {
      {"odoolink_outbox_subject_delivered_total", "Events of the subject delivered.", &subject_counters::delivered},
      {"odoolink_outbox_subject_retried_total", "Deliveries of the subject that failed and will be retried.",
       &subject_counters::retried},
      {"odoolink_outbox_subject_dead_total", "Events of the subject dead-lettered.", &subject_counters::dead}};
  for (const auto& [name, help, member] : counters) {
    metric(out, name, "counter", help);
    for (const auto& s : subjects)
      sample(out, name + subject_label(s.subject) + "}", static_cast<double>(s.counters.*member));
  }
  metric(out, "odoolink_outbox_subject_delivery_latency_seconds", "histogram",
         "Time from enqueue to delivery, by subject.");
  for (const auto& s : subjects)
    histogram(out, "odoolink_outbox_subject_delivery_latency_seconds", subject_label(s.subject), s.counters.latency);
  metric(out, "odoolink_outbox_reconciliation_disagreements", "gauge",
         "Records of the subject that disagreed with Odoo at the last reconciliation.");
  for (const auto& s : subjects)
    if (s.reconciliation_disagreements)
      sample(out, "odoolink_outbox_reconciliation_disagreements" + subject_label(s.subject) + "}",
             static_cast<double>(*s.reconciliation_disagreements));
}

}  // namespace

std::string to_prometheus(const metrics_snapshot& m) {
  std::string out;
  totals(out, m);
  per_subject(out, m.subjects);
  return out;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
