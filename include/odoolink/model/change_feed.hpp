#pragma once
/// @file
/// A change feed: the records changed since a durable cursor.
///
/// ```cpp
/// model::change_feed<partner_row> feed(partners);
/// ODOOLINK_TRY(auto cursor, model::change_cursor::parse(load_cursor_from_host_storage()));
/// for (;;) {
///   ODOOLINK_TRY(auto batch, feed.next(cursor));
///   for (const auto& p : batch.records) apply(p);
///   save_cursor_to_host_storage(batch.cursor.to_string());  // after applying: at-least-once
///   cursor = batch.cursor;
///   if (!batch.more) break;
/// }
/// ```
///
/// Records come ordered by `(write_date, id)`. Odoo's `write_date` has whole
/// seconds, and more records may change within the second the last batch
/// ended in, even with a lower id; so the cursor keeps, with the last second
/// seen, the ids already delivered for it, and the next batch asks for
/// `write_date > last second` or `write_date = last second and id not in
/// delivered ids`. Nothing changed in that second is lost or repeated.
///
/// Odoo stamps `write_date` with the start of the writing transaction, which
/// may commit a few seconds later; a record stamped before the cursor's second
/// that commits after the feed read past it would be missed. `overlap` keeps
/// the delivered ids of that many seconds before the last one and reads them
/// again, delivering what was not delivered yet. A record written again
/// within the very second it was delivered in keeps its `write_date`, so that
/// second write is not seen until the record changes in a later second (the
/// granularity of Odoo's `write_date`). Deletions are not seen (Odoo
/// keeps no tombstones); archived records are (the feed reads with
/// `active_test: false` unless told otherwise).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/model/proxy.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// Where a change feed stands: the last `write_date` second delivered and
/// the ids delivered in it (and, with an overlap, in the seconds before).
/// Serialises to a short text the host stores durably:
/// `v1;2026-11-22 06:01:23=12,15` (empty text: from the beginning).
/// @par Thread Safety  A value type.
class change_cursor {
 public:
  /// The ids delivered with one `write_date` second.
  struct second {
    model::datetime at;              ///< the second
    std::vector<std::int64_t> ids;   ///< delivered ids, ascending
    friend bool operator==(const second&, const second&) = default;
  };

  /// From the beginning: every record.
  change_cursor() = default;

  /// Reads a cursor written by `to_string` (the empty text is the beginning).
  /// Errors: protocol_errc::unexpected_type for any other text.
  [[nodiscard]] static result<change_cursor> parse(std::string_view text);
  /// The durable text form.
  [[nodiscard]] std::string to_string() const;

  /// True at the beginning.
  [[nodiscard]] bool at_start() const noexcept { return seconds_.empty(); }
  /// The last `write_date` second delivered.
  [[nodiscard]] std::optional<model::datetime> last_second() const noexcept {
    if (seconds_.empty()) return std::nullopt;
    return seconds_.back().at;
  }
  /// The seconds kept, oldest first.
  [[nodiscard]] const std::vector<second>& seconds() const noexcept { return seconds_; }

  /// The domain of the records not delivered yet (empty at the beginning).
  [[nodiscard]] domain pending() const;

  /// The cursor after delivering records with these ids and write dates
  /// (parallel lists), keeping the seconds within `overlap` of the last one.
  [[nodiscard]] change_cursor advanced(std::span<const std::int64_t> ids, std::span<const model::datetime> write_dates,
                                       std::chrono::seconds overlap) const;

  friend bool operator==(const change_cursor&, const change_cursor&) = default;

 private:
  std::vector<second> seconds_;
};

/// Settings of a `change_feed`.
struct feed_options {
  std::size_t page_size = 500;                 ///< most records per batch
  std::chrono::seconds overlap{0};             ///< seconds re-read before the last one (see the file comment)
  bool include_archived = true;                ///< read with `active_test: false`
};

/// One batch of changed records.
template <view V>
struct change_batch {
  decoded<V> records;                         ///< the records, by (write_date, id)
  std::vector<std::int64_t> ids;              ///< their ids
  std::vector<model::datetime> write_dates;   ///< their write dates
  change_cursor cursor;                       ///< where the feed stands after this batch
  bool more = false;                          ///< a full batch: call again at once
};

/// The records of `V` that changed since a cursor, optionally within a domain.
/// The feed keeps no state: the host keeps the cursor.
/// @par Thread Safety  Like its proxy.
template <view V>
class change_feed {
 public:
  /// A feed over `source` (a proxy; copied, cheap), limited to `where`.
  explicit change_feed(any_proxy source, domain where = {}, feed_options options = {}, client::call_options call = {})
      : source_(std::move(source)), where_(std::move(where)), options_(options), call_(std::move(call)) {
    if (options_.page_size == 0) options_.page_size = 1;
    if (options_.include_archived) {
      json::value context = call_.context.is_object() ? call_.context : json::value(json::object{});
      if (context.find("active_test") == nullptr) context.set("active_test", false);
      call_.context = std::move(context);
    }
  }

  /// The records changed since `from`, at most `page_size` of them.
  /// Errors: those of `search_read`, and protocol_errc::unexpected_type when a
  /// record comes without a `write_date`.
  [[nodiscard]] result<change_batch<V>> next(const change_cursor& from) const {
    ODOOLINK_TRY(auto asked, source_.template requested_fields<V>());
    json::array fields = std::move(asked.names);
    if (!view_traits<V>::binds("write_date")) fields.emplace_back("write_date");
    const search_options search{.limit = static_cast<std::int64_t>(options_.page_size), .order = "write_date asc, id asc"};
    ODOOLINK_TRY(auto reply, source_.connection().execute_kw(source_.search_read_call(where_ && from.pending(), std::move(fields), search), call_));
    change_batch<V> batch;
    ODOOLINK_TRY(batch.records, source_.scrubbed(source_.records_decoder().template decode_with<V>(
                                    std::move(reply), source_.model_name(),
                                    decode_extras{.ids = &batch.ids, .write_dates = &batch.write_dates, .left_out = asked.skipped()})));
    batch.cursor = from.advanced(batch.ids, batch.write_dates, options_.overlap);
    batch.more = batch.ids.size() == options_.page_size;
    return batch;
  }

 private:
  any_proxy source_;
  domain where_;
  feed_options options_;
  client::call_options call_;
};

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
