// Redaction walks the payload along the contract; wherever the two part
// ways, the safe choice is to hide.
#include "odoolink/contract/redact.hpp"

#include "crypto.hpp"
#include "model.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace {

using detail::node;

class redactor {
 public:
  explicit redactor(const redact_options& o) : options_(o) {}

  json::value hide(const json::value& v) const {
    if (v.is_null()) return nullptr;
    if (options_.hmac_key.empty()) return options_.mask;
    const std::string text = v.is_string() ? v.as_string() : json::to_string(v);
    std::string mac = detail::hmac_sha256_hex(options_.hmac_key, text);
    if (mac.empty()) return options_.mask;  // never fall back to the clear value
    return "hmac-sha256:" + mac;
  }

  json::value value(const node& n, const json::value& v) const {
    if (n.pii) return hide(v);
    if (!n.subtree_has_pii && n.type != field_type::object && n.type != field_type::array) return v;
    if (n.type == field_type::object) {
      if (!v.is_object()) return n.subtree_has_pii ? hide(v) : v;
      return object(n, v);
    }
    if (n.type == field_type::array && n.items) {
      if (!v.is_array()) return n.subtree_has_pii ? hide(v) : v;
      json::array out;
      out.reserve(v.as_array().size());
      for (const auto& e : v.as_array()) out.push_back(value(*n.items, e));
      return out;
    }
    return v;
  }

  json::value object(const node& n, const json::value& v) const {
    json::object out;
    out.reserve(v.as_object().size());
    for (const auto& [k, e] : v.as_object()) {
      const int i = n.find(k);
      if (i >= 0) {
        out.emplace_back(k, value(n.fields[static_cast<std::size_t>(i)], e));
        continue;
      }
      switch (options_.undeclared) {
        case undeclared_values::mask: out.emplace_back(k, hide(e)); break;
        case undeclared_values::keep: out.emplace_back(k, e); break;
        case undeclared_values::drop: break;
      }
    }
    return out;
  }

 private:
  const redact_options& options_;
};

}  // namespace

json::value redact(const contract& c, const json::value& payload, const redact_options& options) {
  const redactor r(options);
  const node& root = c.internals().root;
  if (!payload.is_object()) return r.hide(payload);
  return r.object(root, payload);
}

result<std::string> redact_json(const contract& c, std::string_view payload_text, const redact_options& options) {
  ODOOLINK_TRY(auto payload, json::parse(payload_text));
  return json::to_string(redact(c, payload, options));
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
