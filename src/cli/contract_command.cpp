// `odoolink contract <subcommand>`: work with contract documents from the
// command line: validate payloads, check compatibility, check drift against
// a server's fields_get (saved or live), export JSON Schema, redact, map.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "connection_flags.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/contract/compatibility.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/contract/drift.hpp"
#include "odoolink/contract/json_schema.hpp"
#include "odoolink/contract/mapping.hpp"
#include "odoolink/contract/redact.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/contract/validate.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"

extern const char* const contract_command_summary =
    "data contracts: contract <validate|check|drift|schema|fingerprint|redact|vals|load|registry> ...";

namespace {

using namespace odoolink;

constexpr const char* usage_text =
    "usage: odoolink contract <subcommand> ...\n"
    "\n"
    "  validate <contract.json> <payload.json>           list every violation (exit 1 if any)\n"
    "  check <old.json> <new.json> [--mode MODE]         breaking changes of new against old (exit 1 if any);\n"
    "                                                    MODE defaults to old's compatibility\n"
    "  drift <contract.json> <fields_get.json | dir>     compare with a saved fields_get result, or a directory\n"
    "                                                    of <model>.json results (exit 1 on drift)\n"
    "  drift <contract.json> --url URL --db DB [--user LOGIN] [--password-env VAR | --api-key-env VAR]\n"
    "                                                    (or --password-stdin / --api-key-stdin; default\n"
    "                                                    ODOOLINK_PASSWORD / ODOOLINK_API_KEY)\n"
    "                                                    compare with a live server's fields_get\n"
    "  schema <contract.json>                            print the JSON Schema (2020-12)\n"
    "  fingerprint <contract.json>                       print the SHA-256 fingerprint\n"
    "  redact <contract.json> <payload.json> [--mask TEXT] [--hmac-key-env VAR]\n"
    "                                                    print the payload with PII masked or keyed-hashed\n"
    "  vals <contract.json> <payload.json>               print create/write vals (references by id only)\n"
    "  load <contract.json> <payload.json> <external-id> print the load call's fields and rows\n"
    "  registry <dir>                                    load a directory of contracts, list versions\n"
    "\n"
    "exit status: 0 ok, 1 violations / breaking changes / drift, 2 usage or input errors\n";

int usage() {
  std::fputs(usage_text, stderr);
  return 2;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "odoolink contract: %s\n", message.c_str());
  return 2;
}

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

// The value after `flag`, or nullopt.
std::optional<std::string> option(int argc, char** argv, const char* flag) {
  for (int i = 0; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], flag) == 0) return std::string(argv[i + 1]);
  return std::nullopt;
}

std::optional<contract::contract> load_contract(const char* path, int& status) {
  auto text = read_file(path);
  if (!text) {
    status = fail(std::string("cannot read ") + path);
    return std::nullopt;
  }
  auto c = contract::contract::parse(*text);
  if (!c) {
    status = fail(std::string(path) + ": " + c.error().message());
    return std::nullopt;
  }
  return std::move(c).value();
}

std::optional<json::value> load_json(const char* path, int& status) {
  auto text = read_file(path);
  if (!text) {
    status = fail(std::string("cannot read ") + path);
    return std::nullopt;
  }
  auto v = json::parse(*text);
  if (!v) {
    status = fail(std::string(path) + ": " + v.error().message());
    return std::nullopt;
  }
  return std::move(v).value();
}

// The contract at argv[1] and the JSON payload at argv[2] of redact, vals and
// load; nullopt after printing why, with the exit code in `status`.
struct contract_and_payload {
  contract::contract c;
  json::value payload;
};

std::optional<contract_and_payload> load_contract_and_payload(char** argv, int& status) {
  auto c = load_contract(argv[1], status);
  if (!c) return std::nullopt;
  auto payload = load_json(argv[2], status);
  if (!payload) return std::nullopt;
  return contract_and_payload{std::move(*c), std::move(*payload)};
}

