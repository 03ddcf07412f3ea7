#pragma once
/// @file
/// Model proxies: the recordset operations of one Odoo model over a client.
///
/// ```cpp
/// using models::res_partner;
/// struct partner_row {
///   std::int64_t id = 0;
///   std::string name;
///   std::optional<std::string> email;
///   ODOOLINK_VIEW(partner_row, res_partner, id, name, email)
/// };
/// model::proxy<res_partner> partners(client);
/// ODOOLINK_TRY(auto rows, partners.search_read<partner_row>(
///     res_partner::is_company == true && res_partner::name.ilike("deco"), {.limit = 80, .order = "name"}));
/// ODOOLINK_TRY(auto everyone, partners.search_read<partner_row>({}));  // `{}`: the empty domain
/// ODOOLINK_TRY(auto id, partners.create(model::values<res_partner>().set(res_partner::name, "Deco Addict")));
/// ```
///
/// Typed reads first learn the model's fields from the server (one
/// `fields_get` per model and client, see `client::fields_cache`): a typed
/// record naming a field the server lacks fails before the call with
/// protocol_errc::unknown_field, unless it marks the field optional
/// (`ODOOLINK_OPTIONAL`), which is then left out and stays empty. Generated
/// full records (`M::record`) mark every field optional, so they read what
/// the server has, whatever its series.
///
/// `any_proxy` names its model at run time and takes untyped domains and
/// values; `proxy<M>` adds the typed overloads of a generated model `M`.
/// Both are cheap-to-copy handles: copies share the client connection and a
/// decoder (whose parser buffers are reused from call to call).
///
/// Every operation blocks (see `client::client::execute_kw`), takes optional
/// per-call settings (`client::call_options`: context, idempotency), and
/// returns the server's errors with the message, class and traceback the
/// client keeps, prefixed by `model.method`.
///
/// @par Thread Safety  Like the client: a proxy, its copies and the client
///   must be used from one thread at a time.

#include <array>
#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/model/decode.hpp"
#include "odoolink/model/domain.hpp"
#include "odoolink/model/field_info.hpp"
#include "odoolink/model/load.hpp"
#include "odoolink/model/values.hpp"
#include "odoolink/model/view.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// Record ids as an argument: a single id, a braced list or any contiguous
/// range (`std::vector`, `std::span`). Borrowed for the call.
/// @par Thread Safety  A view.
class record_ids {
 public:
  record_ids(std::int64_t id) noexcept : single_(id), ids_(&single_, 1) {}                     // NOLINT
  record_ids(std::initializer_list<std::int64_t> ids) noexcept : ids_(ids.begin(), ids.size()) {}  // NOLINT
  record_ids(std::span<const std::int64_t> ids) noexcept : ids_(ids) {}                          // NOLINT
  record_ids(const std::vector<std::int64_t>& ids) noexcept : ids_(ids) {}                       // NOLINT
  record_ids(const record_ids& other) noexcept
      : single_(other.single_), ids_(other.ids_.data() == &other.single_ ? std::span<const std::int64_t>(&single_, 1) : other.ids_) {}
  record_ids& operator=(const record_ids&) = delete;

  /// The ids.
  [[nodiscard]] std::span<const std::int64_t> span() const noexcept { return ids_; }
  /// As a JSON array.
  [[nodiscard]] json::value to_json() const {
    json::array a;
    a.reserve(ids_.size());
    for (const auto id : ids_) a.emplace_back(id);
    return a;
  }

 private:
  std::int64_t single_ = 0;
  std::span<const std::int64_t> ids_;
};

/// Paging and order of `search` and `search_read`.
struct search_options {
  std::int64_t offset = 0;            ///< records to skip
  std::optional<std::int64_t> limit;  ///< most records to return (none: all)
  std::string order;                  ///< e.g. `"name asc, id desc"`; empty: the model's default order
};

