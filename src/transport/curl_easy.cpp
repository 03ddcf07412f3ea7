// Per-transfer work of the libcurl transport: base URL parsing, request
// validation, easy-handle options, callbacks and the response.

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <new>
#include <string>
#include <string_view>

#include "../core/text.hpp"
#include "curl_internal.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {
namespace curl_detail {
namespace {

// Room left behind a body so json::buffer can add simdjson's padding
// without reallocating.
constexpr std::size_t body_padding = 64;

// The most reserved up front from a Content-Length.
constexpr std::size_t max_body_reserve = std::size_t{16} << 20U;

// Response headers (of all interim and final responses) beyond this abort
// the transfer; max_response_bytes bounds the body.
// Below libcurl's own limit (300 KB in 7.88), so ours reports it first.
constexpr std::size_t max_header_bytes = std::size_t{256} << 10U;

// Room for the response headers is made up front: one allocation for a typical answer.
constexpr std::size_t expected_headers = 8;

bool is_token_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if (u >= '0' && u <= '9') return true;
  if ((u | 0x20U) >= 'a' && (u | 0x20U) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char);
}

using odoolink::detail::trim_blanks;

std::string url_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr) return {};
  std::string s(out);
  curl_free(out);
  return s;
}

size_t on_body(char* data, size_t size, size_t count, void* user) noexcept {
  auto& t = *static_cast<transfer*>(user);
  const std::size_t n = size * count;
  if (n > t.max_response - t.response.body.size()) {
    t.too_large = true;
    return 0;  // CURLE_WRITE_ERROR ends the transfer now
  }
  try {
    // Keep room for the decoder's padding behind the bytes received, so it
    // takes the body as it is; grow geometrically but never past the limit
    // (uncapped, the last step before the limit could allocate twice it).
    std::string& body = t.response.body;
    if (body.capacity() < body.size() + n + body_padding)
      body.reserve(std::max(std::min(body.capacity() * 2, t.max_response), body.size() + n) + body_padding);
    body.append(data, n);
  } catch (...) {
    t.out_of_memory = true;
    return 0;
  }
  return n;
}

void on_header_line(transfer& t, std::string_view line) {
  if (line.substr(0, 5) == "HTTP/") {
    // A new status line: interim (1xx) responses leave only the final one.
    t.response.headers.clear();
    return;
  }
  if (line.empty()) {
    // Reserve for the announced body, but never trust a length enough to
    // allocate much before the bytes arrive.
    std::size_t length = 0;
    const std::string_view cl = t.response.header("Content-Length");
    if (!cl.empty() && std::from_chars(cl.data(), cl.data() + cl.size(), length).ec == std::errc() &&
        t.response.body.empty() && (t.request == nullptr || t.request->method != "HEAD"))
      t.response.body.reserve(std::min({length, t.max_response, max_body_reserve}) + body_padding);
    return;
  }
  if (line.front() == ' ' || line.front() == '\t') {  // obsolete line folding
    if (!t.response.headers.empty()) {
      auto& value = t.response.headers.back().value;
      value += ' ';
      value += trim_blanks(line);
    }
    return;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  t.response.headers.push_back(http_header{std::string(trim_blanks(line.substr(0, colon))),
                                           std::string(trim_blanks(line.substr(colon + 1)))});
}

size_t on_header(char* data, size_t size, size_t count, void* user) noexcept {
  auto& t = *static_cast<transfer*>(user);
  const std::size_t n = size * count;
  if (n > max_header_bytes - std::min(t.header_bytes, max_header_bytes)) {
    t.too_large = true;
    t.headers_too_large = true;
    return 0;
  }
  t.header_bytes += n;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  try {
    on_header_line(t, line);
  } catch (...) {
    t.out_of_memory = true;
    return 0;
  }
  return n;
}

// Runs once the connection is ready, just before the request is written: from
// here on a failure may have reached the server. A second run for one request
// is libcurl sending it again on a new connection, because a kept-alive one
// closed without answering; the server may have applied the first copy, so a
// request that is not idempotent ends here instead (the caller learns the
// outcome is unknown).
int on_pre_request(void* user, char* /*primary_ip*/, char* /*local_ip*/, int /*primary_port*/,
                   int /*local_port*/) noexcept {
  auto& t = *static_cast<transfer*>(user);
  if (t.sent && t.request != nullptr && !t.request->idempotent) {
    t.resend_refused = true;
    return CURL_PREREQFUNC_ABORT;
  }
  t.sent = true;
  return CURL_PREREQFUNC_OK;
}

error option_error(CURLcode rc, std::string_view what) {
  std::string msg = "libcurl refused the option ";
  msg += what;
  msg += ": ";
  msg += curl_easy_strerror(rc);
  return error(transport_errc::invalid_request, std::move(msg));
}

}  // namespace

