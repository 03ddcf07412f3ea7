#pragma once
/// @file
/// Report PDFs as the web client prints them: `/report/pdf/<report>/<ids>`.
/// Odoo serves reports only to a logged-in web session (they are pages, not
/// RPC methods), so these need a client speaking `protocol_kind::web_session`.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

/// Prints records `ids` with the QWeb report `report_name` (the report's
/// technical name, e.g. `sale.report_saleorder`) and returns the PDF. An
/// expired session is logged in again once, as for calls.
/// Errors: protocol_errc::unsupported_call (the client does not speak
/// `web_session`, or a bad report name or no ids);
/// protocol_errc::unexpected_content_type (the answer is not a PDF: an
/// error page, naming the HTTP status and content type);
/// odoo_errc::session_expired (the server still asks for a login after a
/// fresh one); the Odoo fault when the server answers a JSON error; as
/// `client::connect`; transport errors.
/// @par Thread Safety  As the client: one thread at a time per connection.
[[nodiscard]] result<std::vector<std::byte>> download_report(client& c, std::string_view report_name,
                                                             std::span<const std::int64_t> ids);

/// As above, writing the PDF to `file` (created or truncated); returns its
/// size. Errors: as above, plus std::errc::io_error naming the file.
[[nodiscard]] result<std::size_t> download_report(client& c, std::string_view report_name,
                                                  std::span<const std::int64_t> ids, const std::filesystem::path& file);

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
