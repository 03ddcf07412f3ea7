#pragma once
// What the fake server holds besides its database: web sessions, fault
// rules and counters. Guarded by `mutex` (the listener thread calls send).

#include <map>
#include <mutex>
#include <string>

#include "odoolink/testing/fake_odoo.hpp"
#include "testing/fake/orm.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing {

struct fake_odoo::state {
  explicit state(const fake_options& o) : options(o), db(o) {}

  fake_options options;
  fake::database db;
  std::map<std::string, std::int64_t> sessions;  // session id → uid
  std::uint64_t next_session = 1;
  struct rule {
    fake_fault fault;
    std::size_t seen = 0;
    std::size_t fired = 0;
  };
  std::vector<rule> faults;
  bool lose_response = false;  // set by a lost_response fault during the current request
  fake_stats stats;
  std::recursive_mutex mutex;
};

namespace fake {

/// Thrown by a fault that answers with a bare HTTP status.
struct http_fault {
  int status;
};

/// Applies the fault rules to one ORM call (or, with empty model/method,
/// to any request). May sleep, set `lose_response`, throw `http_fault`,
/// or raise the serialization failure.
void apply_faults(fake_odoo::state& s, std::string_view model, std::string_view method);

/// Runs one ORM call with faults and counters.
json::value run_call(fake_odoo::state& s, const fake_call& call);

/// Answers `/report/<converter>/<report>/<ids>` for the user of web
/// session `uid` (0: no session: a redirect to the login page, as Odoo
/// answers a page that needs a login).
http_response report_route(fake_odoo::state& s, std::string_view target, std::int64_t uid);

/// Answers one HTTP request.
http_response route(fake_odoo::state& s, const http_request& request);

}  // namespace fake
}  // namespace testing
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
