#pragma once
// Records per `load` call for one model, paced so that a call keeps the
// server busy about a target time: the rule of "Pacing" in odoo_sink.hpp.

#include <algorithm>
#include <chrono>
#include <cstddef>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

class load_pace {
 public:
  explicit load_pace(std::size_t max) noexcept : max_(std::max<std::size_t>(max, 1)), limit_(max_) {}

  [[nodiscard]] std::size_t limit() const noexcept { return limit_; }

  // A call of `records` kept the server busy for `spent`; `answered`: Odoo
  // answered (applied or refused the rows), otherwise the transport failed.
  // A failed slow call at least halves the limit: its pace is a lower bound.
  void took(std::size_t records, std::chrono::nanoseconds spent, std::chrono::nanoseconds target, bool answered) noexcept {
    if (records == 0 || target <= std::chrono::nanoseconds::zero()) return;
    const double fit = static_cast<double>(records) * static_cast<double>(target.count()) /
                       static_cast<double>(std::max<std::chrono::nanoseconds::rep>(spent.count(), 1));
    if (spent >= target) {
      std::size_t shrunk = fit < 1.0 ? 1 : static_cast<std::size_t>(fit);
      if (!answered) shrunk = std::min(shrunk, std::max<std::size_t>(records / 2, 1));
      limit_ = std::min(limit_, shrunk);
    } else if (answered && records >= limit_) {
      const double grown = std::min({fit, static_cast<double>(max_), 2.0 * static_cast<double>(limit_)});
      limit_ = std::max(limit_, static_cast<std::size_t>(grown));
    }
  }

 private:
  std::size_t max_;
  std::size_t limit_;
};

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
