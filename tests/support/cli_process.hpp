#pragma once
// Test support: runs the built `odoolink` tool (path in ODOOLINK_CLI) through
// the shell and captures its exit code, stdout and stderr.

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <sys/wait.h>

#include <doctest/doctest.h>

#include "support/fixtures.hpp"

namespace odoolink::test {

struct cli_run {
  int exit_code = -1;
  std::string out;  ///< stdout (and stderr when merged)
  std::string err;  ///< stderr, unless merged into `out`
};

/// Runs `[env] 'odoolink' <command>`; `env` is shell assignments such as
/// "SECRET=x" (kept out of the tool's argv), `input` is fed to its stdin.
inline cli_run run_odoolink(const std::string& command, const std::string& env = {}, const std::string& input = {},
                            bool merge_stderr = false) {
  std::random_device rd;
  const auto base = std::filesystem::temp_directory_path() / ("odoolink-cli-" + std::to_string(rd()));
  const std::string err_path = base.string() + ".err";
  const std::string in_path = base.string() + ".in";
  {
    FILE* in = std::fopen(in_path.c_str(), "wb");
    REQUIRE(in != nullptr);
    std::fwrite(input.data(), 1, input.size(), in);
    std::fclose(in);
  }
  const std::string line = env + (env.empty() ? "" : " ") + "'" + ODOOLINK_CLI + "' " + command +
                           (merge_stderr ? std::string(" 2>&1") : " 2>'" + err_path + "'") + " <'" + in_path + "'";
  cli_run r;
  FILE* p = popen(line.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (!merge_stderr) r.err = read_file(err_path);
  std::filesystem::remove(err_path);
  std::filesystem::remove(in_path);
  return r;
}

}  // namespace odoolink::test
