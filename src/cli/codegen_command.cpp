// `odoolink codegen`: model headers from `fields_get`, read from saved JSON
// files or asked from a live server.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "connection_flags.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/model/codegen.hpp"
#include "odoolink/model/field_info.hpp"
#include "odoolink/model/proxy.hpp"

extern const char* const codegen_command_summary =
    "generate model headers from fields_get: codegen [--out DIR] <model.json>... | --url URL --db DB ... --model M...";

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: odoolink codegen [--out DIR] [--stdout] [--max-enum N] [--series N [--default-series]] <fields_get.json>...\n"
               "       odoolink codegen [--out DIR] [--stdout] --url URL --db DB --user LOGIN\n"
               "                        [--password-env VAR | --password-stdin | --api-key-env VAR | --api-key-stdin]\n"
               "                        --model MODEL [--model MODEL...]\n"
               "\n"
               "Writes <DIR>/<model_with_underscores>.hpp for each model (DIR defaults to .).\n"
               "A JSON file holds the result of fields_get (an object of fields); its model is\n"
               "its file name without .json (res.partner.json), or the --model given before it.\n"
               "The same fields_get always gives the same bytes.\n"
               "With --url, the secret comes from the variable or stdin named, else from\n"
               "ODOOLINK_PASSWORD / ODOOLINK_API_KEY; never from the command line.\n"
               "--series N puts the models into odoolink::models::vN (e.g. --series 17 --out\n"
               "include/odoolink/models/v17); --default-series makes vN an inline namespace.\n");
  return 2;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

struct job {
  std::string model;
  std::string file;  // empty: ask the server
};

}  // namespace

int codegen_command(int argc, char** argv) {
  using namespace odoolink;
  std::string out_dir = ".";
  bool to_stdout = false;
  model::codegen_options options;
  cli::connection_flags flags;
  const client::client_options& server = flags.server;
  std::vector<job> jobs;
  bool after_model = false;  // the previous argument was `--model M`
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&](std::string& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      usage();
      return 0;
    }
    bool ok = true;
    const bool model_before = after_model;
    after_model = false;
    if (arg == "--out") ok = value(out_dir);
    else if (arg == "--stdout") to_stdout = true;
    else if (arg == "--max-enum") {
      std::string n;
      ok = value(n);
      if (ok) options.max_enum_values = static_cast<std::size_t>(std::strtoul(n.c_str(), nullptr, 10));
    } else if (arg == "--series") {
      std::string n;
      ok = value(n);
      if (ok) options.series = static_cast<int>(std::strtol(n.c_str(), nullptr, 10));
      ok = ok && options.series > 0;
    } else if (arg == "--default-series") options.default_series = true;
    else if (const auto taken = cli::take_connection_flag(flags, i, argc, argv); taken != cli::flag_result::not_mine) {
      if (taken == cli::flag_result::bad) return 2;
    } else if (arg == "--model") {
      std::string m;
      ok = value(m);
      if (ok) jobs.push_back({m, {}});
      after_model = ok;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage();
    } else if (model_before) {
      jobs.back().file = arg;  // `--model M file.json`
    } else {
      std::string model = std::filesystem::path(arg).filename().string();
      if (model.size() > 5 && model.substr(model.size() - 5) == ".json") model.resize(model.size() - 5);
      jobs.push_back({model, arg});
    }
    if (!ok) return usage();
  }
  if (jobs.empty()) return usage();

  std::optional<client::client> connection;
  for (const auto& j : jobs) {
    result<std::vector<model::field_info>> fields = error(protocol_errc::unsupported_call, "no input");
    if (!j.file.empty()) {
      std::string text;
      if (!read_file(j.file, text)) {
        std::fprintf(stderr, "odoolink codegen: cannot read %s\n", j.file.c_str());
        return 1;
      }
      fields = model::parse_fields_get(text);
    } else {
      if (server.url.empty()) {
        std::fprintf(stderr, "odoolink codegen: --model %s needs a JSON file after it or --url\n", j.model.c_str());
        return 2;
      }
      if (!connection) {
        if (!cli::secrets_ready("codegen", flags)) return 2;
        auto c = client::client::connect(server);
        if (!c) {
          std::fprintf(stderr, "odoolink codegen: %s\n", c.error().describe().c_str());
          return 1;
        }
        connection = std::move(c).value();
      }
      fields = model::any_proxy(*connection, j.model).fields_get();
    }
    if (!fields) {
      std::fprintf(stderr, "odoolink codegen: %s: %s\n", j.model.c_str(), fields.error().describe().c_str());
      return 1;
    }
    auto header = model::generate_model_header(j.model, fields.value(), options);
    if (!header) {
      std::fprintf(stderr, "odoolink codegen: %s\n", header.error().describe().c_str());
      return 1;
    }
    if (to_stdout) {
      std::fwrite(header.value().data(), 1, header.value().size(), stdout);
      continue;
    }
    const auto path = std::filesystem::path(out_dir) / model::model_header_name(j.model);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(header.value().data(), static_cast<std::streamsize>(header.value().size()));
    if (!out) {
      std::fprintf(stderr, "odoolink codegen: cannot write %s\n", path.string().c_str());
      return 1;
    }
    std::fprintf(stderr, "%s: %zu fields -> %s\n", j.model.c_str(), fields.value().size(), path.string().c_str());
  }
  return 0;
}
