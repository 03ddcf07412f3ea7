#pragma once
// Live tests talk to a real Odoo named by ODOOLINK_TEST_* variables and skip
// (CTest reports "Skipped") when they are not set.

#include <cstdlib>
#include <optional>
#include <string>

#include <doctest/doctest.h>

namespace odoolink::test {

struct live_server {
  std::string url, database, user, password, api_key;
};

inline std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

/// The server to test against, or nullopt after printing the skip line.
inline std::optional<live_server> live_or_skip() {
  live_server s{env_or_empty("ODOOLINK_TEST_URL"), env_or_empty("ODOOLINK_TEST_DB"),
                env_or_empty("ODOOLINK_TEST_USER"), env_or_empty("ODOOLINK_TEST_PASSWORD"),
                env_or_empty("ODOOLINK_TEST_API_KEY")};
  if (s.url.empty() || s.database.empty() || s.user.empty() || s.password.empty()) {
    MESSAGE("SKIPPED: set ODOOLINK_TEST_URL, ODOOLINK_TEST_DB, ODOOLINK_TEST_USER and ODOOLINK_TEST_PASSWORD "
            "(and ODOOLINK_TEST_API_KEY for JSON-2) to run the live tests against a real Odoo");
    return std::nullopt;
  }
  return s;
}

}  // namespace odoolink::test
