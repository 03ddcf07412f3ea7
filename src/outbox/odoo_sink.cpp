#include "odoolink/outbox/odoo_sink.hpp"

#include <array>
#include <optional>
#include <algorithm>
#include <unordered_map>

#include <openssl/evp.h>

#include "odoolink/contract/external_id.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/load.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

namespace {

constexpr std::string_view missing_xid_text = "No matching record found for external id";

// One event made ready for `load`.
struct prepared {
  std::size_t index = 0;  // in the delivered span
  contract::contract c;
  contract::load_rows rows;
  std::string external_id;
};

// Where one claimed event stands within a `deliver` call.
enum class status : std::uint8_t { waiting, in_call, delivered, failed_retryable, failed_permanent, not_attempted };

// What must come first for one event: its aggregate's previous event, and
// the events producing the external ids it references. `level` orders the
// calls: an event goes into a call after every call holding what it needs,
// or into the same `load` as its aggregate predecessor (rows apply in order).
struct plan_entry {
  std::optional<std::size_t> previous;  // same aggregate, earlier in the claim
  std::vector<std::size_t> producers;   // earlier events creating a referenced external id
  std::size_t level = 0;
  std::optional<prepared> load;         // set for events delivered by `load`
  const action_route* action = nullptr;
  const unlink_route* unlink = nullptr;
};

// A `load` column holding references by external id: `partner_id/id`,
// `order_line/product_id/id` (but not the record's own `id`).
bool is_reference_column(std::string_view column) {
  return column.size() > 3 && column.ends_with("/id");
}

std::size_t row_bytes(const contract::load_rows& rows) {
  std::size_t n = 0;
  for (const auto& row : rows.rows)
    for (const auto& cell : row) n += cell.size() + 3;
  return n;
}

std::string short_hash(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 5; ++i) {
    out += hex[digest[static_cast<std::size_t>(i)] >> 4U];
    out += hex[digest[static_cast<std::size_t>(i)] & 0xFU];
  }
  return out;
}

}  // namespace

struct odoo_sink::state {
  client::client odoo;
  const contract::registry* contracts;
  odoo_sink_options options;
  std::size_t load_calls = 0;
  // Per event of the current `deliver` call.
  std::vector<plan_entry> plan;
  std::vector<status> state_of;

  // An event waits (not attempted, released without counting) while its
  // aggregate's previous event failed in a way that will be retried, or a
  // record it references was not delivered. A dead predecessor does not
  // hold its aggregate back; one earlier in the same `load` goes first.
  [[nodiscard]] bool is_blocked(std::size_t i) const {
    const plan_entry& p = plan[i];
    if (p.previous) {
      const status prev = state_of[*p.previous];
      if (prev == status::failed_retryable || prev == status::not_attempted || prev == status::waiting) return true;
    }
    for (std::size_t producer : p.producers)
      if (state_of[producer] != status::delivered) return true;
    return false;
  }

  void record(std::size_t i, delivery& slot, result<delivery_result> outcome) {
    state_of[i] = outcome ? status::delivered
                          : is_retryable_delivery_error(outcome.error()) ? status::failed_retryable
                                                                          : status::failed_permanent;
    slot.outcome = std::move(outcome);
  }

  void skip(std::size_t i, delivery& slot) {
    state_of[i] = status::not_attempted;
    slot = delivery::not_attempted();
  }

  // Every call this sink makes is safe to repeat: upserts keyed by external
  // id, reads, state-guarded actions, unlink where gone means done. So a reply
  // that cannot be read (cut short, corrupted, a proxy's page) leaves only the
  // outcome unknown, and the event is retried instead of dead-lettered.
  template <class... Args>
  result<protocol::reply> call(Args&&... args) {
    auto reply = odoo.execute_kw(std::forward<Args>(args)...);
    if (!reply && is_unreadable_reply(reply.error()))
      return error(transport_errc::outcome_unknown, "outcome unknown, the reply could not be read: " + reply.error().message());
    return reply;
  }

  [[nodiscard]] static bool is_unreadable_reply(const error& e) noexcept {
    const auto code = e.code();
    return code == protocol_errc::malformed_response || code == protocol_errc::invalid_utf8 ||
           code == protocol_errc::unexpected_content_type;
  }

