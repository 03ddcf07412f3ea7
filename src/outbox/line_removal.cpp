// Removal of one2many lines Odoo holds but the host never sent, host-driven.
#include "odoolink/outbox/line_removal.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "odoo_calls.hpp"
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

namespace {

// What one removal event asks for.
struct removal {
  std::string model, field, line_model, external_id;
  std::int64_t record_id = 0;
  std::set<std::int64_t> lines;
};

result<removal> removal_of(const event& e) {
  ODOOLINK_TRY(auto p, json::parse(e.payload));
  auto text = [&p](std::string_view key) -> const std::string* {
    const json::value* v = p.find(key);
    return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
  };
  const json::value* id = p.find("record_id");
  const json::value* remove = p.find("remove");
  if (text("model") == nullptr || text("field") == nullptr || text("line_model") == nullptr || id == nullptr ||
      !id->is_int() || remove == nullptr || !remove->is_array())
    return error(contract_errc::violation, e.subject + ": the payload is not a line removal (model, record_id, field, "
                                                       "line_model and remove are required)");
  removal r{*text("model"), *text("field"), *text("line_model"), text("external_id") != nullptr ? *text("external_id") : "",
            id->as_int(), {}};
  for (const auto& line : remove->as_array())
    if (line.is_int()) r.lines.insert(line.as_int());
  return r;
}

// The removal's lines that still belong to the record, from the reply of
// `read([record_id], [field])`: none when the record is gone.
result<json::array> still_present(const removal& r, const protocol::reply& reply) {
  ODOOLINK_TRY(auto rows, json::parse(reply.json()));
  json::array doomed;
  if (!rows.is_array() || rows.as_array().empty()) return doomed;  // the record is gone, and its lines with it
  const json::value* held = rows.as_array().front().find(r.field);
  if (held == nullptr || !held->is_array())
    return error(protocol_errc::unexpected_type, r.model + ".read: " + r.field + " is not a list of line ids");
  for (const auto& l : held->as_array())
    if (l.is_int() && r.lines.contains(l.as_int())) doomed.emplace_back(l.as_int());
  return doomed;
}

// Where one started event stands: waiting here, handed to `next`, a
// removal on the wire, or finished.
enum class status : std::uint8_t { waiting, with_next, in_call, delivered, failed_retryable, failed_permanent, not_attempted };

[[nodiscard]] bool is_finished(status s) noexcept {
  return s != status::waiting && s != status::with_next && s != status::in_call;
}

[[nodiscard]] status status_of(const delivery& d) noexcept {
  if (!d.attempted) return status::not_attempted;
  if (d.outcome) return status::delivered;
  return is_retryable_delivery_error(d.outcome.error()) ? status::failed_retryable : status::failed_permanent;
}

struct slot {
  event e;
  bool removal = false;
  status st = status::waiting;
  bool returned = false;                  // handed out by `poll`
  std::optional<std::uint64_t> previous;  // the aggregate's event started before it
};

enum class readiness : std::uint8_t { ready, waits, blocked };

}  // namespace

struct line_removal_sink::state : std::enable_shared_from_this<line_removal_sink::state> {
  using steady = std::chrono::steady_clock;

  client::client odoo;
  async_sink* next = nullptr;
  std::unique_ptr<blocking_sink_adapter> owned_next;  // around a plain `sink`
  line_removal_options options;
  detail::reconnect_pause reconnect;
  std::uint64_t next_key = 1;
  std::map<std::uint64_t, slot> slots;  // in start order
  std::unordered_map<std::string, std::uint64_t> last_of_aggregate;
  std::unordered_map<std::string, std::uint64_t> with_next;  // event id -> slot, while `next` holds it
  std::vector<finished_delivery> finished;                   // for the next `poll`
  std::vector<std::uint64_t> finished_keys;                  // their slots
  std::size_t calls_in_flight = 0;
  detail::dispatch_rounds rounds;

  state(client::client c, line_removal_options o) : odoo(std::move(c)), options(std::move(o)) {
    if (options.max_in_flight == 0) options.max_in_flight = 1;
  }

  // --- outcomes ------------------------------------------------------------------

  void finish(std::uint64_t key, result<delivery_result> outcome) {
    if (!outcome) outcome = odoo.scrubber().scrub(outcome.error());  // texts may quote server answers
    delivery d;
    d.outcome = std::move(outcome);
    settle(key, std::move(d));
  }

