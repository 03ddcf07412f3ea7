// libFuzzer entry for the XML-RPC codec: arbitrary bytes as a response body
// (HTTP 200) and as a request body. Besides not crashing, it checks the
// codec's promises: a decoded reply is valid JSON, the plain-response fast
// path gives exactly what the expat reader gives whenever it takes a body,
// the typed records read straight from a body (model/detail/xml_rows.hpp)
// are the ones the general path decodes from it, owning and view records
// alike, and whatever a request decodes to survives encode_response →
// decode unchanged (which also runs the fast path on Python's layout).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <optional>
#include <vector>

#include "odoolink/http.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/decode.hpp"
#include "odoolink/protocol/xmlrpc.hpp"
#include "../src/protocol/xmlrpc_plain.hpp"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

namespace m = odoolink::model;

// The fields of the recorded read / search_read answers, every member kind.
struct owned_row {
  std::int64_t id = 0;
  std::optional<std::string> name;
  m::many2one<m::any_model> parent_id;
  std::vector<std::int64_t> child_ids;
  std::optional<std::string> phone;
  std::optional<std::int64_t> country_id;
  std::optional<std::string> comment;
  std::optional<std::string> state;
  m::many2one<m::any_model> partner_id;
  std::vector<std::int64_t> order_line;
  std::vector<std::int64_t> tag_ids;
  std::optional<m::date> validity_date;
  std::optional<m::datetime> date_order;
  double amount_total = 0;
  std::int32_t currency_id = 0;
  std::optional<std::string> signature;
  std::string note;
  bool require_signature = false;
  ODOOLINK_FIELDS(owned_row, id, name, parent_id, child_ids, phone, country_id, comment, state, partner_id, order_line,
                  tag_ids, validity_date, date_order, amount_total, currency_id, signature, note, require_signature)
  bool operator==(const owned_row&) const = default;
};

// The text members of the same answers as views.
struct view_row {
  std::int64_t id = 0;
  std::optional<std::string_view> name;
  m::many2one_view<m::any_model> parent_id;
  m::ids_view child_ids;
  std::string_view note;
  ODOOLINK_FIELDS(view_row, id, name, parent_id, child_ids, note)
};

// Every binding may be missing, so any subset of the fields can be read.
template <class V>
m::decode_extras all_optional() {
  static const std::array<bool, m::view_traits<V>::size> left_out = [] {
    std::array<bool, m::view_traits<V>::size> out{};
    out.fill(true);
    return out;
  }();
  return {.left_out = left_out};
}

// Records read straight from `body` must be the general path's.
void typed_records_agree(std::string_view body, const odoolink::protocol::decode_options& opts) {
  using namespace odoolink;
  auto general_reply = [&]() -> result<protocol::reply> {
    return protocol::xmlrpc::decode(http_response{200, {}, std::string(body)}, opts);
  };
  {
    const auto extras = all_optional<owned_row>();
    std::vector<owned_row> direct;
    auto ctx = m::detail::context_access::make("res.partner", nullptr);
    if (m::detail::decode_rows_xml(body, direct, ctx, extras)) {
      auto reply = general_reply();
      require(reply.has_value());
      auto general = m::decoder{}.decode_with<owned_row>(std::move(reply).value(), "res.partner", extras);
      require(general.has_value());
      require(general.value() == direct);
    } else {
      require(direct.empty());
    }
  }
  const auto extras = all_optional<view_row>();
  m::detail::arena kept;
  std::vector<view_row> direct;
  auto ctx = m::detail::context_access::make("res.partner", &kept);
  if (!m::detail::decode_rows_xml(body, direct, ctx, extras)) return;
  auto reply = general_reply();
  require(reply.has_value());
  auto general = m::decoder{}.decode_with<view_row>(std::move(reply).value(), "res.partner", extras);
  require(general.has_value() && general.value().size() == direct.size());
  for (std::size_t i = 0; i < direct.size(); ++i) {
    const view_row& a = direct[i];
    const view_row& b = general.value()[i];
    require(a.id == b.id && a.name == b.name && a.parent_id.id == b.parent_id.id &&
            a.parent_id.name == b.parent_id.name && a.note == b.note);
    require(std::equal(a.child_ids.begin(), a.child_ids.end(), b.child_ids.begin(), b.child_ids.end()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace odoolink;
  namespace xmlrpc = protocol::xmlrpc;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  protocol::decode_options opts;
  opts.max_depth = 64;  // below json::parse's own limit, so every reply can be re-parsed
  json::parse_options popts;
  popts.max_depth = 128;

  // The fast path may decline anything; what it takes, expat must read the same.
  if (auto plain = xmlrpc::impl::plain_response_json(bytes, opts.max_depth)) {
    auto by_expat = xmlrpc::impl::decode_with_expat(bytes, 200, opts);
    require(by_expat.has_value());
    require(by_expat.value().json() == *plain);
  }

  typed_records_agree(bytes, opts);

  http_response response;
  response.status = 200;
  response.headers.push_back({"Content-Type", "text/xml; charset=utf-8"});
  response.body.assign(bytes);
  if (auto r = xmlrpc::decode(std::move(response), opts)) {
    require(json::parse(r.value().json(), popts).has_value());
  } else {
    require(!r.error().message().empty());
  }

  if (auto call = xmlrpc::decode_request(bytes, opts)) {
    const json::value& params = call.value().params;
    require(params.is_array());
    protocol::decode_options wrapped = opts;
    wrapped.max_depth = opts.max_depth + 1;  // the params array is one level more
    const std::string python_layout = xmlrpc::encode_response(params);
    typed_records_agree(python_layout, wrapped);
    auto again = xmlrpc::decode(http_response{200, {}, python_layout}, wrapped);
    require(again.has_value());
    auto reparsed = json::parse(again.value().json(), popts);
    require(reparsed.has_value());
    require(reparsed.value() == params);
    // And as a request: the method name and params come back as they were.
    const http_request req = xmlrpc::encode(protocol::service_call{"common", call.value().method, params});
    auto redecoded = xmlrpc::decode_request(req.body, opts);
    require(redecoded.has_value());
    require(redecoded.value().method == call.value().method);
    require(redecoded.value().params == params);
  }
  return 0;
}
