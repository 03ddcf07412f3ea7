#pragma once
/// @file
/// The inbox: processes each inbound event once, though it may arrive many
/// times. Odoo webhooks carry no id of their own and no signature, and are
/// posted with a 1 s timeout and no retry; recorded on Odoo 18, one `create`
/// under an "On save" rule produced 13 identical posts. The host derives a
/// key from the content (`webhook_key(model, id, write_date)`), and the inbox
/// remembers keys for a window.
///
/// ```cpp
/// outbox::inbox in(store, std::chrono::hours(24));
/// auto done = in.process(outbox::inbox::webhook_key("res.partner", id, write_date),
///                        [&]() -> result<void> { return apply(post); });
/// ```

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "odoolink/clock.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// @par Thread Safety  As its store.
class inbox {
 public:
  /// `store` (and `clock`, when given) must outlive the inbox.
  explicit inbox(store& store, std::chrono::microseconds window = std::chrono::hours(24),
                 const odoolink::clock* clock = nullptr);

  /// True when `key` is new within the window (it is recorded now): process
  /// the event. False for a duplicate: skip it.
  [[nodiscard]] result<bool> accept(std::string_view key);
  /// Forgets `key` after its processing failed, so a redelivery gets through.
  [[nodiscard]] result<void> reject(std::string_view key);

  /// Runs `handler` (returning `result<void>`) when `key` is new; forgets the
  /// key again when the handler fails. Returns whether it ran and succeeded
  /// (false: a duplicate, skipped), or the handler's error.
  /// At-least-once when the process dies inside the handler after accept:
  /// make the handler idempotent, or (PostgreSQL) run it in one transaction.
  template <class Handler>
  [[nodiscard]] result<bool> process(std::string_view key, Handler&& handler) {
    ODOOLINK_TRY(const bool fresh, accept(key));
    if (!fresh) return false;
    result<void> outcome = handler();
    if (!outcome) {
      (void)reject(key);
      return std::move(outcome).as_failure();
    }
    return true;
  }

  /// Forgets keys older than the window. Returns how many.
  [[nodiscard]] result<std::size_t> purge();

  /// `model/id/write_date`: the content key of an Odoo webhook post.
  [[nodiscard]] static std::string webhook_key(std::string_view model, std::int64_t id, std::string_view write_date);
  /// The key of an Odoo webhook post body (`_model`, `_id`, `write_date`).
  /// Errors: protocol_errc::malformed_response (not JSON, or a field is
  /// missing: add `write_date` to the webhook's fields).
  [[nodiscard]] static result<std::string> webhook_key(std::string_view post_body);

 private:
  store* store_;
  std::chrono::microseconds window_;
  const odoolink::clock* clock_;
  [[nodiscard]] timestamp now() const;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
