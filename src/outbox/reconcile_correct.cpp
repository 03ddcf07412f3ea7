// Corrections: the host's truth sent again through the outbox, on request.
#include <charconv>
#include <map>

#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/line_removal.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/reconcile.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {
namespace {

// A line Odoo holds without an external id is reported at `/<field>/<model>(<id>,)`.
bool added_line(const field_difference& d, std::string& line_model, std::int64_t& id) {
  if (!d.sent.is_null() || d.in_odoo.is_null() || d.odoo_field.find('.') != std::string::npos) return false;
  const auto slash = d.path.rfind('/');
  const auto open = d.path.rfind('(');
  if (slash == std::string::npos || slash == 0 || open == std::string::npos || open < slash || !d.path.ends_with(",)"))
    return false;
  line_model = d.path.substr(slash + 1, open - slash - 1);
  const char* first = d.path.data() + open + 1;
  const char* last = d.path.data() + d.path.size() - 2;
  return std::from_chars(first, last, id).ptr == last && id > 0;
}

}  // namespace

result<std::vector<correction>> enqueue_corrections(outbox& box, std::span<const record_report> chosen,
                                                    const correction_options& options) {
  struct planned {
    std::string subject, payload, key, aggregate, version, correlation, causation, external_id;
  };
  std::vector<planned> plan;
  for (const auto& r : chosen) {
    if (r.status != record_status::changed && r.status != record_status::deleted && r.status != record_status::archived)
      continue;
    ODOOLINK_TRY(auto e, box.get(r.event_id));
    plan.push_back({e.subject, e.payload, e.idempotency_key + "#reconcile:" + e.id, e.aggregate_key, e.contract_version,
                    e.correlation_id, e.id, r.external_id});
    if (!options.remove_added_lines) continue;
    std::map<std::pair<std::string, std::string>, json::array> lines;  // (field, line model) -> ids
    for (const auto& d : r.differences) {
      std::string line_model;
      std::int64_t id = 0;
      if (added_line(d, line_model, id)) lines[{d.odoo_field, line_model}].emplace_back(id);
    }
    for (auto& [where, ids] : lines) {
      const json::value payload = json::object{{"model", r.model},       {"record_id", r.record_id},
                                               {"external_id", r.external_id}, {"field", where.first},
                                               {"line_model", where.second}, {"remove", std::move(ids)}};
      plan.push_back({std::string(line_removal_subject), json::to_string(payload),
                      e.idempotency_key + "#reconcile-lines:" + e.id + ":" + where.first, e.aggregate_key, "",
                      e.correlation_id, e.id, r.external_id});
    }
  }
  std::vector<correction> out;
  if (plan.empty()) return out;
  std::vector<enqueue_request> requests;
  for (const auto& p : plan)
    requests.push_back({.subject = p.subject, .payload = p.payload, .idempotency_key = p.key, .aggregate_key = p.aggregate,
                        .version = p.version, .correlation_id = p.correlation, .causation_id = p.causation,
                        .traceparent = {}});
  ODOOLINK_TRY(auto outcomes, box.enqueue(std::span<const enqueue_request>(requests)));
  for (std::size_t i = 0; i < outcomes.size(); ++i) out.push_back({plan[i].external_id, outcomes[i].id, outcomes[i].duplicate});
  return out;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
