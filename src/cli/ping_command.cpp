// `odoolink ping`: can this program reach and log in to that Odoo, over which
// protocol, and how fast.
#include <chrono>
#include <cstdio>
#include <string>

#include "connection_flags.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/writer.hpp"

extern const char* const ping_command_summary =
    "check a server: version, protocol chosen, login and latency: ping --url URL --db DB --user LOGIN ...";

namespace {

namespace cli = odoolink::cli;

int usage(int code) {
  return cli::server_usage(
      code, "usage: odoolink ping --url URL --db DB --user LOGIN [--password-env VAR | --api-key-env VAR] [--json]\n",
      "  --json                               one JSON object on stdout (an \"error\" object on failure)\n"
      "Connects (version probe and login), then makes one round-trip call (res.users.search_count).\n");
}

double ms_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

int ping_command(int argc, char** argv) {
  using namespace odoolink;
  cli::server_args cmd;
  const auto parsed = cli::parse_server_args(argc, argv, cmd);
  if (parsed == cli::parse_outcome::help) return usage(cli::exit_ok);
  if (parsed == cli::parse_outcome::usage || !cmd.positional.empty() || cmd.connection.server.url.empty())
    return usage(cli::exit_usage);
  if (!cli::secrets_ready("ping", cmd.connection)) return cli::exit_usage;
  auto fail = [&](const error& e) { return cli::report_failure("ping", e, cmd.as_json); };

  const auto start = std::chrono::steady_clock::now();
  auto odoo = client::client::connect(cmd.connection.server);
  const auto connected = std::chrono::steady_clock::now();
  if (!odoo) return fail(odoo.error());
  const client::connection_info& info = odoo.value().info();
  // One cheap call every user may make, on every protocol and series.
  auto probe = odoo.value().execute_kw(
      "res.users", "search_count", json::array{},
      json::object{{"domain", json::array{json::array{"id", "=", info.uid}}}});
  const auto called = std::chrono::steady_clock::now();
  if (!probe) return fail(probe.error());

  const double connect_ms = ms_between(start, connected);
  const double call_ms = ms_between(connected, called);
  const std::string protocol(client::to_string(info.protocol));
  if (cmd.as_json) {
    json::value out = json::object{{"ok", true},
                                   {"server_version", info.version.text},
                                   {"series", info.version.major},
                                   {"protocol", protocol},
                                   {"database", info.database},
                                   {"uid", info.uid},
                                   {"connect_ms", connect_ms},
                                   {"call_ms", call_ms}};
    std::printf("%s\n", json::to_string(out).c_str());
  } else {
    std::printf("server    Odoo %s (series %d)\n", info.version.text.c_str(), info.version.major);
    std::printf("protocol  %s\n", protocol.c_str());
    std::printf("login     ok, uid %lld on %s\n", static_cast<long long>(info.uid), info.database.c_str());
    std::printf("latency   connect %.1f ms (version probe + login), call %.1f ms (one round trip)\n", connect_ms,
                call_ms);
  }
  (void)odoo.value().logout();  // closes a web session; a failure here changes nothing
  return cli::exit_ok;
}
