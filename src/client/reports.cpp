#include "odoolink/client/reports.hpp"

#include <fstream>
#include <string>
#include <system_error>

#include "odoolink/protocol/web.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {
namespace {

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && header_name_equals(text.substr(0, prefix.size()), prefix);
}

// A page behind a login answers a session-less request with a redirect to
// the login form (or, followed, the form itself).
bool asks_for_login(const http_response& r) {
  if (r.status >= 300 && r.status < 400) return r.header("Location").find("/web/login") != std::string_view::npos;
  // The login form posts to /web/login; other pages may merely link there.
  return r.status == 200 && starts_with_ci(r.header("Content-Type"), "text/html") &&
         r.body.find("action=\"/web/login\"") != std::string::npos;
}

bool valid_report_name(std::string_view name) {
  if (name.empty()) return false;
  for (char ch : name)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.'))
      return false;
  return true;
}

result<http_response> fetch_pdf(client& c, std::string_view report_name, std::span<const std::int64_t> ids) {
  const std::string what = "report " + std::string(report_name);
  if (!valid_report_name(report_name))
    return error(protocol_errc::unsupported_call, "a report name is a technical name such as sale.report_saleorder");
  if (ids.empty()) return error(protocol_errc::unsupported_call, what + ": no record ids to print");
  http_request r;
  r.method = "GET";
  r.target = "/report/pdf/" + std::string(report_name) + "/";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] <= 0) return error(protocol_errc::unsupported_call, what + ": record ids are positive");
    if (i > 0) r.target += ',';
    r.target += std::to_string(ids[i]);
  }
  r.idempotent = true;
  ODOOLINK_TRY(auto answer, c.send_in_session(std::move(r), &asks_for_login));
  if (asks_for_login(answer))
    return error(odoo_errc::session_expired, what + ": the server still asks for a login after a fresh one");
  const std::string_view type = answer.header("Content-Type");
  if (answer.status == 200 && starts_with_ci(type, "application/pdf") && answer.body.starts_with("%PDF-"))
    return answer;
  if (starts_with_ci(type, "application/json")) {
    // Odoo's JSON error shape; its message passes through the client's scrubber.
    auto fault = protocol::web::decode(std::move(answer));
    if (!fault) return c.scrubber().scrub(fault.error().with_context(what));
    return error(protocol_errc::unexpected_content_type, what + ": the server answered JSON, not a PDF");
  }
  return error(protocol_errc::unexpected_content_type,
               what + ": expected a PDF, the server answered HTTP " + std::to_string(answer.status) + " " +
                   (type.empty() ? std::string("without a content type") : std::string(type)) +
                   (answer.status == 200 && starts_with_ci(type, "application/pdf") ? " that does not start with %PDF-" : ""),
               answer.status);
}

}  // namespace

result<std::vector<std::byte>> download_report(client& c, std::string_view report_name,
                                               std::span<const std::int64_t> ids) {
  ODOOLINK_TRY(auto answer, fetch_pdf(c, report_name, ids));
  const auto* b = reinterpret_cast<const std::byte*>(answer.body.data());
  return std::vector<std::byte>(b, b + answer.body.size());
}

result<std::size_t> download_report(client& c, std::string_view report_name, std::span<const std::int64_t> ids,
                                    const std::filesystem::path& file) {
  ODOOLINK_TRY(auto answer, fetch_pdf(c, report_name, ids));
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
  out.close();
  if (!out) return error(std::make_error_code(std::errc::io_error), "cannot write " + file.string());
  return answer.body.size();
}

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
