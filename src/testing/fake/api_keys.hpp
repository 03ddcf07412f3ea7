#pragma once
// API keys in the fake server, as Odoo 17-19 hand them out: the
// `res.users.apikeys.description` wizard's `make_key` and the keys'
// `remove`, both behind the identity check (`res.users.identitycheck`:
// write the password, then `run_check`), and keys that expire.

#include <optional>
#include <string_view>

#include "odoolink/json/value.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "testing/fake/orm.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

/// The models: `res.users.apikeys`, its description wizard and the identity
/// check, as Odoo `series` has them (expiry fields from 18 on).
[[nodiscard]] std::vector<model_def> api_key_models(int series);

/// Runs `make_key`, `remove` and `run_check` on those models; nullopt for
/// any other call.
[[nodiscard]] std::optional<json::value> api_key_method(database& db, const fake_call& call);

/// The user a generated key belongs to while it is neither removed nor
/// expired; nullptr otherwise.
[[nodiscard]] const fake_user* user_of_generated_key(const database& db, std::string_view key);

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