CURLcode global_init() noexcept {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  return rc;
}

result<endpoint> parse_base_url(std::string_view url) {
  auto bad = [&](std::string_view why) {
    std::string msg = "invalid base URL: ";
    msg += why;
    return error(transport_errc::invalid_request, std::move(msg));
  };
  if (url.empty()) return bad("empty (expected scheme://host[:port][/prefix])");
  CURLU* u = curl_url();
  if (u == nullptr) return bad("out of memory");
  struct guard {
    CURLU* u;
    ~guard() { curl_url_cleanup(u); }
  } g{u};
  const std::string text(url);
  if (curl_url_set(u, CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    return bad("not of the form scheme://host[:port][/prefix]");
  endpoint ep;
  const std::string scheme = url_part(u, CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") return bad("the scheme must be http or https");
  ep.https = scheme == "https";
  if (!url_part(u, CURLUPART_USER).empty() || !url_part(u, CURLUPART_PASSWORD).empty())
    return bad("credentials in the URL are not supported; send them in a header");
  if (!url_part(u, CURLUPART_QUERY).empty() || !url_part(u, CURLUPART_FRAGMENT).empty())
    return bad("a base URL takes no query or fragment");
  const std::string host = url_part(u, CURLUPART_HOST);
  if (host.empty()) return bad("no host");
  const std::string port = url_part(u, CURLUPART_PORT);
  std::string path = url_part(u, CURLUPART_PATH);
  while (!path.empty() && path.back() == '/') path.pop_back();
  ep.base = scheme + "://" + host + (port.empty() ? std::string() : ":" + port) + path;
  ep.authority = host + ":" + (port.empty() ? std::string(ep.https ? "443" : "80") : port);
  return ep;
}

bool same_headers(const std::vector<http_header>& a, const std::vector<http_header>& b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const http_header& x, const http_header& y) { return x.name == y.name && x.value == y.value; });
}

result<void> validate(const http_request& request, const curl_options& options, const endpoint& ep,
                      const std::vector<http_header>* checked) {
  auto bad = [&](std::string why) {
    return error(transport_errc::invalid_request,
                 "request to " + ep.authority + " not sent: " + std::move(why));
  };
  if (!is_token(request.method)) return bad("the method is not an HTTP token");
  const std::string_view target = request.target;
  if (!target.empty() && target.front() != '/') return bad("the target must start with '/'");
  for (char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '#')
      return bad("the target contains a character that must be percent-encoded");
  }
  // Headers equal to ones that passed before (most requests repeat them) pass again.
  if (checked == nullptr || !same_headers(request.headers, *checked)) {
    for (const auto& h : request.headers) {
      if (!is_token(h.name)) return bad("a header name is not an HTTP token");
      if (h.value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
        return bad("the value of header " + h.name + " contains CR, LF or NUL");
      if (header_name_equals(h.name, "Content-Length") || header_name_equals(h.name, "Transfer-Encoding"))
        return bad("header " + h.name + " is set by the transport");
    }
  }
  if (request.body.size() > options.max_request_bytes)
    return bad("the body has " + std::to_string(request.body.size()) + " bytes, more than max_request_bytes (" +
               std::to_string(options.max_request_bytes) + ")");
  return success();
}

transfer::~transfer() {
  if (headers != nullptr) curl_slist_free_all(headers);
  if (easy != nullptr) curl_easy_cleanup(easy);
}

result<void> setup(transfer& t, const curl_options& o, CURLSH* share) {
  t.easy = curl_easy_init();
  if (t.easy == nullptr) return error(transport_errc::invalid_request, "libcurl could not create an easy handle");
  CURL* e = t.easy;
  t.max_response = o.max_response_bytes;
  t.total_timeout = o.total_timeout;
  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption opt, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, value);
    return rc == CURLE_OK;
  };
  // Options whose failure only means an older libcurl: best effort.
  auto try_set = [&](CURLoption opt, auto value) { (void)curl_easy_setopt(e, opt, value); };

  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_PRIVATE, static_cast<void*>(&t));
  set(CURLOPT_ERRORBUFFER, t.errbuf);
  set(CURLOPT_WRITEFUNCTION, &on_body);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&t));
  set(CURLOPT_HEADERFUNCTION, &on_header);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&t));
  set(CURLOPT_PREREQFUNCTION, &on_pre_request);
  set(CURLOPT_PREREQDATA, static_cast<void*>(&t));
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(o.total_timeout.count()));
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  if (rc != CURLE_OK) return option_error(rc, "for callbacks, timeouts or protocols");
  if (o.accept_compressed && !set(CURLOPT_ACCEPT_ENCODING, "")) return option_error(rc, "CURLOPT_ACCEPT_ENCODING");
  if (!o.user_agent.empty() && !set(CURLOPT_USERAGENT, o.user_agent.c_str()))
    return option_error(rc, "CURLOPT_USERAGENT");
  if (o.max_response_bytes < static_cast<std::size_t>(std::numeric_limits<curl_off_t>::max()))
    try_set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.max_response_bytes));
  try_set(CURLOPT_TCP_KEEPALIVE, 1L);
  try_set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  if (share != nullptr) try_set(CURLOPT_SHARE, share);

  if (!o.proxy.empty()) {
    if (!set(CURLOPT_PROXY, o.proxy.c_str())) return option_error(rc, "CURLOPT_PROXY");
  } else if (!o.proxy_from_environment) {
    if (!set(CURLOPT_PROXY, "")) return option_error(rc, "CURLOPT_PROXY");  // "" disables the environment
  }
  if (!o.no_proxy.empty() && !set(CURLOPT_NOPROXY, o.no_proxy.c_str())) return option_error(rc, "CURLOPT_NOPROXY");

  const auto& tls = o.tls;
  set(CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
  set(CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
  set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (rc != CURLE_OK) return option_error(rc, "for TLS verification");
  if (!tls.system_ca) {
    set(CURLOPT_CAINFO, static_cast<const char*>(nullptr));
    set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));
    if (rc != CURLE_OK) return option_error(rc, "CURLOPT_CAINFO/CAPATH");
  }
  if (!tls.ca_file.empty() && !set(CURLOPT_CAINFO, tls.ca_file.c_str())) return option_error(rc, "CURLOPT_CAINFO");
  if (!tls.ca_pem.empty()) {
    curl_blob blob{const_cast<char*>(tls.ca_pem.data()), tls.ca_pem.size(), CURL_BLOB_COPY};
    if (!set(CURLOPT_CAINFO_BLOB, &blob)) return option_error(rc, "CURLOPT_CAINFO_BLOB");
  }
  if (!tls.pinned_public_key.empty() && !set(CURLOPT_PINNEDPUBLICKEY, tls.pinned_public_key.c_str()))
    return option_error(rc, "CURLOPT_PINNEDPUBLICKEY");
  return success();
}

