#pragma once
/// @file
/// Plain log lines for syslog / journald hosts: one `key=value` line per
/// record (logfmt quoting: a value with a space, `"` or `=` is quoted, `"`
/// and `\` escaped). No secret or payload value can appear: records hold none.
///
/// `odoolink.call model=res.partner method=load protocol=jsonrpc attempt=1 status=200 duration_us=812 request_bytes=431 response_bytes=97 error=none trace_id=4bf9... span_id=00f0... parent_span_id=a2fb... events=2 event_id=0193... correlation_id=order-17`

#include <functional>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/observe/observer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace observe {

/// The line of one call record (no trailing newline). The first event the
/// call delivers is named (`event_id`, `correlation_id`), with `events=N`.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string log_line(const call_record& r);

/// The line of one transition record (no trailing newline):
/// `odoolink.outbox transition=delivered event_id=... subject=customer ...`.
/// The aggregate key is left out: like idempotency keys it may be built
/// from personal data (the event id names the event).
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string log_line(const transition_record& r);

/// An observer that writes each record's `log_line` to `write` (e.g. a
/// function calling `syslog(3)` or `sd_journal_print`).
/// @par Thread Safety  As `observer`.
class log_observer final : public observer {
 public:
  /// `write` receives one line per record, without a newline.
  explicit log_observer(std::function<void(std::string_view)> write) : write_(std::move(write)) {}
  void on_call(const call_record& record) override { write_(log_line(record)); }
  void on_transition(const transition_record& record) override { write_(log_line(record)); }

 private:
  std::function<void(std::string_view)> write_;
};

}  // namespace observe
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
