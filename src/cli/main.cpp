// `odoolink <command> [args]`: dispatches to the commands compiled in.
#include <cstdio>
#include <cstring>

#include "commands.inc"
#include "odoolink/version.hpp"

namespace {
int usage(std::FILE* out) {
  std::fprintf(out, "odoolink %s\nusage: odoolink <command> [options]\n\ncommands:\n", ODOOLINK_VERSION_STRING);
  for (const auto* c = cli_commands; c->name != nullptr; ++c) std::fprintf(out, "  %-14s %s\n", c->name, *c->summary);
  std::fprintf(out, "  %-14s %s\n", "version", "print the version");
  return out == stdout ? 0 : 2;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(stderr);
  const char* name = argv[1];
  if (std::strcmp(name, "--help") == 0 || std::strcmp(name, "help") == 0) return usage(stdout);
  if (std::strcmp(name, "version") == 0 || std::strcmp(name, "--version") == 0) {
    std::printf("%s\n", ODOOLINK_VERSION_STRING);
    return 0;
  }
  for (const auto* c = cli_commands; c->name != nullptr; ++c)
    if (std::strcmp(c->name, name) == 0) return c->run(argc - 1, argv + 1);
  std::fprintf(stderr, "odoolink: unknown command '%s'\n\n", name);
  return usage(stderr);
}
