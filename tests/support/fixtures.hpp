#pragma once
// Test support: reads the recorded Odoo exchanges under tests/fixtures.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "odoolink/http.hpp"
#include "odoolink/json/parse.hpp"

namespace odoolink::test {

/// One recorded HTTP exchange (format: tests/fixtures/odoo18/README.md).
struct exchange {
  std::string file;      ///< path relative to tests/fixtures, e.g. "odoo18/jsonrpc/read.json"
  std::string protocol;  ///< jsonrpc | xmlrpc | web | json2
  std::string method;
  std::string path;
  std::vector<http_header> request_headers;
  std::optional<std::string> request_body;
  int status = 0;
  std::vector<http_header> response_headers;
  std::string response_body;
  std::string note;

  /// The recorded response as the transport would hand it over.
  [[nodiscard]] http_response response() const { return {status, response_headers, response_body}; }
  [[nodiscard]] std::string stem() const { return std::filesystem::path(file).stem().string(); }
};

inline std::string fixtures_dir() { return ODOOLINK_FIXTURES_DIR; }

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<http_header> headers_of(const json::value* obj) {
  std::vector<http_header> out;
  if (obj == nullptr || !obj->is_object()) return out;
  for (const auto& [k, v] : obj->as_object())
    if (v.is_string()) out.push_back({k, v.as_string()});
  return out;
}

/// Loads one exchange file; nullopt when the file is not an exchange (e.g. index.json).
inline std::optional<exchange> load_exchange(const std::filesystem::path& p) {
  auto parsed = json::parse(read_file(p));
  if (!parsed || !parsed.value().is_object()) return std::nullopt;
  const json::value& doc = parsed.value();
  const json::value* http = doc.find("http");
  if (http == nullptr) return std::nullopt;
  exchange e;
  e.file = std::filesystem::relative(p, fixtures_dir()).generic_string();
  if (const auto* v = doc.find("protocol"); v && v->is_string()) e.protocol = v->as_string();
  if (const auto* v = http->find("method"); v && v->is_string()) e.method = v->as_string();
  if (const auto* v = http->find("path"); v && v->is_string()) e.path = v->as_string();
  if (const auto* v = http->find("status"); v && v->is_int()) e.status = static_cast<int>(v->as_int());
  e.request_headers = headers_of(http->find("request_headers"));
  e.response_headers = headers_of(http->find("response_headers"));
  if (const auto* v = doc.find("request_body"); v && v->is_string()) e.request_body = v->as_string();
  if (const auto* v = doc.find("response_body"); v && v->is_string()) e.response_body = v->as_string();
  if (const auto* v = doc.find("note"); v && v->is_string()) e.note = v->as_string();
  return e;
}

/// Every exchange of the given protocol under tests/fixtures (any Odoo version), sorted by file.
inline std::vector<exchange> exchanges(const std::string& protocol) {
  std::vector<exchange> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(fixtures_dir())) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    if (entry.path().parent_path().filename() == "fields") continue;
    auto e = load_exchange(entry.path());
    if (e && e->protocol == protocol) out.push_back(std::move(*e));
  }
  std::sort(out.begin(), out.end(), [](const exchange& a, const exchange& b) { return a.file < b.file; });
  return out;
}

}  // namespace odoolink::test
