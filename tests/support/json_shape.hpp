#pragma once
// Compares two JSON documents by shape: same kinds, same object keys, all
// the way down; values themselves are not compared. `false` (Odoo's empty
// value) stands for any value and an empty list for any list, since those
// depend on the data, not on the server's behaviour.

#include <algorithm>
#include <string>

#include "odoolink/json/value.hpp"

namespace odoolink::test {

/// "" when `got` has the shape of `want`; else where and how they differ.
/// With `subset`, `got` may lack keys `want` has.
inline std::string shape_diff(const json::value& want, const json::value& got, const std::string& at, bool subset = false) {
  auto is_false = [](const json::value& v) { return v.is_bool() && !v.as_bool(); };
  if (is_false(want) || is_false(got)) return {};  // Odoo's empty value stands for any type
  if (want.type() != got.type())
    return at + ": type " + std::to_string(static_cast<int>(want.type())) + " expected, " +
           std::to_string(static_cast<int>(got.type())) + " got";
  if (want.is_array()) {
    const auto& w = want.as_array();
    const auto& g = got.as_array();
    if (w.empty() || g.empty()) return {};
    bool tuple = false;
    for (const auto& e : w) tuple = tuple || e.type() != w[0].type();
    if (tuple) {  // [id, "name"] and the like: position by position
      if (w.size() != g.size()) return at + ": tuple of " + std::to_string(w.size()) + " expected, " + std::to_string(g.size());
      for (std::size_t i = 0; i < w.size(); ++i)
        if (auto d = shape_diff(w[i], g[i], at + "/" + std::to_string(i)); !d.empty()) return d;
      return {};
    }
    for (std::size_t i = 0; i < g.size(); ++i)
      if (auto d = shape_diff(w[std::min(i, w.size() - 1)], g[i], at + "/" + std::to_string(i)); !d.empty()) return d;
    return {};
  }
  if (want.is_object()) {
    for (const auto& [k, v] : want.as_object())
      if (got.find(k) == nullptr && !subset) return at + ": key '" + k + "' missing";
    for (const auto& [k, v] : got.as_object())
      if (want.find(k) == nullptr) return at + ": key '" + k + "' unexpected";
    for (const auto& [k, v] : want.as_object())
      if (got.find(k) != nullptr)
        if (auto d = shape_diff(v, *got.find(k), at + "/" + k, subset); !d.empty()) return d;
  }
  return {};
}

}  // namespace odoolink::test
