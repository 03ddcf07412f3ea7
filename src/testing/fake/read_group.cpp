// read_group (Odoo <= 18 shape) and formatted_read_group (Odoo 19 shape).

#include <algorithm>
#include <map>

#include "testing/fake/orm.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
namespace {

const char* month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                             "July",    "August",   "September", "October", "November", "December"};

// Number of top-level expressions of a prefix-notation domain (implicitly and-ed).
std::size_t top_terms(const json::array& d) {
  std::size_t terms = 0, need = 0;
  for (const auto& t : d) {
    if (need == 0) ++terms, need = 1;
    if (t.is_string() && t.as_string() == "!") continue;
    if (t.is_string()) ++need;
    else --need;
  }
  return terms;
}

// The group's `__domain`: Odoo 16 puts the group's leaves before the
// searched domain, later series after it.
json::value and_domains(const json::value& domain, const json::array& leaves, bool leaves_first) {
  json::array parts;
  std::size_t n = leaves.size();
  json::array body;
  if (leaves_first) body = leaves;
  if (domain.is_array() && !domain.as_array().empty()) {
    n += top_terms(domain.as_array());
    for (const auto& t : domain.as_array()) body.push_back(t);
  }
  if (!leaves_first)
    for (const auto& l : leaves) body.push_back(l);
  for (std::size_t i = 1; i < n; ++i) parts.push_back("&");
  for (auto& b : body) parts.push_back(std::move(b));
  return parts;
}

struct group_spec {
  std::string key;    // as written: "date_order:month"
  std::string field;  // "date_order"
  std::string granularity;
};

group_spec parse_group(const std::string& g) {
  const std::size_t colon = g.find(':');
  return {g, g.substr(0, colon), colon == std::string::npos ? std::string() : g.substr(colon + 1)};
}

struct aggregate {
  std::string key;    // output key
  std::string field;  // source field
  std::string func;   // sum, min, max, avg, count, count_distinct
};

}  // namespace

