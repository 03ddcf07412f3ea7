// `odoolink outbox reconcile --store <spec> --contracts DIR --url URL --db DB ...`: compares the
// delivered events of a store with the records Odoo holds (read-only on both).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "connection_flags.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/json/odoo.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/open_store.hpp"
#include "odoolink/outbox/reconcile.hpp"

namespace {

namespace ob = odoolink::outbox;

constexpr int exit_disagreements = 4;

int usage() {
  std::fprintf(stderr,
               "usage: odoolink outbox reconcile --store <spec> --contracts DIR --url URL --db DB\n"
               "         --user LOGIN (--password-env VAR | --api-key-env VAR | --password-stdin | --api-key-stdin)\n"
               "         (default: ODOOLINK_PASSWORD / ODOOLINK_API_KEY; never a secret on the command line)\n"
               "         [--subject S] [--since T] [--until T] [--external-id X]... [--unproduced-module M]...\n"
               "         [--batch N] [--max-batches N] [--cursor C] [--all] [--json]\n"
               "  compares delivered events with the records Odoo holds now (read-only);\n"
               "  T is UTC 'YYYY-MM-DD HH:MM:SS' (or with T and Z); --all lists agreeing records too.\n"
               "  exit 0: agreement; 4: disagreements found; 1: error; 2: usage.\n");
  return 2;
}

bool parse_time(std::string text, ob::timestamp& out) {
  if (text.size() >= 19 && text[10] == 'T') text[10] = ' ';
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) text.pop_back();
  auto t = odoolink::json::parse_datetime_us(text);
  if (!t) return false;
  out = ob::timestamp(t.value().time_since_epoch());
  return true;
}

std::string shown(const odoolink::json::value& v) { return v.is_null() ? "(empty)" : odoolink::json::to_string(v); }

void print_text(const ob::reconcile_report& report) {
  for (const auto& r : report.records) {
    std::printf("%-12s %s %s", std::string(ob::to_string(r.status)).c_str(), r.subject.c_str(), r.external_id.c_str());
    if (r.record_id != 0) std::printf(" (%s %lld)", r.model.c_str(), static_cast<long long>(r.record_id));
    if (!r.write_date.empty())
      std::printf(" last written %s by %s", r.write_date.c_str(),
                  r.write_user.empty() ? std::to_string(r.write_uid).c_str() : r.write_user.c_str());
    std::printf("\n");
    if (!r.note.empty()) std::printf("    %s\n", r.note.c_str());
    for (const auto& d : r.differences) {
      if (d.pii)
        std::printf("    %s (%s): differs (personal data, values not shown)\n", d.path.c_str(), d.odoo_field.c_str());
      else
        std::printf("    %s (%s): sent %s, Odoo has %s\n", d.path.c_str(), d.odoo_field.c_str(), shown(d.sent).c_str(),
                    shown(d.in_odoo).c_str());
    }
  }
  for (const auto& [subject, n] : report.subjects)
    std::printf("%s: %zu checked, %zu agree, %zu changed, %zu deleted, %zu archived, %zu not produced\n", subject.c_str(),
                n.checked, n.agrees, n.changed, n.deleted, n.archived, n.not_produced);
  std::printf("%s (%zu read calls, %zu external-id look-ups)\n",
              report.agrees() ? "Odoo agrees with the outbox" : "disagreements found", report.read_calls,
              report.lookup_calls);
  if (!report.cursor.empty()) std::printf("more to check: --cursor %s\n", report.cursor.c_str());
}

}  // namespace

int outbox_reconcile(int argc, char** argv) {
  std::string store_spec, contracts_dir;
  odoolink::cli::connection_flags connection;
  odoolink::client::client_options& server = connection.server;
  ob::reconcile_options options;
  bool as_json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    auto take = [&](std::string& out) {
      if (v == nullptr) return false;
      out = v;
      ++i;
      return true;
    };
    auto take_count = [&](std::size_t& out) {
      std::string s;
      if (!take(s)) return false;
      char* end = nullptr;
      out = static_cast<std::size_t>(std::strtoull(s.c_str(), &end, 10));
      return end != nullptr && *end == '\0' && out > 0;
    };
    auto take_time = [&](std::optional<ob::timestamp>& out) {
      std::string s;
      ob::timestamp t{};
      if (!take(s) || !parse_time(s, t)) return false;
      out = t;
      return true;
    };
    std::string s;
    bool ok = true;
    if (arg == "--store") ok = take(store_spec);
    else if (arg == "--contracts") ok = take(contracts_dir);
    else if (arg == "--subject") ok = take(options.subject);
    else if (arg == "--since") ok = take_time(options.since);
    else if (arg == "--until") ok = take_time(options.until);
    else if (arg == "--cursor") ok = take(options.cursor);
    else if (arg == "--batch") ok = take_count(options.batch_size);
    else if (arg == "--max-batches") ok = take_count(options.max_batches);
    else if (arg == "--external-id" && (ok = take(s))) options.external_ids.push_back(s);
    else if (arg == "--unproduced-module" && (ok = take(s))) options.unproduced_modules.push_back(s);
    else if (arg == "--all") options.include_agreeing = true;
    else if (arg == "--json") as_json = true;
    else {
      // --url --db --user and the secrets, as every server command takes them.
      const auto taken = odoolink::cli::take_connection_flag(connection, i, argc, argv);
      if (taken == odoolink::cli::flag_result::bad) return 2;  // the reason is printed
      ok = taken == odoolink::cli::flag_result::taken;
    }
    if (!ok) return usage();
  }
  if (store_spec.empty() || contracts_dir.empty() || server.url.empty() || server.database.empty()) return usage();
  if (!odoolink::cli::secrets_ready("outbox reconcile", connection)) return usage();

  auto fail = [](const odoolink::error& e) {
    std::fprintf(stderr, "odoolink outbox reconcile: %s\n", e.describe().c_str());
    return 1;
  };
  auto store = ob::open_store(store_spec);
  if (!store) return fail(store.error());
  auto contracts = odoolink::contract::registry::load_directory(contracts_dir);
  if (!contracts) return fail(contracts.error());
  auto odoo = odoolink::client::client::connect(server);
  if (!odoo) return fail(odoo.error());
  auto report = ob::reconcile(odoo.value(), *store.value(), contracts.value(), options);
  if (!report) return fail(report.error());
  if (as_json) {
    std::fputs((ob::to_json(report.value()) + "\n").c_str(), stdout);
  } else {
    print_text(report.value());
  }
  return report.value().agrees() ? 0 : exit_disagreements;
}