  result<contract::contract> contract_of(const event& e) const {
    if (auto c = contracts->find_fingerprint(e.fingerprint)) return c;
    return contracts->lookup(e.subject, e.contract_version);
  }

  // The database id behind an external id; 0 when it does not exist.
  result<std::int64_t> resolve(std::string_view xid, std::string_view model) {
    const auto dot = xid.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == xid.size())
      return error(contract_errc::violation, "\"" + std::string(xid) + "\" is not an external id (module.name)");
    json::value domain = json::array{json::array{"module", "=", std::string(xid.substr(0, dot))},
                                     json::array{"name", "=", std::string(xid.substr(dot + 1))},
                                     json::array{"model", "=", std::string(model)}};
    json::value kwargs = json::object{{"fields", json::array{"res_id"}}, {"limit", 1}};
    ODOOLINK_TRY(auto reply, call("ir.model.data", "search_read", json::array{std::move(domain)}, std::move(kwargs)));
    ODOOLINK_TRY(auto rows, json::parse(reply.json()));
    if (!rows.is_array() || rows.as_array().empty()) return std::int64_t{0};
    const json::value* id = rows.as_array().front().find("res_id");
    if (id == nullptr || !id->is_int()) return error(protocol_errc::unexpected_type, "ir.model.data.search_read: res_id is not an id");
    return id->as_int();
  }

  static result<std::string> record_xid(const event& e, const std::string& field) {
    ODOOLINK_TRY(auto payload, json::parse(e.payload));
    const json::value* v = payload.find(field);
    if (v == nullptr || !v->is_string())
      return error(contract_errc::violation, e.subject + ": the payload has no external id in \"" + field + "\"");
    return v->as_string();
  }

  result<delivery_result> run_action(const event& e, const action_route& route) {
    ODOOLINK_TRY(auto xid, record_xid(e, route.record_field));
    ODOOLINK_TRY(auto id, resolve(xid, route.model));
    if (id == 0) return error(store_errc::dependency_pending, route.model + " " + xid + " does not exist yet");
    delivery_result done{route.model, id, xid};
    ODOOLINK_TRY(auto reply, call(route.model, "read", json::array{json::array{id}},
                                             json::object{{"fields", json::array{route.state_field}}}));
    ODOOLINK_TRY(auto rows, json::parse(reply.json()));
    if (!rows.is_array() || rows.as_array().empty())
      return error(odoo_errc::missing_error, route.model + " " + std::to_string(id) + " is gone");
    if (const json::value* st = rows.as_array().front().find(route.state_field); st != nullptr && st->is_string())
      for (const auto& s : route.done_states)
        if (st->as_string() == s) return done;  // already happened: success, not a second action
    ODOOLINK_TRYV(call(route.model, route.method, json::array{json::array{id}}));
    return done;
  }

  result<delivery_result> run_unlink(const event& e, const unlink_route& route) {
    ODOOLINK_TRY(auto xid, record_xid(e, route.record_field));
    ODOOLINK_TRY(auto id, resolve(xid, route.model));
    delivery_result done{route.model, id, xid};
    if (id == 0) return done;  // already gone
    auto r = call(route.model, "unlink", json::array{json::array{id}});
    if (!r && r.error().code() != odoo_errc::missing_error) return std::move(r).as_failure();
    return done;
  }

  result<prepared> prepare(const event& e, std::size_t index) const {
    ODOOLINK_TRY(auto c, contract_of(e));
    ODOOLINK_TRY(auto payload, json::parse(e.payload));
    std::string xid = contract::payload_external_id(c, payload)
                          .value_or(derived_external_id(options.xid_module, e.subject, e.idempotency_key));
    ODOOLINK_TRY(auto rows, contract::to_load_row(c, payload, xid, options.load));
    return prepared{index, std::move(c), std::move(rows), std::move(xid)};
  }

  // Loads `group` (same contract) in one call; a refused batch is bisected.
  void load_group(std::vector<prepared*> group, std::vector<delivery>& out) {
    // In row order, so that a kept row's successor sees it in the call.
    std::vector<prepared*> kept;
    for (prepared* p : group) {
      if (is_blocked(p->index)) {
        skip(p->index, out[p->index]);
        continue;
      }
      state_of[p->index] = status::in_call;
      kept.push_back(p);
    }
    group = std::move(kept);
    if (group.empty()) return;
    contract::load_rows rows = group.front()->rows;
    for (std::size_t i = 1; i < group.size(); ++i) (void)rows.append(group[i]->rows);  // same columns: checked when grouping
    auto call = contract::to_load_call(group.front()->c, rows);
    const std::string model(group.front()->c.odoo_model());
    result<model::load_result> loaded = error(transport_errc::cancelled, "not sent");
    if (!call) {
      loaded = std::move(call).as_failure();
    } else {
      ++load_calls;
      auto reply = this->call(std::move(call).value());
      loaded = reply ? model::parse_load_result(reply.value().json(), model)
                     : result<model::load_result>(std::move(reply).as_failure());
    }
    if (loaded && loaded.value().ids.size() == group.size()) {
      for (std::size_t i = 0; i < group.size(); ++i)
        record(group[i]->index, out[group[i]->index],
               delivery_result{model, loaded.value().ids[i], group[i]->external_id});
      return;
    }
    if (loaded) {
      loaded = error(protocol_errc::unexpected_type, model + ".load: " + std::to_string(loaded.value().ids.size()) +
                                                         " ids for " + std::to_string(group.size()) + " records");
    }
    const bool refused = loaded.error().code() == odoo_errc::validation_error;
    if (refused && group.size() > 1) {
      // Odoo rolled the whole batch back: find the bad rows by halves.
      const auto middle = group.begin() + static_cast<std::ptrdiff_t>(group.size() / 2);
      load_group(std::vector<prepared*>(group.begin(), middle), out);
      load_group(std::vector<prepared*>(middle, group.end()), out);
      return;
    }
    error failure = loaded.error();
    if (refused && failure.message().find(missing_xid_text) != std::string::npos)
      failure = error(store_errc::dependency_pending, failure.message());
    for (auto* p : group) record(p->index, out[p->index], failure);
  }
};

