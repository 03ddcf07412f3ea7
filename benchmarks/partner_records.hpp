#pragma once
// What the decode benchmarks share: res.partner-shaped records (owning and
// view), the generator of their search_read result, the nlohmann baseline's
// extraction into the same owning structs, and /proc memory readings.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/json/odoo.hpp"
#include "odoolink/model/decode.hpp"
#include "odoolink/models/res_partner.hpp"
#if defined(ODOOLINK_HAVE_NLOHMANN)
#include <nlohmann/json.hpp>
#endif

namespace bench {

using namespace odoolink;
using namespace odoolink::models;
namespace m = odoolink::model;

inline constexpr int record_count = 50000;

struct partner_owned {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  bool is_company = false;
  m::many2one<res_partner> parent_id;
  m::many2one<res_country> country_id;
  m::many2many<res_partner_category> category_id;
  m::one2many<res_partner> child_ids;
  std::optional<res_partner::type_value> type;
  std::optional<std::string> street;
  std::optional<std::string> city;
  std::optional<std::string> zip;
  std::optional<std::string> ref;
  bool active = false;
  std::optional<m::datetime> create_date;
  std::optional<m::datetime> write_date;
  double credit_limit = 0;
  ODOOLINK_VIEW(partner_owned, res_partner, id, name, email, phone, is_company, parent_id, country_id, category_id, child_ids,
                type, street, city, zip, ref, active, create_date, write_date, credit_limit)
};

struct partner_view {
  std::int64_t id = 0;
  std::string_view name;
  std::optional<std::string_view> email;
  std::optional<std::string_view> phone;
  bool is_company = false;
  m::many2one_view<res_partner> parent_id;
  m::many2one_view<res_country> country_id;
  m::ids_view category_id;
  m::ids_view child_ids;
  std::optional<res_partner::type_value> type;
  std::optional<std::string_view> street;
  std::optional<std::string_view> city;
  std::optional<std::string_view> zip;
  std::optional<std::string_view> ref;
  bool active = false;
  std::optional<m::datetime> create_date;
  std::optional<m::datetime> write_date;
  double credit_limit = 0;
  ODOOLINK_VIEW(partner_view, res_partner, id, name, email, phone, is_company, parent_id, country_id, category_id, child_ids,
                type, street, city, zip, ref, active, create_date, write_date, credit_limit)
};

/// A search_read result shaped like res.partner: text with and without
/// escapes, false for empty values, many2one pairs, id lists, UTC datetimes.
inline std::string make_partners(int n) {
  std::string s = "[";
  std::uint64_t x = 88172645463325252ULL;
  auto rnd = [&]() {
    x ^= x << 13U;
    x ^= x >> 7U;
    x ^= x << 17U;
    return x;
  };
  const char* first[] = {"Deco", "Azure", "Gemini", "Wood", "Ready", "Lumber", "Jackson", "Acme", "Caf\\u00e9 Zo\\u00e9", "Brandon"};
  const char* last[] = {"Addict", "Interior", "Furniture", "Corner", "Mat", "Inc", "Group", "Corporation", "Freeman", "Olson"};
  const char* countries[] = {"United States", "Belgium", "France", "Germany", "Spain"};
  char buf[1024];
  for (int i = 0; i < n; ++i) {
    if (i != 0) s += ", ";
    const int id = i + 1;
    const char* f = first[rnd() % 10];
    const char* l = last[rnd() % 10];
    const int c = static_cast<int>(rnd() % 5);
    const bool company = rnd() % 3 == 0;
    const std::string email = rnd() % 7 == 0 ? "false" : "\"contact" + std::to_string(id) + "@" + l + ".example.com\"";
    const std::string phone = rnd() % 4 == 0 ? "false" : "\"+1 555 0" + std::to_string(100 + rnd() % 900) + "\"";
    const std::string parent =
        company || rnd() % 2 != 0 ? "false" : "[" + std::to_string(rnd() % 5000 + 1) + ", \"" + f + " " + l + "\"]";
    std::string cats = "[";
    const int nc = static_cast<int>(rnd() % 3);
    for (int k = 0; k < nc; ++k) cats += (k != 0 ? ", " : "") + std::to_string(rnd() % 20 + 1);
    cats += "]";
    std::string kids = "[";
    const int nk = company ? static_cast<int>(rnd() % 4) : 0;
    for (int k = 0; k < nk; ++k) kids += (k != 0 ? ", " : "") + std::to_string(rnd() % 50000 + 1);
    kids += "]";
    std::snprintf(buf, sizeof buf,
                  "{\"id\": %d, \"name\": \"%s %s %d\", \"email\": %s, \"phone\": %s, \"is_company\": %s, \"parent_id\": %s, "
                  "\"country_id\": [%d, \"%s\"], \"category_id\": %s, \"child_ids\": %s, \"type\": \"%s\", "
                  "\"street\": \"%d Main Street\", \"city\": \"Springfield\", \"zip\": \"%05d\", \"ref\": false, "
                  "\"active\": true, \"create_date\": \"2026-11-%02d 06:01:%02d\", \"write_date\": \"2026-11-22 %02d:%02d:%02d\", "
                  "\"credit_limit\": %d.%d}",
                  id, f, l, id, email.c_str(), phone.c_str(), company ? "true" : "false", parent.c_str(), 233 - c, countries[c],
                  cats.c_str(), kids.c_str(), rnd() % 4 == 0 ? "invoice" : "contact", static_cast<int>(rnd() % 999),
                  static_cast<int>(rnd() % 99999), static_cast<int>(rnd() % 28 + 1), static_cast<int>(rnd() % 60),
                  static_cast<int>(rnd() % 24), static_cast<int>(rnd() % 60), static_cast<int>(rnd() % 60),
                  static_cast<int>(rnd() % 10000), static_cast<int>(rnd() % 10));
    s += buf;
  }
  s += "]";
  return s;
}


/// A `/proc/self/status` figure in kB (`VmRSS:`, `VmHWM:`), -1 when absent.
inline long status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
  return -1;
}

