#pragma once
// Records per `load` call for one model, paced by how long the server takes
// so that a call lasts about a target time. Odoo's cost per row grows with
// the batch for records with lines (measured on Odoo 19, sale orders of 3
// lines: 10 per call 0.3 s, 50 per call 2.1 s, 200 per call 20.8 s), so a
// fixed `max_batch` can make a call outlast its timeout and a relay's lease,
// and hold the server's transaction, with every lock it takes, as long.

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
  // A call that took `target` or longer, answered or not (a timeout is one),
  // shrinks the limit to what would have fit in `target` at its pace, and a
  // failed one at least halves it: the rows it had were too many to learn
  // the pace from. A full, answered call with time to spare grows the limit
  // towards what fits, at most doubling it. Quick partial calls and quick
  // failures (a 503, a reset) change nothing.
  void took(std::size_t records, std::chrono::nanoseconds spent, std::chrono::nanoseconds target, bool answered) noexcept {
    if (records == 0 || target <= std::chrono::nanoseconds::zero()) return;
    const double fit = static_cast<double>(records) * static_cast<double>(target.count()) /
                       static_cast<double>(std::max<std::chrono::nanoseconds::rep>(spent.count(), 1));
    if (spent >= target) {
      std::size_t shrunk = fit < 1.0 ? 1 : static_cast<std::size_t>(fit);
      if (!answered) shrunk = std::min(shrunk, std::max<std::size_t>(records / 2, 1));
      limit_ = std::max<std::size_t>(std::min(limit_, shrunk), 1);
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