odoo_sink::odoo_sink(client::client connection, const contract::registry& registry, odoo_sink_options options)
    : s_(std::make_unique<state>(state{std::move(connection), &registry, std::move(options), 0, {}, {}})) {
  if (s_->options.max_batch == 0) s_->options.max_batch = 1;
  if (!s_->options.load.server_has) {
    // Optional mappings follow the server's fields, learnt once per model by
    // the client (a copy shares its cache). When they cannot be learnt the
    // field is sent, and the server's answer names the problem.
    s_->options.load.server_has = [c = s_->odoo](std::string_view model, std::string_view field) mutable {
      if (c.server_fields().mode() == client::field_check::trust) return true;
      auto known = c.server_fields().get(c, model);
      return !known || known.value()->has(field);
    };
  }
}

odoo_sink::~odoo_sink() = default;

std::size_t odoo_sink::load_calls() const noexcept { return s_->load_calls; }

std::string odoo_sink::derived_external_id(std::string_view module, std::string_view subject, std::string_view key) {
  std::string name(subject);
  name += '_';
  bool replaced = false;
  for (const char ch : key) {
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    name += plain ? ch : '_';
    replaced = replaced || !plain;
  }
  for (auto& ch : name)
    if (ch == '.') ch = '_';
  if (replaced) name += "_" + short_hash(key);
  return std::string(module) + "." + name;
}

