#include "odoolink/outbox/inbox.hpp"

#include "odoolink/json/parse.hpp"

#include "default_clock.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

inbox::inbox(store& store, std::chrono::microseconds window, const odoolink::clock* clock)
    : store_(&store), window_(window), clock_(clock != nullptr ? clock : &detail::default_clock()) {}

timestamp inbox::now() const { return to_timestamp(clock_->wall_now()); }

result<bool> inbox::accept(std::string_view key) { return store_->inbox_record(key, now(), window_); }

result<void> inbox::reject(std::string_view key) { return store_->inbox_forget(key); }

result<std::size_t> inbox::purge() { return store_->inbox_purge(now() - window_); }

std::string inbox::webhook_key(std::string_view model, std::int64_t id, std::string_view write_date) {
  std::string key(model);
  key += '/';
  key += std::to_string(id);
  key += '/';
  key += write_date;
  return key;
}

result<std::string> inbox::webhook_key(std::string_view post_body) {
  auto body = json::parse(post_body);
  if (!body || !body.value().is_object())
    return error(protocol_errc::malformed_response, "inbox: a webhook post that is not a JSON object");
  const json::value* model = body.value().find("_model");
  const json::value* id = body.value().find("_id");
  const json::value* write_date = body.value().find("write_date");
  if (model == nullptr || !model->is_string() || id == nullptr || !id->is_int() || write_date == nullptr ||
      !write_date->is_string())
    return error(protocol_errc::malformed_response,
                 "inbox: a webhook post needs _model, _id and write_date (add write_date to the webhook's fields)");
  return webhook_key(model->as_string(), id->as_int(), write_date->as_string());
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
