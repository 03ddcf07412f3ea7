// Odoo domains (prefix notation) evaluated on the fake's records.

#include <algorithm>
#include <cctype>
#include <set>

#include "testing/fake/orm.hpp"
#include "testing/fake/python_repr.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
namespace {

const std::set<std::string, std::less<>> operators = {
    "=", "!=", "<>", "<", "<=", ">", ">=", "in", "not in", "like", "not like", "ilike", "not ilike",
    "=like", "=ilike", "child_of", "parent_of", "any", "not any", "=?"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// SQL LIKE: % any run, _ one character.
bool like(std::string_view text, std::string_view pattern) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '%') {
    for (std::size_t i = 0; i <= text.size(); ++i)
      if (like(text.substr(i), pattern.substr(1))) return true;
    return false;
  }
  if (text.empty()) return false;
  if (pattern[0] == '_' || pattern[0] == text[0]) return like(text.substr(1), pattern.substr(1));
  return false;
}

bool is_leaf(const json::value& t) {
  return t.is_array() && t.as_array().size() == 3 && (t.as_array()[0].is_string() || t.as_array()[0].is_int());
}

std::string leaf_text(const json::value& leaf) {
  std::string out = "(";
  const auto& a = leaf.as_array();
  for (std::size_t i = 0; i < a.size(); ++i) out += (i ? ", " : "") + python_repr(a[i]);
  return out + ")";
}

int compare(const json::value& a, const json::value& b) {  // -1, 0, 1; 2 = incomparable
  if (a.is_number() && b.is_number()) return a.as_double() < b.as_double() ? -1 : (a.as_double() > b.as_double() ? 1 : 0);
  if (a.is_string() && b.is_string()) {
    const int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.is_bool() && b.is_bool()) return a.as_bool() == b.as_bool() ? 0 : (a.as_bool() ? 1 : -1);
  return 2;
}

bool empty_value(const json::value& v) {
  return v.is_null() || (v.is_bool() && !v.as_bool()) || (v.is_array() && v.as_array().empty());
}

struct evaluator {
  const database& db;

  std::vector<std::int64_t> ids_of(const json::value& v) const {
    std::vector<std::int64_t> out;
    if (v.is_int()) out.push_back(v.as_int());
    if (v.is_array())
      for (const auto& e : v.as_array())
        if (e.is_int()) out.push_back(e.as_int());
    return out;
  }

  // Ids reached from `id` through relational field `f` of `model`.
  std::vector<std::int64_t> related(std::string_view model, std::int64_t id, const field_def& f) const {
    if (f.type == "many2one") return ids_of(db.field_value(model, id, f));
    return db.x2many_ids(model, id, f);
  }

  std::set<std::int64_t> ancestors_or_self(std::string_view model, std::int64_t id) const {
    std::set<std::int64_t> seen;
    const field_def* parent = db.get(model).def.field("parent_id");
    while (id > 0 && seen.insert(id).second && parent != nullptr) {
      const json::value v = db.field_value(model, id, *parent);
      id = v.is_int() ? v.as_int() : 0;
    }
    return seen;
  }

  bool name_matches(std::string_view comodel, std::int64_t id, std::string_view op, const json::value& x) const {
    if (!x.is_string()) return false;
    const std::string name = db.display_name(comodel, id);
    if (op == "=" || op == "in") return name == x.as_string();
    if (op == "ilike") return lower(name).find(lower(x.as_string())) != std::string::npos;
    if (op == "like") return name.find(x.as_string()) != std::string::npos;
    return false;
  }

  bool scalar(const json::value& v, std::string_view op, const json::value& x) const {
    if (op == "=" || op == "=?") return empty_value(x) ? empty_value(v) : compare(v, x) == 0;
    if (op == "!=" || op == "<>") return empty_value(x) ? !empty_value(v) : compare(v, x) != 0;
    if (op == "<") return compare(v, x) == -1;
    if (op == "<=") return compare(v, x) == -1 || compare(v, x) == 0;
    if (op == ">") return compare(v, x) == 1;
    if (op == ">=") return compare(v, x) == 1 || compare(v, x) == 0;
    if (op == "in" || op == "not in") {
      bool found = false;
      const json::array list = x.is_array() ? x.as_array() : json::array{x};
      for (const auto& e : list)
        if (empty_value(e) ? empty_value(v) : compare(v, e) == 0) found = true;
      return op == "in" ? found : !found;
    }
    if (!v.is_string()) return op.substr(0, 4) == "not ";
    const std::string pat = x.is_string() ? x.as_string() : std::string();
    if (op == "like") return v.as_string().find(pat) != std::string::npos;
    if (op == "not like") return v.as_string().find(pat) == std::string::npos;
    if (op == "ilike") return lower(v.as_string()).find(lower(pat)) != std::string::npos;
    if (op == "not ilike") return lower(v.as_string()).find(lower(pat)) == std::string::npos;
    if (op == "=like") return like(v.as_string(), pat);
    if (op == "=ilike") return like(lower(v.as_string()), lower(pat));
    return false;
  }

