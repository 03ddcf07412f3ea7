#pragma once
// Model-layer test support: recorded responses as replies, and clients
// connected to the recorded Odoo 18 / 19 servers.

#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "odoolink/client/client.hpp"
#include "odoolink/protocol/json2.hpp"
#include "odoolink/protocol/jsonrpc.hpp"
#include "odoolink/testing/replay_transport.hpp"
#include "support/error_of.hpp"

namespace odoolink::test {

inline testing::recorded_exchange recorded(const std::string& file) {
  auto e = testing::parse_exchange(testing::detail::read_text(std::string(ODOOLINK_FIXTURES_DIR) + "/" + file), file);
  REQUIRE_MESSAGE(e.has_value(), file);
  return std::move(e).value();
}

/// The decoded result of a recorded exchange, as the client hands it over.
inline protocol::reply recorded_reply(const std::string& file) {
  auto e = recorded(file);
  auto r = e.protocol == "json2" ? protocol::json2::decode(e.response()) : protocol::jsonrpc::decode(e.response());
  REQUIRE_MESSAGE(r.has_value(), file << ": " << odoolink::test::error_of(r).describe());
  return std::move(r).value();
}

inline std::shared_ptr<testing::replay_transport> recordings(const std::string& version) {
  return std::make_shared<testing::replay_transport>(testing::load_exchanges(std::string(ODOOLINK_FIXTURES_DIR) + "/" + version));
}

/// A client on the recorded Odoo 18 server (JSON-RPC unless told otherwise).
inline client::client odoo18_client(std::shared_ptr<transport::http_transport> t,
                                    client::protocol_kind p = client::protocol_kind::jsonrpc) {
  auto c = client::client::connect(client::client_options{.url = "http://127.0.0.1:8069", .database = "odoolink",
                                                          .login = "admin", .password = "admin", .protocol = p,
                                                          .transport = std::move(t)});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  // Recordings answer the recorded calls only: typed reads send their views unchecked.
  c.value().server_fields().set_mode(client::field_check::trust);
  return std::move(c).value();
}

/// A client on the recorded Odoo 19 server over JSON-2.
inline client::client odoo19_client(std::shared_ptr<transport::http_transport> t) {
  auto c = client::client::connect(client::client_options{.url = "http://127.0.0.1:8069", .database = "odoolink19",
                                                          .api_key = "<API_KEY>", .transport = std::move(t)});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  c.value().server_fields().set_mode(client::field_check::trust);
  return std::move(c).value();
}

}  // namespace odoolink::test
