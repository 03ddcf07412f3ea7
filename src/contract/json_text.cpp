#include <algorithm>

#include "engine.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {

void write_canonical(std::string& out, const json::value& v) {
  switch (v.type()) {
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v.as_array()) {
        if (!first) out.push_back(',');
        first = false;
        write_canonical(out, e);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object: {
      std::vector<const json::member*> members;
      members.reserve(v.as_object().size());
      for (const auto& m : v.as_object()) members.push_back(&m);
      std::stable_sort(members.begin(), members.end(), [](const json::member* a, const json::member* b) { return a->first < b->first; });
      out.push_back('{');
      bool first = true;
      for (const auto* m : members) {
        if (!first) out.push_back(',');
        first = false;
        json::write_string(out, m->first);
        out.push_back(':');
        write_canonical(out, m->second);
      }
      out.push_back('}');
      return;
    }
    default: json::write(out, v);
  }
}

void write_pretty(std::string& out, const json::value& v, int indent) {
  const auto newline = [&out](int n) {
    out.push_back('\n');
    out.append(static_cast<std::size_t>(n), ' ');
  };
  switch (v.type()) {
    case json::kind::array: {
      const auto& a = v.as_array();
      // Short lists of scalars stay on one line (enum values, ids).
      const bool flat = std::none_of(a.begin(), a.end(), [](const json::value& e) { return e.is_array() || e.is_object(); });
      if (a.empty() || flat) {
        json::write(out, v);
        return;
      }
      out.push_back('[');
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i != 0) out.push_back(',');
        newline(indent + 2);
        write_pretty(out, a[i], indent + 2);
      }
      newline(indent);
      out.push_back(']');
      return;
    }
    case json::kind::object: {
      const auto& o = v.as_object();
      if (o.empty()) {
        out.append("{}");
        return;
      }
      out.push_back('{');
      for (std::size_t i = 0; i < o.size(); ++i) {
        if (i != 0) out.push_back(',');
        newline(indent + 2);
        json::write_string(out, o[i].first);
        out.append(": ");
        write_pretty(out, o[i].second, indent + 2);
      }
      newline(indent);
      out.push_back('}');
      return;
    }
    default: json::write(out, v);
  }
}

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