std::vector<delivery> odoo_sink::deliver(std::span<const event> events) {
  state& st = *s_;
  std::vector<delivery> out(events.size());
  st.plan.assign(events.size(), plan_entry{});
  st.state_of.assign(events.size(), status::waiting);

  // 1. Route and prepare every event; link it to what must come first.
  std::unordered_map<std::string_view, std::size_t> last_of_aggregate;
  std::unordered_map<std::string, std::size_t> producer_of;  // external id -> event creating it
  for (std::size_t i = 0; i < events.size(); ++i) {
    const event& e = events[i];
    plan_entry& p = st.plan[i];
    if (!e.aggregate_key.empty()) {
      if (auto it = last_of_aggregate.find(e.aggregate_key); it != last_of_aggregate.end()) p.previous = it->second;
      last_of_aggregate[e.aggregate_key] = i;
    }
    auto needs = [&](const std::string& xid) {
      if (auto it = producer_of.find(xid); it != producer_of.end() && it->second != i &&
                                            std::find(p.producers.begin(), p.producers.end(), it->second) == p.producers.end())
        p.producers.push_back(it->second);
    };
    for (const auto& r : st.options.actions)
      if (r.subject == e.subject) p.action = &r;
    for (const auto& r : st.options.unlinks)
      if (r.subject == e.subject) p.unlink = &r;
    if (p.action != nullptr || p.unlink != nullptr) {
      auto xid = state::record_xid(e, p.action != nullptr ? p.action->record_field : p.unlink->record_field);
      if (xid) needs(xid.value());
      continue;
    }
    auto prepared_event = st.prepare(e, i);
    if (!prepared_event) {
      st.record(i, out[i], std::move(prepared_event).as_failure());
      continue;
    }
    const auto& rows = prepared_event.value().rows;
    for (std::size_t col = 0; col < rows.fields.size(); ++col)
      if (is_reference_column(rows.fields[col]))
        for (const auto& row : rows.rows)
          if (col < row.size() && !row[col].empty()) needs(row[col]);
    producer_of[prepared_event.value().external_id] = i;
    p.load = std::move(prepared_event).value();
  }

  // 2. Levels: after every producer's call; in the predecessor's call when
  //    both go into the same `load` (same contract, same columns), else after it.
  auto same_load = [&](std::size_t a, std::size_t b) {
    const auto& x = st.plan[a].load;
    const auto& y = st.plan[b].load;
    return x && y && x->c.fingerprint() == y->c.fingerprint() && x->rows.fields == y->rows.fields;
  };
  std::size_t top = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    plan_entry& p = st.plan[i];
    if (st.state_of[i] != status::waiting) continue;  // refused before any call
    if (p.previous && st.state_of[*p.previous] == status::waiting)
      p.level = st.plan[*p.previous].level + (same_load(*p.previous, i) ? 0 : 1);
    for (std::size_t producer : p.producers)
      if (st.state_of[producer] == status::waiting) p.level = std::max(p.level, st.plan[producer].level + 1);
    top = std::max(top, p.level);
  }

  // 3. Level by level: actions and unlinks one call each, loads grouped by
  //    contract and columns into calls bounded by rows and bytes.
  for (std::size_t level = 0; level <= top; ++level) {
    std::vector<std::vector<prepared*>> groups;
    for (std::size_t i = 0; i < events.size(); ++i) {
      plan_entry& p = st.plan[i];
      if (p.level != level || st.state_of[i] != status::waiting) continue;
      if (!p.load) {
        if (st.is_blocked(i)) {
          st.skip(i, out[i]);
          continue;
        }
        st.record(i, out[i], p.action != nullptr ? st.run_action(events[i], *p.action) : st.run_unlink(events[i], *p.unlink));
        continue;
      }
      auto joins = [&](const std::vector<prepared*>& g) { return same_load(g.front()->index, i); };
      auto it = std::find_if(groups.begin(), groups.end(), joins);
      if (it == groups.end()) it = groups.insert(groups.end(), std::vector<prepared*>{});
      it->push_back(&*p.load);
    }
    for (auto& group : groups) {
      std::vector<prepared*> call;
      std::size_t bytes = 0;
      for (prepared* item : group) {
        const std::size_t size = row_bytes(item->rows);
        if (!call.empty() && (call.size() >= st.options.max_batch || bytes + size > st.options.max_batch_bytes)) {
          st.load_group(std::move(call), out);
          call.clear();
          bytes = 0;
        }
        call.push_back(item);
        bytes += size;
      }
      if (!call.empty()) st.load_group(std::move(call), out);
    }
  }
  // Errors quote server answers, which may echo a credential.
  for (auto& d : out)
    if (!d.outcome) d.outcome = st.odoo.scrubber().scrub(d.outcome.error());
  return out;
}

const secret_scrubber* odoo_sink::scrubber() const noexcept { return &s_->odoo.scrubber(); }

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
