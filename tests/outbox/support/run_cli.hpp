#pragma once
// Runs the built `odoolink outbox ...` tool and captures its output and exit code.

#include <string>

#include "support/cli_process.hpp"

namespace odoolink::test {

struct run_result {
  int exit_code = -1;
  std::string output;
};

/// `env`: shell assignments for the tool, e.g. a secret it reads ("PW=x").
inline run_result run_cli(const std::string& args, const std::string& env = {}) {
  const cli_run r = run_odoolink("outbox " + args, env, {}, true);
  return {r.exit_code, r.out};
}

}  // namespace odoolink::test