// Builds the header list of `r` into `t` (replacing the kept one).
result<void> build_headers(transfer& t, const http_request& r, bool has_body) {
  if (t.headers != nullptr) {
    curl_slist_free_all(t.headers);
    t.headers = nullptr;
  }
  t.header_source.clear();
  bool has_type = false;
  bool has_expect = false;
  curl_slist* list = nullptr;
  std::string line;
  for (const auto& h : r.headers) {
    has_type = has_type || header_name_equals(h.name, "Content-Type");
    has_expect = has_expect || header_name_equals(h.name, "Expect");
    line.assign(h.name);
    if (h.value.empty()) {
      line += ';';  // libcurl's syntax for a header with an empty value
    } else {
      line += ": ";
      line += h.value;
    }
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) {
      curl_slist_free_all(list);
      return error(transport_errc::invalid_request, "out of memory building the request headers");
    }
    list = next;
  }
  if (!has_expect) list = curl_slist_append(list, "Expect:");
  if (has_body && !has_type && list != nullptr) list = curl_slist_append(list, "Content-Type:");
  if (list == nullptr) return error(transport_errc::invalid_request, "out of memory building the request headers");
  t.headers = list;
  t.header_source = r.headers;
  t.header_body = has_body;
  return success();
}

// True when `form` and `method` are how the last request was set up; else
// records them (the caller then sets the options that follow from them).
bool same_shape(transfer& t, std::string_view form, std::string_view method) {
  std::string& last = t.applied_shape;
  if (last.size() == form.size() + method.size() && last.compare(0, form.size(), form) == 0 &&
      last.compare(form.size(), std::string::npos, method) == 0)
    return true;
  last.assign(form).append(method);
  return false;
}

