#include "odoolink/model/proxy.hpp"

#include "odoolink/json/odoo.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/detail/json_cursor.hpp"
#include "odoolink/model/detail/read_member.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

struct any_proxy::state {
  client::client connection;
  std::string model;
  decoder records;
};

namespace {

// Names what the answer was without quoting its text, which may hold
// personal data or a credential a hostile or echoing server put there (the
// client's scrubber masks those in what is shown).
error unexpected(const secret_scrubber& secrets, std::string_view what, std::string_view model, std::string_view method, std::string_view found) {
  std::string msg(model);
  msg += '.';
  msg += method;
  msg += ": expected ";
  msg += what;
  msg += ", found ";
  msg += json::detail::describe_token(found);
  return error(protocol_errc::unexpected_type, secrets.scrub(msg));
}

result<json::value> parsed(const protocol::reply& reply) { return json::parse(reply.json()); }

// An id, or the one-element id list JSON-2 answers `create` and `copy` with.
result<std::int64_t> single_id(const secret_scrubber& secrets, const protocol::reply& reply, std::string_view model, std::string_view method) {
  ODOOLINK_TRY(const json::value v, parsed(reply));
  if (v.is_int()) return v.as_int();
  if (v.is_array() && v.as_array().size() == 1 && v.as_array()[0].is_int()) return v.as_array()[0].as_int();
  return unexpected(secrets, "a record id", model, method, reply.json());
}

// A JSON list of ids (`search`, `create` of many), read in one pass.
result<std::vector<std::int64_t>> id_list(const secret_scrubber& secrets, const protocol::reply& reply, std::string_view model, std::string_view method) {
  const std::string_view text = reply.json();
  detail::json_cursor c(text.data(), text.size());
  std::vector<std::int64_t> out;
  if (!c.take('[')) return unexpected(secrets, "a list of ids", model, method, reply.json());
  for (bool more = !c.take(']'); more;) {
    std::int64_t id = 0;
    if (!detail::starts_number(c.peek()) || !c.read_int64(id)) return unexpected(secrets, "a list of ids", model, method, c.token());
    out.push_back(id);
    if (!c.next_or_close(']', more)) return detail::malformed_json(c, std::string(model) + "." + std::string(method));
  }
  if (!c.at_end()) return detail::unexpected_here(c, std::string(model) + "." + std::string(method));
  return out;
}

result<void> expect_true(const secret_scrubber& secrets, const protocol::reply& reply, std::string_view model, std::string_view method) {
  ODOOLINK_TRY(const json::value v, parsed(reply));
  if (v.is_bool() && v.as_bool()) return success();
  return unexpected(secrets, "true", model, method, reply.json());
}

json::value paging_kwargs(json::object kwargs, std::int64_t offset, const std::optional<std::int64_t>& limit,
                          std::string_view order_key, const std::string& order) {
  if (offset != 0) kwargs.emplace_back("offset", offset);
  if (limit) kwargs.emplace_back("limit", *limit);
  if (!order.empty()) kwargs.emplace_back(std::string(order_key), order);
  return kwargs;
}

}  // namespace

any_proxy::any_proxy(client::client connection, std::string model_name)
    : state_(std::make_shared<state>(state{std::move(connection), std::move(model_name), decoder{}})) {}

const std::string& any_proxy::model_name() const noexcept { return state_->model; }
client::client& any_proxy::connection() const noexcept { return state_->connection; }
decoder& any_proxy::records_decoder() const noexcept { return state_->records; }

result<protocol::reply> any_proxy::execute(protocol::call c, const client::call_options& call) const {
  return state_->connection.execute_kw(std::move(c), call);
}

protocol::call any_proxy::search_read_call(const domain& where, json::array fields, const search_options& options) const {
  json::object kwargs;
  kwargs.emplace_back("fields", std::move(fields));
  return {model_name(), "search_read", json::array{where.to_json()},
          paging_kwargs(std::move(kwargs), options.offset, options.limit, "order", options.order)};
}

protocol::call any_proxy::read_call(record_ids ids, json::array fields) const {
  return {model_name(), "read", json::array{ids.to_json()}, json::object{{"fields", std::move(fields)}}};
}

result<std::vector<std::int64_t>> any_proxy::search(const domain& where, const search_options& options,
                                                    const client::call_options& call) const {
  ODOOLINK_TRY(auto reply, execute({model_name(), "search", json::array{where.to_json()},
                                    paging_kwargs({}, options.offset, options.limit, "order", options.order)},
                                   call));
  return id_list(connection().scrubber(), reply, model_name(), "search");
}

