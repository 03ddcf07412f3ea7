#pragma once
/// @file
/// Outbox metrics: counters kept by the relay and the outbox, queue figures
/// read from the store (in all and per subject), as a struct and as
/// Prometheus text.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/outbox/event.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// Delivery latency (enqueue → delivered) histogram bucket bounds, seconds.
inline constexpr std::array<double, 12> latency_buckets_seconds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                                0.5,   1.0,  2.5,   5.0,  10.0, 60.0};

/// A histogram of delivery latencies over `latency_buckets_seconds`.
struct latency_histogram {
  /// Cumulative counts per bucket of `latency_buckets_seconds` (+Inf last, the total count).
  std::array<std::uint64_t, latency_buckets_seconds.size() + 1> buckets{};
  double sum_seconds = 0;

  /// Adds one latency.
  void observe(double seconds) noexcept {
    for (std::size_t i = 0; i < latency_buckets_seconds.size(); ++i)
      if (seconds <= latency_buckets_seconds[i]) ++buckets[i];
    ++buckets.back();
    sum_seconds += seconds;
  }
  /// Adds every observation of `other`.
  void merge(const latency_histogram& other) noexcept {
    for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i] += other.buckets[i];
    sum_seconds += other.sum_seconds;
  }
  /// Observations in all.
  [[nodiscard]] std::uint64_t count() const noexcept { return buckets.back(); }
};

/// Delivery counters of one subject.
struct subject_counters {
  std::uint64_t delivered = 0;  ///< events delivered
  std::uint64_t retried = 0;    ///< deliveries failed and retried later
  std::uint64_t dead = 0;       ///< events dead-lettered
  latency_histogram latency;  ///< enqueue → delivered

  /// Adds `other`'s counts.
  void merge(const subject_counters& other) noexcept {
    delivered += other.delivered;
    retried += other.retried;
    dead += other.dead;
    latency.merge(other.latency);
  }
};

/// Counters one relay (or outbox) kept since it was made.
struct relay_counters {
  std::uint64_t enqueued = 0;   ///< new events (duplicates not counted)
  std::uint64_t duplicates = 0; ///< enqueues answered with an existing event
  std::uint64_t delivered = 0;
  std::uint64_t retried = 0;
  std::uint64_t dead = 0;
  latency_histogram latency;    ///< enqueue → delivered, all subjects
  /// The same per subject.
  std::map<std::string, subject_counters, std::less<>> subjects;

  /// One delivery of a `subject` event, `seconds` after it was enqueued.
  void count_delivered(std::string_view subject, double seconds) {
    ++delivered;
    latency.observe(seconds);
    auto& s = of(subject);
    ++s.delivered;
    s.latency.observe(seconds);
  }
  /// One retryable failure of a `subject` event.
  void count_retried(std::string_view subject) {
    ++retried;
    ++of(subject).retried;
  }
  /// One `subject` event dead-lettered.
  void count_dead(std::string_view subject) {
    ++dead;
    ++of(subject).dead;
  }
  /// Adds `other`'s delivery counts (not its enqueue counts).
  void merge_deliveries(const relay_counters& other) {
    delivered += other.delivered;
    retried += other.retried;
    dead += other.dead;
    latency.merge(other.latency);
    for (const auto& [name, c] : other.subjects) of(name).merge(c);
  }

 private:
  subject_counters& of(std::string_view subject) {
    auto it = subjects.find(subject);
    if (it == subjects.end()) it = subjects.emplace(std::string(subject), subject_counters{}).first;
    return it->second;
  }
};

/// Everything known about one subject.
struct subject_metrics {
  std::string subject;                               ///< the contract subject
  queue_stats queue;                                 ///< events stored, by state
  std::optional<double> oldest_pending_age_seconds;  ///< lag: age of its oldest undelivered event
  subject_counters counters;                         ///< this process's deliveries
  /// Records reconciliation found disagreeing with Odoo at its last run;
  /// none when no count was given (see `outbox::set_reconciliation_disagreements`).
  std::optional<std::uint64_t> reconciliation_disagreements;
};

/// Everything `metrics()` reports.
struct metrics_snapshot {
  relay_counters counters;                           ///< the outbox's and the relay's counters
  queue_stats queue;                                 ///< every stored event by state
  std::optional<double> oldest_pending_age_seconds;  ///< lag over all subjects
  /// Per subject, sorted by name: every subject with stored events, counted
  /// deliveries or a reconciliation count.
  std::vector<subject_metrics> subjects;
};

/// Prometheus text exposition format (version 0.0.4). Families, each with
/// one `# HELP` and one `# TYPE` line:
/// - `odoolink_outbox_enqueued_total`, `_duplicates_total`, `_delivered_total`,
///   `_retried_total`, `_dead_total` (counters); `odoolink_outbox_events{state}`,
///   `_queue_depth`, `_oldest_pending_age_seconds` (gauges);
///   `odoolink_outbox_delivery_latency_seconds` (histogram);
/// - per subject: `odoolink_outbox_subject_events{subject,state}`,
///   `odoolink_outbox_subject_oldest_pending_age_seconds{subject}` (gauges),
///   `odoolink_outbox_subject_delivered_total{subject}`, `_retried_total`,
///   `_dead_total` (counters), `odoolink_outbox_subject_delivery_latency_seconds{subject}`
///   (histogram), `odoolink_outbox_reconciliation_disagreements{subject}` (gauge,
///   subjects with a count only).
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string to_prometheus(const metrics_snapshot& m);

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
