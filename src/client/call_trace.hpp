#pragma once
// Measures one HTTP exchange of a client for its observer. Without an
// observer every member is a null check: no clock read, no id drawn.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/observe/observer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client::detail {

// What a call_trace measures, only built with an observer: without one a
// trace is a flag. (At namespace scope: clang cannot default-construct a
// nested class with member initialisers inside its enclosing class.)
struct call_measure {
  observe::observer* observer = nullptr;
  std::string model, method, protocol;
  int attempt = 1;
  std::chrono::system_clock::time_point started_at{};
  std::chrono::steady_clock::time_point start{};
  std::size_t request_bytes = 0, response_bytes = 0;
  int status = 0;
  std::error_code error;
  std::string trace_id, span_id, parent_span_id;
  std::vector<observe::event_link> events;  // copied: the relay's delivery may end before an async reply
};

class call_trace {
 public:
  call_trace() = default;
  // Starts measuring a request about to be sent (nothing when `o` is null).
  call_trace(observe::observer* o, std::string_view model, std::string_view method, std::string_view protocol,
             int attempt, const http_request& request) {
    if (o != nullptr) begin(*o, model, method, protocol, attempt, request);
  }

  // The transport's outcome: status and size of the response.
  void received(const result<http_response>& sent) noexcept {
    if (!m_) return;
    m_->status = sent ? sent.value().status : 0;
    m_->response_bytes = sent ? sent.value().body.size() : 0;
    if (!sent) m_->error = sent.error().code();
  }

  // Reports the exchange with its final outcome (the decoded reply's error, if any).
  template <class T>
  void finish(const result<T>& outcome) {
    if (!m_) return;
    if (!outcome) m_->error = outcome.error().code();
    report();
  }

 private:
  void begin(observe::observer& o, std::string_view model, std::string_view method, std::string_view protocol,
             int attempt, const http_request& request);
  void report();

  std::optional<call_measure> m_;
};

}  // namespace client::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
