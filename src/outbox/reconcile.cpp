// Reconciliation: delivered events against the records Odoo holds now.
#include "odoolink/outbox/reconcile.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "odoolink/contract/external_id.hpp"
#include "odoolink/contract/mapping.hpp"
#include "odoolink/client/server_fields.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "reconcile_compare.hpp"
#include "reconcile_read.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

std::string_view to_string(record_status s) noexcept {
  switch (s) {
    case record_status::agrees: return "agrees";
    case record_status::changed: return "changed";
    case record_status::deleted: return "deleted";
    case record_status::archived: return "archived";
    case record_status::not_produced: return "not_produced";
  }
  return "agrees";
}

reconcile_counts reconcile_report::totals() const noexcept {
  reconcile_counts t;
  for (const auto& [subject, c] : subjects) {
    t.checked += c.checked;
    t.agrees += c.agrees;
    t.changed += c.changed;
    t.deleted += c.deleted;
    t.archived += c.archived;
    t.not_produced += c.not_produced;
  }
  return t;
}

namespace {

using record_key = std::pair<std::string, std::int64_t>;  // (model, id)

// One delivered event to compare, with what it sent.
struct candidate {
  event sent;
  contract::contract c;
  json::value payload;
};

std::pair<std::string, std::string> split_xid(std::string_view xid) {
  const auto dot = xid.find('.');
  return {std::string(xid.substr(0, dot)), std::string(xid.substr(dot + 1))};
}

// A cursor is `<phase>:<position>`: `events:<sequence or index>`, `unproduced:<ir.model.data id>`.
result<std::pair<std::string, std::int64_t>> parse_cursor(std::string_view cursor) {
  if (cursor.empty()) return std::make_pair(std::string("events"), std::int64_t{0});
  const auto colon = cursor.find(':');
  std::int64_t n = -1;
  if (colon != std::string_view::npos) {
    const auto* end = cursor.data() + cursor.size();
    if (std::from_chars(cursor.data() + colon + 1, end, n).ptr != end) n = -1;
  }
  const std::string phase(cursor.substr(0, colon == std::string_view::npos ? 0 : colon));
  if (n < 0 || (phase != "events" && phase != "unproduced"))
    return error(transport_errc::invalid_request, "reconcile: not a cursor of a previous report");
  return std::make_pair(phase, n);
}

class reconciler {
 public:
  reconciler(client::client& odoo, store& events, const contract::registry& contracts, const reconcile_options& options,
             reconcile_report& report)
      : odoo_(odoo), events_(events), contracts_(contracts), options_(options), report_(report),
        batch_(std::max<std::size_t>(options.batch_size, 1)), server_has_(client::field_presence_of(odoo)) {}

  // Runs the event phase from `position`; true when it got to the end.
  result<bool> events_phase(std::int64_t& position) {
    const bool explicit_ids = !options_.external_ids.empty();
    while (true) {
      std::vector<event> page;
      if (explicit_ids) {
        ODOOLINK_TRY(page, explicit_page(position));
      } else {
        event_filter f = delivered();
        f.subject = options_.subject;
        f.after_sequence = position;
        f.limit = batch_;
        ODOOLINK_TRY(page, events_.list(f));
        if (!page.empty()) position = page.back().sequence;
      }
      for (auto& e : page) {
        ODOOLINK_TRY(auto cand, candidate_of(std::move(e), !explicit_ids));
        if (!cand) continue;
        auto& queue = queues_[std::string(cand->c.fingerprint())];
        queue.push_back(std::move(*cand));
        if (queue.size() >= batch_) ODOOLINK_TRYV(flush(queue));
      }
      const bool end = explicit_ids ? static_cast<std::size_t>(position) >= options_.external_ids.size() : page.size() < batch_;
      if (end || out_of_budget()) {
        for (auto& [fp, queue] : queues_)
          if (!queue.empty()) ODOOLINK_TRYV(flush(queue));
        return end;
      }
    }
  }

