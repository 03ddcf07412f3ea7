// `odoolink outbox <status|dead|show|find|replay|discard|verify|metrics> --store <spec> ...`:
// operates an outbox store: queue status, dead letters, look-ups, replay, the audit chain.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "odoolink/contract/registry.hpp"
#include "odoolink/outbox/open_store.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "outbox_output.hpp"

extern const char* const outbox_command_summary =
    "operate an outbox: outbox <status|dead|show|find|replay|discard|verify|metrics|reconcile> --store <spec>";

int outbox_reconcile(int argc, char** argv);  // outbox_reconcile.cpp

namespace {

namespace ob = odoolink::outbox;

int usage() {
  std::fprintf(stderr,
               "usage: odoolink outbox <command> --store <sqlite:PATH|postgres:CONNINFO> [options]\n"
               "  status                         counts by state and the oldest pending age\n"
               "  dead [--limit N]               list dead letters with their errors (default limit 100)\n"
               "  show <event-id|key|external-id>\n"
               "                                 one event and its audit history\n"
               "  find [--key K] [--external-id X] [--aggregate A] [--correlation C] [--subject S]\n"
               "       [--state S] [--limit N]   events matching every given filter\n"
               "  replay <event-id>|--all [--contracts DIR --payload FILE]\n"
               "                                 send dead letters again (a corrected payload is validated)\n"
               "  discard <event-id> --reason TEXT\n"
               "  verify                         check the audit hash chain (exit 1 when broken)\n"
               "  metrics                        Prometheus text\n"
               "  reconcile --contracts DIR --url URL --db DB ...\n"
               "                                 compare delivered events with Odoo (see outbox reconcile --help)\n"
               "--json prints status, dead, show and find as one JSON document.\n");
  return 2;
}

int fail(const odoolink::error& e) {
  std::fprintf(stderr, "odoolink outbox: %s\n", e.describe().c_str());
  return 1;
}


bool matches(const ob::event& e, const ob::event_filter& f) {
  return (!f.state || e.state == *f.state) && (f.subject.empty() || e.subject == f.subject) &&
         (f.aggregate_key.empty() || e.aggregate_key == f.aggregate_key) &&
         (f.correlation_id.empty() || e.correlation_id == f.correlation_id) &&
         (f.result_external_id.empty() || e.result.external_id == f.result_external_id);
}

// `show` takes whatever the operator has at hand: an event id, the host's
// idempotency key, or the external id the event produced in Odoo.
odoolink::result<std::optional<ob::event>> resolve_event(ob::store& store, const std::string& target) {
  ODOOLINK_TRY(auto by_id, store.find(target));
  if (by_id) return by_id;
  ODOOLINK_TRY(auto by_key, store.find_by_key(target));
  if (by_key) return by_key;
  ODOOLINK_TRY(auto by_xid, store.list({.result_external_id = target, .limit = 1}));
  if (!by_xid.empty()) return std::optional<ob::event>(std::move(by_xid.front()));
  return std::optional<ob::event>();
}

}  // namespace

