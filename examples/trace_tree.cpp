// Tracing an outbox with the observability hook, without any tracer library.
//
// A span recorder (an `observe::observer`) keeps every record the client,
// the outbox and the relay report; at the end it prints each trace as a tree:
// the host's own request span, the event it enqueued, each delivery attempt,
// the HTTP exchanges of the attempt and how it ended. The first delivery's
// response is lost on purpose, so one event shows a retry in its trace. The
// same records, one `key=value` line each, are what `observe::log_observer`
// gives a syslog or journald host (`--log`).
//
// Runs against the fake Odoo of odoolink::testing.
// Usage: odoolink_trace_tree [--log] [--contracts DIR]
// Exit status: 0 when both events were delivered and traced, 1 otherwise.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/observe/log_line.hpp"
#include "odoolink/observe/observer.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "odoolink/testing/fault_transport.hpp"

using namespace odoolink;

namespace {

struct span {
  std::string trace_id, span_id, parent_span_id, label;
};

// Keeps every record as a span (records only borrow their strings).
class span_recorder final : public observe::observer {
 public:
  bool print_lines = false;
  std::vector<span> spans;

  // A span of the host's own (e.g. the request it is serving), made current.
  void start_host_span(const std::string& label, const observe::trace_context& parent = {}) {
    const auto ctx = observe::child_of(parent);
    spans.push_back({ctx.trace_id, ctx.span_id, parent.valid() ? parent.span_id : "", label});
    set_current(ctx);
  }

  void on_call(const observe::call_record& r) override {
    if (print_lines) std::printf("%s\n", observe::log_line(r).c_str());
    char text[256];
    std::snprintf(text, sizeof text, "call %s%s%s %s status=%d %.2f ms%s%s", std::string(r.model).c_str(),
                  r.model.empty() ? "" : ".", std::string(r.method).c_str(), std::string(r.protocol).c_str(), r.status,
                  std::chrono::duration<double, std::milli>(r.duration).count(), r.error ? " error=" : "",
                  r.error ? r.error.message().c_str() : "");
    spans.push_back({std::string(r.trace_id), std::string(r.span_id), std::string(r.parent_span_id), text});
  }

  void on_transition(const observe::transition_record& r) override {
    if (print_lines) std::printf("%s\n", observe::log_line(r).c_str());
    std::string label = std::string(observe::to_string(r.kind));
    if (r.kind == observe::transition::enqueued) label += " " + std::string(r.subject) + " event " + std::string(r.event_id);
    if (r.kind == observe::transition::claimed) label += " attempt " + std::to_string(r.attempt);
    spans.push_back({std::string(r.trace_id), std::string(r.span_id), std::string(r.parent_span_id), label});
  }

  // Each trace as a tree, children in the order they were recorded.
  void print_trees() const {
    std::map<std::string, std::vector<const span*>> traces;
    std::vector<std::string> order;
    for (const auto& s : spans) {
      if (!traces.contains(s.trace_id)) order.push_back(s.trace_id);
      traces[s.trace_id].push_back(&s);
    }
    for (const auto& id : order) {
      std::printf("trace %s\n", id.c_str());
      const auto& members = traces[id];
      for (const span* s : members) {
        bool has_parent = false;
        for (const span* p : members) has_parent = has_parent || p->span_id == s->parent_span_id;
        if (!has_parent) print(*s, members, "", true);
      }
    }
  }

 private:
  static void print(const span& s, const std::vector<const span*>& members, const std::string& indent, bool last) {
    std::printf("%s%s %s\n", indent.c_str(), last ? "`--" : "|--", s.label.c_str());
    std::vector<const span*> children;
    for (const span* c : members)
      if (c->parent_span_id == s.span_id) children.push_back(c);
    for (std::size_t i = 0; i < children.size(); ++i)
      print(*children[i], members, indent + (last ? "    " : "|   "), i + 1 == children.size());
  }
};

template <class T>
T need(result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "trace_tree: %s: %s\n", what, r.error().describe().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

}  // namespace

int main(int argc, char** argv) {
  span_recorder recorder;
  std::string contracts = ODOOLINK_DEMO_CONTRACTS;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--log") == 0) recorder.print_lines = true;
    if (std::strcmp(argv[i], "--contracts") == 0 && i + 1 < argc) contracts = argv[++i];
  }
  auto registry = need(contract::registry::load_directory(contracts), "loading contracts");

  // Connecting is part of the host's start-up: its exchanges join that span.
  recorder.start_host_span("host start-up");
  auto wire = std::make_shared<testing::fault_transport>(std::make_shared<testing::fake_odoo>());
  auto odoo = need(client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                            .password = "admin", .transport = wire, .observer = &recorder}),
                   "connecting");

  // Two requests of the host's, each enqueueing one customer in its own trace.
  outbox::memory_store store;
  outbox::outbox box(store, registry, {.observer = &recorder});
  const char* customers[][2] = {{"pos_demo.c_ada", "Ada Lovelace"}, {"pos_demo.c_grace", "Grace Hopper"}};
  for (const auto& [xid, name] : customers) {
    recorder.start_host_span(std::string("POST /checkout ") + xid);
    const std::string payload = std::string(R"({"customer_id":")") + xid + R"(","name":")" + name + R"("})";
    need(box.enqueue({.subject = "customer", .payload = payload, .idempotency_key = xid, .correlation_id = xid}),
         "enqueueing");
  }
  recorder.set_current({});

  // The relay hands the sink one event at a time, so each exchange belongs to
  // exactly one event (an exchange that delivers several links them all and
  // joins the first one's trace). The first response is lost after Odoo applied it.
  outbox::odoo_sink sink(odoo, registry);
  outbox::relay relay(store, sink,
                      {.owner = "demo", .batch_size = 1, .backoff = {.initial = std::chrono::milliseconds(10)},
                       .observer = &recorder});
  wire->force(testing::fault_kind::drop_response);
  for (int round = 0; round < 50; ++round) {
    need(relay.pump(), "delivering");
    auto wake = need(relay.next_wakeup(), "scheduling");
    if (wake.is_idle()) break;
    std::this_thread::sleep_until(*wake.at);
  }

  recorder.print_trees();
  const auto stats = need(store.stats(), "counting");
  std::size_t claims = 0;
  for (const auto& s : recorder.spans) claims += s.label.starts_with("claimed") ? 1 : 0;
  std::printf("delivered %zu of 2 events in %zu delivery attempts\n", stats.delivered, claims);
  return stats.delivered == 2 && claims == 3 ? 0 : 1;
}
