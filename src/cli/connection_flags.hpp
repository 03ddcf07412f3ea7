#pragma once
// Connection flags, secrets and exit codes shared by the commands that talk
// to a server (`ping`, `call`, `outbox reconcile`).

#include <string>
#include <vector>

#include "odoolink/client/options.hpp"
#include "odoolink/error.hpp"

namespace odoolink::cli {

// Exit codes of the commands that talk to Odoo.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // Odoo refused the call, or the server could not be reached
inline constexpr int exit_usage = 2;    // bad flags or bad JSON arguments
inline constexpr int exit_auth = 3;     // login, password or API key refused, session gone

// The flags as given; secrets are named (an environment variable or stdin),
// never given on the command line, where `ps` and shell history would keep them.
struct connection_flags {
  client::client_options server;
  std::string password_env;
  std::string api_key_env;
  bool password_stdin = false;
  bool api_key_stdin = false;
};

enum class flag_result { not_mine, taken, bad };

// Takes argv[i] (and its value, advancing i) when it is a connection flag:
// --url --db --user --protocol --password-env --api-key-env --password-stdin
// --api-key-stdin. `bad` after printing the reason: a missing value, an
// unknown protocol, or a secret given on the command line.
flag_result take_connection_flag(connection_flags& flags, int& i, int argc, char** argv);

// The command line of a server command: connection flags, --json, and the
// other words in order.
struct server_args {
  connection_flags connection;
  bool as_json = false;
  std::vector<std::string> positional;
};

enum class parse_outcome { ok, help, usage };

// Parses argv[1..]: --help, --json, the connection flags; any other word is
// positional, any other --flag is a usage error.
parse_outcome parse_server_args(int argc, char** argv, server_args& out);

// Fills the password and API key from the named variables or stdin, else from
// ODOOLINK_PASSWORD / ODOOLINK_API_KEY. Returns an empty string, or what is
// wrong (a named variable that is unset, no secret at all).
std::string read_secrets(connection_flags& flags);

// read_secrets, printing what is wrong as "odoolink <command>: ..."; false then.
bool secrets_ready(const char* command, connection_flags& flags);

// Prints `synopsis`, the help of the flags above, `details` and the exit
// codes (on stdout for exit_ok, else stderr); returns `code`.
int server_usage(int code, const char* synopsis, const char* details);

// `unknown_model` for an Odoo fault, else the error category ("odoolink.transport").
std::string error_name(const error& e);

// exit_auth for a refused login, key or session; exit_failure otherwise.
int exit_code_for(const error& e);

// `{"code", "category", "message", "odoo_class", "http_status"}` of an error.
std::string error_json(const error& e);

// Prints "odoolink <command>: <name>: <description>" on stderr, and with
// `as_json` `{"ok":false,"error":...}` on stdout; returns exit_code_for(e).
int report_failure(const char* command, const error& e, bool as_json);

}  // namespace odoolink::cli