  void settle(std::uint64_t key, delivery d) {
    slot& sl = slots.at(key);
    sl.st = status_of(d);
    finished.push_back({sl.e.id, std::move(d)});
    finished_keys.push_back(key);
    rounds.again();
  }

  void skip(std::uint64_t key) { settle(key, delivery::not_attempted()); }

  // --- order ---------------------------------------------------------------------

  void take(const event& e) {
    const std::uint64_t key = next_key++;
    slot& sl = slots[key];
    sl.e = e;
    sl.removal = e.subject == line_removal_subject;
    if (e.aggregate_key.empty()) return;
    if (auto it = last_of_aggregate.find(e.aggregate_key); it != last_of_aggregate.end() && slots.contains(it->second))
      sl.previous = it->second;
    last_of_aggregate[e.aggregate_key] = key;
  }

  // `next` keeps the order of what it holds, so an event may join its
  // predecessor there; a removal waits until that one is finished.
  [[nodiscard]] readiness ready_of(const slot& sl) const {
    if (!sl.previous) return readiness::ready;
    const auto it = slots.find(*sl.previous);
    if (it == slots.end()) return readiness::ready;
    switch (it->second.st) {
      case status::failed_retryable:
      case status::not_attempted: return readiness::blocked;
      case status::delivered:
      case status::failed_permanent: return readiness::ready;
      case status::with_next: return sl.removal ? readiness::waits : readiness::ready;
      case status::waiting:
      case status::in_call: return readiness::waits;
    }
    return readiness::waits;
  }

  // --- sending -------------------------------------------------------------------

  // Hands what is free to `next` (in start order, one `start`) and sends the
  // removals that are, as far as there is room; the rest waits.
  void dispatch() {
    rounds.run([this] { dispatch_round(); });
  }

  void dispatch_round() {
    std::vector<event> passed;
    std::vector<std::uint64_t> removals;
    const bool paused = reconnect.active(steady::now());
    std::size_t room = options.max_in_flight > calls_in_flight ? options.max_in_flight - calls_in_flight : 0;
    for (auto& [key, sl] : slots) {
      if (sl.st != status::waiting) continue;
      const readiness r = ready_of(sl);
      if (r == readiness::blocked) {
        skip(key);
        continue;
      }
      if (r == readiness::waits) continue;
      if (!sl.removal) {
        sl.st = status::with_next;
        with_next.emplace(sl.e.id, key);
        passed.push_back(sl.e);
        continue;
      }
      if (paused || room == 0) continue;
      --room;
      sl.st = status::in_call;  // taken now: a later slot of its aggregate waits for it
      removals.push_back(key);
    }
    if (!passed.empty()) next->start(passed);
    for (std::uint64_t key : removals) run_removal(key);
  }

  // Reads which lines are still on the record, then unlinks those.
  void run_removal(std::uint64_t key) {
    auto r = removal_of(slots.at(key).e);
    if (!r) return finish(key, std::move(r).as_failure());
    ++calls_in_flight;
    auto plan = std::make_shared<removal>(std::move(r).value());
    const std::weak_ptr<const void> owner = weak_from_this();
    protocol::call read{plan->model, "read", json::array{json::array{plan->record_id}},
                        json::object{{"fields", json::array{plan->field}}}};
    detail::submit_repeatable(odoo, owner, std::move(read), [this, key, plan, owner](result<protocol::reply> reply) {
      if (!odoo.connected()) return lost_connection(key);
      const delivery_result done{plan->model, plan->record_id, plan->external_id};
      if (!reply) return settle_removal(key, reply.error());
      auto doomed = still_present(*plan, reply.value());
      if (!doomed) return settle_removal(key, doomed.error());
      if (doomed.value().empty()) return settle_removal(key, done);  // already gone: a replay
      detail::submit_unlink(odoo, owner, plan->line_model, std::move(doomed).value(), [this, key, done](result<void> r) {
        if (!odoo.connected()) return lost_connection(key);
        if (!r) return settle_removal(key, r.error());
        settle_removal(key, done);
      });
    });
  }

  void settle_removal(std::uint64_t key, result<delivery_result> outcome) {
    --calls_in_flight;
    reconnect.forgive();  // the server answered
    finish(key, std::move(outcome));
    dispatch();
  }

