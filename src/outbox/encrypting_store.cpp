#include "odoolink/outbox/encrypting_store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

result<void> encrypting_store::open(event& e) const {
  ODOOLINK_TRY(auto plain, decrypt_payload(key_, e.payload, e.idempotency_key));
  e.payload = std::move(plain);
  return success();
}

result<std::vector<enqueue_outcome>> encrypting_store::enqueue(std::span<const new_event> events) {
  std::vector<new_event> sealed(events.begin(), events.end());
  for (auto& e : sealed) {
    ODOOLINK_TRY(auto text, encrypt_payload(key_, e.payload, e.idempotency_key));
    e.payload = std::move(text);
  }
  return inner_.enqueue(sealed);
}

result<std::vector<event>> encrypting_store::claim(const claim_request& request) {
  ODOOLINK_TRY(auto events, inner_.claim(request));
  for (auto& e : events) ODOOLINK_TRYV(open(e));
  return events;
}

result<settle_and_claim_outcome> encrypting_store::settle_and_claim(std::span<const settlement> outcomes,
                                                                    const claim_request& request) {
  ODOOLINK_TRY(auto out, inner_.settle_and_claim(outcomes, request));
  for (auto& e : out.claimed) ODOOLINK_TRYV(open(e));
  return out;
}

result<std::optional<event>> encrypting_store::find(std::string_view id) {
  ODOOLINK_TRY(auto found, inner_.find(id));
  if (found) ODOOLINK_TRYV(open(*found));
  return found;
}

result<std::optional<event>> encrypting_store::find_by_key(std::string_view key) {
  ODOOLINK_TRY(auto found, inner_.find_by_key(key));
  if (found) ODOOLINK_TRYV(open(*found));
  return found;
}

result<std::vector<event>> encrypting_store::list(const event_filter& filter) {
  ODOOLINK_TRY(auto events, inner_.list(filter));
  for (auto& e : events) ODOOLINK_TRYV(open(e));
  return events;
}

result<void> encrypting_store::replay(std::string_view id, timestamp now, const std::optional<std::string>& payload,
                                      std::string_view audit_detail) {
  if (!payload) return inner_.replay(id, now, payload, audit_detail);
  ODOOLINK_TRY(auto found, inner_.find(id));
  if (!found) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  ODOOLINK_TRY(auto text, encrypt_payload(key_, *payload, found->idempotency_key));
  return inner_.replay(id, now, std::optional<std::string>(std::move(text)), audit_detail);
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