/// Options of `name_search`.
struct name_search_options {
  std::string operator_;              ///< match operator (Odoo's default: `ilike`); empty: not sent
  std::optional<std::int64_t> limit;  ///< most results (Odoo's default: 100)
};

/// Options of `read_group`.
struct group_options {
  std::int64_t offset = 0;            ///< groups to skip
  std::optional<std::int64_t> limit;  ///< most groups
  std::string orderby;                ///< e.g. `"amount_total desc"`
  /// `false` (default) groups by every `groupby` field at once; `true` is
  /// Odoo's lazy mode (first field only); nullopt leaves Odoo's default (lazy).
  std::optional<bool> lazy = false;
};

/// One group of a `read_group` result.
struct group {
  json::object values;  ///< the group-by values (many2one as `[id, name]`) and aggregates, as sent
  std::int64_t count = 0;  ///< records in the group
  domain where;  ///< the records of this group (Odoo's `__domain`)

  /// The value of `key` (a group-by field or an aggregate), or nullptr.
  [[nodiscard]] const json::value* find(std::string_view key) const noexcept {
    for (const auto& [k, v] : values)
      if (k == key) return &v;
    return nullptr;
  }
};

/// The recordset operations of one model, by name (see the file comment).
class any_proxy {
 public:
  /// A proxy for the model named `model_name` (e.g. `res.partner`) over `connection`.
  any_proxy(client::client connection, std::string model_name);

  /// The model's name.
  [[nodiscard]] const std::string& model_name() const noexcept;
  /// The client (shared with every copy).
  [[nodiscard]] client::client& connection() const noexcept;
  /// The decoder (shared with every copy).
  [[nodiscard]] decoder& records_decoder() const noexcept;
  /// `r`, or its error with the client's secrets masked (see
  /// `client::client::scrubber`): decode errors may quote the answer.
  template <class T>
  [[nodiscard]] result<T> scrubbed(result<T> r) const {
    if (r) return r;
    return connection().scrubber().scrub(r.error());
  }

  /// `search(domain)`: the ids of the matching records.
  [[nodiscard]] result<std::vector<std::int64_t>> search(const domain& where, const search_options& options = {},
                                                         const client::call_options& call = {}) const;
  /// `search_count(domain)`: how many records match.
  [[nodiscard]] result<std::int64_t> search_count(const domain& where, const client::call_options& call = {}) const;

  /// `search_read(domain, fields=<V's fields>)`: the matching records as `V`.
  /// The fields are checked against the server's first (see `requested_fields`).
  template <view V>
  [[nodiscard]] result<decoded<V>> search_read(const domain& where, const search_options& options = {},
                                               const client::call_options& call = {}) const {
    ODOOLINK_TRY(auto asked, requested_fields<V>());
    return scrubbed(execute_decoded<V>(search_read_call(where, std::move(asked.names), options), asked.skipped(), call));
  }
  /// `read(ids, fields=<V's fields>)`: the records as `V`, in the order of
  /// `ids`; ids of deleted records are left out (Odoo returns no error).
  /// The fields are checked against the server's first (see `requested_fields`).
  template <view V>
  [[nodiscard]] result<decoded<V>> read(record_ids ids, const client::call_options& call = {}) const {
    ODOOLINK_TRY(auto asked, requested_fields<V>());
    return scrubbed(execute_decoded<V>(read_call(ids, std::move(asked.names)), asked.skipped(), call));
  }

  /// The `fields` a typed call of `V` sends, and the bindings it leaves out.
  template <view V>
  struct field_request {
    json::array names;                                 ///< the `fields` argument (`id` is always sent)
    std::array<bool, view_traits<V>::size> left_out{};  ///< per binding: not asked (the server lacks it)

