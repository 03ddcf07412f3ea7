#pragma once
/// @file
/// The per-aggregate FIFO rule of `store::claim`, shared by every store.
///
/// Stores walk their undelivered (pending or in-flight) events in sequence
/// order and ask `take` about each. An event may be claimed only when every
/// earlier undelivered event of its aggregate is claimed in the same walk;
/// the first event of an aggregate that cannot be claimed (not due yet, or
/// leased by another relay) blocks the rest of that aggregate.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

class claim_planner {
 public:
  explicit claim_planner(std::size_t max_events) : max_(max_events) {}

  /// Whether to claim the next undelivered event: `claimable` says it is due
  /// (pending and due, or in flight with an expired lease).
  [[nodiscard]] bool take(std::string_view aggregate_key, bool claimable) {
    if (full()) return false;
    const bool ordered = !aggregate_key.empty();
    if (ordered && blocked_.contains(std::string(aggregate_key))) return false;
    if (!claimable) {
      if (ordered) blocked_.emplace(aggregate_key);
      return false;
    }
    ++taken_;
    return true;
  }

  /// Marks an aggregate blocked without walking its events (a store that
  /// knows an earlier event of it is invisible to the walk).
  void block(std::string_view aggregate_key) {
    if (!aggregate_key.empty()) blocked_.emplace(aggregate_key);
  }

  [[nodiscard]] bool full() const noexcept { return taken_ >= max_; }
  [[nodiscard]] std::size_t taken() const noexcept { return taken_; }

 private:
  std::size_t max_;
  std::size_t taken_ = 0;
  std::unordered_set<std::string> blocked_;
};

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