result<std::int64_t> any_proxy::search_count(const domain& where, const client::call_options& call) const {
  ODOOLINK_TRY(auto reply, execute({model_name(), "search_count", json::array{where.to_json()}}, call));
  ODOOLINK_TRY(const json::value v, parsed(reply));
  if (!v.is_int()) return unexpected(connection().scrubber(), "a count", model_name(), "search_count", reply.json());
  return v.as_int();
}

result<std::int64_t> any_proxy::create(const values<>& vals, const client::call_options& call) const {
  return create_json(vals.to_json(), call);
}

result<std::vector<std::int64_t>> any_proxy::create(std::span<const values<>> vals_list, const client::call_options& call) const {
  json::array list;
  list.reserve(vals_list.size());
  for (const auto& v : vals_list) list.push_back(v.to_json());
  return create_many_json(std::move(list), call);
}

result<std::int64_t> any_proxy::create_json(json::value vals, const client::call_options& call) const {
  ODOOLINK_TRY(auto reply, execute({model_name(), "create", json::array{std::move(vals)}}, call));
  return single_id(connection().scrubber(), reply, model_name(), "create");
}

result<std::vector<std::int64_t>> any_proxy::create_many_json(json::array vals_list, const client::call_options& call) const {
  const std::size_t expected = vals_list.size();
  ODOOLINK_TRY(auto reply, execute({model_name(), "create", json::array{json::value(std::move(vals_list))}}, call));
  ODOOLINK_TRY(auto ids, id_list(connection().scrubber(), reply, model_name(), "create"));
  if (ids.size() != expected)
    return unexpected(connection().scrubber(), std::to_string(expected) + " ids", model_name(), "create", reply.json());
  return ids;
}

result<void> any_proxy::write(record_ids ids, const values<>& vals, const client::call_options& call) const {
  return write_json(ids, vals.to_json(), call);
}

result<void> any_proxy::write_json(record_ids ids, json::value vals, const client::call_options& call) const {
  ODOOLINK_TRY(auto reply, execute({model_name(), "write", json::array{ids.to_json(), std::move(vals)}}, call));
  return expect_true(connection().scrubber(), reply, model_name(), "write");
}

result<void> any_proxy::unlink(record_ids ids, const client::call_options& call) const {
  ODOOLINK_TRY(auto reply, execute({model_name(), "unlink", json::array{ids.to_json()}}, call));
  return expect_true(connection().scrubber(), reply, model_name(), "unlink");
}

result<std::int64_t> any_proxy::copy(std::int64_t id, const values<>& defaults, const client::call_options& call) const {
  json::object kwargs;
  if (!defaults.empty()) kwargs.emplace_back("default", defaults.to_json());
  ODOOLINK_TRY(auto reply, execute({model_name(), "copy", json::array{json::array{id}}, std::move(kwargs)}, call));
  return single_id(connection().scrubber(), reply, model_name(), "copy");
}

result<std::vector<many2one<>>> any_proxy::name_search(std::string_view name, const domain& where,
                                                       const name_search_options& options,
                                                       const client::call_options& call) const {
  json::object kwargs;
  kwargs.reserve(4);
  kwargs.emplace_back("name", std::string(name));
  if (!where.matches_all()) kwargs.emplace_back("domain", where.to_json());
  if (!options.operator_.empty()) kwargs.emplace_back("operator", options.operator_);
  if (options.limit) kwargs.emplace_back("limit", *options.limit);
  ODOOLINK_TRY(auto reply, execute({model_name(), "name_search", json::array{}, std::move(kwargs)}, call));
  ODOOLINK_TRY(const json::value v, parsed(reply));
  if (!v.is_array()) return unexpected(connection().scrubber(), "a list of [id, name] pairs", model_name(), "name_search", reply.json());
  std::vector<many2one<>> out;
  out.reserve(v.as_array().size());
  for (const auto& pair : v.as_array()) {
    if (!pair.is_array() || pair.as_array().size() != 2 || !pair.as_array()[0].is_int())
      return unexpected(connection().scrubber(), "a list of [id, name] pairs", model_name(), "name_search", reply.json());
    const auto& label = pair.as_array()[1];
    out.emplace_back(pair.as_array()[0].as_int(), label.is_string() ? label.as_string() : std::string());
  }
  return out;
}

