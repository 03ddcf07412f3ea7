// Compatibility: the "reader" version must accept every payload of the
// "writer" version. Backward: reader = new, writer = old; forward: the
// reverse. Changes are named from old to new either way.
#include "odoolink/contract/compatibility.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine.hpp"
#include "model.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace {

using detail::node;

enum class direction { backward, forward };

bool wider_type(field_type reader, field_type writer) noexcept {
  if (reader == writer) return true;
  switch (reader) {
    case field_type::number: return writer == field_type::integer;
    case field_type::decimal: return writer == field_type::integer || writer == field_type::number;
    case field_type::string:
      return writer == field_type::enumeration || writer == field_type::date || writer == field_type::datetime;
    default: return false;
  }
}

std::string join_values(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "\"" : ", \"") + v + "\"";
  return out;
}

std::int64_t digit_count(std::int64_t v) noexcept {
  std::uint64_t u = v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
  std::int64_t n = 1;
  while (u >= 10) {
    u /= 10;
    ++n;
  }
  return n;
}

class checker {
 public:
  checker(const contract& older, const contract& newer, std::vector<breaking_change>& out)
      : old_(older), new_(newer), out_(out) {}

  void run(direction d) {
    dir_ = d;
    objects(old_.internals().root, new_.internals().root, "");
  }

  // Changes of meaning, reported once whatever the mode (but NONE).
  void meaning() {
    if (old_.odoo_model() != new_.odoo_model())
      add(change_kind::mapping_changed, "",
          "the Odoo model changed from \"" + std::string(old_.odoo_model()) + "\" to \"" + std::string(new_.odoo_model()) + "\"");
    meaning_fields(old_.internals().root, new_.internals().root, "");
  }

 private:
  [[nodiscard]] std::string_view old_v() const { return old_.version(); }
  [[nodiscard]] std::string_view new_v() const { return new_.version(); }
  [[nodiscard]] std::string who_breaks() const {
    return dir_ == direction::backward
               ? "readers on " + std::string(new_v()) + " refuse payloads of " + std::string(old_v())
               : "readers on " + std::string(old_v()) + " refuse payloads of " + std::string(new_v());
  }

  void add(change_kind kind, const std::string& path, std::string message) {
    const auto same = [&](const breaking_change& c) { return c.kind == kind && c.path == path; };
    if (std::any_of(out_.begin(), out_.end(), same)) return;
    out_.push_back({kind, path, std::move(message), std::string(old_v())});
  }

  static std::string join(const std::string& prefix, std::string_view name) {
    return prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
  }

  void objects(const node& a, const node& b, const std::string& path) {
    const node& reader = dir_ == direction::backward ? b : a;
    const node& writer = dir_ == direction::backward ? a : b;
    if (reader.unknown == unknown_fields::reject && writer.unknown == unknown_fields::ignore)
      add(dir_ == direction::backward ? change_kind::unknown_fields_rejected : change_kind::unknown_fields_ignored, path,
          "unknown fields were ignored and are now rejected: " + who_breaks() + " that carry extra keys");
    for (const auto& fa : a.fields) {
      const std::string fpath = join(path, fa.name);
      const int ib = b.find(fa.name);
      if (ib < 0) {
        removed(fa, b, fpath);
      } else {
        field(fa, b.fields[static_cast<std::size_t>(ib)], fpath);
      }
    }
    for (const auto& fb : b.fields)
      if (a.find(fb.name) < 0) added(fb, a, join(path, fb.name));
  }

  void removed(const node& fa, const node& b_parent, const std::string& path) {
    if (dir_ == direction::backward) {
      if (b_parent.unknown == unknown_fields::reject)
        add(change_kind::field_removed, path, "field removed: " + who_breaks() + " that carry it (unknown field)");
    } else if (!fa.may_be_omitted()) {
      add(change_kind::field_removed, path, "required field removed: " + who_breaks() + ", which lack it");
    }
  }

