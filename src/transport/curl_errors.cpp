// Maps libcurl result codes to transport_errc, keeping "nothing was sent"
// apart from "the server may have the request" (callers decide on retries
// by it), with messages that name host:port but never header values or bodies.

#include <curl/curl.h>

#include <string>
#include <string_view>

#include "curl_internal.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {
namespace curl_detail {
namespace {

constexpr std::string_view not_sent = "; the request was not sent";
constexpr std::string_view maybe_sent = "; the request was sent and may have been processed by the server";

// The request as "METHOD /path": the query may carry secrets and is left out.
std::string describe_request(const transfer& t) {
  if (t.request == nullptr) return "request";
  std::string s = t.request->method;
  s += ' ';
  const std::string_view target = t.request->target;
  s += target.empty() ? std::string_view("/") : target.substr(0, target.find('?'));
  return s;
}

error make(transport_errc code, std::string_view head, std::string_view detail, std::string_view tail) {
  std::string msg(head);
  if (!detail.empty()) {
    msg += ": ";
    msg += detail;
  }
  msg += tail;
  return error(code, std::move(msg));
}

enum class phase { resolve, connect, tls, request };

// Where a transfer stopped before the request went out, from libcurl's timings.
phase stopped_at(const transfer& t, bool https) {
  curl_off_t lookup = 0;
  curl_off_t connect = 0;
  curl_off_t tls = 0;
  curl_easy_getinfo(t.easy, CURLINFO_NAMELOOKUP_TIME_T, &lookup);
  curl_easy_getinfo(t.easy, CURLINFO_CONNECT_TIME_T, &connect);
  curl_easy_getinfo(t.easy, CURLINFO_APPCONNECT_TIME_T, &tls);
  // libcurl records the connect time only once TLS is up too; the peer's
  // port is known as soon as TCP is connected.
  long port = 0;
  curl_easy_getinfo(t.easy, CURLINFO_PRIMARY_PORT, &port);
  if (lookup == 0) return phase::resolve;
  if (connect == 0 && port == 0) return phase::connect;
  if (https && tls == 0) return phase::tls;
  return phase::request;
}

}  // namespace

error map_error(const transfer& t, CURLcode code, const curl_options& o, const endpoint& ep) {
  const std::string detail = t.errbuf[0] != '\0' ? std::string(t.errbuf) : std::string(curl_easy_strerror(code));
  const std::string& at = ep.authority;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return make(transport_errc::dns_failed, "could not resolve the host of " + at, detail, not_sent);
    case CURLE_COULDNT_RESOLVE_PROXY:
      return make(transport_errc::dns_failed, "could not resolve the proxy for " + at, detail, not_sent);
    case CURLE_COULDNT_CONNECT:
      return make(transport_errc::connect_failed, "could not connect to " + at, detail, not_sent);

    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ISSUER_ERROR:
      return make(transport_errc::certificate_invalid, "the TLS certificate of " + at + " was refused", detail,
                  "; the request was not sent (trust its CA with tls.ca_file or tls.ca_pem, check the host "
                  "name in the base URL, or the pinned key)");
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
      return make(transport_errc::invalid_request, "the TLS settings for " + at + " could not be used", detail,
                  not_sent);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_USE_SSL_FAILED:
      if (!t.sent) return make(transport_errc::tls_failed, "TLS handshake with " + at + " failed", detail, not_sent);
      break;

    case CURLE_OPERATION_TIMEDOUT: {
      if (t.sent)
        return make(transport_errc::timeout,
                    "no complete response from " + at + " to " + describe_request(t) + " within " +
                        std::to_string(t.time_limit.count()) + " ms",
                    detail, maybe_sent);
      switch (stopped_at(t, ep.https)) {
        case phase::resolve:
          return make(transport_errc::dns_failed, "timed out resolving the host of " + at, detail, not_sent);
        case phase::tls:
          return make(transport_errc::tls_failed, "timed out in the TLS handshake with " + at, detail, not_sent);
        case phase::connect:
        case phase::request:
          break;
      }
      return make(transport_errc::connect_failed, "timed out connecting to " + at, detail, not_sent);
    }

    case CURLE_FILESIZE_EXCEEDED:
      return make(transport_errc::response_too_large,
                  "the response from " + at + " to " + describe_request(t) + " exceeds max_response_bytes (" +
                      std::to_string(o.max_response_bytes) + ")",
                  {}, "; the request was sent");
    case CURLE_WRITE_ERROR:
      if (t.headers_too_large)
        return make(transport_errc::response_too_large,
                    "the response headers from " + at + " to " + describe_request(t) + " exceed 256 KiB", {},
                    "; the request was sent");
      if (t.too_large)
        return make(transport_errc::response_too_large,
                    "the response from " + at + " to " + describe_request(t) + " exceeds max_response_bytes (" +
                        std::to_string(o.max_response_bytes) + ")",
                    {}, "; the request was sent");
      if (t.out_of_memory)
        return make(transport_errc::response_too_large,
                    "out of memory storing the response from " + at + " to " + describe_request(t), {},
                    "; the request was sent");
      break;

#if LIBCURL_VERSION_NUM >= 0x080600
    case CURLE_TOO_LARGE:
      return make(transport_errc::response_too_large, "the response from " + at + " to " + describe_request(t) + " is too large for libcurl", detail, "; the request was sent");
#endif
    case CURLE_ABORTED_BY_CALLBACK:
      if (t.resend_refused)
        return make(transport_errc::connection_lost,
                    "the kept-alive connection to " + at + " closed without answering " + describe_request(t) +
                        " (not sent again: it is not idempotent)",
                    {}, maybe_sent);
      return make(transport_errc::cancelled, "request to " + at + " aborted", detail,
                  t.sent ? maybe_sent : not_sent);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_UNKNOWN_OPTION:
      return make(transport_errc::invalid_request, "request to " + at + " could not be sent as given", detail,
                  not_sent);
    default:
      break;
  }
  // Everything else (GOT_NOTHING, RECV_ERROR, SEND_ERROR, PARTIAL_FILE, a
  // reply that is not HTTP, bad gzip, ...) broke the exchange; what it means
  // depends on whether the request had gone out.
  if (!t.sent)
    return make(transport_errc::connect_failed, "the connection to " + at + " failed before the request was sent",
                detail, not_sent);
  return make(transport_errc::connection_lost, "the connection to " + at + " was lost during " + describe_request(t),
              detail, maybe_sent);
}

}  // namespace curl_detail
}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
