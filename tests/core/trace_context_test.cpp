// W3C trace-context ids and the plain log lines of observer records.
#include <doctest/doctest.h>

#include <set>

#include "odoolink/error.hpp"
#include "odoolink/observe/log_line.hpp"
#include "odoolink/observe/trace_context.hpp"

namespace obs = odoolink::observe;

TEST_CASE("trace context: traceparent values round-trip and malformed ones are refused") {
  const auto c = obs::parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  REQUIRE(c);
  CHECK(c->trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(c->span_id == "00f067aa0ba902b7");
  CHECK(c->sampled);
  CHECK(obs::to_traceparent(*c) == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const auto unsampled = obs::parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  REQUIRE(unsampled);
  CHECK_FALSE(unsampled->sampled);
  // A later version may append fields; version 00 may not.
  CHECK(obs::parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
  for (const char* bad : {"", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
                          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                          "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                          "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                          "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"})
    CHECK_MESSAGE(!obs::parse_traceparent(bad), bad);
  CHECK(obs::to_traceparent({}).empty());
}

TEST_CASE("trace context: new traces and child spans are valid and distinct") {
  std::set<std::string> traces, spans;
  for (int i = 0; i < 200; ++i) {
    const auto t = obs::new_trace();
    CHECK(t.valid());
    traces.insert(t.trace_id);
    const auto child = obs::child_of(t);
    CHECK(child.valid());
    CHECK(child.trace_id == t.trace_id);
    CHECK(child.span_id != t.span_id);
    spans.insert(child.span_id);
  }
  CHECK(traces.size() == 200);
  CHECK(spans.size() == 200);
  CHECK(obs::child_of({}).valid());  // no parent: a new trace
}

TEST_CASE("log line: a call record becomes one key=value line without payload or secrets") {
  obs::event_link link{"0193-evt", "customer", "order 17", "", obs::new_trace()};
  obs::call_record r;
  r.model = "res.partner";
  r.method = "load";
  r.protocol = "jsonrpc";
  r.attempt = 2;
  r.duration = std::chrono::microseconds(1500);
  r.request_bytes = 431;
  r.response_bytes = 97;
  r.status = 503;
  r.error = make_error_code(odoolink::transport_errc::connection_lost);
  r.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  r.span_id = "00f067aa0ba902b7";
  r.parent_span_id = "a2fb4a1d1a96d312";
  r.events = std::span(&link, 1);
  const std::string line = obs::log_line(r);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.starts_with("odoolink.call model=res.partner method=load protocol=jsonrpc attempt=2 status=503 "
                         "duration_us=1500 request_bytes=431 response_bytes=97 error=odoolink.transport:"));
  CHECK(line.find(" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 parent_span_id=a2fb4a1d1a96d312") !=
        std::string::npos);
  CHECK(line.find(" events=1 event_id=0193-evt correlation_id=\"order 17\"") != std::string::npos);  // quoted: a space
}

TEST_CASE("log line: a transition record names its event and escapes quotes") {
  obs::transition_record r;
  r.kind = obs::transition::retried;
  r.event_id = "e1";
  r.subject = "customer";
  r.aggregate_key = "ada@example.com";  // may be personal: never printed
  r.correlation_id = "say \"hi\"";
  r.attempt = 3;
  r.error = make_error_code(odoolink::transport_errc::timeout);
  r.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  r.span_id = "00f067aa0ba902b7";
  const std::string line = obs::log_line(r);
  CHECK(line.starts_with("odoolink.outbox transition=retried event_id=e1 subject=customer correlation_id=\"say \\\"hi\\\"\" attempt=3 error="));
  CHECK(line.find("ada@example.com") == std::string::npos);
  CHECK(line.find("parent_span_id") == std::string::npos);  // a root span has none
  CHECK(obs::to_string(obs::transition::discarded) == "discarded");
}