  bool relational(std::string_view model, std::int64_t id, const field_def& f, std::string_view op,
                  const json::value& x) const {
    const std::vector<std::int64_t> targets = related(model, id, f);
    if (op == "any" || op == "not any") {
      bool any = std::any_of(targets.begin(), targets.end(),
                             [&](std::int64_t t) { return matches(db, f.relation, t, x); });
      return op == "any" ? any : !any;
    }
    if (op == "child_of" || op == "parent_of") {
      const std::vector<std::int64_t> wanted = ids_of(x);
      for (std::int64_t t : targets) {
        if (op == "child_of") {
          auto up = ancestors_or_self(f.relation, t);
          for (auto w : wanted)
            if (up.count(w)) return true;
        } else {
          for (auto w : wanted)
            if (ancestors_or_self(f.relation, w).count(t)) return true;
        }
      }
      return false;
    }
    const bool negative = op == "!=" || op == "<>" || op == "not in" || op == "not like" || op == "not ilike";
    std::string_view positive = op;
    if (op == "!=" || op == "<>") positive = "=";
    else if (negative) positive = op.substr(4);  // "not in" -> "in"
    bool hit = false;
    if (empty_value(x) && (positive == "=")) {
      hit = targets.empty();
    } else {
      const json::array list = x.is_array() ? x.as_array() : json::array{x};
      for (std::int64_t t : targets)
        for (const auto& e : list) {
          if (e.is_int() && (positive == "=" || positive == "in") && e.as_int() == t) hit = true;
          if (e.is_string() && name_matches(f.relation, t, positive, e)) hit = true;
        }
    }
    return negative ? !hit : hit;
  }

  bool leaf(std::string_view model, std::int64_t id, const json::array& l) const {
    if (l[0].is_int()) return compare(l[0], l[2]) == 0;  // (1, '=', 1) and (0, '=', 1)
    const std::string& path = l[0].as_string();
    const std::string op = lower(l[1].as_string());
    const std::size_t dot = path.find('.');
    const std::string head = path.substr(0, dot);
    const table& t = db.get(model);
    const field_def* f = t.def.field(head);
    if (f == nullptr) return false;
    if (dot != std::string::npos) {
      if (!f->is_relational()) return false;
      const json::value rest = json::array{path.substr(dot + 1), l[1], l[2]};
      for (std::int64_t r : related(model, id, *f))
        if (leaf(f->relation, r, rest.as_array())) return true;
      return false;
    }
    if (head == "id") {
      const json::value self = id;
      if (op == "child_of" || op == "parent_of") {
        for (auto w : ids_of(l[2]))
          if (op == "child_of" ? ancestors_or_self(model, id).count(w) : ancestors_or_self(model, w).count(id))
            return true;
        return false;
      }
      return scalar(self, op, l[2]);
    }
    if (f->is_relational()) return relational(model, id, *f, op, l[2]);
    return scalar(db.field_value(model, id, *f), op, l[2]);
  }

  // Evaluates the expression starting at pos (prefix notation).
  bool expr(std::string_view model, std::int64_t id, const json::array& d, std::size_t& pos) const {
    if (pos >= d.size()) return true;
    const json::value& t = d[pos++];
    if (t.is_string()) {
      if (t.as_string() == "!") return !expr(model, id, d, pos);
      const bool a = expr(model, id, d, pos);
      const bool b = expr(model, id, d, pos);
      return t.as_string() == "|" ? (a || b) : (a && b);
    }
    return leaf(model, id, t.as_array());
  }
};

void check_leaf(const database& db, std::string_view model, const json::value& leaf) {
  const auto& l = leaf.as_array();
  if (!l[1].is_string() || operators.count(lower(l[1].as_string())) == 0)
    raise("builtins.ValueError", "Invalid leaf " + leaf_text(leaf));
  if (l[0].is_int()) return;
  std::string_view rest = l[0].as_string();
  std::string current(model);
  while (true) {
    const std::size_t dot = rest.find('.');
    const std::string head(rest.substr(0, dot));
    const field_def* f = db.get(current).def.field(head);
    if (f == nullptr) {
      const bool v19 = db.options().major_version >= 19;
      raise("builtins.ValueError", "Invalid field " + current + "." + head + (v19 ? " in condition " : " in leaf ") +
                                       leaf_text(leaf));
    }
    if (dot == std::string_view::npos) break;
    if (!f->is_relational() || !db.knows(f->relation))
      raise("builtins.ValueError", "Invalid path " + std::string(l[0].as_string()) + " in leaf " + leaf_text(leaf));
    current = f->relation;
    rest = rest.substr(dot + 1);
  }
  const std::string op = lower(l[1].as_string());
  if (op == "any" || op == "not any") {
    // Odoo 16 has no such operator and trips over the list it takes.
    if (db.options().major_version < 17) raise("builtins.TypeError", "unhashable type: 'list'");
    const field_def* f = db.get(current).def.field(std::string(rest));
    if (!f->is_relational()) raise("builtins.ValueError", "Invalid leaf " + leaf_text(leaf));
    check_domain(db, f->relation, l[2]);
  }
}

}  // namespace

void check_domain(const database& db, std::string_view model, const json::value& domain) {
  if (domain.is_null() || (domain.is_bool() && !domain.as_bool())) return;
  if (!domain.is_array()) raise("builtins.ValueError", "Invalid domain " + python_repr(domain));
  std::size_t need = 1;  // operands still expected
  for (const auto& t : domain.as_array()) {
    if (need == 0) need = 1;  // implicit '&' between top-level terms
    if (t.is_string()) {
      const std::string& s = t.as_string();
      if (s == "!") continue;
      if (s != "&" && s != "|") raise("builtins.ValueError", "Invalid leaf " + python_repr(t));
      ++need;
      continue;
    }
    if (!is_leaf(t)) raise("builtins.ValueError", "Invalid leaf " + python_repr(t));
    check_leaf(db, model, t);
    --need;
  }
  if (need > 1) raise("builtins.ValueError", "Invalid domain " + python_repr(domain) + ": missing operands");
}

bool matches(const database& db, std::string_view model, std::int64_t id, const json::value& domain) {
  if (!domain.is_array()) return true;
  const json::array& d = domain.as_array();
  evaluator e{db};
  std::size_t pos = 0;
  while (pos < d.size())  // consecutive terms are and-ed
    if (!e.expr(model, id, d, pos)) return false;
  return true;
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
