#include "odoolink/outbox/event.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

std::string_view to_string(event_state s) noexcept {
  switch (s) {
    case event_state::pending: return "pending";
    case event_state::in_flight: return "in_flight";
    case event_state::delivered: return "delivered";
    case event_state::dead: return "dead";
    case event_state::discarded: return "discarded";
  }
  return "unknown";
}

bool parse_event_state(std::string_view name, event_state& out) noexcept {
  for (auto s : {event_state::pending, event_state::in_flight, event_state::delivered, event_state::dead,
                 event_state::discarded})
    if (to_string(s) == name) {
      out = s;
      return true;
    }
  return false;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
