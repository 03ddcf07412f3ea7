#pragma once
// Calls a server's series cannot run, refused before they are sent with a
// message that names what they need: Odoo's own answers name nothing (Odoo 16
// meets an `any` leaf with "unhashable type: 'list'").

#include "odoolink/client/server_version.hpp"
#include "odoolink/error.hpp"
#include "odoolink/protocol/call.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client::detail {

/// protocol_errc::unsupported_call when `c` needs a later series than `v`
/// (today: the domain operators `any` and `not any`, Odoo 17+). A version not
/// known yet (major 0) lets every call through.
[[nodiscard]] result<void> check_series(const protocol::call& c, const server_version& v);

}  // namespace client::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
