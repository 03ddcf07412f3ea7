#include "odoolink/outbox/odoo_sink.hpp"

#include <array>
#include <optional>
#include <unordered_set>

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
  std::unordered_set<std::string> stalled;  // aggregates with a retryable failure in this deliver()

  [[nodiscard]] bool is_stalled(const event& e) const { return !e.aggregate_key.empty() && stalled.contains(e.aggregate_key); }

  void record(const event& e, delivery& slot, result<delivery_result> outcome) {
    if (!outcome && is_retryable_delivery_error(outcome.error()) && !e.aggregate_key.empty()) stalled.insert(e.aggregate_key);
    slot.outcome = std::move(outcome);
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
    ODOOLINK_TRY(auto reply, odoo.execute_kw("ir.model.data", "search_read", json::array{std::move(domain)}, std::move(kwargs)));
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
    ODOOLINK_TRY(auto reply, odoo.execute_kw(route.model, "read", json::array{json::array{id}},
                                             json::object{{"fields", json::array{route.state_field}}}));
    ODOOLINK_TRY(auto rows, json::parse(reply.json()));
    if (!rows.is_array() || rows.as_array().empty())
      return error(odoo_errc::missing_error, route.model + " " + std::to_string(id) + " is gone");
    if (const json::value* st = rows.as_array().front().find(route.state_field); st != nullptr && st->is_string())
      for (const auto& s : route.done_states)
        if (st->as_string() == s) return done;  // already happened: success, not a second action
    ODOOLINK_TRYV(odoo.execute_kw(route.model, route.method, json::array{json::array{id}}));
    return done;
  }

  result<delivery_result> run_unlink(const event& e, const unlink_route& route) {
    ODOOLINK_TRY(auto xid, record_xid(e, route.record_field));
    ODOOLINK_TRY(auto id, resolve(xid, route.model));
    delivery_result done{route.model, id, xid};
    if (id == 0) return done;  // already gone
    auto r = odoo.execute_kw(route.model, "unlink", json::array{json::array{id}});
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
  void load_group(std::span<const event> events, std::vector<prepared*> group, std::vector<delivery>& out) {
    std::erase_if(group, [&](prepared* p) {
      if (!is_stalled(events[p->index])) return false;
      out[p->index] = delivery::not_attempted();
      return true;
    });
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
      auto reply = odoo.execute_kw(std::move(call).value());
      loaded = reply ? model::parse_load_result(reply.value().json(), model)
                     : result<model::load_result>(std::move(reply).as_failure());
    }
    if (loaded && loaded.value().ids.size() == group.size()) {
      for (std::size_t i = 0; i < group.size(); ++i)
        record(events[group[i]->index], out[group[i]->index],
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
      load_group(events, std::vector<prepared*>(group.begin(), middle), out);
      load_group(events, std::vector<prepared*>(middle, group.end()), out);
      return;
    }
    error failure = loaded.error();
    if (refused && failure.message().find(missing_xid_text) != std::string::npos)
      failure = error(store_errc::dependency_pending, failure.message());
    for (auto* p : group) record(events[p->index], out[p->index], failure);
  }
};

odoo_sink::odoo_sink(client::client connection, const contract::registry& registry, odoo_sink_options options)
    : s_(std::make_unique<state>(state{std::move(connection), &registry, std::move(options), 0, {}})) {
  if (s_->options.max_batch == 0) s_->options.max_batch = 1;
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
  std::vector<delivery> out(events.size());
  s_->stalled.clear();
  std::vector<prepared> ready;
  ready.reserve(events.size());
  std::vector<prepared*> group;
  auto flush = [&] {
    if (!group.empty()) s_->load_group(events, std::move(group), out);
    group.clear();
  };
  for (std::size_t i = 0; i < events.size(); ++i) {
    const event& e = events[i];
    if (s_->is_stalled(e)) {
      out[i] = delivery::not_attempted();
      continue;
    }
    const action_route* action = nullptr;
    const unlink_route* unlink = nullptr;
    for (const auto& r : s_->options.actions)
      if (r.subject == e.subject) action = &r;
    for (const auto& r : s_->options.unlinks)
      if (r.subject == e.subject) unlink = &r;
    if (action != nullptr || unlink != nullptr) {
      flush();  // keep sequence order: earlier loads first
      s_->record(e, out[i], action != nullptr ? s_->run_action(e, *action) : s_->run_unlink(e, *unlink));
      continue;
    }
    auto p = s_->prepare(e, i);
    if (!p) {
      s_->record(e, out[i], std::move(p).as_failure());
      continue;
    }
    // `ready` never reallocates (reserved), so pointers into it stay valid.
    ready.push_back(std::move(p).value());
    prepared* item = &ready.back();
    const bool joins = !group.empty() && group.size() < s_->options.max_batch &&
                       group.front()->c.fingerprint() == item->c.fingerprint() &&
                       group.front()->rows.fields == item->rows.fields;
    if (!joins) flush();
    group.push_back(item);
  }
  flush();
  // Errors quote server answers, which may echo a credential.
  for (auto& d : out)
    if (!d.outcome) d.outcome = s_->odoo.scrubber().scrub(d.outcome.error());
  return out;
}

const secret_scrubber* odoo_sink::scrubber() const noexcept { return &s_->odoo.scrubber(); }

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