  void added(const node& fb, const node& a_parent, const std::string& path) {
    if (dir_ == direction::backward) {
      if (!fb.may_be_omitted())
        add(change_kind::required_field_added, path, "required field added without default: " + who_breaks() + ", which lack it");
    } else if (a_parent.unknown == unknown_fields::reject) {
      add(change_kind::field_added, path, "field added: " + who_breaks() + " that carry it (unknown field)");
    }
  }

  void field(const node& a, const node& b, const std::string& path) {
    const node& reader = dir_ == direction::backward ? b : a;
    const node& writer = dir_ == direction::backward ? a : b;
    if (writer.may_be_omitted() && !reader.may_be_omitted())
      add(dir_ == direction::backward ? change_kind::made_required : change_kind::made_optional, path,
          std::string(dir_ == direction::backward ? "made required (no default)" : "made optional") + ": " + who_breaks() +
              " that omit it");
    if (writer.nullable && !reader.nullable)
      add(dir_ == direction::backward ? change_kind::nullable_removed : change_kind::nullable_added, path,
          std::string(dir_ == direction::backward ? "null no longer allowed" : "null now allowed") + ": " + who_breaks() +
              " holding null");
    value(a, b, path);
  }

  // Types and constraints: can `reader` hold every value `writer` allows?
  void value(const node& a, const node& b, const std::string& path) {
    const node& r = dir_ == direction::backward ? b : a;
    const node& w = dir_ == direction::backward ? a : b;
    if (!wider_type(r.type, w.type)) {
      if (wider_type(w.type, r.type)) {
        add(dir_ == direction::backward ? change_kind::type_narrowed : change_kind::type_widened, path,
            "type changed from " + std::string(to_string(a.type)) + " to " + std::string(to_string(b.type)) + ": " + who_breaks());
      } else {
        add(change_kind::type_changed, path,
            "type changed from " + std::string(to_string(a.type)) + " to " + std::string(to_string(b.type)) + ": " + who_breaks());
      }
      return;
    }
    const auto constraint = [&](const std::string& what) {
      add(dir_ == direction::backward ? change_kind::constraint_tightened : change_kind::constraint_loosened, path,
          what + ": " + who_breaks());
    };
    switch (r.type) {
      case field_type::string: strings(r, w, path, constraint); break;
      case field_type::integer:
        if (lower_raised(r.int_minimum, w.int_minimum)) constraint("minimum raised");
        if (upper_lowered(r.int_maximum, w.int_maximum)) constraint("maximum lowered");
        break;
      case field_type::number:
      case field_type::decimal: numbers(r, w, constraint); break;
      case field_type::enumeration: {
        std::vector<std::string> missing;
        for (const auto& v : w.values)
          if (std::find(r.values.begin(), r.values.end(), v) == r.values.end()) missing.push_back(v);
        if (!missing.empty())
          add(dir_ == direction::backward ? change_kind::enum_value_removed : change_kind::enum_value_added, path,
              std::string(dir_ == direction::backward ? "enum values removed: " : "enum values added: ") + join_values(missing) +
                  ": " + who_breaks());
        break;
      }
      case field_type::reference:
        if (r.reference != w.reference || r.by() != w.by())
          add(change_kind::type_changed, path,
              "reference changed from " + a.reference + " by " + std::string(to_string(a.by())) + " to " + b.reference + " by " +
                  std::string(to_string(b.by())) + ": " + who_breaks());
        break;
      case field_type::array:
        if (lower_raised(r.min_items, w.min_items)) constraint("min_items raised");
        if (upper_lowered(r.max_items, w.max_items)) constraint("max_items lowered");
        if (w.items->nullable && !r.items->nullable)
          add(dir_ == direction::backward ? change_kind::nullable_removed : change_kind::nullable_added, path + "[]",
              "null items no longer allowed (or newly allowed): " + who_breaks() + " holding null items");
        value(*a.items, *b.items, path + "[]");
        break;
      case field_type::object: objects(a, b, path); break;
      default: break;
    }
  }

  static bool lower_raised(const std::optional<std::int64_t>& r, const std::optional<std::int64_t>& w) {
    return r && (!w || *r > *w);
  }
  static bool upper_lowered(const std::optional<std::int64_t>& r, const std::optional<std::int64_t>& w) {
    return r && (!w || *r < *w);
  }