  // Records of the reconciled modules and models that no event produced,
  // from ir.model.data id `position` on; true when it got to the end.
  result<bool> unproduced_phase(std::int64_t& position) {
    std::map<std::string, std::string> subject_of_model;
    for (const auto& subject : contracts_.subjects()) {
      if (!options_.subject.empty() && subject != options_.subject) continue;
      auto c = contracts_.latest(subject);
      if (c && !c.value().odoo_model().empty()) subject_of_model.emplace(std::string(c.value().odoo_model()), subject);
    }
    if (subject_of_model.empty()) return true;
    json::array models, modules;
    for (const auto& [model, subject] : subject_of_model) models.emplace_back(model);
    for (const auto& m : options_.unproduced_modules) modules.emplace_back(m);
    while (true) {
      json::value domain = json::array{json::array{"module", "in", modules}, json::array{"model", "in", models},
                                       json::array{"id", ">", position}};
      ODOOLINK_TRY(auto rows, lookup(std::move(domain), {{"order", "id"}, {"limit", static_cast<std::int64_t>(batch_)}}));
      ++batches_;
      for (const auto& row : rows) {
        position = std::max(position, int_of(row, "id"));
        const std::string xid = text_of(row, "module") + "." + text_of(row, "name");
        event_filter f;
        f.result_external_id = xid;
        f.limit = 1;
        ODOOLINK_TRY(auto producers, events_.list(f));
        if (!producers.empty()) continue;
        record_report r;
        r.model = text_of(row, "model");
        r.subject = subject_of_model[r.model];
        r.external_id = xid;
        r.record_id = int_of(row, "res_id");
        r.status = record_status::not_produced;
        add(std::move(r));
      }
      if (rows.size() < batch_) return true;
      if (out_of_budget()) return false;
    }
  }

 private:
  static std::string text_of(const json::value& row, std::string_view key) {
    const json::value* v = row.find(key);
    return v != nullptr && v->is_string() ? v->as_string() : std::string();
  }
  static std::int64_t int_of(const json::value& row, std::string_view key) {
    const json::value* v = row.find(key);
    if (v != nullptr && v->is_array() && !v->as_array().empty()) v = &v->as_array()[0];  // many2one [id, name]
    if (v != nullptr && v->is_object()) v = v->find("id");
    return v != nullptr && v->is_int() ? v->as_int() : 0;
  }

  static event_filter delivered() {
    event_filter f;
    f.state = event_state::delivered;
    return f;
  }

  [[nodiscard]] bool out_of_budget() const { return options_.max_batches != 0 && batches_ >= options_.max_batches; }

  // The last delivered event of each of the next external ids of the list.
  result<std::vector<event>> explicit_page(std::int64_t& position) {
    std::vector<event> page;
    const auto& ids = options_.external_ids;
    for (std::size_t n = 0; n < batch_ && static_cast<std::size_t>(position) < ids.size(); ++n) {
      event_filter f = delivered();
      f.result_external_id = ids[static_cast<std::size_t>(position++)];
      f.limit = std::size_t{1} << 20U;  // every delivery of one record
      ODOOLINK_TRY(auto found, events_.list(f));
      // The last delivery of the record by an upsert (not an action or a line removal).
      for (auto it = found.rbegin(); it != found.rend(); ++it) {
        auto c = contracts_.find_fingerprint(it->fingerprint);
        if (c && c.value().odoo_model() == it->result.model) {
          page.push_back(std::move(*it));
          break;
        }
      }
    }
    return page;
  }

  // The event as a candidate, or nullopt when it is not one: outside the
  // window or subject, delivered otherwise than by an upsert (an action or
  // unlink route), or superseded by a later delivery of the same record.
  result<std::optional<candidate>> candidate_of(event e, bool check_superseded) {
    using none = std::optional<candidate>;
    if (!options_.subject.empty() && e.subject != options_.subject) return none();
    if ((options_.since && e.updated_at < *options_.since) || (options_.until && e.updated_at >= *options_.until)) return none();
    if (e.result.external_id.empty()) return none();
    auto c = contracts_.find_fingerprint(e.fingerprint);
    if (!c) c = contracts_.lookup(e.subject, e.contract_version);
    if (!c) return std::move(c).as_failure();
    if (c.value().odoo_model() != e.result.model) return none();
    ODOOLINK_TRY(auto payload, json::parse(e.payload));
    const std::string xid = contract::payload_external_id(c.value(), payload)
                                .value_or(odoo_sink::derived_external_id(options_.xid_module, e.subject, e.idempotency_key));
    if (xid != e.result.external_id) return none();
    if (check_superseded) {
      event_filter f = delivered();
      f.subject = e.subject;  // other subjects (actions, line removals) may name the record too
      f.result_external_id = xid;
      f.after_sequence = e.sequence;
      f.limit = 1;
      ODOOLINK_TRY(auto later, events_.list(f));
      if (!later.empty()) return none();
    }
    return std::optional<candidate>(candidate{std::move(e), std::move(c).value(), std::move(payload)});
  }