int cmd_validate(int argc, char** argv) {
  if (argc < 3) return usage();
  int status = 0;
  auto c = load_contract(argv[1], status);
  if (!c) return status;
  auto text = read_file(argv[2]);
  if (!text) return fail(std::string("cannot read ") + argv[2]);
  const auto violations = contract::validate(*c, *text);
  if (violations.empty()) {
    std::printf("valid: %s %s\n", std::string(c->subject()).c_str(), std::string(c->version()).c_str());
    return 0;
  }
  for (const auto& v : violations)
    std::printf("%s %s: %s\n", v.path.empty() ? "(payload)" : v.path.c_str(), std::string(to_string(v.kind)).c_str(),
                v.message.c_str());
  return 1;
}

int cmd_check(int argc, char** argv) {
  if (argc < 3) return usage();
  int status = 0;
  auto older = load_contract(argv[1], status);
  if (!older) return status;
  auto newer = load_contract(argv[2], status);
  if (!newer) return status;
  contract::compatibility_mode mode = older->compatibility();
  if (auto m = option(argc, argv, "--mode")) {
    auto parsed = contract::parse_compatibility_mode(*m);
    if (!parsed) return fail("unknown mode " + *m);
    mode = *parsed;
  }
  const auto changes = contract::check_compatibility(*older, *newer, mode);
  if (changes.empty()) {
    std::printf("compatible (%s): %s -> %s\n", std::string(to_string(mode)).c_str(), std::string(older->version()).c_str(),
                std::string(newer->version()).c_str());
    return 0;
  }
  print(contract::describe(changes) + "\n");
  return 1;
}

// A fields_get result, or a recorded JSON-RPC answer holding one.
json::value fields_get_result(json::value v) {
  if (const json::value* r = v.find("result"); r != nullptr && v.find("jsonrpc") != nullptr) return *r;
  return v;
}

int report_drift(const contract::drift_report& report) {
  for (const auto& m : report.missing_models) std::printf("not checked (no fields_get of %s)\n", m.c_str());
  if (report.clean()) {
    std::printf("no drift\n");
    return 0;
  }
  print(report.describe() + "\n");
  return 1;
}

int cmd_drift(int argc, char** argv) {
  if (argc < 3) return usage();
  int status = 0;
  auto c = load_contract(argv[1], status);
  if (!c) return status;
  if (option(argc, argv, "--url")) {
    // The flags and secrets of every server command: never a secret on the command line (ps keeps it).
    cli::connection_flags flags;
    for (int i = 2; i < argc; ++i) {
      const auto taken = cli::take_connection_flag(flags, i, argc, argv);
      if (taken == cli::flag_result::bad) return 2;
      if (taken == cli::flag_result::not_mine) return fail(std::string("unexpected argument ") + argv[i]);
    }
    if (!cli::secrets_ready("contract drift", flags)) return 2;
    auto odoo = client::client::connect(std::move(flags.server));
    if (!odoo) return fail(odoo.error().describe());
    auto report = contract::check_drift(*c, odoo.value());
    if (!report) return fail(report.error().describe());
    return report_drift(report.value());
  }
  const std::filesystem::path source(argv[2]);
  contract::fields_catalog catalog;
  std::error_code ec;
  if (std::filesystem::is_directory(source, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(source, ec)) {
      if (entry.path().extension() != ".json") continue;
      auto v = load_json(entry.path().string().c_str(), status);
      if (!v) return status;
      catalog.emplace(entry.path().stem().string(), fields_get_result(std::move(*v)));
    }
    if (ec) return fail("cannot list " + source.string() + ": " + ec.message());
  } else {
    auto v = load_json(argv[2], status);
    if (!v) return status;
    catalog.emplace(std::string(c->odoo_model()), fields_get_result(std::move(*v)));
  }
  return report_drift(contract::check_drift(*c, catalog));
}

int cmd_schema(int argc, char** argv) {
  if (argc < 2) return usage();
  int status = 0;
  auto c = load_contract(argv[1], status);
  if (!c) return status;
  std::string out;
  json::writer(out).val(contract::to_json_schema(*c));
  print(out + "\n");
  return 0;
}