  template <class Report>
  void strings(const node& r, const node& w, const std::string& path, Report&& constraint) {
    if (w.type == field_type::enumeration) {
      // A closed list: check each value against the reader's string rules.
      for (const auto& v : w.values) {
        std::vector<violation> found;
        detail::check_value(r, json::value(v), "", found);
        if (!found.empty()) {
          constraint("enum value \"" + v + "\" is not a valid string of the new type (" + found.front().message + ")");
          return;
        }
      }
      return;
    }
    if (w.type != field_type::string) {
      // Dates and date-times are strings of known shapes; any string rule may refuse them.
      if (r.min_length || r.max_length || r.regex || r.format != string_format::none) constraint("string constraints added");
      return;
    }
    if (lower_raised(r.min_length, w.min_length)) constraint("min_length raised");
    if (upper_lowered(r.max_length, w.max_length)) constraint("max_length lowered");
    if (!r.pattern.empty() && r.pattern != w.pattern) constraint("pattern added or changed");
    if (r.format != string_format::none && r.format != w.format) constraint("format added or changed");
    (void)path;
  }

  template <class Report>
  void numbers(const node& r, const node& w, Report&& constraint) {
    const auto lo = [](const node& n) -> std::optional<double> {
      if (n.int_minimum) return static_cast<double>(*n.int_minimum);
      return n.minimum;
    };
    const auto hi = [](const node& n) -> std::optional<double> {
      if (n.int_maximum) return static_cast<double>(*n.int_maximum);
      return n.maximum;
    };
    const auto rl = lo(r);
    const auto wl = lo(w);
    const auto rh = hi(r);
    const auto wh = hi(w);
    if (rl && (!wl || *rl > *wl)) constraint("minimum raised");
    if (rh && (!wh || *rh < *wh)) constraint("maximum lowered");
    if (r.type != field_type::decimal) return;
    if (r.scale && w.type != field_type::integer && (!w.scale || *r.scale < *w.scale)) constraint("scale lowered");
    if (r.precision) {
      std::optional<std::int64_t> writer_digits = w.precision;
      if (w.type == field_type::integer && w.int_minimum && w.int_maximum)
        writer_digits = std::max(digit_count(*w.int_minimum), digit_count(*w.int_maximum));
      if (w.type == field_type::number) writer_digits.reset();
      if (!writer_digits || *r.precision < *writer_digits) constraint("precision lowered");
    }
  }

  void meaning_fields(const node& a, const node& b, const std::string& path) {
    for (const auto& fa : a.fields) {
      const int ib = b.find(fa.name);
      if (ib < 0) continue;
      meaning_field(fa, b.fields[static_cast<std::size_t>(ib)], join(path, fa.name));
    }
  }

  void meaning_field(const node& a, const node& b, const std::string& path) {
    if (!same_mapping(a.odoo, b.odoo))
      add(change_kind::mapping_changed, path, "Odoo mapping changed (" + describe_mapping(a) + " → " + describe_mapping(b) + ")");
    if (a.default_value != b.default_value || a.default_from != b.default_from) {
      add(change_kind::default_changed, path,
          "default changed from " + describe_default(a) + " to " + describe_default(b) + ": absent values change meaning");
    }
    if (a.pii && !b.pii) add(change_kind::pii_unflagged, path, "no longer marked pii: its values would reach logs and audit unredacted");
    if (a.type == b.type && a.type == field_type::object) meaning_fields(a, b, path);
    if (a.type == b.type && a.type == field_type::array && a.items && b.items) {
      const std::string ipath = path + "[]";
      if (a.items->pii && !b.items->pii) add(change_kind::pii_unflagged, ipath, "items no longer marked pii");
      if (a.items->type == field_type::object && b.items->type == field_type::object) meaning_fields(*a.items, *b.items, ipath);
    }
  }