    /// `left_out` for the decoder: empty when nothing was left out (the
    /// decoder then predicts every key, as for an unchecked view).
    [[nodiscard]] std::span<const bool> skipped() const noexcept {
      for (const bool b : left_out)
        if (b) return left_out;
      return {};
    }
  };
  /// The fields of `V` the server has, learnt once per model and client
  /// (`client::client::server_fields`). A field the server lacks is left out
  /// when `V` marks it optional (`ODOOLINK_OPTIONAL`, a slot's `optional`,
  /// generated full records); otherwise nothing is sent. With
  /// `client::field_check::trust` every bound field is asked, unchecked.
  /// Errors: protocol_errc::unknown_field naming the model, the field and the
  /// server's version; the errors of `fields_get` (client::fields_cache::get).
  template <view V>
  [[nodiscard]] result<field_request<V>> requested_fields() const {
    field_request<V> out;
    ODOOLINK_TRYV(check_fields(view_traits<V>::names, view_traits<V>::optional, out.left_out));
    out.names.reserve(view_traits<V>::size);
    for (std::size_t i = 0; i < view_traits<V>::size; ++i)
      if (!out.left_out[i] && view_traits<V>::names[i] != "id") out.names.emplace_back(view_traits<V>::names[i]);
    return out;
  }

  /// `create(vals)`: the new record's id.
  [[nodiscard]] result<std::int64_t> create(const values<>& vals, const client::call_options& call = {}) const;
  /// `create([vals, ...])` in one call: the new ids, in order.
  [[nodiscard]] result<std::vector<std::int64_t>> create(std::span<const values<>> vals_list,
                                                         const client::call_options& call = {}) const;
  /// `create(to_vals(row))`: creates a record from a typed record (see `to_vals`).
  template <view V>
  [[nodiscard]] result<std::int64_t> create(const V& row, const client::call_options& call = {}) const {
    return create_json(to_vals(row), call);
  }
  /// `create([to_vals(row), ...])` in one call.
  template <view V>
  [[nodiscard]] result<std::vector<std::int64_t>> create(std::span<const V> rows, const client::call_options& call = {}) const {
    json::array list;
    list.reserve(rows.size());
    for (const auto& row : rows) list.push_back(to_vals(row));
    return create_many_json(std::move(list), call);
  }

  /// `write(ids, vals)`. Odoo raises MissingError for a deleted id.
  [[nodiscard]] result<void> write(record_ids ids, const values<>& vals, const client::call_options& call = {}) const;
  /// `write(ids, to_vals(row))`.
  template <view V>
  [[nodiscard]] result<void> write(record_ids ids, const V& row, const client::call_options& call = {}) const {
    return write_json(ids, to_vals(row), call);
  }
  /// `unlink(ids)`.
  [[nodiscard]] result<void> unlink(record_ids ids, const client::call_options& call = {}) const;
  /// `copy(id, default=defaults)`: the copy's id.
  [[nodiscard]] result<std::int64_t> copy(std::int64_t id, const values<>& defaults = {}, const client::call_options& call = {}) const;

  /// `name_search(name, domain, operator, limit)`: ids and display names.
  [[nodiscard]] result<std::vector<many2one<>>> name_search(std::string_view name, const domain& where = {},
                                                            const name_search_options& options = {},
                                                            const client::call_options& call = {}) const;

  /// `read_group(domain, aggregates, groupby)`: grouped reads. `aggregates`
  /// are Odoo's `field:function` specs (`amount_total:sum`, `id:count`).
  [[nodiscard]] result<std::vector<group>> read_group(const domain& where, const std::vector<std::string>& groupby,
                                                      const std::vector<std::string>& aggregates,
                                                      const group_options& options = {},
                                                      const client::call_options& call = {}) const;

  /// `fields_get(names, attributes)`: the model's fields (all when `names` is
  /// empty), sorted by name.
  [[nodiscard]] result<std::vector<field_info>> fields_get(const std::vector<std::string>& names = {},
                                                           const client::call_options& call = {}) const;

  /// `default_get(fields)`: the values a new record would get.
  [[nodiscard]] result<json::value> default_get(const std::vector<std::string>& fields,
                                                const client::call_options& call = {}) const;

