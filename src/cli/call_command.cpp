// `odoolink call <model> <method> [args] [kwargs]`: one Odoo method call with
// JSON in and out, for operators and scripts.
#include <cstdio>
#include <string>

#include "connection_flags.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"

extern const char* const call_command_summary =
    "call a method and print its JSON result: call <model> <method> [json args] [json kwargs] --url URL ...";

namespace {

namespace cli = odoolink::cli;

int usage(int code) {
  return cli::server_usage(
      code,
      "usage: odoolink call <model> <method> [ARGS] [KWARGS] --url URL --db DB --user LOGIN\n"
      "                     [--password-env VAR | --api-key-env VAR] [--json]\n"
      "  ARGS is a JSON array of positional arguments (default []), KWARGS a JSON object (default {}):\n"
      "    odoolink call res.partner search_read '[[[\"is_company\",\"=\",true]]]' '{\"fields\":[\"name\"]}' ...\n",
      "  --json                               {\"ok\":true,\"model\",\"method\",\"protocol\",\"result\"} on stdout,\n"
      "                                       or {\"ok\":false,\"error\":{\"code\",...}} on failure\n"
      "Prints the result as JSON. Errors go to stderr as `odoolink call: <code>: <message>`,\n"
      "where <code> is the odoo_errc name (unknown_model, access_error, ...) or the error category.\n");
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
  cli::server_args cmd;
  const auto parsed = cli::parse_server_args(argc, argv, cmd);
  if (parsed == cli::parse_outcome::help) return usage(cli::exit_ok);
  const auto& positional = cmd.positional;
  if (parsed == cli::parse_outcome::usage || positional.size() < 2 || positional.size() > 4 ||
      cmd.connection.server.url.empty())
    return usage(cli::exit_usage);
  json::value args = json::array{};
  json::value kwargs = json::object{};
  if (positional.size() > 2 && !parse_argument("ARGS", positional[2], json::kind::array, args)) return cli::exit_usage;
  if (positional.size() > 3 && !parse_argument("KWARGS", positional[3], json::kind::object, kwargs))
    return cli::exit_usage;
  if (!cli::secrets_ready("call", cmd.connection)) return cli::exit_usage;
  auto fail = [&](const error& e) { return cli::report_failure("call", e, cmd.as_json); };

  auto odoo = client::client::connect(cmd.connection.server);
  if (!odoo) return fail(odoo.error());
  const std::string& model = positional[0];
  const std::string& method = positional[1];
  auto reply = odoo.value().execute_kw(model, method, std::move(args), std::move(kwargs));
  if (!reply) return fail(reply.error());
  const std::string_view result = reply.value().json();
  if (cmd.as_json) {
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