int cmd_fingerprint(int argc, char** argv) {
  if (argc < 2) return usage();
  int status = 0;
  auto c = load_contract(argv[1], status);
  if (!c) return status;
  std::printf("%s  %s %s\n", std::string(c->fingerprint()).c_str(), std::string(c->subject()).c_str(),
              std::string(c->version()).c_str());
  return 0;
}

int cmd_redact(int argc, char** argv) {
  if (argc < 3) return usage();
  int status = 0;
  auto in = load_contract_and_payload(argv, status);
  if (!in) return status;
  const auto& [c, payload] = *in;
  contract::redact_options opts;
  if (auto m = option(argc, argv, "--mask")) opts.mask = *m;
  if (auto var = option(argc, argv, "--hmac-key-env")) {
    const char* key = std::getenv(var->c_str());
    if (key == nullptr || *key == '\0') return fail("environment variable " + *var + " is not set");
    opts.hmac_key = key;
  }
  print(json::to_string(contract::redact(c, payload, opts)) + "\n");
  return 0;
}

int cmd_vals(int argc, char** argv) {
  if (argc < 3) return usage();
  int status = 0;
  auto in = load_contract_and_payload(argv, status);
  if (!in) return status;
  const auto& [c, payload] = *in;
  auto vals = contract::to_odoo_vals(c, payload);
  if (!vals) {
    std::printf("%s\n", vals.error().message().c_str());
    return 1;
  }
  print(json::to_string(vals.value()) + "\n");
  return 0;
}

int cmd_load(int argc, char** argv) {
  if (argc < 4) return usage();
  int status = 0;
  auto in = load_contract_and_payload(argv, status);
  if (!in) return status;
  const auto& [c, payload] = *in;
  auto rows = contract::to_load_row(c, payload, argv[3]);
  if (!rows) {
    std::printf("%s\n", rows.error().message().c_str());
    return 1;
  }
  auto call = contract::to_load_call(c, rows.value());
  if (!call) return fail(call.error().message());
  json::value out = json::object{{"model", call.value().model}, {"method", "load"}, {"args", call.value().args}};
  if (!call.value().context.is_null()) out.set("context", call.value().context);
  print(json::to_string(out) + "\n");
  return 0;
}

int cmd_registry(int argc, char** argv) {
  if (argc < 2) return usage();
  auto r = contract::registry::load_directory(argv[1]);
  if (!r) {
    std::printf("%s\n", r.error().message().c_str());
    return 1;
  }
  for (const auto& subject : r.value().subjects()) {
    std::printf("%s (%s)\n", subject.c_str(), std::string(to_string(r.value().mode(subject))).c_str());
    for (const auto& v : r.value().history(subject))
      std::printf("  %-10s %s\n", std::string(v.version()).c_str(), std::string(v.fingerprint()).c_str());
  }
  return 0;
}

}  // namespace

int contract_command(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string_view sub = argv[1];
  if (sub == "--help" || sub == "help") {
    std::fputs(usage_text, stdout);
    return 0;
  }
  if (sub == "validate") return cmd_validate(argc - 1, argv + 1);
  if (sub == "check") return cmd_check(argc - 1, argv + 1);
  if (sub == "drift") return cmd_drift(argc - 1, argv + 1);
  if (sub == "schema") return cmd_schema(argc - 1, argv + 1);
  if (sub == "fingerprint") return cmd_fingerprint(argc - 1, argv + 1);
  if (sub == "redact") return cmd_redact(argc - 1, argv + 1);
  if (sub == "vals") return cmd_vals(argc - 1, argv + 1);
  if (sub == "load") return cmd_load(argc - 1, argv + 1);
  if (sub == "registry") return cmd_registry(argc - 1, argv + 1);
  std::fprintf(stderr, "odoolink contract: unknown subcommand '%s'\n\n", argv[1]);
  return usage();
}
