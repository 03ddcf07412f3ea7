// How ORM methods take their arguments: positional names (as JSON-2 names
// them), and the TypeError the server raises for a bad argument list.

#include <array>

#include "testing/fake/orm.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

namespace {

struct entry {
  std::string_view method;
  bool on_records;
  std::size_t required;
  std::array<std::string_view, 7> params;
};
constexpr std::array<entry, 22> signatures{{
    {"search", false, 1, {"domain", "offset", "limit", "order"}},
    {"search_read", false, 0, {"domain", "fields", "offset", "limit", "order"}},
    {"search_count", false, 1, {"domain", "limit"}},
    {"search_fetch", false, 2, {"domain", "field_names", "offset", "limit", "order"}},
    {"name_search", false, 0, {"name", "domain", "operator", "limit"}},
    {"name_create", false, 1, {"name"}},
    {"create", false, 1, {"vals_list"}},
    {"fields_get", false, 0, {"allfields", "attributes"}},
    {"load", false, 2, {"fields", "data"}},
    {"default_get", false, 1, {"fields"}},
    {"read_group", false, 3, {"domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"}},
    {"formatted_read_group", false, 0, {"domain", "groupby", "aggregates", "having", "offset", "limit", "order"}},
    {"web_search_read", false, 2, {"domain", "specification", "offset", "limit", "order", "count_limit"}},
    {"context_get", false, 0, {}},
    {"read", true, 0, {"fields", "load"}},
    {"write", true, 1, {"vals"}},
    {"unlink", true, 0, {}},
    {"copy", true, 0, {"default"}},
    {"copy_data", true, 0, {"default"}},
    {"web_read", true, 1, {"specification"}},
    {"export_data", true, 1, {"fields_to_export"}},
    {"has_access", true, 1, {"operation"}},
}};

}  // namespace

std::vector<std::string_view> builtin_methods() {
  std::vector<std::string_view> out;
  for (const auto& e : signatures) out.push_back(e.method);
  return out;
}

method_signature signature_of(std::string_view method) {
  for (const auto& e : signatures)
    if (e.method == method) {
      method_signature s;
      s.on_records = e.on_records;
      s.required = e.required;
      for (auto p : e.params)
        if (!p.empty()) s.params.push_back(p);
      return s;
    }
  return {};  // an action: ids, then nothing positional
}

namespace {
bool known(std::string_view method) {
  return !signature_of(method).params.empty() || method == "unlink" || method == "context_get";
}
}  // namespace

fake_call named_call(std::string model, std::string method, const json::value& args, const json::value& kwargs,
                     std::int64_t uid) {
  fake_call c;
  c.model = std::move(model);
  c.method = std::move(method);
  c.uid = uid;
  const method_signature sig = signature_of(c.method);
  const json::array none;
  if (!args.is_null() && !args.is_array()) raise("builtins.TypeError", "args must be a list");
  const json::array& a = args.is_array() ? args.as_array() : none;
  std::size_t next = 0;
  if (sig.on_records) {
    if (!a.empty()) {
      c.ids = a[0].is_int() ? json::array{a[0]} : a[0];
      next = 1;
    }
  }
  const std::string qualified = "BaseModel." + c.method + "()";
  const std::size_t given = a.size() - next;
  if (known(c.method) && given > sig.params.size()) {
    const std::size_t lo = 1 + sig.required, hi = 1 + sig.params.size();
    raise("builtins.TypeError", "BaseModel." + c.method + "() takes " +
                                    (lo == hi ? std::to_string(hi) : "from " + std::to_string(lo) + " to " + std::to_string(hi)) +
                                    " positional arguments but " + std::to_string(given + 1) + " were given");
  }
  for (std::size_t p = 0; next < a.size(); ++next, ++p) {
    const std::string name = p < sig.params.size() ? std::string(sig.params[p]) : "arg" + std::to_string(p);
    c.params.set(name, a[next]);
  }
  if (!kwargs.is_null() && !kwargs.is_object()) raise("builtins.TypeError", "kwargs must be a dict");
  if (kwargs.is_object())
    for (const auto& [k, v] : kwargs.as_object()) {
      if (k == "context") {
        c.params.set(k, v);
        continue;
      }
      if (known(c.method)) {
        bool ok = false;
        for (auto p : sig.params) ok = ok || p == k;
        if (c.method == "default_get" && k == "fields_list") ok = true;
        if (!ok) raise("builtins.TypeError", qualified + " got an unexpected keyword argument '" + k + "'");
        if (c.params.find(k) != nullptr) raise("builtins.TypeError", qualified + " got multiple values for argument '" + k + "'");
      }
      c.params.set(k == "fields_list" ? "fields" : k, v);
    }
  for (std::size_t p = 0; p < sig.required && known(c.method); ++p)
    if (c.params.find(sig.params[p]) == nullptr)
      raise("builtins.TypeError", qualified + " missing 1 required positional argument: '" + std::string(sig.params[p]) + "'");
  return c;
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