  // Equal, or `b` only adds a fallback: values land where they did on every
  // server that has the field, and now also on a series that names it otherwise.
  static bool same_mapping(const detail::mapping& a, const detail::mapping& b) {
    if (a == b) return true;
    if (!a.fallback.empty() || b.fallback.empty()) return false;
    detail::mapping without = b;
    without.fallback.clear();
    return a == without;
  }

  static std::string describe_default(const node& n) {
    if (n.default_value) return json::to_string(*n.default_value);
    if (!n.default_from.empty()) return "the holding record's " + n.default_from;
    return "none";
  }

  static std::string describe_mapping(const node& n) {
    if (!n.odoo.present) return "unmapped";
    std::string out = n.odoo.field;
    if (!n.odoo.fallback.empty()) out += " (else " + n.odoo.fallback + ")";
    if (n.odoo.by != reference_by::value) out += " by " + std::string(to_string(n.odoo.by));
    if (!n.odoo.relation.empty()) out += " on " + n.odoo.relation;
    if (n.odoo.direction != mapping_direction::both) out += ", " + std::string(to_string(n.odoo.direction)) + " only";
    if (!n.odoo.values.empty()) out += ", value map";
    return out;
  }

  const contract& old_;
  const contract& new_;
  std::vector<breaking_change>& out_;
  direction dir_ = direction::backward;
};

}  // namespace

std::vector<breaking_change> check_compatibility(const contract& older, const contract& newer, compatibility_mode mode) {
  std::vector<breaking_change> out;
  if (mode == compatibility_mode::none) return out;
  if (older.subject() != newer.subject()) {
    out.push_back({change_kind::subject_changed, "",
                   "subjects differ: \"" + std::string(older.subject()) + "\" and \"" + std::string(newer.subject()) + "\"",
                   std::string(older.version())});
    return out;
  }
  checker c(older, newer, out);
  if (checks_backward(mode)) c.run(direction::backward);
  if (checks_forward(mode)) c.run(direction::forward);
  c.meaning();
  return out;
}

std::vector<breaking_change> check_compatibility(std::span<const contract> history, const contract& candidate,
                                                 compatibility_mode mode) {
  std::vector<breaking_change> out;
  if (history.empty() || mode == compatibility_mode::none) return out;
  const std::size_t first = is_transitive(mode) ? 0 : history.size() - 1;
  for (std::size_t i = first; i < history.size(); ++i) {
    auto changes = check_compatibility(history[i], candidate, mode);
    out.insert(out.end(), std::make_move_iterator(changes.begin()), std::make_move_iterator(changes.end()));
  }
  return out;
}

std::string describe(std::span<const breaking_change> changes) {
  std::string out;
  for (const auto& c : changes) {
    if (!out.empty()) out.push_back('\n');
    out += std::string(to_string(c.kind)) + " " + (c.path.empty() ? std::string("(contract)") : c.path) + ": " + c.message +
           " (against " + c.against + ")";
  }
  return out;
}

std::string_view to_string(change_kind k) noexcept {
  switch (k) {
    case change_kind::subject_changed: return "subject_changed";
    case change_kind::field_removed: return "field_removed";
    case change_kind::field_added: return "field_added";
    case change_kind::required_field_added: return "required_field_added";
    case change_kind::made_required: return "made_required";
    case change_kind::made_optional: return "made_optional";
    case change_kind::type_changed: return "type_changed";
    case change_kind::type_narrowed: return "type_narrowed";
    case change_kind::type_widened: return "type_widened";
    case change_kind::nullable_removed: return "nullable_removed";
    case change_kind::nullable_added: return "nullable_added";
    case change_kind::enum_value_removed: return "enum_value_removed";
    case change_kind::enum_value_added: return "enum_value_added";
    case change_kind::constraint_tightened: return "constraint_tightened";
    case change_kind::constraint_loosened: return "constraint_loosened";
    case change_kind::unknown_fields_rejected: return "unknown_fields_rejected";
    case change_kind::unknown_fields_ignored: return "unknown_fields_ignored";
    case change_kind::default_changed: return "default_changed";
    case change_kind::mapping_changed: return "mapping_changed";
    case change_kind::pii_unflagged: return "pii_unflagged";
  }
  return "unknown";
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
