// README "Observability": the snippet logs one line per call and per
// transition while a customer is enqueued with the host's trace context and
// delivered to a fake Odoo; the lines must carry that trace and no payload value.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/observe/log_line.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_odoo.hpp"

int main() {
  using namespace odoolink;
  auto fake = std::make_shared<testing::fake_odoo>();
  auto loaded = contract::registry::load_directory("contracts");
  if (!readme::expect_value(loaded, "contracts")) return 1;
  const contract::registry& registry = loaded.value();
  outbox::memory_store store;
  std::vector<std::string> lines;
  {
#include "snippet.inc"

    readme::expect_value(queued, "enqueue");
    readme::expect(report && report.value().delivered == 1, "the relay delivered the event");
  }
  bool traced_load = false;
  std::size_t transitions = 0;
  for (const auto& line : lines) {
    readme::expect(line.find("Ada") == std::string::npos, "no payload value in a log line");
    if (line.starts_with("odoolink.outbox")) ++transitions;
    traced_load = traced_load || (line.find("method=load") != std::string::npos &&
                                  line.find("trace_id=4bf92f3577b34da6a3ce929d0e0e4736") != std::string::npos);
  }
  readme::expect(traced_load, "the load call joined the enqueuing code's trace");
  readme::expect(transitions == 3, "enqueued, claimed and delivered were logged");
  return readme::finish("observe");
}