result<void> prepare(transfer& t, const http_request& r, const endpoint& ep) {
  CURL* e = t.easy;
  t.request = &r;
  t.sent = false;
  t.resend_refused = false;
  t.too_large = false;
  t.headers_too_large = false;
  t.out_of_memory = false;
  t.header_bytes = 0;
  t.errbuf[0] = '\0';
  t.response = http_response{};
  t.response.headers.reserve(expected_headers);
  // A request's own limit replaces the transport's, longer or shorter.
  t.time_limit = r.timeout.count() > 0 ? r.timeout : t.total_timeout;
  const long timeout_ms = static_cast<long>(t.time_limit.count());
  if (timeout_ms != t.applied_timeout_ms) {
    if (curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms) != CURLE_OK)
      return error(transport_errc::invalid_request, "libcurl refused the request's timeout");
    t.applied_timeout_ms = timeout_ms;
  }

  const std::string_view target = r.target.empty() ? std::string_view("/") : std::string_view(r.target);
  const bool same_url = !t.url.empty() && t.url.size() == ep.base.size() + target.size() &&
                        t.url.compare(0, ep.base.size(), ep.base) == 0 &&
                        t.url.compare(ep.base.size(), target.size(), target) == 0;
  if (!same_url) {
    t.url.assign(ep.base);
    t.url.append(target);
    if (curl_easy_setopt(e, CURLOPT_URL, t.url.c_str()) != CURLE_OK) {
      t.url.clear();
      return error(transport_errc::invalid_request, "libcurl refused the request's URL");
    }
  }

  // libcurl would add these on its own; the request says exactly what it means.
  const bool has_body = !r.body.empty() || r.method == "POST";
  if (t.headers == nullptr || t.header_body != has_body || !same_headers(r.headers, t.header_source))
    ODOOLINK_TRYV(build_headers(t, r, has_body));

  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption opt, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, value);
  };
  if (t.headers != t.applied_headers) {
    set(CURLOPT_HTTPHEADER, t.headers);
    t.applied_headers = t.headers;
  }
  if (has_body) {
    if (!same_shape(t, "body ", r.method)) {
      set(CURLOPT_POST, 1L);
      set(CURLOPT_CUSTOMREQUEST, r.method == "POST" ? nullptr : r.method.c_str());
    }
    // The body's address and size change from request to request. Given
    // whole, libcurl writes it with the headers (one segment for a small
    // call); on_pre_request keeps it from resending one that is not idempotent.
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    set(CURLOPT_POSTFIELDS, r.body.data());
  } else if (r.method == "HEAD") {
    if (!same_shape(t, "head ", r.method)) {
      set(CURLOPT_HTTPGET, 1L);
      set(CURLOPT_CUSTOMREQUEST, static_cast<const char*>(nullptr));
      set(CURLOPT_NOBODY, 1L);
    }
  } else if (!same_shape(t, "get ", r.method)) {
    set(CURLOPT_HTTPGET, 1L);  // also clears NOBODY and POST left by an earlier request
    set(CURLOPT_CUSTOMREQUEST, r.method == "GET" ? nullptr : r.method.c_str());
  }
  if (rc != CURLE_OK) {
    // Unknown what libcurl kept: everything is set again next time.
    t.applied_shape.clear();
    t.applied_headers = nullptr;
    return option_error(rc, "for the request");
  }
  return success();
}

result<http_response> finish(transfer& t, CURLcode code, const curl_options& options, const endpoint& ep) {
  if (code != CURLE_OK) return map_error(t, code, options, ep);
  long status = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  t.response.status = static_cast<int>(status);
  return std::move(t.response);
}

void release(transfer& t) noexcept {
  // The easy handle keeps pointers to these (and to the kept URL and header
  // list) until the next prepare(); it is never performed in between.
  t.request = nullptr;
  t.owned = http_request{};
  t.response = http_response{};
  t.done = nullptr;
  t.id = 0;
}

}  // namespace curl_detail
}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
