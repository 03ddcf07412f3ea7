#include "odoo_calls.hpp"

#include <utility>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

namespace {

bool is_unreadable_reply(const error& e) noexcept {
  const auto code = e.code();
  return code == protocol_errc::malformed_response || code == protocol_errc::invalid_utf8 ||
         code == protocol_errc::unexpected_content_type;
}

}  // namespace

result<protocol::reply> unknown_if_unreadable(result<protocol::reply> reply) {
  // Odoo may well hold what the call wrote: only its own errors are final.
  if (!reply && is_unreadable_reply(reply.error()))
    return error(transport_errc::outcome_unknown, "outcome unknown, the reply could not be read: " + reply.error().message());
  return reply;
}

void submit_repeatable(client::client& odoo, const std::weak_ptr<const void>& owner, protocol::call c,
                       std::function<void(result<protocol::reply>)> done, const client::call_options& per_call) {
  auto sent = odoo.submit(std::move(c), [owner, done](result<protocol::reply> r) {
    if (auto alive = owner.lock()) done(unknown_if_unreadable(std::move(r)));
  }, per_call);
  if (!sent) done(std::move(sent).as_failure());
}

void submit_unlink(client::client& odoo, const std::weak_ptr<const void>& owner, std::string model, json::array ids,
                   std::function<void(result<void>)> done) {
  submit_repeatable(odoo, owner, {std::move(model), "unlink", json::array{std::move(ids)}},
                    [done = std::move(done)](result<protocol::reply> r) {
                      if (!r && r.error().code() != odoo_errc::missing_error) return done(std::move(r).as_failure());
                      done(success());
                    });
}

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
