// odoolink demo: decodes real Odoo 18/19 exchanges recorded on the wire with
// every protocol codec, and shows what a host application gets back: a
// result it can read without copies, or a typed error it can act on.
//
// Usage: odoolink_demo [fixtures-dir]
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "odoolink/odoolink.hpp"

namespace fs = std::filesystem;
using namespace odoolink;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string shorten(std::string_view s, std::size_t n) {
  std::string out;
  for (char c : s.substr(0, n)) out.push_back(c == '\n' ? ' ' : c);
  if (s.size() > n) out += "...";
  return out;
}

struct outcome {
  std::string file, protocol, summary;
  bool ok = false;
};

// Decodes one recorded response with the codec of its protocol.
result<protocol::reply> decode(const std::string& proto, const std::string& path, http_response r) {
  if (proto == "jsonrpc") return protocol::jsonrpc::decode(std::move(r));
  if (proto == "web" && path.rfind("/web/version", 0) != 0 && path != "/json/version")
    return protocol::web::decode(std::move(r));
  if (proto == "json2" || proto == "web") return protocol::json2::decode(std::move(r));
#if defined(ODOOLINK_HAS_XMLRPC)
  if (proto == "xmlrpc") return protocol::xmlrpc::decode(std::move(r));
#endif
  return error(protocol_errc::unsupported_call, "no codec for " + proto);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? fs::path(argv[1]) : fs::path(ODOOLINK_DEMO_FIXTURES);
  std::printf("odoolink %s demo: decoding real Odoo exchanges recorded under %s\n", ODOOLINK_VERSION_STRING,
              root.filename().string().c_str());
  if (!fs::is_directory(root)) {
    std::fprintf(stderr, "no fixtures directory at %s\n", root.string().c_str());
    return 2;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".json" && e.path().parent_path().filename() != "fields")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());

  std::map<std::string, std::map<std::string, int>> tally;  // protocol -> outcome -> count
  int decoded = 0, typed_errors = 0, failures = 0;
  for (const auto& path : files) {
    auto doc = json::parse(slurp(path));
    if (!doc || doc.value().find("http") == nullptr) continue;  // index.json, webhook captures
    const json::value& d = doc.value();
    const json::value& http = *d.find("http");
    http_response r;
    r.status = static_cast<int>(http.find("status")->as_int());
    if (const auto* h = http.find("response_headers"))
      for (const auto& [k, v] : h->as_object()) r.headers.push_back({k, v.as_string()});
    r.body = d.find("response_body")->as_string();
    const std::string proto = d.find("protocol")->as_string();
    const std::string target = http.find("path")->as_string();
    const std::string name = fs::relative(path, root).generic_string();

    auto res = decode(proto, target, std::move(r));
    if (res) {
      ++decoded;
      ++tally[proto]["result"];
      std::printf("  ok    %-52s %s\n", name.c_str(), shorten(res.value().json(), 60).c_str());
    } else if (res.error().code().category() == odoo_category() ||
               res.error() == protocol_errc::bad_request) {
      ++typed_errors;
      ++tally[proto][res.error().code().message()];
      std::printf("  fault %-52s %s%s\n", name.c_str(), res.error().code().message().c_str(),
                  res.error().retryable() ? " (retryable)" : "");
    } else {
      ++failures;
      std::printf("  FAIL  %-52s %s\n", name.c_str(), res.error().describe().c_str());
    }
  }

  std::printf("\nSummary\n  %-10s %-48s %s\n", "protocol", "outcome", "count");
  for (const auto& [proto, outcomes] : tally)
    for (const auto& [what, count] : outcomes) std::printf("  %-10s %-48s %d\n", proto.c_str(), what.c_str(), count);
  std::printf("\n%d results decoded, %d Odoo faults mapped to typed errors, %d undecodable\n", decoded, typed_errors,
              failures);
  return failures == 0 ? 0 : 1;
}