int outbox_command(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string command = argv[1];
  if (command == "reconcile") return outbox_reconcile(argc - 1, argv + 1);
  std::string store_spec, contracts_dir, payload_file, reason, target, state_name, key;
  ob::event_filter filter;
  bool all = false, as_json = false;
  std::size_t limit = 100;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "--store" && (v = value())) store_spec = v;
    else if (arg == "--contracts" && (v = value())) contracts_dir = v;
    else if (arg == "--payload" && (v = value())) payload_file = v;
    else if (arg == "--reason" && (v = value())) reason = v;
    else if (arg == "--limit" && (v = value())) limit = static_cast<std::size_t>(std::strtoull(v, nullptr, 10));
    else if (arg == "--key" && (v = value())) key = v;
    else if (arg == "--external-id" && (v = value())) filter.result_external_id = v;
    else if (arg == "--aggregate" && (v = value())) filter.aggregate_key = v;
    else if (arg == "--correlation" && (v = value())) filter.correlation_id = v;
    else if (arg == "--subject" && (v = value())) filter.subject = v;
    else if (arg == "--state" && (v = value())) state_name = v;
    else if (arg == "--all") all = true;
    else if (arg == "--json") as_json = true;
    else if (!arg.starts_with("--") && target.empty()) target = arg;
    else return usage();
  }
  if (store_spec.empty()) return usage();
  if (!state_name.empty()) {
    ob::event_state state{};
    if (!ob::parse_event_state(state_name, state)) {
      std::fprintf(stderr, "odoolink outbox: unknown state '%s' (pending, in_flight, delivered, dead, discarded)\n",
                   state_name.c_str());
      return 2;
    }
    filter.state = state;
  }
  auto store = ob::open_store(store_spec);
  if (!store) return fail(store.error());
  odoolink::contract::registry contracts;
  if (!contracts_dir.empty()) {
    auto loaded = odoolink::contract::registry::load_directory(contracts_dir);
    if (!loaded) return fail(loaded.error());
    contracts = std::move(loaded).value();
  }
  ob::outbox box(*store.value(), contracts);

  if (command == "status") {
    auto m = box.metrics();
    if (!m) return fail(m.error());
    const auto& q = m.value().queue;
    if (as_json) {
      std::string out = "{";
      odoolink_cli::json_member(out, "pending", static_cast<std::int64_t>(q.pending), true);
      odoolink_cli::json_member(out, "in_flight", static_cast<std::int64_t>(q.in_flight));
      odoolink_cli::json_member(out, "delivered", static_cast<std::int64_t>(q.delivered));
      odoolink_cli::json_member(out, "dead", static_cast<std::int64_t>(q.dead));
      odoolink_cli::json_member(out, "discarded", static_cast<std::int64_t>(q.discarded));
      if (m.value().oldest_pending_age_seconds) {
        odoolink_cli::json_key(out, "oldest_pending_age_seconds", false);
        odoolink::json::write_double(out, *m.value().oldest_pending_age_seconds);
      }
      odoolink_cli::json_key(out, "subjects", false);
      out += '[';
      for (const auto& s : m.value().subjects) {
        out += out.back() == '[' ? "{" : ",{";
        odoolink_cli::json_member(out, "subject", s.subject, true);
        odoolink_cli::json_member(out, "pending", static_cast<std::int64_t>(s.queue.pending));
        odoolink_cli::json_member(out, "in_flight", static_cast<std::int64_t>(s.queue.in_flight));
        odoolink_cli::json_member(out, "delivered", static_cast<std::int64_t>(s.queue.delivered));
        odoolink_cli::json_member(out, "dead", static_cast<std::int64_t>(s.queue.dead));
        odoolink_cli::json_member(out, "discarded", static_cast<std::int64_t>(s.queue.discarded));
        if (s.oldest_pending_age_seconds) {
          odoolink_cli::json_key(out, "oldest_pending_age_seconds", false);
          odoolink::json::write_double(out, *s.oldest_pending_age_seconds);
        }
        out += '}';
      }
      out += "]}\n";
      std::fputs(out.c_str(), stdout);
      return 0;
    }
    std::printf("pending    %zu\nin_flight  %zu\ndelivered  %zu\ndead       %zu\ndiscarded  %zu\n", q.pending,
                q.in_flight, q.delivered, q.dead, q.discarded);
    if (m.value().oldest_pending_age_seconds)
      std::printf("oldest pending age  %.1f s\n", *m.value().oldest_pending_age_seconds);
    if (!m.value().subjects.empty()) std::printf("\n%-24s %9s %9s %9s %9s %9s\n", "subject", "pending", "in_flight",
                                                 "delivered", "dead", "lag_s");
    for (const auto& s : m.value().subjects)
      std::printf("%-24s %9zu %9zu %9zu %9zu %9.1f\n", s.subject.c_str(), s.queue.pending, s.queue.in_flight,
                  s.queue.delivered, s.queue.dead, s.oldest_pending_age_seconds.value_or(0.0));
    return 0;
  }
  if (command == "dead") {
    // The total comes from the store's counts, so a cut list never passes for the whole.
    auto stats = store.value()->stats();
    if (!stats) return fail(stats.error());
    auto dead = box.dead_letters(limit);
    if (!dead) return fail(dead.error());
    const std::size_t total = stats.value().dead, shown = dead.value().size();
    if (as_json) {
      std::string out = "{";
      odoolink_cli::json_member(out, "total", static_cast<std::int64_t>(total), true);
      odoolink_cli::json_member(out, "shown", static_cast<std::int64_t>(shown));
      out += ", \"events\": [";
      for (std::size_t i = 0; i < shown; ++i) {
        if (i) out += ", ";
        odoolink_cli::write_event_json(out, dead.value()[i]);
      }
      out += "]}\n";
      std::fputs(out.c_str(), stdout);
      return 0;
    }
    for (const auto& e : dead.value()) odoolink_cli::print_event_line(e);
    if (shown < total)
      std::printf("%zu of %zu dead letter(s) shown: the list is cut at --limit %zu\n", shown, total, limit);
    else
      std::printf("%zu dead letter(s)\n", total);
    return 0;
  }
  if (command == "find") {
    filter.limit = limit;
    std::vector<ob::event> events;
    if (!key.empty()) {  // keys are unique: one look-up, then the other filters
      auto by_key = store.value()->find_by_key(key);
      if (!by_key) return fail(by_key.error());
      if (by_key.value() && matches(*by_key.value(), filter)) events.push_back(std::move(*by_key.value()));
    } else {
      auto found = box.list(filter);
      if (!found) return fail(found.error());
      events = std::move(found).value();
    }
    const bool cut = key.empty() && events.size() == limit;
    if (as_json) {
      std::string out = "{\"events\": [";
      for (std::size_t i = 0; i < events.size(); ++i) {
        if (i) out += ", ";
        odoolink_cli::write_event_json(out, events[i]);
      }
      out += "], \"cut_at_limit\": ";
      out += cut ? "true" : "false";
      out += "}\n";
      std::fputs(out.c_str(), stdout);
      return events.empty() ? 3 : 0;
    }
    for (const auto& e : events) odoolink_cli::print_event_line(e);
    if (cut)
      std::printf("%zu event(s) shown: the list is cut at --limit %zu\n", events.size(), limit);
    else
      std::printf("%zu event(s)\n", events.size());
    return events.empty() ? 3 : 0;
  }
  if (command == "show") {
    if (target.empty()) return usage();
    auto found = resolve_event(*store.value(), target);
    if (!found) return fail(found.error());
    if (!found.value()) {
      std::fprintf(stderr, "odoolink outbox: no event with id, idempotency key or external id '%s'\n", target.c_str());
      return 3;
    }
    const ob::event& x = *found.value();
    auto history = box.history(x.id);
    if (!history) return fail(history.error());
    if (as_json) {
      std::string out;
      odoolink_cli::write_event_json(out, x);
      out.pop_back();  // reopen the object to add the history
      out += ", \"history\": ";
      odoolink_cli::write_audit_json(out, history.value());
      out += "}\n";
      std::fputs(out.c_str(), stdout);
      return 0;
    }
    odoolink_cli::print_event_details(x, history.value());
    return 0;
  }
  if (command == "replay") {
    if (all) {
      auto n = box.replay_dead();
      if (!n) return fail(n.error());
      std::printf("%zu event(s) replayed\n", n.value());
      return 0;
    }
    if (target.empty()) return usage();
    std::optional<std::string> payload;
    if (!payload_file.empty()) {
      std::ifstream in(payload_file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "odoolink outbox: cannot read %s\n", payload_file.c_str());
        return 2;
      }
      std::ostringstream text;
      text << in.rdbuf();
      payload = text.str();
    }
    auto r = payload ? box.replay(target, std::string_view(*payload)) : box.replay(target);
    if (!r) return fail(r.error());
    std::printf("replayed %s\n", target.c_str());
    return 0;
  }
  if (command == "discard") {
    if (target.empty() || reason.empty()) return usage();
    auto r = box.discard(target, reason);
    if (!r) return fail(r.error());
    std::printf("discarded %s\n", target.c_str());
    return 0;
  }
  if (command == "verify") {
    auto n = box.verify_audit();
    if (!n) return fail(n.error());
    std::printf("audit chain intact: %zu row(s)\n", n.value());
    return 0;
  }
  if (command == "metrics") {
    auto m = box.metrics();
    if (!m) return fail(m.error());
    std::fputs(ob::to_prometheus(m.value()).c_str(), stdout);
    return 0;
  }
  return usage();
}
