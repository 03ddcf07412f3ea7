// Connection flags, secrets and exit codes shared by the server commands.
#include "connection_flags.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "odoolink/json/value.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink::cli {
namespace {

bool parse_protocol(const std::string& text, client::protocol_kind& out) {
  using client::protocol_kind;
  if (text == "auto" || text == "automatic") out = protocol_kind::automatic;
  else if (text == "jsonrpc") out = protocol_kind::jsonrpc;
  else if (text == "web" || text == "web_session") out = protocol_kind::web_session;
  else if (text == "json2") out = protocol_kind::json2;
  else if (text == "xmlrpc") out = protocol_kind::xmlrpc;
  else return false;
  return true;
}

bool from_env(const std::string& name, std::string& out) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return false;
  out = v;
  return true;
}

std::string stdin_line() {
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

// The defaults, for secrets not set yet.
void secrets_from_default_env(client::client_options& server) {
  if (server.password.empty()) from_env("ODOOLINK_PASSWORD", server.password);
  if (server.api_key.empty()) from_env("ODOOLINK_API_KEY", server.api_key);
}

}  // namespace

int server_usage(int code, const char* synopsis, const char* details) {
  std::fprintf(code == exit_ok ? stdout : stderr,
               "%s"
               "  --url URL --db DB --user LOGIN       the server, database and login\n"
               "  --password-env VAR | --password-stdin   the password, from VAR or the first line of stdin\n"
               "  --api-key-env VAR | --api-key-stdin     an API key, likewise (JSON-2 on Odoo 19+)\n"
               "                                       (default: ODOOLINK_PASSWORD / ODOOLINK_API_KEY)\n"
               "  --protocol auto|jsonrpc|web|json2|xmlrpc   (default auto: the fastest the credentials allow)\n"
               "%s"
               "exit 0: success; 1: Odoo or transport error; 2: usage; 3: credentials refused or session expired.\n",
               synopsis, details);
  return code;
}

flag_result take_connection_flag(connection_flags& flags, int& i, int argc, char** argv) {
  const std::string arg = argv[i];
  auto value = [&](std::string& out) {
    if (i + 1 >= argc) {
      std::fprintf(stderr, "odoolink: %s needs a value\n", arg.c_str());
      return flag_result::bad;
    }
    out = argv[++i];
    return flag_result::taken;
  };
  if (arg == "--url") return value(flags.server.url);
  if (arg == "--db") return value(flags.server.database);
  if (arg == "--user") return value(flags.server.login);
  if (arg == "--password-env") return value(flags.password_env);
  if (arg == "--api-key-env") return value(flags.api_key_env);
  if (arg == "--password-stdin") return flags.password_stdin = true, flag_result::taken;
  if (arg == "--api-key-stdin") return flags.api_key_stdin = true, flag_result::taken;
  if (arg == "--protocol") {
    std::string p;
    if (value(p) == flag_result::bad) return flag_result::bad;
    if (parse_protocol(p, flags.server.protocol)) return flag_result::taken;
    std::fprintf(stderr, "odoolink: unknown protocol '%s' (auto, jsonrpc, web, json2 or xmlrpc)\n", p.c_str());
    return flag_result::bad;
  }
  if (arg == "--password" || arg == "--api-key" || arg.rfind("--password=", 0) == 0 || arg.rfind("--api-key=", 0) == 0) {
    std::fprintf(stderr, "odoolink: secrets are not taken from the command line; use %s-env VAR or %s-stdin\n",
                 arg.rfind("--password", 0) == 0 ? "--password" : "--api-key",
                 arg.rfind("--password", 0) == 0 ? "--password" : "--api-key");
    return flag_result::bad;
  }
  return flag_result::not_mine;
}

parse_outcome parse_server_args(int argc, char** argv, server_args& out) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return parse_outcome::help;
    if (arg == "--json") {
      out.as_json = true;
      continue;
    }
    const flag_result taken = take_connection_flag(out.connection, i, argc, argv);
    if (taken == flag_result::bad) return parse_outcome::usage;
    if (taken == flag_result::taken) continue;
    if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
      std::fprintf(stderr, "odoolink: unknown option %s\n", arg.c_str());
      return parse_outcome::usage;
    }
    out.positional.push_back(arg);
  }
  return parse_outcome::ok;
}

bool secrets_ready(const char* command, connection_flags& flags) {
  const std::string problem = read_secrets(flags);
  if (problem.empty()) return true;
  std::fprintf(stderr, "odoolink %s: %s\n", command, problem.c_str());
  return false;
}

std::string read_secrets(connection_flags& flags) {
  auto& s = flags.server;
  if (flags.password_stdin && flags.api_key_stdin) return "only one secret can come from stdin";
  if (!flags.password_env.empty() && !from_env(flags.password_env, s.password))
    return "--password-env: " + flags.password_env + " is not set";
  if (!flags.api_key_env.empty() && !from_env(flags.api_key_env, s.api_key))
    return "--api-key-env: " + flags.api_key_env + " is not set";
  if (flags.password_stdin) s.password = stdin_line();
  if (flags.api_key_stdin) s.api_key = stdin_line();
  secrets_from_default_env(s);
  if (s.password.empty() && s.api_key.empty())
    return "no password or API key (--password-env, --api-key-env, --password-stdin, --api-key-stdin, "
           "ODOOLINK_PASSWORD or ODOOLINK_API_KEY)";
  return {};
}

std::string error_name(const error& e) {
  if (e.code().category() == odoo_category()) return std::string(odoo_errc_name(static_cast<odoo_errc>(e.code().value())));
  return e.code().category().name();
}

int exit_code_for(const error& e) { return e == condition::auth ? exit_auth : exit_failure; }

std::string error_json(const error& e) {
  json::value out = json::object{{"code", error_name(e)},
                                 {"category", e.code().category().name()},
                                 {"message", e.message()},
                                 {"odoo_class", std::string(e.odoo_class())},
                                 {"http_status", e.http_status()}};
  return json::to_string(out);
}

int report_failure(const char* command, const error& e, bool as_json) {
  if (as_json) std::printf("{\"ok\":false,\"error\":%s}\n", error_json(e).c_str());
  // describe() starts with the category; an Odoo fault's code name goes before it.
  if (e.code().category() == odoo_category())
    std::fprintf(stderr, "odoolink %s: %s: %s\n", command, error_name(e).c_str(), e.describe().c_str());
  else
    std::fprintf(stderr, "odoolink %s: %s\n", command, e.describe().c_str());
  return exit_code_for(e);
}

}  // namespace odoolink::cli