result<std::vector<group>> any_proxy::read_group(const domain& where, const std::vector<std::string>& groupby,
                                                 const std::vector<std::string>& aggregates, const group_options& options,
                                                 const client::call_options& call) const {
  json::array fields;
  for (const auto& a : aggregates) fields.emplace_back(a);
  json::array by;
  for (const auto& g : groupby) by.emplace_back(g);
  json::object kwargs;
  if (options.lazy) kwargs.emplace_back("lazy", *options.lazy);
  ODOOLINK_TRY(auto reply, execute({model_name(), "read_group", json::array{where.to_json(), std::move(fields), std::move(by)},
                                    paging_kwargs(std::move(kwargs), options.offset, options.limit, "orderby", options.orderby)},
                                   call));
  ODOOLINK_TRY(json::value v, parsed(reply));
  if (!v.is_array()) return unexpected(connection().scrubber(), "a list of groups", model_name(), "read_group", reply.json());
  // Lazy grouping counts in `<first groupby>_count`, eager grouping in `__count`.
  const std::string lazy_count = groupby.empty() ? std::string() : groupby.front().substr(0, groupby.front().find(':')) + "_count";
  std::vector<group> out;
  out.reserve(v.as_array().size());
  for (auto& g : v.as_array()) {
    if (!g.is_object()) return unexpected(connection().scrubber(), "a list of groups", model_name(), "read_group", reply.json());
    group item;
    for (auto& [k, x] : g.as_object()) {
      if (k == "__count" || k == lazy_count) {
        if (x.is_int()) item.count = x.as_int();
      } else if (k == "__domain") {
        item.where = domain::raw(std::move(x));
      } else if (k.rfind("__", 0) != 0) {
        item.values.emplace_back(k, std::move(x));
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

result<void> any_proxy::check_fields(std::span<const std::string_view> names, std::span<const bool> optional,
                                     std::span<bool> left_out) const {
  auto& cache = connection().server_fields();
  if (cache.mode() == client::field_check::trust) return success();
  auto learnt = cache.get(connection(), model_name());
  if (!learnt) return connection().scrubber().scrub(learnt.error());  // a parse error may quote the answer
  const auto& server = learnt.value();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "id" || server->has(names[i])) continue;
    if (optional[i]) {
      left_out[i] = true;
      continue;
    }
    const auto& version = connection().info().version;
    std::string msg = model_name() + ": the server (Odoo " + (version.text.empty() ? std::to_string(version.major) : version.text) +
                      ") has no field \"" + std::string(names[i]) +
                      "\" that the typed record binds (mark it optional with ODOOLINK_OPTIONAL to leave it out there)";
    return error(protocol_errc::unknown_field, connection().scrubber().scrub(msg));
  }
  return success();
}

result<std::vector<field_info>> any_proxy::fields_get(const std::vector<std::string>& names,
                                                      const client::call_options& call) const {
  json::array all;
  for (const auto& n : names) all.emplace_back(n);
  ODOOLINK_TRY(auto reply, execute({model_name(), "fields_get", json::array{std::move(all)},
                                    json::object{{"attributes", field_info_attributes()}}},
                                   call));
  return parse_fields_get(reply.json());
}

result<json::value> any_proxy::default_get(const std::vector<std::string>& fields, const client::call_options& call) const {
  json::array names;
  for (const auto& f : fields) names.emplace_back(f);
  ODOOLINK_TRY(auto reply, execute({model_name(), "default_get", json::array{std::move(names)}}, call));
  return parsed(reply);
}

result<load_result> any_proxy::load(const load_table& table, const client::call_options& call) const {
  protocol::call c{model_name(), "load", table.to_args()};
  // The import reads datetimes in the user's time zone unless told otherwise;
  // the table holds UTC.
  if (table.has_datetime) c.context = json::object{{"tz", "UTC"}};
  ODOOLINK_TRY(auto reply, execute(std::move(c), call));
  return parse_load_result(reply.json(), model_name());
}

result<protocol::reply> any_proxy::call(std::string_view method, record_ids ids, json::value kwargs,
                                        const client::call_options& call) const {
  return execute({model_name(), std::string(method), json::array{ids.to_json()}, std::move(kwargs)}, call);
}

result<protocol::reply> any_proxy::call_model(std::string_view method, json::value args, json::value kwargs,
                                              const client::call_options& call) const {
  return execute({model_name(), std::string(method), std::move(args), std::move(kwargs)}, call);
}

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
