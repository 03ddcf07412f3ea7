// `odoolink call <model> <method> [args] [kwargs]`: one Odoo method call with
// JSON in and out, for operators and scripts.
#include <cstdio>
#include <string>
#include <vector>

#include "connection_flags.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"

extern const char* const call_command_summary =
    "call a method and print its JSON result: call <model> <method> [json args] [json kwargs] --url URL ...";

namespace {

namespace cli = odoolink::cli;

int usage(int code) {
  std::fprintf(code == 0 ? stdout : stderr,
               "usage: odoolink call <model> <method> [ARGS] [KWARGS] --url URL --db DB --user LOGIN\n"
               "                     [--password-env VAR | --api-key-env VAR] [--json]\n"
               "  ARGS is a JSON array of positional arguments (default []), KWARGS a JSON object (default {}):\n"
               "    odoolink call res.partner search_read '[[[\"is_company\",\"=\",true]]]' '{\"fields\":[\"name\"]}' ...\n%s"
               "  --json                               {\"ok\":true,\"model\",\"method\",\"protocol\",\"result\"} on stdout,\n"
               "                                       or {\"ok\":false,\"error\":{\"code\",...}} on failure\n"
               "Prints the result as JSON. Errors go to stderr as `odoolink call: <code>: <message>`,\n"
               "where <code> is the odoo_errc name (unknown_model, access_error, ...) or the error category.\n"
               "exit 0: ok; 1: Odoo or transport error; 2: usage (bad flags or JSON); 3: login refused.\n",
               cli::connection_flags_help);
  return code;
}

// Parses one JSON argument; its text is the caller's data, so it is not echoed.
bool parse_argument(const char* what, const std::string& text, odoolink::json::kind want, odoolink::json::value& out) {
  auto v = odoolink::json::parse(text);
  if (!v) {
    std::fprintf(stderr, "odoolink call: %s is not valid JSON: %s\n", what, v.error().message().c_str());
    return false;
  }
  if (v.value().type() != want) {
    std::fprintf(stderr, "odoolink call: %s must be a JSON %s\n", what,
                 want == odoolink::json::kind::array ? "array" : "object");
    return false;
  }
  out = std::move(v).value();
  return true;
}

}  // namespace

int call_command(int argc, char** argv) {
  using namespace odoolink;
  cli::connection_flags flags;
  bool as_json = false;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return usage(cli::exit_ok);
    if (arg == "--json") {
      as_json = true;
      continue;
    }
    const auto taken = cli::take_connection_flag(flags, i, argc, argv);
    if (taken == cli::flag_result::bad) return cli::exit_usage;
    if (taken == cli::flag_result::taken) continue;
    if (arg.size() > 2 && arg.rfind("--", 0) == 0) return usage(cli::exit_usage);
    positional.push_back(arg);
  }
  if (positional.size() < 2 || positional.size() > 4 || flags.server.url.empty()) return usage(cli::exit_usage);
  json::value args = json::array{};
  json::value kwargs = json::object{};
  if (positional.size() > 2 && !parse_argument("ARGS", positional[2], json::kind::array, args)) return cli::exit_usage;
  if (positional.size() > 3 && !parse_argument("KWARGS", positional[3], json::kind::object, kwargs))
    return cli::exit_usage;
  if (const std::string problem = cli::read_secrets(flags); !problem.empty()) {
    std::fprintf(stderr, "odoolink call: %s\n", problem.c_str());
    return cli::exit_usage;
  }
  auto fail = [&](const error& e) {
    if (as_json) std::printf("{\"ok\":false,\"error\":%s}\n", cli::error_json(e).c_str());
    return cli::report_failure("call", e);
  };

  auto odoo = client::client::connect(flags.server);
  if (!odoo) return fail(odoo.error());
  const std::string& model = positional[0];
  const std::string& method = positional[1];
  auto reply = odoo.value().execute_kw(model, method, std::move(args), std::move(kwargs));
  if (!reply) return fail(reply.error());
  const std::string_view result = reply.value().json();
  if (as_json) {
    // The result is spliced in as the server sent it: no second parse.
    std::string out = "{\"ok\":true,\"model\":" + json::to_string(json::value(model)) +
                      ",\"method\":" + json::to_string(json::value(method)) + ",\"protocol\":" +
                      json::to_string(json::value(std::string(client::to_string(odoo.value().info().protocol)))) +
                      ",\"result\":";
    out.append(result.empty() ? std::string_view("null") : result);
    out += "}\n";
    std::fputs(out.c_str(), stdout);
  } else {
    std::fwrite(result.data(), 1, result.size(), stdout);
    std::fputc('\n', stdout);
  }
  (void)odoo.value().logout();  // closes a web session; a failure here changes nothing
  return cli::exit_ok;
}