json::value database::read_group(const fake_call& c) {
  const bool formatted = c.method == "formatted_read_group";
  const model_def& def = get(c.model).def;
  const json::value* d = c.params.find("domain");
  const json::value domain = d != nullptr && d->is_array() ? *d : json::value(json::array{});
  std::vector<group_spec> groups;
  if (const json::value* g = c.params.find("groupby")) {
    if (g->is_string()) groups.push_back(parse_group(g->as_string()));
    else if (g->is_array())
      for (const auto& e : g->as_array())
        if (e.is_string()) groups.push_back(parse_group(e.as_string()));
  }
  for (const auto& g : groups)
    if (!def.has(g.field)) raise("builtins.ValueError", "Invalid field '" + g.field + "' on model '" + c.model + "'");
  bool lazy = !formatted;
  if (const json::value* l = c.params.find("lazy"); l != nullptr && l->is_bool()) lazy = l->as_bool();
  const std::vector<group_spec> used = lazy && groups.size() > 1 ? std::vector<group_spec>{groups[0]} : groups;

  std::vector<aggregate> aggs;
  const json::value* specs = c.params.find(formatted ? "aggregates" : "fields");
  if (specs != nullptr && specs->is_array())
    for (const auto& s : specs->as_array()) {
      if (!s.is_string()) continue;
      const std::string& text = s.as_string();
      if (text == "__count") continue;
      const std::size_t colon = text.find(':');
      aggregate a;
      a.field = text.substr(0, colon);
      a.func = colon == std::string::npos ? "sum" : text.substr(colon + 1);
      a.key = formatted ? text : a.field;
      if (!def.has(a.field)) raise("builtins.ValueError", "Invalid field '" + a.field + "' on model '" + c.model + "'");
      bool grouped = false;
      for (const auto& g : used) grouped = grouped || g.field == a.field;
      // Odoo 16 aggregates no `id` (its `id:count` adds nothing); 17 counts it.
      if (a.field == "id" && options_.major_version < 17) continue;
      if (!grouped) aggs.push_back(a);
    }

  auto group_value = [&](std::int64_t id, const group_spec& g) -> json::value {
    const field_def& f = *def.field(g.field);
    json::value v = field_value(c.model, id, f);
    if (f.type == "many2one") return v.is_int() ? json::value(json::array{v, display_name(f.relation, v.as_int())}) : json::value(false);
    if (!g.granularity.empty() && v.is_string() && v.as_string().size() >= 10) {
      const std::string& s = v.as_string();
      const int month = (s[5] - '0') * 10 + (s[6] - '0');
      if (month < 1 || month > 12) return v;
      if (g.granularity == "year") return s.substr(0, 4);
      if (g.granularity == "day") return s.substr(8, 2) + " " + std::string(month_names[month - 1]).substr(0, 3) + " " + s.substr(0, 4);
      return std::string(month_names[month - 1]) + " " + s.substr(0, 4);
    }
    return v;
  };
  std::vector<std::int64_t> ids = search(c.model, domain, 0, std::nullopt, {}, c.uid);
  std::vector<std::pair<json::array, std::vector<std::int64_t>>> buckets;
  for (auto id : ids) {
    json::array key;
    for (const auto& g : used) key.push_back(group_value(id, g));
    auto it = std::find_if(buckets.begin(), buckets.end(), [&](const auto& b) { return b.first == key; });
    if (it == buckets.end()) buckets.emplace_back(std::move(key), std::vector<std::int64_t>{id});
    else it->second.push_back(id);
  }
  auto sort_text = [](const json::value& v) {
    if (v.is_array() && v.as_array().size() == 2) return v.as_array()[1].as_string();
    if (v.is_string()) return v.as_string();
    if (v.is_number()) return std::to_string(v.as_double());
    return std::string();
  };
  std::stable_sort(buckets.begin(), buckets.end(), [&](const auto& a, const auto& b) {
    for (std::size_t i = 0; i < a.first.size(); ++i) {
      const std::string x = sort_text(a.first[i]), y = sort_text(b.first[i]);
      if (x != y) return x < y;
    }
    return false;
  });

  json::array out;
  const json::value* off = c.params.find("offset");
  const json::value* lim = c.params.find("limit");
  const std::size_t offset = off != nullptr && off->is_int() && off->as_int() > 0 ? static_cast<std::size_t>(off->as_int()) : 0;
  const std::size_t limit = lim != nullptr && lim->is_int() && lim->as_int() >= 0 ? static_cast<std::size_t>(lim->as_int()) : buckets.size();
  for (std::size_t b = offset; b < buckets.size() && out.size() < limit; ++b) {
    const auto& [key, members] = buckets[b];
    json::value g = json::object{};
    json::array leaves;
    for (std::size_t i = 0; i < used.size(); ++i) {
      g.set(used[i].key, key[i]);
      const json::value& v = key[i];
      leaves.push_back(json::array{used[i].field, "=", v.is_array() ? v.as_array()[0] : v});
    }
    if (formatted) {
      g.set("__extra_domain", leaves);
      g.set("__count", static_cast<std::int64_t>(members.size()));
    } else if (lazy) {
      g.set(used.empty() ? std::string("__count") : used[0].field + "_count", static_cast<std::int64_t>(members.size()));
    } else {
      g.set("__count", static_cast<std::int64_t>(members.size()));
    }
    for (const auto& a : aggs) {
      const field_def& f = *def.field(a.field);
      if (a.func == "count" || a.func == "count_distinct") {
        g.set(a.key, static_cast<std::int64_t>(members.size()));
        continue;
      }
      double sum = 0, lo = 0, hi = 0;
      bool first = true;
      for (auto id : members) {
        const json::value v = field_value(c.model, id, f);
        const double x = v.is_number() ? v.as_double() : 0.0;
        sum += x;
        lo = first ? x : std::min(lo, x);
        hi = first ? x : std::max(hi, x);
        first = false;
      }
      double r = a.func == "min" ? lo : a.func == "max" ? hi : a.func == "avg" ? (members.empty() ? 0 : sum / members.size()) : sum;
      if (f.type == "integer") g.set(a.key, static_cast<std::int64_t>(r));
      else g.set(a.key, r);
    }
    if (!formatted) g.set("__domain", and_domains(domain, leaves, options_.major_version < 17));
    if (!formatted && lazy && groups.size() > 1) {
      json::array rest;
      for (std::size_t i = 1; i < groups.size(); ++i) rest.push_back(groups[i].key);
      g.set("__context", json::object{{"group_by", std::move(rest)}});
    }
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
