#pragma once
/// @file
/// Building `load` batches: Odoo's import, an upsert keyed by external id.
///
/// A record keyed by an external id (`module.name`) is created the first time
/// and updated every time after, so replaying a batch never duplicates it.
/// References to other records go by external id too (`field/id` columns),
/// and one2many lines are sub-records on the following rows, each with its
/// own external id (`order_line/id`) — without one, every replay adds the
/// lines again.
///
/// ```cpp
/// model::load_batch<sale_order> batch;
/// auto order = batch.add("pos.order_0042")
///                  .ref(sale_order::partner_id, "pos.customer_7")
///                  .set(sale_order::client_order_ref, "POS-42");
/// order.line(sale_order::order_line, "pos.order_0042_line_1")
///     .ref(sale_order_line::product_id, "pos.product_3")
///     .set(sale_order_line::product_uom_qty, 2.0);
/// auto ids = orders.load(batch);
/// ```
///
/// Values are sent as Odoo's import reads them: text as is, numbers in their
/// shortest form, booleans `true`/`false`, dates `YYYY-MM-DD`, datetimes
/// `YYYY-MM-DD HH:MM:SS` (the load then runs with `tz: UTC` in its context:
/// the import reads datetimes in the user's time zone otherwise).
///
/// Every record of a batch must set the same columns, and every line of one
/// one2many the same sub-columns: an empty cell means "empty this field" to
/// Odoo, so a ragged batch would silently clear values.

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/model/field.hpp"
#include "odoolink/model/types.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

namespace detail {
// One record of a batch (or a line of one): its cells and its lines.
struct load_node {
  std::string external_id;  // empty: no `id` column for this record
  std::vector<std::pair<std::string, std::string>> cells;
  std::vector<std::pair<std::string, std::vector<std::unique_ptr<load_node>>>> lines;
  bool has_datetime = false;

  void put(std::string_view column, std::string text) {
    for (auto& [c, t] : cells)
      if (c == column) {
        t = std::move(text);
        return;
      }
    cells.emplace_back(std::string(column), std::move(text));
  }
  load_node& add_line(std::string_view field, std::string xid) {
    for (auto& [f, list] : lines)
      if (f == field) {
        list.push_back(std::make_unique<load_node>());
        list.back()->external_id = std::move(xid);
        return *list.back();
      }
    lines.emplace_back(std::string(field), std::vector<std::unique_ptr<load_node>>{});
    lines.back().second.push_back(std::make_unique<load_node>());
    lines.back().second.back()->external_id = std::move(xid);
    return *lines.back().second.back();
  }
};

template <class V>
std::string load_text(const V& v) {
  using P = plain_t<V>;
  if constexpr (std::same_as<P, bool>) {
    return v ? "true" : "false";
  } else if constexpr (integer_value<V>) {
    return std::to_string(static_cast<long long>(v));
  } else if constexpr (std::floating_point<P>) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<double>(v));
    return std::string(buf, r.ptr);
  } else if constexpr (std::same_as<P, model::date> || std::same_as<P, std::chrono::sys_days>) {
    return date_text(model::date(v));
  } else if constexpr (is_sys_time<P>::value) {
    return datetime_text(v);
  } else if constexpr (std::is_enum_v<P>) {
    return std::string(to_string(v));
  } else {
    return std::string(std::string_view(v));
  }
}
}  // namespace detail

/// The `fields` and `data` arguments of one `load` call.
/// @par Thread Safety  A value type.
struct load_table {
  std::vector<std::string> fields;             ///< column names (`id`, `name`, `partner_id/id`, `order_line/price_unit`, ...)
  std::vector<std::vector<std::string>> rows;  ///< one text per column
  bool has_datetime = false;                   ///< some cell is a datetime (load with `tz: UTC`)

  /// The positional arguments `[fields, rows]`.
  [[nodiscard]] json::value to_args() const {
    json::array f;
    for (const auto& x : fields) f.emplace_back(x);
    json::array r;
    for (const auto& row : rows) {
      json::array cells;
      for (const auto& c : row) cells.emplace_back(c);
      r.emplace_back(std::move(cells));
    }
    return json::array{std::move(f), std::move(r)};
  }
};

