#include "odoolink/outbox/store.hpp"

#include <map>

#include "odoolink/outbox/detail/store_rules.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

result<settle_and_claim_outcome> store::settle_and_claim(std::span<const settlement> outcomes,
                                                          const claim_request& request) {
  settle_and_claim_outcome out;
  ODOOLINK_TRY(out.applied, settle(request.owner, request.now, outcomes));
  ODOOLINK_TRY(out.claimed, claim(request));
  return out;
}

result<std::vector<subject_queue_stats>> store::subject_stats() {
  std::map<std::string, queue_stats> by_subject;
  event_filter page;
  page.limit = 4096;
  for (;;) {
    ODOOLINK_TRY(auto events, list(page));
    if (events.empty()) break;
    for (const auto& e : events) detail::count_in(by_subject[e.subject], e.state, e.created_at, 1);
    page.after_sequence = events.back().sequence;
  }
  std::vector<subject_queue_stats> out;
  out.reserve(by_subject.size());
  for (auto& [subject, stats] : by_subject) out.push_back({subject, stats});
  return out;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
