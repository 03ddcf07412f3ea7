// The default record (`M::record`, every field optional) of each of the 27
// shipped models, read through the typed proxy from a real Odoo of the
// series the generated namespace was made for, on every protocol the
// server speaks. Shared by one test file per series.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <vector>

#include "all_models.hpp"
#include "live/live_env.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/model/model.hpp"
#include "support/error_of.hpp"

namespace models_live {
using namespace odoolink;
namespace m = odoolink::model;

// A client on every protocol the server and the credentials allow.
inline std::vector<client::client> every_protocol(const test::live_server& s) {
  std::vector<client::client> out;
  for (auto p : test::protocols_offered(s)) {
    auto c = client::client::connect(test::options_for(s, p));
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    out.push_back(std::move(c).value());
  }
  return out;
}

// Reads up to 5 records of `M` with its default record; a model whose
// module is not installed is reported and left out.
template <class M>
void read_default_record(client::client& c, int& read, int& absent) {
  const std::string model(M::odoo_model);
  INFO("model: " << model);
  auto known = c.server_fields().get(c, model);
  if (!known && known.error() == odoo_errc::unknown_model) {
    MESSAGE(model << " is not installed on this server: left out");
    ++absent;
    return;
  }
  REQUIRE_MESSAGE(known.has_value(), odoolink::test::error_of(known).describe());
  auto rows = m::proxy<M>(c).template search_read<typename M::record>({}, {.limit = 5, .order = "id"});
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  for (const auto& r : rows.value()) CHECK(r.id > 0);
  ++read;
}

template <class... M>
void read_all(client::client& c, std::tuple<M...>* /*unused*/) {
  int read = 0, absent = 0;
  (read_default_record<M>(c, read, absent), ...);
  MESSAGE(client::to_string(c.info().protocol) << ": " << read << " models read, " << absent << " not installed");
  CHECK(read + absent == static_cast<int>(sizeof...(M)));
  // The point-of-sale day the suite needs: partners, products, orders.
  CHECK(read >= 20);
}

// Runs the check when the server is of `series`; says so and returns otherwise.
template <class Models>
void check_series(int series) {
  auto s = test::live_or_skip();
  if (!s) return;
  auto clients = every_protocol(*s);
  if (clients.front().info().version.major != series) {
    MESSAGE("SKIPPED: the server runs Odoo " << clients.front().info().version.major << ", not " << series);
    return;
  }
  for (auto& c : clients) {
    INFO("protocol: " << client::to_string(c.info().protocol));
    read_all(c, static_cast<Models*>(nullptr));
  }
}

}  // namespace models_live
