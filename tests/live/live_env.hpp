#pragma once
// Live tests talk to a real Odoo named by ODOOLINK_TEST_* variables and skip
// (CTest reports "Skipped") when they are not set.

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "odoolink/client/client.hpp"

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

/// Options for `p`: the API key for JSON-2, the password otherwise.
inline client::client_options options_for(const live_server& s, client::protocol_kind p) {
  client::client_options o{.url = s.url, .database = s.database, .login = s.user, .password = s.password, .protocol = p};
  if (p == client::protocol_kind::json2) {
    o.password.clear();
    o.api_key = s.api_key;
  }
  return o;
}

/// The protocols this server and these credentials allow (JSON-2 with an API key on Odoo 19+).
inline std::vector<client::protocol_kind> protocols_offered(const live_server& s) {
  using client::protocol_kind;
  std::vector<protocol_kind> out{protocol_kind::jsonrpc, protocol_kind::web_session};
#if defined(ODOOLINK_HAS_XMLRPC)
  out.push_back(protocol_kind::xmlrpc);
#endif
  if (!s.api_key.empty()) {
    auto probe = client::client::connect(options_for(s, protocol_kind::jsonrpc));
    if (probe && probe.value().info().version.has_json2()) out.push_back(protocol_kind::json2);
  }
  return out;
}

}  // namespace odoolink::test