#if defined(ODOOLINK_HAVE_NLOHMANN)
template <class T>
inline void nl_text(const nlohmann::json& v, T& out) {
  if (v.is_string()) out = T(v.get<std::string>());
  else out = T();
}
template <class M>
inline void nl_m2o(const nlohmann::json& v, M& out) {
  if (!v.is_array()) return;
  out.id = v[0].get<std::int64_t>();
  if (v[1].is_string()) out.name = v[1].get<std::string>();
}
inline std::optional<m::datetime> nl_datetime(const nlohmann::json& v) {
  if (!v.is_string()) return std::nullopt;
  auto t = json::parse_datetime(v.get_ref<const std::string&>());
  return t ? std::optional<m::datetime>(t.value()) : std::nullopt;
}

/// The nlohmann baseline: the parsed result array into owning records.
inline void extract_partners(const nlohmann::json& rows, std::vector<partner_owned>& out) {
out.reserve(rows.size());
for (const auto& e : rows) {
    partner_owned& p = out.emplace_back();
    p.id = e.at("id").get<std::int64_t>();
    p.name = e.at("name").get<std::string>();
    nl_text(e.at("email"), p.email);
    nl_text(e.at("phone"), p.phone);
    p.is_company = e.at("is_company").get<bool>();
    nl_m2o(e.at("parent_id"), p.parent_id);
    nl_m2o(e.at("country_id"), p.country_id);
    for (const auto& x : e.at("category_id")) p.category_id.push_back(x.get<std::int64_t>());
    for (const auto& x : e.at("child_ids")) p.child_ids.push_back(x.get<std::int64_t>());
    p.type = m::from_string<res_partner::type_value>(e.at("type").get_ref<const std::string&>());
    nl_text(e.at("street"), p.street);
    nl_text(e.at("city"), p.city);
    nl_text(e.at("zip"), p.zip);
    nl_text(e.at("ref"), p.ref);
    p.active = e.at("active").get<bool>();
    p.create_date = nl_datetime(e.at("create_date"));
    p.write_date = nl_datetime(e.at("write_date"));
    p.credit_limit = e.at("credit_limit").get<double>();
  }
}
#endif

}  // namespace bench
