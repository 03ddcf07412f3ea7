// `odoolink outbox <status|dead|show|replay|discard|verify|metrics> --store <spec> ...`:
// operates an outbox store: queue status, dead letters, replay, the audit chain.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "odoolink/contract/registry.hpp"
#include "odoolink/outbox/open_store.hpp"
#include "odoolink/outbox/outbox.hpp"

extern const char* const outbox_command_summary =
    "operate an outbox: outbox <status|dead|show|replay|discard|verify|metrics> --store <spec>";

namespace {

namespace ob = odoolink::outbox;

int usage() {
  std::fprintf(stderr,
               "usage: odoolink outbox <command> --store <sqlite:PATH|postgres:CONNINFO> [options]\n"
               "  status                         counts by state and the oldest pending age\n"
               "  dead [--limit N]               list dead letters with their errors\n"
               "  show <event-id>                one event and its audit history\n"
               "  replay <event-id>|--all [--contracts DIR --payload FILE]\n"
               "                                 send dead letters again (a corrected payload is validated)\n"
               "  discard <event-id> --reason TEXT\n"
               "  verify                         check the audit hash chain (exit 1 when broken)\n"
               "  metrics                        Prometheus text\n");
  return 2;
}

std::string format_time(ob::timestamp t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(secs - day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(hms.hours().count()), static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return buf;
}

int fail(const odoolink::error& e) {
  std::fprintf(stderr, "odoolink outbox: %s\n", e.describe().c_str());
  return 1;
}

}  // namespace

int outbox_command(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string command = argv[1];
  std::string store_spec, contracts_dir, payload_file, reason, target;
  bool all = false;
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
    else if (arg == "--all") all = true;
    else if (!arg.starts_with("--") && target.empty()) target = arg;
    else return usage();
  }
  if (store_spec.empty()) return usage();
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
    std::printf("pending    %zu\nin_flight  %zu\ndelivered  %zu\ndead       %zu\ndiscarded  %zu\n", q.pending,
                q.in_flight, q.delivered, q.dead, q.discarded);
    if (m.value().oldest_pending_age_seconds)
      std::printf("oldest pending age  %.1f s\n", *m.value().oldest_pending_age_seconds);
    return 0;
  }
  if (command == "dead") {
    auto dead = box.dead_letters(limit);
    if (!dead) return fail(dead.error());
    for (const auto& e : dead.value())
      std::printf("%s  %s  %s  key=%s  attempts=%d  %s\n", e.id.c_str(), format_time(e.updated_at).c_str(),
                  e.subject.c_str(), e.idempotency_key.c_str(), e.attempts, e.last_error.c_str());
    std::printf("%zu dead letter(s)\n", dead.value().size());
    return 0;
  }
  if (command == "show") {
    if (target.empty()) return usage();
    auto e = box.get(target);
    if (!e) return fail(e.error());
    const auto& x = e.value();
    std::printf("id           %s\nsequence     %lld\nstate        %s\nsubject      %s %s\nfingerprint  %s\n"
                "key          %s\naggregate    %s\ncorrelation  %s\nattempts     %d\nlast error   %s\n",
                x.id.c_str(), static_cast<long long>(x.sequence), std::string(ob::to_string(x.state)).c_str(),
                x.subject.c_str(), x.contract_version.c_str(), x.fingerprint.c_str(), x.idempotency_key.c_str(),
                x.aggregate_key.c_str(), x.correlation_id.c_str(), x.attempts, x.last_error.c_str());
    if (x.state == ob::event_state::delivered)
      std::printf("delivered    %s %lld %s\n", x.result.model.c_str(), static_cast<long long>(x.result.record_id),
                  x.result.external_id.c_str());
    auto history = box.history(target);
    if (!history) return fail(history.error());
    for (const auto& row : history.value())
      std::printf("  %s  %-9s  %s\n", format_time(row.at).c_str(), std::string(ob::to_string(row.action)).c_str(),
                  row.detail.c_str());
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