/// A handle on one record (or one1many line) of a `load_batch`, to set its
/// columns. Cheap to copy; valid as long as its batch.
/// @par Thread Safety  Like its batch.
template <class M = any_model>
class load_record {
 public:
  /// Sets field `f` (a plain value; many2one fields go through `ref` / `db_ref`).
  template <class K, class V>
    requires(detail::value_for<K, V> && !detail::kind_traits<K>::relational)
  load_record& set(const field<M, K>& f, const V& v) {
    if constexpr (std::same_as<K, kind::datetime>) node_->has_datetime = true;
    node_->put(f.name(), detail::load_text(v));
    return *this;
  }
  /// Sets the column `column` to `text`, unchecked (e.g. `list_price`,
  /// `country_id` by name, `x_custom`).
  load_record& set(std::string_view column, std::string_view text) {
    node_->put(column, std::string(text));
    return *this;
  }
  /// References a record by external id: the column `field/id`.
  template <class T>
  load_record& ref(const field<M, kind::many2one<T>>& f, std::string_view external_id) {
    return ref(f.name(), external_id);
  }
  /// References records by external ids (comma-separated `field/id`).
  template <class T>
  load_record& ref(const field<M, kind::many2many<T>>& f, const std::vector<std::string>& external_ids) {
    std::string joined;
    for (const auto& x : external_ids) {
      if (!joined.empty()) joined.push_back(',');
      joined += x;
    }
    return ref(f.name(), joined);
  }
  /// References by external id through the column `field/id`, unchecked.
  load_record& ref(std::string_view field_name, std::string_view external_id) {
    node_->put(std::string(field_name) + "/id", std::string(external_id));
    return *this;
  }
  /// References a record by database id: the column `field/.id`.
  template <class T>
  load_record& db_ref(const field<M, kind::many2one<T>>& f, std::int64_t id) {
    node_->put(std::string(f.name()) + "/.id", std::to_string(id));
    return *this;
  }
  /// Adds a line to the one2many `f`, keyed by its own external id (empty:
  /// no `f/id` column, and a replay adds the line again).
  template <class T>
  load_record<T> line(const field<M, kind::one2many<T>>& f, std::string external_id = {}) {
    return load_record<T>(node_->add_line(f.name(), std::move(external_id)));
  }
  /// Adds a line to the one2many named `field_name`, unchecked.
  load_record<any_model> line(std::string_view field_name, std::string external_id = {}) {
    return load_record<any_model>(node_->add_line(field_name, std::move(external_id)));
  }

  /// @private Made by `load_batch` and `line`.
  explicit load_record(detail::load_node& node) noexcept : node_(&node) {}

 private:
  detail::load_node* node_;
};

namespace detail {
// Builds fields and rows; fails on ragged batches (see load.hpp).
[[nodiscard]] result<load_table> build_load_table(const std::vector<std::unique_ptr<load_node>>& records);
}  // namespace detail

/// Records to `load` into model `M` in one call.
/// @par Thread Safety  A value type (move-only).
template <class M = any_model>
class load_batch {
 public:
  load_batch() = default;
  load_batch(load_batch&&) noexcept = default;
  load_batch& operator=(load_batch&&) noexcept = default;

  /// Adds a record keyed by `external_id` (`module.name`; Odoo files a name
  /// without a module under `__import__`).
  load_record<M> add(std::string external_id) {
    records_.push_back(std::make_unique<detail::load_node>());
    records_.back()->external_id = std::move(external_id);
    return load_record<M>(*records_.back());
  }
  /// Adds a record with no external id: created anew by every replay.
  load_record<M> add_unkeyed() { return add({}); }

  /// Number of records.
  [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }
  /// True when no record was added.
  [[nodiscard]] bool empty() const noexcept { return records_.empty(); }

  /// The columns and rows. Errors: protocol_errc::unsupported_call when the
  /// batch is empty or ragged (records or lines that set different columns).
  [[nodiscard]] result<load_table> table() const { return detail::build_load_table(records_); }

 private:
  std::vector<std::unique_ptr<detail::load_node>> records_;
};

/// One message of a `load` result.
struct load_message {
  std::string type;        ///< `error`, `warning` or `info`
  std::string message;     ///< the text
  std::string field;       ///< the field it is about, when given
  std::int64_t record = -1;   ///< index of the record in the batch, when given
  std::int64_t row_from = -1;  ///< first row it is about, when given
  std::int64_t row_to = -1;    ///< last row it is about, when given
};

/// The result of a `load` that succeeded.
struct load_result {
  std::vector<std::int64_t> ids;        ///< database ids of the top-level records, in batch order
  std::vector<load_message> messages;   ///< warnings (a failed load is an error instead)
};

/// Reads a `load` result (`{ids, messages, nextrow}`). A batch Odoo refused
/// (`ids: false`) is odoo_errc::validation_error with every error message.
/// Errors: that, protocol_errc::unexpected_type / malformed_response.
[[nodiscard]] result<load_result> parse_load_result(std::string_view json, std::string_view model = {});

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