  // The connection could not be opened, so nothing was sent: the removal and
  // everything waiting go back uncounted, and the sink pauses.
  void lost_connection(std::uint64_t key) {
    --calls_in_flight;
    skip(key);
    for (auto& [k, sl] : slots)
      if (sl.st == status::waiting) skip(k);
    if (!reconnect.active(steady::now())) reconnect.failed(options.reconnect);
    dispatch();
  }

  // --- from `next` ---------------------------------------------------------------

  void take_from_next(std::vector<finished_delivery> done) {
    for (auto& f : done) {
      const auto it = with_next.find(f.event_id);
      if (it == with_next.end()) continue;  // not started through this sink
      const std::uint64_t key = it->second;
      with_next.erase(it);
      settle(key, std::move(f.outcome));
    }
  }

  // Forgets what is finished, handed out and the predecessor of no unfinished event.
  void forget_settled() {
    std::set<std::uint64_t> needed;
    for (const auto& [key, sl] : slots)
      if (!is_finished(sl.st) && sl.previous) needed.insert(*sl.previous);
    for (auto it = slots.begin(); it != slots.end();) {
      const slot& sl = it->second;
      if (!sl.returned || !is_finished(sl.st) || needed.contains(it->first)) {
        ++it;
        continue;
      }
      if (auto a = last_of_aggregate.find(sl.e.aggregate_key); a != last_of_aggregate.end() && a->second == it->first)
        last_of_aggregate.erase(a);
      it = slots.erase(it);
    }
  }
};

line_removal_sink::line_removal_sink(client::client odoo, async_sink& next, line_removal_options options)
    : s_(std::make_shared<state>(std::move(odoo), std::move(options))) {
  s_->next = &next;
}

line_removal_sink::line_removal_sink(client::client odoo, sink& next, line_removal_options options)
    : s_(std::make_shared<state>(std::move(odoo), std::move(options))) {
  s_->owned_next = std::make_unique<blocking_sink_adapter>(next);
  s_->next = s_->owned_next.get();
}

line_removal_sink::~line_removal_sink() = default;

void line_removal_sink::start(std::span<const event> events) {
  for (const auto& e : events) s_->take(e);
  s_->dispatch();
}

result<std::vector<finished_delivery>> line_removal_sink::poll(std::chrono::milliseconds timeout) {
  state& st = *s_;
  if (st.calls_in_flight > 0) {
    // Shared with `next` (the usual case), this also runs `next`'s completions.
    auto polled = st.odoo.poll(st.finished.empty() ? timeout : std::chrono::milliseconds(0));
    if (!polled) return std::move(polled).as_failure();
    timeout = std::chrono::milliseconds(0);
  }
  auto from_next = st.next->poll(st.finished.empty() ? timeout : std::chrono::milliseconds(0));
  if (!from_next) return std::move(from_next).as_failure();
  st.take_from_next(std::move(from_next).value());
  st.dispatch();  // what the outcomes (or the end of a pause) made free
  std::vector<finished_delivery> out = std::move(st.finished);
  st.finished.clear();
  for (std::uint64_t key : st.finished_keys) st.slots.at(key).returned = true;
  st.finished_keys.clear();
  st.forget_settled();
  return out;
}

std::size_t line_removal_sink::in_flight() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(s_->slots.begin(), s_->slots.end(), [](const auto& kv) { return !kv.second.returned; }));
}

bool line_removal_sink::wants_more() const noexcept {
  if (s_->reconnect.active(state::steady::now()) || !s_->next->wants_more()) return false;
  return std::all_of(s_->slots.begin(), s_->slots.end(), [](const auto& kv) { return is_finished(kv.second.st); });
}

wakeup line_removal_sink::next_wakeup() const {
  const state& st = *s_;
  const auto now = state::steady::now();
  if (!st.finished.empty()) return wakeup::at_time(now);
  wakeup w = st.next->next_wakeup();
  if (st.calls_in_flight > 0) w = earliest(w, st.odoo.next_wakeup());
  const bool waiting = std::any_of(st.slots.begin(), st.slots.end(), [](const auto& kv) { return kv.second.st == status::waiting; });
  return waiting ? st.reconnect.limit(w, now) : w;
}

std::vector<delivery> line_removal_sink::deliver(std::span<const event> events) { return deliver_and_wait(*this, events); }

const secret_scrubber* line_removal_sink::scrubber() const noexcept {
  const secret_scrubber* of_next = s_->next->scrubber();
  return of_next != nullptr ? of_next : &s_->odoo.scrubber();
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
