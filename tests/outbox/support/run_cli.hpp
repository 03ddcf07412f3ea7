#pragma once
// Runs the built `odoolink outbox ...` tool and captures its output and exit code.

#include <cstdio>
#include <string>

#include <sys/wait.h>

#include <doctest/doctest.h>

namespace odoolink::test {

struct run_result {
  int exit_code = -1;
  std::string output;
};

inline run_result run_cli(const std::string& args) {
  run_result r;
  const std::string command = std::string("'") + ODOOLINK_CLI + "' outbox " + args + " 2>&1";
  FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) r.output += buf;
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace odoolink::test