  result<std::vector<json::value>> lookup(json::value domain, json::object extra) {
    json::value kwargs = json::object{{"fields", json::array{"module", "name", "model", "res_id"}}};
    for (auto& [k, v] : extra) kwargs.set(k, std::move(v));
    ++report_.lookup_calls;
    ODOOLINK_TRY(auto reply, odoo_.execute_kw("ir.model.data", "search_read", json::array{std::move(domain)}, std::move(kwargs)));
    ODOOLINK_TRY(auto rows, json::parse(reply.json()));
    if (!rows.is_array()) return error(protocol_errc::unexpected_type, "ir.model.data.search_read: the result is not a list");
    return std::move(rows.as_array());
  }

  // Compares one batch (one contract version) and empties it.
  result<void> flush(std::vector<candidate>& batch) {
    ++batches_;
    const contract::contract& c = batch.front().c;
    const std::string model(c.odoo_model());
    // 1. External ids to ids.
    json::array modules, names;
    std::set<std::string> seen_modules, seen_names;
    for (const auto& cand : batch) {
      auto [module, name] = split_xid(cand.sent.result.external_id);
      if (seen_modules.insert(module).second) modules.emplace_back(module);
      if (seen_names.insert(name).second) names.emplace_back(name);
    }
    ODOOLINK_TRY(auto rows, lookup(json::array{json::array{"model", "=", model}, json::array{"module", "in", std::move(modules)},
                                               json::array{"name", "in", std::move(names)}},
                                   {}));
    std::map<std::string, std::int64_t> id_of;
    json::array ids;
    for (const auto& row : rows) {
      const std::int64_t id = int_of(row, "res_id");
      if (id_of.emplace(text_of(row, "module") + "." + text_of(row, "name"), id).second) ids.emplace_back(id);
    }
    // 2. The records, with lines and references.
    std::map<std::int64_t, json::value> records;
    if (!ids.empty()) {
      std::vector<const json::value*> payloads;
      for (const auto& cand : batch) payloads.push_back(&cand.payload);
      ODOOLINK_TRY(auto list, detail::read_records(odoo_, model, ids, detail::read_specification(c, payloads, server_has_),
                                                   json::object{{"active_test", false}}, report_.read_calls));
      for (auto& rec : list) records.emplace(int_of(rec, "id"), std::move(rec));
    }
    // 3. External ids of what they reference.
    ODOOLINK_TRYV(resolve_related(c, records));
    for (auto& cand : batch) {
      const auto id = id_of.find(cand.sent.result.external_id);
      const auto rec = id == id_of.end() ? records.end() : records.find(id->second);
      add(compare(cand, rec == records.end() ? nullptr : &rec->second));
    }
    batch.clear();
    return success();
  }

  result<void> resolve_related(const contract::contract& c, const std::map<std::int64_t, json::value>& records) {
    std::vector<record_key> related;
    for (const auto& [id, rec] : records) detail::collect_related(c, rec, related);
    xids_.clear();
    if (related.empty()) return success();
    std::map<std::string, json::array> ids_by_model;
    std::set<record_key> unique(related.begin(), related.end());
    for (const auto& [m, id] : unique) ids_by_model[m].emplace_back(id);
    json::array domain;
    for (std::size_t i = 1; i < ids_by_model.size(); ++i) domain.emplace_back("|");
    for (auto& [m, ids] : ids_by_model) {
      domain.emplace_back("&");
      domain.push_back(json::array{"model", "=", m});
      domain.push_back(json::array{"res_id", "in", std::move(ids)});
    }
    ODOOLINK_TRY(auto rows, lookup(std::move(domain), {{"order", "id"}}));
    for (const auto& row : rows)
      xids_[{text_of(row, "model"), int_of(row, "res_id")}].push_back(text_of(row, "module") + "." + text_of(row, "name"));
    // A record may carry several external ids; the export module's are the last choice.
    for (auto& [key, list] : xids_)
      std::stable_partition(list.begin(), list.end(), [](const std::string& x) { return !x.starts_with("__export__."); });
    return success();
  }

