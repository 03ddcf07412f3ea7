#include "odoolink/outbox/odoo_sink.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <openssl/evp.h>

#include "odoolink/contract/external_id.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/load.hpp"
#include "load_pace.hpp"
#include "odoo_calls.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

namespace {

constexpr std::string_view missing_xid_text = "No matching record found for external id";

// One event made ready for `load`.
struct prepared {
  contract::contract c;
  contract::load_rows rows;
  std::string external_id;
  std::string group;  // events with the same group may share a `load`: contract and columns
  std::size_t bytes = 0;
};

// Where one started event stands.
enum class status : std::uint8_t { waiting, in_call, delivered, failed_retryable, failed_permanent, not_attempted };

[[nodiscard]] bool is_finished(status s) noexcept { return s != status::waiting && s != status::in_call; }

// One started event and what must come first for it: its aggregate's
// previous unfinished event, and the events producing the external ids it
// references (keys of `slots`, which stay while anything refers to them).
struct slot {
  event e;
  status st = status::waiting;
  bool returned = false;                 // handed out by `poll`
  std::optional<std::uint64_t> previous;
  std::vector<std::uint64_t> producers;
  std::optional<prepared> load;          // set for events delivered by `load`
  std::vector<std::string> needs_fields; // models whose server fields `load` must learn first
  const action_route* action = nullptr;
  const unlink_route* unlink = nullptr;
};

// One `load` on the wire; `after` holds the halves of a refused batch still
// to send, in order, each once the one before it is settled.
struct load_call {
  std::vector<std::uint64_t> members;
  std::vector<std::vector<std::uint64_t>> after;
  std::chrono::steady_clock::time_point sent_at{};
};

enum class readiness : std::uint8_t { ready, joins_previous, waits, blocked };

// A `load` column holding references by external id: `partner_id/id`,
// `order_line/product_id/id` (but not the record's own `id`).
bool is_reference_column(std::string_view column) {
  return column.size() > 3 && column.ends_with("/id");
}

// The external ids the rows reference.
std::vector<std::string_view> references_of(const contract::load_rows& rows) {
  std::vector<std::string_view> out;
  for (std::size_t col = 0; col < rows.fields.size(); ++col)
    if (is_reference_column(rows.fields[col]))
      for (const auto& row : rows.rows)
        if (col < row.size() && !row[col].empty()) out.emplace_back(row[col]);
  return out;
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

struct odoo_sink::state : std::enable_shared_from_this<odoo_sink::state> {
  using steady = std::chrono::steady_clock;
  using finish_fn = std::function<void(result<delivery_result>)>;

  client::client odoo;
  const contract::registry* contracts;
  odoo_sink_options options;
  std::size_t load_calls = 0;
  std::uint64_t next_key = 1;
  std::map<std::uint64_t, slot> slots;  // in start order
  std::unordered_map<std::string, std::uint64_t> last_of_aggregate;
  std::unordered_map<std::string, std::uint64_t> producer_of;  // external id -> slot creating it
  std::vector<finished_delivery> finished;                     // for the next `poll`
  std::vector<std::uint64_t> finished_keys;                    // their slots
  std::size_t calls_in_flight = 0;
  // Records per `load` of each model, paced by the server's time per call;
  // a call's time runs from its sending or the previous load's end, whichever
  // is later (a single-worker server queues the calls in flight).
  std::unordered_map<std::string, detail::load_pace> paces;
  std::chrono::steady_clock::time_point last_load_done{};
  detail::dispatch_rounds rounds;
  bool connecting = false;
  detail::reconnect_pause reconnect;  // after a failed connection
  // Server fields for optional mappings, learnt host-driven (no `server_has`
  // given): models with a `fields_get` on the wire, models whose fields could
  // not be learnt (Odoo refused: fields assumed present until the next
  // connection), and the models `prepare` found unknown.
  std::set<std::string, std::less<>> fields_asked;
  std::set<std::string, std::less<>> fields_unlearnt;
  std::vector<std::string>* unknown_models = nullptr;

  state(client::client c, const contract::registry& r, odoo_sink_options o)
      : odoo(std::move(c)), contracts(&r), options(std::move(o)) {
    if (options.load.server_has) return;
    // Optional mappings follow the server's fields, from the client's cache;
    // an unknown model's fields are asked host-driven before its events go.
    options.load.server_has = [this](std::string_view model, std::string_view field) { return has_field(model, field); };
  }

  // Never asks the server: a model not learnt yet is noted in `unknown_models`
  // and its fields count as present (the rows are prepared again once known).
  bool has_field(std::string_view model, std::string_view field) {
    const client::fields_cache& cache = odoo.server_fields();
    if (cache.mode() == client::field_check::trust) return true;
    if (auto known = cache.find(model)) return known->has(field);
    if (unknown_models != nullptr && !fields_unlearnt.contains(model) &&
        std::find(unknown_models->begin(), unknown_models->end(), model) == unknown_models->end())
      unknown_models->emplace_back(model);
    return true;
  }

  [[nodiscard]] bool paused(steady::time_point now) const { return reconnect.active(now); }

  [[nodiscard]] std::size_t load_limit(std::string_view model) const {
    if (auto it = paces.find(std::string(model)); it != paces.end()) return it->second.limit();
    return options.max_batch;
  }

  void paced(std::string_view model, const load_call& lc, bool answered) {
    const auto now = steady::now();
    const auto spent = now - std::max(lc.sent_at, last_load_done);
    last_load_done = now;
    auto it = paces.try_emplace(std::string(model), options.max_batch).first;
    it->second.took(lc.members.size(), spent, options.target_load_time, answered);
  }

  // --- outcomes ----------------------------------------------------------------

  void finish(std::uint64_t key, result<delivery_result> outcome) {
    slot& sl = slots.at(key);
    if (outcome) {
      sl.st = status::delivered;
    } else {
      // Errors quote server answers, which may echo a credential.
      outcome = odoo.scrubber().scrub(outcome.error());
      sl.st = is_retryable_delivery_error(outcome.error()) ? status::failed_retryable : status::failed_permanent;
    }
    delivery d;
    d.outcome = std::move(outcome);
    finished.push_back({sl.e.id, std::move(d)});
    finished_keys.push_back(key);
  }

  void skip(std::uint64_t key) {
    slot& sl = slots.at(key);
    sl.st = status::not_attempted;
    finished.push_back({sl.e.id, delivery::not_attempted()});
    finished_keys.push_back(key);
  }

  // Every call this sink makes is safe to repeat: upserts keyed by external
  // id, reads, state-guarded actions, unlink where gone means done. So a reply
  // that cannot be read leaves only the outcome unknown, and the event is
  // retried instead of dead-lettered (`detail::submit_repeatable`). `done`
  // runs inside a later poll (or now, when the call cannot be encoded), and
  // only while the sink lives, so it may use `this`.
  void submit(protocol::call c, std::function<void(result<protocol::reply>)> done,
              const client::call_options& per_call = {}) {
    detail::submit_repeatable(odoo, weak_from_this(), std::move(c), std::move(done), per_call);
  }

  // --- what must come first ----------------------------------------------------

  // Ready; or in the same `load` as its predecessor, queued this round; or it
  // waits for something unfinished; or it is blocked for good (not attempted).
  [[nodiscard]] readiness ready_of(const slot& sl, const std::unordered_map<std::uint64_t, std::size_t>& queued) const {
    bool waits = false;
    bool joins = false;
    if (sl.previous) {
      if (auto it = slots.find(*sl.previous); it != slots.end()) {
        const status prev = it->second.st;
        if (prev == status::failed_retryable || prev == status::not_attempted) return readiness::blocked;
        if (prev == status::waiting) waits = true;
        if (prev == status::in_call) (queued.contains(*sl.previous) ? joins : waits) = true;
      }
    }
    for (std::uint64_t producer : sl.producers) {
      const status st = slots.at(producer).st;
      if (st == status::waiting || st == status::in_call) waits = true;
      else if (st != status::delivered) return readiness::blocked;
    }
    if (waits) return readiness::waits;
    return joins ? readiness::joins_previous : readiness::ready;
  }

  // --- taking events -------------------------------------------------------------

  result<contract::contract> contract_of(const event& e) const {
    if (auto c = contracts->find_fingerprint(e.fingerprint)) return c;
    return contracts->lookup(e.subject, e.contract_version);
  }

  static result<std::string> record_xid(const event& e, const std::string& field) {
    ODOOLINK_TRY(auto payload, json::parse(e.payload));
    const json::value* v = payload.find(field);
    if (v == nullptr || !v->is_string())
      return error(contract_errc::violation, e.subject + ": the payload has no external id in \"" + field + "\"");
    return v->as_string();
  }

  // The event's `load` rows; `unknown` gets the models whose server fields
  // are not known yet (the rows then hold every optional mapping).
  result<prepared> prepare(const event& e, std::vector<std::string>& unknown) {
    ODOOLINK_TRY(auto c, contract_of(e));
    ODOOLINK_TRY(auto payload, json::parse(e.payload));
    std::string xid = contract::payload_external_id(c, payload)
                          .value_or(derived_external_id(options.xid_module, e.subject, e.idempotency_key));
    unknown_models = &unknown;
    auto mapped = contract::to_load_row(c, payload, xid, options.load);
    unknown_models = nullptr;
    ODOOLINK_TRY(auto rows, std::move(mapped));
    std::string group(c.fingerprint());
    for (const auto& f : rows.fields) group += "\n" + f;
    const std::size_t bytes = row_bytes(rows);
    return prepared{std::move(c), std::move(rows), std::move(xid), std::move(group), bytes};
  }

  // The events that follow each other in order: the aggregate's, or its subject's within it.
  [[nodiscard]] std::string order_chain(const event& e) const {
    if (options.order == aggregate_order::all_events) return e.aggregate_key;
    return e.aggregate_key + '\n' + e.subject;
  }

  void take(const event& e) {
    const std::uint64_t key = next_key++;
    slot& sl = slots[key];
    sl.e = e;
    if (!e.aggregate_key.empty()) {
      const std::string chain = order_chain(e);
      if (auto it = last_of_aggregate.find(chain); it != last_of_aggregate.end()) sl.previous = it->second;
      last_of_aggregate[chain] = key;
    }
    auto needs = [&](const std::string& xid) {
      if (auto it = producer_of.find(xid); it != producer_of.end() && it->second != key &&
                                            std::find(sl.producers.begin(), sl.producers.end(), it->second) == sl.producers.end())
        sl.producers.push_back(it->second);
    };
    for (const auto& r : options.actions)
      if (r.subject == e.subject) sl.action = &r;
    for (const auto& r : options.unlinks)
      if (r.subject == e.subject) sl.unlink = &r;
    if (sl.action != nullptr || sl.unlink != nullptr) {
      auto xid = record_xid(e, sl.action != nullptr ? sl.action->record_field : sl.unlink->record_field);
      if (xid) needs(xid.value());
      return;
    }
    std::vector<std::string> unknown;
    auto prepared_event = prepare(e, unknown);
    if (!prepared_event) return finish(key, std::move(prepared_event).as_failure());
    // With fields unknown the rows hold every optional column: a superset of
    // the references, narrowed once the fields are known.
    for (std::string_view xid : references_of(prepared_event.value().rows)) needs(std::string(xid));
    producer_of[prepared_event.value().external_id] = key;
    sl.load = std::move(prepared_event).value();
    sl.needs_fields = std::move(unknown);
  }

  // --- the server's fields ---------------------------------------------------------

  // One `fields_get` per model on the wire; the answer goes into the client's
  // cache (shared with its copies: typed reads, the reconciler).
  void ask_fields(const std::string& model) {
    if (!fields_asked.insert(model).second) return;
    submit(client::fields_get_call(model), [this, model](result<protocol::reply> reply) { on_fields(model, std::move(reply)); });
  }

  [[nodiscard]] static bool waits_for_fields(const slot& sl, std::string_view model) {
    return sl.st == status::waiting && std::find(sl.needs_fields.begin(), sl.needs_fields.end(), model) != sl.needs_fields.end();
  }

  void on_fields(const std::string& model, result<protocol::reply> reply) {
    fields_asked.erase(model);
    if (!odoo.connected()) return went_offline();
    auto learnt = reply ? client::parse_model_fields(model, reply.value().json())
                        : result<client::model_fields>(std::move(reply).as_failure());
    if (!learnt && is_retryable_delivery_error(learnt.error())) {
      // Nothing was sent: the events waiting for the fields go back uncounted
      // (and, in the round below, the events of their aggregates after them),
      // and the sink pauses.
      for (auto& [key, sl] : slots)
        if (waits_for_fields(sl, model)) skip(key);
      pause();
      return dispatch();
    }
    // Odoo refused (an access error, a model it lacks): the fields are sent
    // and the `load` answer names the problem, as `field_presence_of` does.
    if (learnt) {
      reconnect.forgive();  // the server answers again: the next failure pauses briefly
      odoo.server_fields().put(std::move(learnt).value());
    } else {
      fields_unlearnt.insert(model);
    }
    for (auto& [key, sl] : slots)
      if (waits_for_fields(sl, model)) prepare_again(key);
    dispatch();
  }

  // The rows of a waiting event, now that more of the server's fields are known.
  void prepare_again(std::uint64_t key) {
    slot& sl = slots.at(key);
    std::vector<std::string> unknown;
    auto again = prepare(sl.e, unknown);
    sl.needs_fields = std::move(unknown);
    if (!again) return finish(key, std::move(again).as_failure());
    const auto refs = references_of(again.value().rows);
    std::erase_if(sl.producers, [&](std::uint64_t p) {
      return std::find(refs.begin(), refs.end(), slots.at(p).load->external_id) == refs.end();
    });
    sl.load = std::move(again).value();
  }

  // --- sending -------------------------------------------------------------------

  // Sends every event that is ready, in calls bounded by rows, bytes and the
  // calls already on the wire; the rest waits for a later round.
  void dispatch() {
    rounds.run([this] { dispatch_round(); });
  }

  void dispatch_round() {
    if (!odoo.connected()) return connect();
    struct chunk {
      std::vector<std::uint64_t> members;
      std::size_t bytes = 0;
      bool open = true;
      bool full = false;  // at its limit, or a row of its group did not fit
      std::size_t limit = 0;  // records: its model's paced limit
    };
    const bool busy = calls_in_flight > 0;
    std::vector<chunk> chunks;
    std::unordered_map<std::uint64_t, std::size_t> queued;  // slot -> its chunk this round
    std::size_t room = options.max_in_flight > calls_in_flight ? options.max_in_flight - calls_in_flight : 0;
    auto fits = [&](chunk& c, const prepared& p) {
      if (!c.open || slots.at(c.members.front()).load->group != p.group) return false;
      if (c.members.size() < c.limit && c.bytes + p.bytes <= options.max_batch_bytes) return true;
      c.full = true;
      return false;
    };
    for (auto& [key, sl] : slots) {
      if (sl.st != status::waiting) continue;
      const readiness r = ready_of(sl, queued);
      if (r == readiness::blocked) {
        skip(key);
        continue;
      }
      if (!sl.needs_fields.empty()) {
        // A copy: an answer known at once (an encoding error) prepares the event again.
        const std::vector<std::string> models = sl.needs_fields;
        for (const auto& model : models) ask_fields(model);
        continue;
      }
      if (r == readiness::waits) continue;
      if (!sl.load) {
        if (r != readiness::ready || room == 0) continue;
        --room;
        run_single(key);
        continue;
      }
      const prepared& p = *sl.load;
      std::optional<std::size_t> into;
      if (r == readiness::joins_previous) {
        // Only in its predecessor's call: another call could overtake it.
        const std::size_t c = queued.at(*sl.previous);
        if (fits(chunks[c], p)) into = c;
      } else {
        for (std::size_t c = chunks.size(); c-- > 0;)
          if (fits(chunks[c], p)) {
            into = c;
            break;
          }
        if (!into && room > 0) {
          --room;
          into = chunks.size();
          chunks.emplace_back().limit = load_limit(p.c.odoo_model());
        }
      }
      if (!into) continue;
      chunk& c = chunks[*into];
      c.members.push_back(key);
      c.bytes += p.bytes;
      if (c.members.size() >= c.limit) {
        c.open = false;
        c.full = true;
      }
      queued.emplace(key, *into);
      sl.st = status::in_call;
    }
    // Partial loads go one at a time, the oldest first: the others gather
    // until a call finishes (on_load dispatches again).
    bool partial_out = busy;
    for (auto& c : chunks) {
      if (!c.full && options.fill_batches_while_busy) {
        if (partial_out) {
          for (std::uint64_t key : c.members) slots.at(key).st = status::waiting;
          continue;
        }
        partial_out = true;
      }
      send_load(load_call{std::move(c.members), {}});
    }
  }

  // Sends one load (members in row order), skipping members whose
  // predecessor failed meanwhile (an earlier half of a refused batch).
  void send_load(load_call lc) {
    std::vector<std::uint64_t> kept;
    for (std::uint64_t key : lc.members) {
      const slot& sl = slots.at(key);
      if (sl.previous) {
        auto it = slots.find(*sl.previous);
        if (it != slots.end() && (it->second.st == status::failed_retryable || it->second.st == status::not_attempted)) {
          skip(key);
          continue;
        }
      }
      kept.push_back(key);
    }
    lc.members = std::move(kept);
    if (lc.members.empty()) return send_next_half(std::move(lc));
    const prepared& first = *slots.at(lc.members.front()).load;
    contract::load_rows rows = first.rows;
    for (std::size_t i = 1; i < lc.members.size(); ++i) (void)rows.append(slots.at(lc.members[i]).load->rows);  // same columns
    auto c = contract::to_load_call(first.c, rows);
    if (!c) {
      for (std::uint64_t key : lc.members) finish(key, c.error());
      return send_next_half(std::move(lc));
    }
    ++load_calls;
    ++calls_in_flight;
    lc.sent_at = steady::now();
    auto call = std::make_shared<load_call>(std::move(lc));
    submit(std::move(c).value(), [this, call](result<protocol::reply> reply) { on_load(std::move(*call), std::move(reply)); },
           {.finish_body = {}, .timeout = options.load_timeout});
  }

  void send_next_half(load_call lc) {
    if (lc.after.empty()) return;
    load_call next{std::move(lc.after.front()), {}};
    next.after.assign(std::make_move_iterator(lc.after.begin() + 1), std::make_move_iterator(lc.after.end()));
    send_load(std::move(next));
  }

  void on_load(load_call lc, result<protocol::reply> reply) {
    --calls_in_flight;
    if (!odoo.connected()) return lost_connection(lc);
    const std::string model(slots.at(lc.members.front()).load->c.odoo_model());
    result<model::load_result> loaded = reply ? model::parse_load_result(reply.value().json(), model)
                                              : result<model::load_result>(std::move(reply).as_failure());
    paced(model, lc, loaded || loaded.error().code().category() == odoo_category());
    if (loaded && loaded.value().ids.size() == lc.members.size()) {
      for (std::size_t i = 0; i < lc.members.size(); ++i) {
        const std::uint64_t key = lc.members[i];
        finish(key, delivery_result{model, loaded.value().ids[i], slots.at(key).load->external_id});
      }
      send_next_half(std::move(lc));
      return dispatch();
    }
    if (loaded) {
      loaded = error(protocol_errc::unexpected_type, model + ".load: " + std::to_string(loaded.value().ids.size()) +
                                                         " ids for " + std::to_string(lc.members.size()) + " records");
    }
    const bool refused = loaded.error().code() == odoo_errc::validation_error;
    if (refused && lc.members.size() > 1) {
      // Odoo rolled the whole batch back: find the bad rows by halves, in order.
      const auto middle = lc.members.begin() + static_cast<std::ptrdiff_t>(lc.members.size() / 2);
      load_call first{std::vector<std::uint64_t>(lc.members.begin(), middle), {}};
      first.after.emplace_back(middle, lc.members.end());
      for (auto& half : lc.after) first.after.push_back(std::move(half));
      send_load(std::move(first));
      return dispatch();
    }
    error failure = loaded.error();
    if (refused && failure.message().find(missing_xid_text) != std::string::npos)
      failure = error(store_errc::dependency_pending, failure.message());
    for (std::uint64_t key : lc.members) finish(key, failure);
    send_next_half(std::move(lc));
    dispatch();
  }

  // An action or an unlink: a few calls one after the other.
  void run_single(std::uint64_t key) {
    slot& sl = slots.at(key);
    sl.st = status::in_call;
    ++calls_in_flight;
    finish_fn done = [this, key](result<delivery_result> outcome) {
      --calls_in_flight;
      if (!odoo.connected()) return lost_connection(load_call{{key}, {}});
      finish(key, std::move(outcome));
      dispatch();
    };
    if (sl.action != nullptr) return run_action(sl.e, *sl.action, std::move(done));
    run_unlink(sl.e, *sl.unlink, std::move(done));
  }

  // The database id behind an external id (0 when it does not exist), to `then`.
  void resolve(std::string_view xid, std::string_view model, std::function<void(result<std::int64_t>)> then) {
    const auto dot = xid.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == xid.size()) {
      std::string message(1, '"');
      message.append(xid).append("\" is not an external id (module.name)");
      return then(error(contract_errc::violation, std::move(message)));
    }
    json::value domain = json::array{json::array{"module", "=", std::string(xid.substr(0, dot))},
                                     json::array{"name", "=", std::string(xid.substr(dot + 1))},
                                     json::array{"model", "=", std::string(model)}};
    json::value kwargs = json::object{{"fields", json::array{"res_id"}}, {"limit", 1}};
    submit({"ir.model.data", "search_read", json::array{std::move(domain)}, std::move(kwargs)},
           [then = std::move(then)](result<protocol::reply> reply) -> void {
             if (!reply) return then(std::move(reply).as_failure());
             auto rows = json::parse(reply.value().json());
             if (!rows) return then(std::move(rows).as_failure());
             if (!rows.value().is_array() || rows.value().as_array().empty()) return then(std::int64_t{0});
             const json::value* id = rows.value().as_array().front().find("res_id");
             if (id == nullptr || !id->is_int())
               return then(error(protocol_errc::unexpected_type, "ir.model.data.search_read: res_id is not an id"));
             then(id->as_int());
           });
  }

  void run_action(const event& e, const action_route& route, finish_fn done) {
    auto xid = record_xid(e, route.record_field);
    if (!xid) return done(std::move(xid).as_failure());
    resolve(xid.value(), route.model, [this, &route, xid = xid.value(), done](result<std::int64_t> id) -> void {
      if (!id) return done(std::move(id).as_failure());
      if (id.value() == 0) return done(error(store_errc::dependency_pending, route.model + " " + xid + " does not exist yet"));
      const delivery_result result_of{route.model, id.value(), xid};
      submit({route.model, "read", json::array{json::array{id.value()}}, json::object{{"fields", json::array{route.state_field}}}},
             [this, &route, result_of, done](result<protocol::reply> reply) -> void {
               if (!reply) return done(std::move(reply).as_failure());
               auto rows = json::parse(reply.value().json());
               if (!rows) return done(std::move(rows).as_failure());
               if (!rows.value().is_array() || rows.value().as_array().empty())
                 return done(error(odoo_errc::missing_error, route.model + " " + std::to_string(result_of.record_id) + " is gone"));
               if (const json::value* st = rows.value().as_array().front().find(route.state_field); st != nullptr && st->is_string())
                 for (const auto& s : route.done_states)
                   if (st->as_string() == s) return done(result_of);  // already happened: success, not a second action
               submit({route.model, route.method, json::array{json::array{result_of.record_id}}},
                      [result_of, done](result<protocol::reply> r) -> void {
                        if (!r) return done(std::move(r).as_failure());
                        done(result_of);
                      });
             });
    });
  }

  void run_unlink(const event& e, const unlink_route& route, finish_fn done) {
    auto xid = record_xid(e, route.record_field);
    if (!xid) return done(std::move(xid).as_failure());
    resolve(xid.value(), route.model, [this, &route, xid = xid.value(), done](result<std::int64_t> id) -> void {
      if (!id) return done(std::move(id).as_failure());
      const delivery_result gone{route.model, id.value(), xid};
      if (id.value() == 0) return done(gone);  // already gone
      detail::submit_unlink(odoo, weak_from_this(), route.model, json::array{id.value()}, [gone, done](result<void> r) -> void {
        if (!r) return done(std::move(r).as_failure());
        done(gone);
      });
    });
  }

  // --- the connection ------------------------------------------------------------

  void connect() {
    if (connecting || paused(steady::now())) return;
    connecting = true;
    std::weak_ptr<state> self = weak_from_this();
    odoo.open_async([self](result<void> opened) {
      auto s = self.lock();
      if (!s) return;
      s->connecting = false;
      if (opened) {
        s->reconnect.end();
        s->fields_unlearnt.clear();  // a new connection may see other rights
        return s->dispatch();
      }
      s->went_offline();
    });
  }

  // Nothing was sent: what waits goes back uncounted, and the sink pauses.
  void went_offline() {
    for (auto& [key, sl] : slots)
      if (sl.st == status::waiting) skip(key);
    pause();
  }

  // Pauses taking events, longer with every failure in a row.
  void pause() {
    reconnect.failed(options.reconnect);
  }

  // A call failed because the connection (a session's re-login) broke: as offline.
  void lost_connection(const load_call& lc) {
    for (std::uint64_t key : lc.members) slots.at(key).st = status::waiting;
    for (const auto& half : lc.after)
      for (std::uint64_t key : half) slots.at(key).st = status::waiting;
    went_offline();
  }

  // Forgets what is finished, handed out and needed by no unfinished event.
  void forget_settled() {
    std::unordered_map<std::uint64_t, bool> needed;
    for (const auto& [key, sl] : slots) {
      if (is_finished(sl.st)) continue;
      if (sl.previous) needed[*sl.previous] = true;
      for (std::uint64_t p : sl.producers) needed[p] = true;
    }
    for (auto it = slots.begin(); it != slots.end();) {
      const slot& sl = it->second;
      if (!sl.returned || !is_finished(sl.st) || needed.contains(it->first)) {
        ++it;
        continue;
      }
      if (auto a = last_of_aggregate.find(order_chain(sl.e)); a != last_of_aggregate.end() && a->second == it->first)
        last_of_aggregate.erase(a);
      if (sl.load)
        if (auto p = producer_of.find(sl.load->external_id); p != producer_of.end() && p->second == it->first)
          producer_of.erase(p);
      it = slots.erase(it);
    }
  }

  [[nodiscard]] std::size_t waiting() const {  // events not sent yet
    return static_cast<std::size_t>(
        std::count_if(slots.begin(), slots.end(), [](const auto& kv) { return kv.second.st == status::waiting; }));
  }
};

odoo_sink::odoo_sink(client::client connection, const contract::registry& registry, odoo_sink_options options)
    : s_(std::make_shared<state>(std::move(connection), registry, std::move(options))) {
  if (s_->options.max_batch == 0) s_->options.max_batch = 1;
  if (s_->options.max_in_flight == 0) s_->options.max_in_flight = 1;
}

odoo_sink::~odoo_sink() = default;

std::size_t odoo_sink::load_calls() const noexcept { return s_->load_calls; }

std::size_t odoo_sink::load_limit(std::string_view model) const { return s_->load_limit(model); }

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
  if (replaced) {
    name += '_';
    name += short_hash(key);
  }
  std::string xid(module);
  xid += '.';
  xid += name;
  return xid;
}