  /// `load(fields, rows)`: upsert by external id (see load.hpp). A batch Odoo
  /// refused is odoo_errc::validation_error carrying its messages; nothing of
  /// it was written.
  [[nodiscard]] result<load_result> load(const load_table& table, const client::call_options& call = {}) const;
  /// @overload
  [[nodiscard]] result<load_result> load(const load_batch<>& batch, const client::call_options& call = {}) const {
    ODOOLINK_TRY(auto table, batch.table());
    return load(table, call);
  }

  /// Calls any method on records: `method(ids, **kwargs)` (actions such as
  /// `action_confirm`). The raw result.
  [[nodiscard]] result<protocol::reply> call(std::string_view method, record_ids ids, json::value kwargs = json::object{},
                                             const client::call_options& call = {}) const;
  /// Calls a model-level method: `method(*args, **kwargs)`. The raw result.
  [[nodiscard]] result<protocol::reply> call_model(std::string_view method, json::value args = json::array{},
                                                   json::value kwargs = json::object{},
                                                   const client::call_options& call = {}) const;

  /// Host-driven `search_read`: sends the call and returns at once; `done`
  /// receives the decoded records from inside the transport's `poll()`.
  /// Errors (returned at once, `done` not called): those of `client::submit`.
  /// The fields are checked first as by `search_read`: a model whose fields
  /// are not known yet costs one blocking `fields_get`.
  template <view V>
  [[nodiscard]] result<transport::request_id> submit_search_read(const domain& where, const search_options& options,
                                                                 std::function<void(result<decoded<V>>)> done,
                                                                 const client::call_options& call = {}) const {
    ODOOLINK_TRY(auto asked, requested_fields<V>());
    return submit_decoded<V>(search_read_call(where, std::move(asked.names), options), asked.left_out, std::move(done), call);
  }
  /// Host-driven `read` (see `submit_search_read`).
  template <view V>
  [[nodiscard]] result<transport::request_id> submit_read(record_ids ids, std::function<void(result<decoded<V>>)> done,
                                                          const client::call_options& call = {}) const {
    ODOOLINK_TRY(auto asked, requested_fields<V>());
    return submit_decoded<V>(read_call(ids, std::move(asked.names)), asked.left_out, std::move(done), call);
  }

  /// The call `search_read` sends (for host-driven use with `client::submit`).
  [[nodiscard]] protocol::call search_read_call(const domain& where, json::array fields, const search_options& options) const;
  /// The call `read` sends.
  [[nodiscard]] protocol::call read_call(record_ids ids, json::array fields) const;

