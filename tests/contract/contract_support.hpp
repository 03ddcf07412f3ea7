#pragma once
// Test support of the contract suite: reading files, the shipped contracts.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "odoolink/contract/contract.hpp"
#include "odoolink/json/parse.hpp"
#include "support/error_of.hpp"

namespace odoolink::test {

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::filesystem::path fixtures() { return ODOOLINK_FIXTURES_DIR; }
/// The example contracts shipped with the project (contracts/ at the top).
inline std::filesystem::path shipped_contracts() { return fixtures().parent_path().parent_path() / "contracts"; }

inline json::value parse_json(const std::string& text) {
  auto v = json::parse(text);
  REQUIRE_MESSAGE(v.has_value(), text);
  return std::move(v).value();
}

inline contract::contract load(const std::string& text) {
  auto c = contract::contract::parse(text);
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).message());
  return std::move(c).value();
}

inline contract::contract load_doc(const json::value& doc) {
  auto c = contract::contract::from_json(doc);
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).message());
  return std::move(c).value();
}

inline contract::contract shipped(const std::string& subject, const std::string& version = "1.0.0") {
  return load(read_text(shipped_contracts() / subject / (version + ".json")));
}

/// `doc.fields.<name>` (nested names separated by '/': "lines/items/fields/qty").
inline json::value& spec(json::value& doc, const std::string& path) {
  json::value* cur = doc.find("fields");
  REQUIRE(cur != nullptr);
  std::size_t start = 0;
  while (true) {
    const auto slash = path.find('/', start);
    const std::string key = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    cur = cur->find(key);
    REQUIRE_MESSAGE(cur != nullptr, path);
    if (slash == std::string::npos) return *cur;
    start = slash + 1;
  }
}

/// Removes member `key` of an object.
inline void erase(json::value& obj, const std::string& key) {
  auto& o = obj.as_object();
  o.erase(std::remove_if(o.begin(), o.end(), [&](const json::member& m) { return m.first == key; }), o.end());
}

}  // namespace odoolink::test
