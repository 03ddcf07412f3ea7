#include "testing/fake/python_repr.hpp"

#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

std::string python_repr(const json::value& v) {
  switch (v.type()) {
    case json::kind::null: return "None";
    case json::kind::boolean: return v.as_bool() ? "True" : "False";
    case json::kind::integer:
    case json::kind::number: return json::to_string(v);
    case json::kind::string: {
      std::string out = "'";
      for (char c : v.as_string()) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
      }
      return out + "'";
    }
    case json::kind::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.as_array().size(); ++i) out += (i ? ", " : "") + python_repr(v.as_array()[i]);
      return out + "]";
    }
    case json::kind::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, x] : v.as_object()) {
        out += (first ? "" : ", ") + python_repr(json::value(k)) + ": " + python_repr(x);
        first = false;
      }
      return out + "}";
    }
  }
  return "None";
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
