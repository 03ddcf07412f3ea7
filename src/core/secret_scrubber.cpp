#include "odoolink/secret_scrubber.hpp"

#include <algorithm>
#include <cstring>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE

namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

// The forms a secret takes when a server echoes a request: inside a JSON
// string, inside XML text, percent-encoded in a form or a cookie.
std::string json_escaped(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20U) {
      out += "\\u00";
      out += hex_digits[u >> 4U];
      out += hex_digits[u & 0xFU];
    } else {
      out += c;
    }
  }
  return out;
}

std::string xml_escaped(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string percent_encoded(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex_digits[u >> 4U];
      out += hex_digits[u & 0xFU];
    }
  }
  return out;
}

std::uint64_t window_at(const char* p) noexcept {
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return w;
}

}  // namespace

void secret_scrubber::add(std::string_view secret) {
  if (secret.size() < min_secret) return;
  for (std::string form : {std::string(secret), json_escaped(secret), xml_escaped(secret), percent_encoded(secret)}) {
    if (std::find(secrets_.begin(), secrets_.end(), form) != secrets_.end()) continue;
    for (std::size_t i = 0; i + min_run <= form.size(); ++i) windows_.push_back(window_at(form.data() + i));
    secrets_.push_back(std::move(form));
  }
  std::sort(windows_.begin(), windows_.end());
  windows_.erase(std::unique(windows_.begin(), windows_.end()), windows_.end());
}

std::vector<std::pair<std::size_t, std::size_t>> secret_scrubber::find(std::string_view text) const {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  if (secrets_.empty()) return ranges;
  // Every 8-byte window of the text that is a window of a secret: a run of
  // n >= 8 secret bytes is the union of its windows.
  if (!windows_.empty()) {
    for (std::size_t i = 0; i + min_run <= text.size(); ++i) {
      if (std::binary_search(windows_.begin(), windows_.end(), window_at(text.data() + i)))
        ranges.emplace_back(i, i + min_run);
    }
  }
  for (const auto& s : secrets_) {
    if (s.size() >= min_run) continue;  // covered by the windows
    for (std::size_t at = text.find(s); at != std::string_view::npos; at = text.find(s, at + 1))
      ranges.emplace_back(at, at + s.size());
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<std::size_t, std::size_t>> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

bool secret_scrubber::finds_secret_in(std::string_view text) const { return !find(text).empty(); }

std::string secret_scrubber::scrub(std::string_view text) const {
  const auto ranges = find(text);
  if (ranges.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const auto& [begin, end] : ranges) {
    out.append(text.substr(at, begin - at));
    out += mask;
    at = end;
  }
  out.append(text.substr(at));
  return out;
}

error secret_scrubber::scrub(const error& e) const {
  if (secrets_.empty()) return e;
  const std::string message = e.message();
  if (!finds_secret_in(message) && !finds_secret_in(e.odoo_class()) && !finds_secret_in(e.debug())) return e;
  return error::detailed(e.code(), scrub(message), scrub(e.odoo_class()), scrub(e.debug()), e.http_status());
}

ODOOLINK_END_NAMESPACE
}  // namespace odoolink
