#pragma once
/// @file
/// Recorded HTTP exchanges with a real Odoo server, as stored in the
/// fixture format (`{"protocol", "http": {...}, "request_body", "response_body", "note"}`).
/// For host applications' tests; not part of the core library.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing {

/// One recorded request/response pair.
struct recorded_exchange {
  std::string name;      ///< file path relative to the folder it was loaded from, without `.json`
  std::string protocol;  ///< jsonrpc | xmlrpc | web | json2
  std::string method;    ///< HTTP method
  std::string path;      ///< request target
  std::vector<http_header> request_headers;
  std::optional<std::string> request_body;
  int status = 0;
  std::vector<http_header> response_headers;
  std::string response_body;
  std::string note;

  /// The recorded response as a transport hands it over.
  /// The recorded response, its body in storage with room for the padding
  /// the decoders need (as the libcurl transport receives it).
  [[nodiscard]] http_response response() const {
    http_response r{status, response_headers, {}};
    r.body.reserve(response_body.size() + json::padding);
    r.body.assign(response_body);
    return r;
  }
};

namespace detail {
inline std::vector<http_header> headers_of(const json::value* obj) {
  std::vector<http_header> out;
  if (obj == nullptr || !obj->is_object()) return out;
  for (const auto& [k, v] : obj->as_object())
    if (v.is_string()) out.push_back({k, v.as_string()});
  return out;
}
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace detail

/// Parses one exchange document. Errors: protocol_errc::malformed_response
/// when it is not JSON or has no `http` object.
[[nodiscard]] inline result<recorded_exchange> parse_exchange(std::string_view text, std::string name = {}) {
  ODOOLINK_TRY(auto doc, json::parse(text));
  const json::value* http = doc.find("http");
  if (http == nullptr || !http->is_object()) return error(protocol_errc::malformed_response, "not an exchange: " + name);
  recorded_exchange e;
  e.name = std::move(name);
  auto str = [](const json::value* v) { return v != nullptr && v->is_string() ? v->as_string() : std::string(); };
  e.protocol = str(doc.find("protocol"));
  e.method = str(http->find("method"));
  e.path = str(http->find("path"));
  if (const auto* v = http->find("status"); v != nullptr && v->is_int()) e.status = static_cast<int>(v->as_int());
  e.request_headers = detail::headers_of(http->find("request_headers"));
  e.response_headers = detail::headers_of(http->find("response_headers"));
  if (const auto* v = doc.find("request_body"); v != nullptr && v->is_string()) e.request_body = v->as_string();
  e.response_body = str(doc.find("response_body"));
  e.note = str(doc.find("note"));
  return e;
}

/// Loads every exchange file below `folder` (recursively, sorted by path;
/// `fields/` dumps and other non-exchange JSON files are skipped).
[[nodiscard]] inline std::vector<recorded_exchange> load_exchanges(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  std::vector<recorded_exchange> out;
  for (const auto& f : files) {
    std::string name = std::filesystem::relative(f, folder).replace_extension().generic_string();
    auto e = parse_exchange(detail::read_text(f), std::move(name));
    if (e) out.push_back(std::move(e).value());
  }
  return out;
}

/// The XML-RPC body of a recording with its secret placeholders escaped:
/// recordings write API keys as `<API_KEY>` even inside XML, where it reads
/// as a tag; escaped, the request parses as the server saw it.
[[nodiscard]] inline std::string escape_placeholders(std::string xml) {
  for (const std::string key : {"<API_KEY>", "<CLERK_API_KEY>"}) {
    const std::string escaped = "&lt;" + key.substr(1, key.size() - 2) + "&gt;";
    for (auto pos = xml.find(key); pos != std::string::npos; pos = xml.find(key, pos + escaped.size()))
      xml.replace(pos, key.size(), escaped);
  }
  return xml;
}

}  // namespace testing
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