 protected:
  [[nodiscard]] result<protocol::reply> execute(protocol::call c, const client::call_options& call) const;
  // Sends `c` and decodes its answer as records of `V` in the pass that reads
  // the response (JSON protocols), or from the reply (XML-RPC).
  template <view V>
  [[nodiscard]] result<decoded<V>> execute_decoded(protocol::call c, std::span<const bool> left_out,
                                                   const client::call_options& call) const {
    if constexpr (view_traits<V>::borrows) {
      auto storage = std::make_shared<detail::view_storage>();
      records<V> out;
      auto ctx = detail::context_access::make(model_name(), &storage->kept);
      ODOOLINK_TRY(storage->reply, execute_into(std::move(c), detail::records_access<V>::rows(out), ctx, left_out, call));
      detail::records_access<V>::set_storage(out, std::move(storage));
      return out;
    } else {
      std::vector<V> out;
      auto ctx = detail::context_access::make(model_name(), nullptr);
      ODOOLINK_TRYV(execute_into(std::move(c), out, ctx, left_out, call));
      return out;
    }
  }
  template <view V>
  [[nodiscard]] result<protocol::reply> execute_into(protocol::call c, std::vector<V>& rows, decode_context& ctx,
                                                     std::span<const bool> left_out, const client::call_options& call) const {
    const decode_extras extras{.left_out = left_out};
    detail::rows_reader<V> reader{&rows, &ctx, &extras, std::nullopt, false};
    auto reply = connection().execute_kw(std::move(c), reader.hook(), call);
    if (reader.failure) return std::move(*reader.failure);  // as the decoder words it, without the call's name
    if (!reply) return reply;
    if (!reader.called) {
      ODOOLINK_TRYV(detail::decode_rows(reply.value(), rows, ctx, extras));
    }
    return reply;
  }
  template <view V>
  [[nodiscard]] result<transport::request_id> submit_decoded(protocol::call c, const std::array<bool, view_traits<V>::size>& left_out,
                                                             std::function<void(result<decoded<V>>)> done,
                                                             const client::call_options& call) const {
    // The completion keeps a copy of the proxy: the shared decoder stays alive.
    return connection().submit(
        std::move(c),
        [self = *this, left_out, done = std::move(done)](result<protocol::reply> reply) {
          if (!reply) {
            done(std::move(reply).as_failure());
            return;
          }
          done(self.scrubbed(self.records_decoder().template decode_with<V>(std::move(reply).value(), self.model_name(),
                                                                             decode_extras{.left_out = left_out})));
        },
        call);
  }
  // Checks the bound `names` against the server's fields of the model and
  // marks in `left_out` the optional ones it lacks (see `requested_fields`).
  [[nodiscard]] result<void> check_fields(std::span<const std::string_view> names, std::span<const bool> optional,
                                          std::span<bool> left_out) const;
  [[nodiscard]] result<std::int64_t> create_json(json::value vals, const client::call_options& call) const;
  [[nodiscard]] result<std::vector<std::int64_t>> create_many_json(json::array vals_list, const client::call_options& call) const;
  [[nodiscard]] result<void> write_json(record_ids ids, json::value vals, const client::call_options& call) const;

 private:
  struct state;
  std::shared_ptr<state> state_;
};

/// The recordset operations of the generated model `M` (which names itself
/// with `M::odoo_model`): typed domains, values, load batches, and `M::record`
/// as the default typed record. Raw domains and values still work.
template <class M>
class proxy : public any_proxy {
 public:
  /// A proxy for `M` over `connection`.
  explicit proxy(client::client connection) : any_proxy(std::move(connection), std::string(M::odoo_model)) {}

  using any_proxy::create;
  using any_proxy::read;
  using any_proxy::write;
  using any_proxy::copy;
  using any_proxy::load;

  // The untyped-domain forms take `D = model::domain` as a deduced parameter,
  // so a braced `{}` can only be the typed empty domain `expr<M>{}`.

  /// `search(domain)` with an untyped domain (`model::domain::raw(...)`).
  template <std::same_as<domain> D>
  [[nodiscard]] result<std::vector<std::int64_t>> search(const D& where, const search_options& options = {},
                                                         const client::call_options& call = {}) const {
    return any_proxy::search(where, options, call);
  }
  /// `search_count(domain)` with an untyped domain.
  template <std::same_as<domain> D>
  [[nodiscard]] result<std::int64_t> search_count(const D& where, const client::call_options& call = {}) const {
    return any_proxy::search_count(where, call);
  }
  /// `search_read(domain)` into `V` with an untyped domain.
  template <view V = typename M::record, std::same_as<domain> D>
  [[nodiscard]] result<decoded<V>> search_read(const D& where, const search_options& options = {},
                                               const client::call_options& call = {}) const {
    check_view<V>();
    return any_proxy::search_read<V>(where, options, call);
  }
  /// `name_search(name, domain)` with an untyped domain.
  template <std::same_as<domain> D>
  [[nodiscard]] result<std::vector<many2one<>>> name_search(std::string_view name, const D& where,
                                                            const name_search_options& options = {},
                                                            const client::call_options& call = {}) const {
    return any_proxy::name_search(name, where, options, call);
  }
  /// `read_group(domain, aggregates, groupby)` with an untyped domain.
  template <std::same_as<domain> D>
  [[nodiscard]] result<std::vector<group>> read_group(const D& where, const std::vector<std::string>& groupby,
                                                      const std::vector<std::string>& aggregates,
                                                      const group_options& options = {},
                                                      const client::call_options& call = {}) const {
    return any_proxy::read_group(where, groupby, aggregates, options, call);
  }

