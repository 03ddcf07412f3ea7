#pragma once
// Measures one HTTP exchange of a client for its observer. Without an
// observer every member is a null check: no clock read, no id drawn.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/observe/observer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client::detail {

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
    if (observer_ == nullptr) return;
    status_ = sent ? sent.value().status : 0;
    response_bytes_ = sent ? sent.value().body.size() : 0;
    if (!sent) error_ = sent.error().code();
  }

  // Reports the exchange with its final outcome (the decoded reply's error, if any).
  template <class T>
  void finish(const result<T>& outcome) {
    if (observer_ == nullptr) return;
    if (!outcome) error_ = outcome.error().code();
    report();
  }

 private:
  void begin(observe::observer& o, std::string_view model, std::string_view method, std::string_view protocol,
             int attempt, const http_request& request);
  void report();

  observe::observer* observer_ = nullptr;
  std::string model_, method_, protocol_;
  int attempt_ = 1;
  std::chrono::system_clock::time_point started_at_{};
  std::chrono::steady_clock::time_point start_{};
  std::size_t request_bytes_ = 0, response_bytes_ = 0;
  int status_ = 0;
  std::error_code error_;
  std::string trace_id_, span_id_, parent_span_id_;
  std::vector<observe::event_link> events_;  // copied: the relay's delivery may end before an async reply
};

}  // namespace client::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
