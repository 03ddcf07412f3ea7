// Removal of one2many lines Odoo holds but the host never sent.
#include "odoolink/outbox/line_removal.hpp"

#include <algorithm>
#include <set>

#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

contract::contract line_removal_contract() {
  static const contract::contract c = contract::contract::parse(R"({
    "subject": "odoolink.line_removal", "version": "1.0.0", "owner": "odoolink", "system_of_record": "host",
    "description": "One2many lines to remove from a record: lines Odoo holds that the host never sent.",
    "fields": {
      "model": {"type": "string", "required": true, "min_length": 1},
      "record_id": {"type": "integer", "required": true, "minimum": 1},
      "external_id": {"type": "string"},
      "field": {"type": "string", "required": true, "min_length": 1},
      "line_model": {"type": "string", "required": true, "min_length": 1},
      "remove": {"type": "array", "required": true, "min_items": 1, "items": {"type": "integer", "minimum": 1}}
    }
  })").value();
  return c;
}

struct line_removal_sink::state {
  client::client odoo;
  sink* next = nullptr;              // one of these two
  async_sink* next_async = nullptr;

  std::vector<delivery> deliver_next(std::span<const event> events) {
    return next != nullptr ? next->deliver(events) : deliver_and_wait(*next_async, events);
  }
  [[nodiscard]] const secret_scrubber* next_scrubber() const noexcept {
    return next != nullptr ? next->scrubber() : next_async->scrubber();
  }

  result<delivery_result> remove(const event& e) {
    ODOOLINK_TRY(auto p, json::parse(e.payload));
    const std::string model = p.find("model")->as_string();
    const std::string field = p.find("field")->as_string();
    const std::int64_t id = p.find("record_id")->as_int();
    delivery_result done{model, id, p.find("external_id") != nullptr ? p.find("external_id")->as_string() : std::string()};
    ODOOLINK_TRY(auto reply, odoo.execute_kw(model, "read", json::array{json::array{id}},
                                              json::object{{"fields", json::array{field}}}));
    ODOOLINK_TRY(auto rows, json::parse(reply.json()));
    if (!rows.is_array() || rows.as_array().empty()) return done;  // the record is gone, and its lines with it
    std::set<std::int64_t> present;
    if (const json::value* lines = rows.as_array()[0].find(field); lines != nullptr && lines->is_array())
      for (const auto& l : lines->as_array())
        if (l.is_int()) present.insert(l.as_int());
    json::array doomed;  // only lines still on this record
    for (const auto& l : p.find("remove")->as_array())
      if (present.contains(l.as_int())) doomed.push_back(l);
    if (doomed.empty()) return done;
    auto r = odoo.execute_kw(p.find("line_model")->as_string(), "unlink", json::array{std::move(doomed)});
    if (!r && r.error().code() != odoo_errc::missing_error) return std::move(r).as_failure();
    return done;
  }
};

line_removal_sink::line_removal_sink(client::client odoo, sink& next)
    : s_(std::make_unique<state>(state{std::move(odoo), &next, nullptr})) {}
line_removal_sink::line_removal_sink(client::client odoo, async_sink& next)
    : s_(std::make_unique<state>(state{std::move(odoo), nullptr, &next})) {}
line_removal_sink::~line_removal_sink() = default;

const secret_scrubber* line_removal_sink::scrubber() const noexcept { return s_->next_scrubber(); }

std::vector<delivery> line_removal_sink::deliver(std::span<const event> events) {
  std::vector<delivery> out(events.size());
  std::vector<event> others;
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].subject != line_removal_subject) {
      others.push_back(events[i]);
      at.push_back(i);
    }
  if (!others.empty()) {
    auto delivered = s_->deliver_next(others);
    for (std::size_t k = 0; k < at.size() && k < delivered.size(); ++k) out[at[k]] = std::move(delivered[k]);
  }
  // Removals come after what their aggregate sent before them in this call.
  std::set<std::string> held;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const event& e = events[i];
    const bool blocked = !e.aggregate_key.empty() && held.contains(e.aggregate_key);
    if (e.subject == line_removal_subject) {
      if (blocked) out[i] = delivery::not_attempted();
      else out[i].outcome = s_->remove(e);
    }
    if (!e.aggregate_key.empty() && (!out[i].attempted || !out[i].outcome)) held.insert(e.aggregate_key);
  }
  return out;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
