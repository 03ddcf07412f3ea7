// A reconciliation report as JSON (PII values were never copied into it).
#include "../contract/formats.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/reconcile.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {
namespace {

json::value counts_json(const reconcile_counts& c) {
  return json::object{{"checked", static_cast<std::int64_t>(c.checked)},
                      {"agrees", static_cast<std::int64_t>(c.agrees)},
                      {"changed", static_cast<std::int64_t>(c.changed)},
                      {"deleted", static_cast<std::int64_t>(c.deleted)},
                      {"archived", static_cast<std::int64_t>(c.archived)},
                      {"not_produced", static_cast<std::int64_t>(c.not_produced)},
                      {"disagreements", static_cast<std::int64_t>(c.disagreements())}};
}

json::value record_json(const record_report& r) {
  json::value out = json::object{{"subject", r.subject},       {"external_id", r.external_id},
                                 {"model", r.model},           {"record_id", r.record_id},
                                 {"status", std::string(to_string(r.status))}};
  if (!r.event_id.empty()) {
    out.set("event_id", r.event_id);
    out.set("delivered_at", contract::detail::format_rfc3339(r.delivered_at));
  }
  if (!r.write_date.empty()) out.set("write_date", r.write_date);
  if (r.write_uid != 0) out.set("write_uid", r.write_uid);
  if (!r.write_user.empty()) out.set("write_user", r.write_user);
  if (!r.note.empty()) out.set("note", r.note);
  if (!r.differences.empty()) {
    json::array diffs;
    for (const auto& d : r.differences) {
      json::value x = json::object{{"path", d.path}, {"odoo_field", d.odoo_field}};
      if (d.pii) x.set("pii", true);
      else {
        x.set("sent", d.sent);
        x.set("in_odoo", d.in_odoo);
      }
      diffs.push_back(std::move(x));
    }
    out.set("differences", std::move(diffs));
  }
  return out;
}

}  // namespace

std::string to_json(const reconcile_report& report) {
  json::value subjects = json::object{};
  for (const auto& [s, c] : report.subjects) subjects.set(s, counts_json(c));
  json::array records;
  for (const auto& r : report.records) records.push_back(record_json(r));
  const json::value doc = json::object{{"agrees", report.agrees()},
                                       {"totals", counts_json(report.totals())},
                                       {"subjects", std::move(subjects)},
                                       {"records", std::move(records)},
                                       {"read_calls", static_cast<std::int64_t>(report.read_calls)},
                                       {"lookup_calls", static_cast<std::int64_t>(report.lookup_calls)},
                                       {"cursor", report.cursor.empty() ? json::value(nullptr) : json::value(report.cursor)}};
  return json::to_string(doc);
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