void odoo_sink::start(std::span<const event> events) {
  for (const auto& e : events) s_->take(e);
  s_->dispatch();
}

result<std::vector<finished_delivery>> odoo_sink::poll(std::chrono::milliseconds timeout) {
  state& st = *s_;
  if (st.calls_in_flight > 0 || st.connecting || !st.fields_asked.empty() || st.odoo.transport().pending() > 0) {
    auto polled = st.odoo.poll(st.finished.empty() ? timeout : std::chrono::milliseconds(0));
    if (!polled) return std::move(polled).as_failure();
  }
  // A pause ended with events started meanwhile: connect again.
  if (!st.odoo.connected() && !st.connecting && !st.paused(state::steady::now()) && st.waiting() > 0) st.dispatch();
  std::vector<finished_delivery> out = std::move(st.finished);
  st.finished.clear();
  for (std::uint64_t key : st.finished_keys) st.slots.at(key).returned = true;
  st.finished_keys.clear();
  st.forget_settled();
  return out;
}

std::size_t odoo_sink::in_flight() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(s_->slots.begin(), s_->slots.end(), [](const auto& kv) { return !kv.second.returned; }));
}

bool odoo_sink::wants_more() const noexcept {
  if (s_->paused(state::steady::now())) return false;
  // A claim taken while earlier events are unsettled could hold an event whose
  // referenced record sits, unclaimed, behind one of them in its aggregate: it
  // would be sent too early and parked. So claims follow each other; the
  // calls of one claim overlap.
  return std::none_of(s_->slots.begin(), s_->slots.end(), [](const auto& kv) { return !is_finished(kv.second.st); });
}

wakeup odoo_sink::next_wakeup() const {
  const state& st = *s_;
  const auto now = state::steady::now();
  if (!st.finished.empty()) return wakeup::at_time(now);
  return st.reconnect.limit(st.odoo.next_wakeup(), now);
}

std::vector<delivery> odoo_sink::deliver(std::span<const event> events) { return deliver_and_wait(*this, events); }

const secret_scrubber* odoo_sink::scrubber() const noexcept { return &s_->odoo.scrubber(); }

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