  /// `search(domain)`.
  [[nodiscard]] result<std::vector<std::int64_t>> search(const expr<M>& where, const search_options& options = {},
                                                         const client::call_options& call = {}) const {
    return any_proxy::search(domain(where), options, call);
  }
  /// `search_count(domain)`.
  [[nodiscard]] result<std::int64_t> search_count(const expr<M>& where, const client::call_options& call = {}) const {
    return any_proxy::search_count(domain(where), call);
  }
  /// `search_read(domain)` into `V` (default: every field, `M::record`).
  template <view V = typename M::record>
  [[nodiscard]] result<decoded<V>> search_read(const expr<M>& where, const search_options& options = {},
                                               const client::call_options& call = {}) const {
    check_view<V>();
    return any_proxy::search_read<V>(domain(where), options, call);
  }
  /// `read(ids)` into `V` (default: every field, `M::record`).
  template <view V = typename M::record>
  [[nodiscard]] result<decoded<V>> read(record_ids ids, const client::call_options& call = {}) const {
    check_view<V>();
    return any_proxy::read<V>(ids, call);
  }
  /// `create(vals)`.
  [[nodiscard]] result<std::int64_t> create(const values<M>& vals, const client::call_options& call = {}) const {
    return create_json(vals.to_json(), call);
  }
  /// `create([vals, ...])` in one call.
  [[nodiscard]] result<std::vector<std::int64_t>> create(const std::vector<values<M>>& vals_list,
                                                         const client::call_options& call = {}) const {
    json::array list;
    list.reserve(vals_list.size());
    for (const auto& v : vals_list) list.push_back(v.to_json());
    return create_many_json(std::move(list), call);
  }
  /// `write(ids, vals)`.
  [[nodiscard]] result<void> write(record_ids ids, const values<M>& vals, const client::call_options& call = {}) const {
    return write_json(ids, vals.to_json(), call);
  }
  /// `copy(id, default=defaults)`.
  [[nodiscard]] result<std::int64_t> copy(std::int64_t id, const values<M>& defaults, const client::call_options& call = {}) const {
    return any_proxy::copy(id, defaults.untyped(), call);
  }
  /// `name_search(name, domain)`.
  [[nodiscard]] result<std::vector<many2one<M>>> name_search(std::string_view name, const expr<M>& where = {},
                                                             const name_search_options& options = {},
                                                             const client::call_options& call = {}) const {
    ODOOLINK_TRY(auto found, any_proxy::name_search(name, domain(where), options, call));
    std::vector<many2one<M>> out;
    out.reserve(found.size());
    for (auto& f : found) out.emplace_back(f.id, std::move(f.name));
    return out;
  }
  /// `read_group(domain, aggregates, groupby)`.
  [[nodiscard]] result<std::vector<group>> read_group(const expr<M>& where, const std::vector<std::string>& groupby,
                                                      const std::vector<std::string>& aggregates,
                                                      const group_options& options = {},
                                                      const client::call_options& call = {}) const {
    return any_proxy::read_group(domain(where), groupby, aggregates, options, call);
  }
  /// `load(batch)`.
  [[nodiscard]] result<load_result> load(const load_batch<M>& batch, const client::call_options& call = {}) const {
    ODOOLINK_TRY(auto table, batch.table());
    return any_proxy::load(table, call);
  }

 private:
  template <class V>
  static constexpr void check_view() {
    using VM = typename view_traits<V>::model_type;
    static_assert(std::is_same_v<VM, M> || std::is_same_v<VM, any_model>, "this typed record belongs to another model");
  }
};

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