  record_report compare(const candidate& cand, const json::value* rec) {
    record_report r;
    r.subject = cand.sent.subject;
    r.external_id = cand.sent.result.external_id;
    r.model = cand.sent.result.model;
    r.event_id = cand.sent.id;
    r.delivered_at = cand.sent.updated_at;
    if (rec == nullptr) {
      r.status = record_status::deleted;
      return r;
    }
    r.record_id = int_of(*rec, "id");
    r.write_date = text_of(*rec, "write_date");
    if (const json::value* uid = rec->find("write_uid"); uid != nullptr) {
      r.write_uid = int_of(*rec, "write_uid");
      if (uid->is_object()) r.write_user = text_of(*uid, "display_name");
    }
    const json::value* active = rec->find("active");
    if (active != nullptr && active->is_bool() && !active->as_bool() && detail::sent_active(cand.c, cand.payload).value_or(true)) {
      r.status = record_status::archived;
      return r;
    }
    contract::from_odoo_options read_options;
    read_options.external_id = r.external_id;
    read_options.validate = false;
    read_options.external_id_of = [this](std::string_view model, std::int64_t id) -> result<std::string> {
      const auto it = xids_.find({std::string(model), id});
      // Odoo's own notation for a record without an external id: never a valid external id.
      if (it == xids_.end()) return std::string(model) + "(" + std::to_string(id) + ",)";
      return it->second.front();
    };
    auto back = contract::from_odoo_record(cand.c, *rec, read_options);
    if (!back) {
      r.status = record_status::changed;
      r.note = "the record read back does not fit contract " + std::string(cand.c.subject()) + " " +
               std::string(cand.c.version()) + " (" + std::string(back.error().code().message()) + ")";
      return r;
    }
    const detail::same_record_fn same = [this](std::string_view a, std::string_view b) {
      for (const auto& [key, list] : xids_)
        if (std::find(list.begin(), list.end(), b) != list.end()) return std::find(list.begin(), list.end(), a) != list.end();
      return false;
    };
    r.differences = detail::compare_payloads(cand.c, cand.payload, back.value(), r.external_id, same, server_has_);
    r.status = r.differences.empty() ? record_status::agrees : record_status::changed;
    return r;
  }

  void add(record_report r) {
    reconcile_counts& n = report_.subjects[r.subject];
    ++n.checked;
    switch (r.status) {
      case record_status::agrees: ++n.agrees; break;
      case record_status::changed: ++n.changed; break;
      case record_status::deleted: ++n.deleted; break;
      case record_status::archived: ++n.archived; break;
      case record_status::not_produced: ++n.not_produced; break;
    }
    if (r.status != record_status::agrees || options_.include_agreeing) report_.records.push_back(std::move(r));
  }

  client::client& odoo_;
  store& events_;
  const contract::registry& contracts_;
  const reconcile_options& options_;
  reconcile_report& report_;
  std::size_t batch_;
  contract::field_presence server_has_;  // optional mappings follow the server's fields, as delivery did
  std::size_t batches_ = 0;
  std::map<std::string, std::vector<candidate>> queues_;  // by contract fingerprint
  std::map<record_key, std::vector<std::string>> xids_;   // of the current batch's related records
};

}  // namespace

result<reconcile_report> reconcile(client::client& odoo, store& events, const contract::registry& contracts,
                                   const reconcile_options& options) {
  ODOOLINK_TRY(auto cursor, parse_cursor(options.cursor));
  reconcile_report report;
  reconciler r(odoo, events, contracts, options, report);
  auto [phase, position] = cursor;
  if (phase == "events") {
    ODOOLINK_TRY(const bool done, r.events_phase(position));
    if (!done) {
      report.cursor = "events:" + std::to_string(position);
      return report;
    }
    phase = "unproduced";
    position = 0;
  }
  if (!options.unproduced_modules.empty()) {
    ODOOLINK_TRY(const bool done, r.unproduced_phase(position));
    if (!done) report.cursor = "unproduced:" + std::to_string(position);
  }
  return report;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
