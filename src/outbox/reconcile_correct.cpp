// Corrections: the host's truth sent again through the outbox, on request.
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/reconcile.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

result<std::vector<correction>> enqueue_corrections(outbox& box, std::span<const record_report> chosen) {
  std::vector<event> originals;
  for (const auto& r : chosen) {
    if (r.status != record_status::changed && r.status != record_status::deleted && r.status != record_status::archived)
      continue;
    ODOOLINK_TRY(auto e, box.get(r.event_id));
    originals.push_back(std::move(e));
  }
  // Keys are kept alive here: enqueue_request holds views.
  std::vector<std::string> keys;
  keys.reserve(originals.size());
  std::vector<enqueue_request> requests;
  for (const auto& e : originals) {
    keys.push_back(e.idempotency_key + "#reconcile:" + e.id);
    requests.push_back({.subject = e.subject, .payload = e.payload, .idempotency_key = keys.back(),
                        .aggregate_key = e.aggregate_key, .version = e.contract_version,
                        .correlation_id = e.correlation_id, .causation_id = e.id});
  }
  std::vector<correction> out;
  if (requests.empty()) return out;
  ODOOLINK_TRY(auto outcomes, box.enqueue(std::span<const enqueue_request>(requests)));
  for (std::size_t i = 0; i < outcomes.size(); ++i)
    out.push_back({originals[i].result.external_id, outcomes[i].id, outcomes[i].duplicate});
  return out;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
