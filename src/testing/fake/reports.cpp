// Report downloads in the fake server: `/report/pdf/<report>/<ids>` answers
// a small PDF naming the report and the records, for the reports of the
// shipped models Odoo has; the session rules are the web client's.

#include <array>
#include <utility>

#include "testing/fake/server_state.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
namespace {

// Report name → the model it prints.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> reports{{
    {"sale.report_saleorder", "sale.order"},
    {"account.report_invoice", "account.move"},
    {"purchase.report_purchaseorder", "purchase.order"},
    {"stock.report_deliveryslip", "stock.picking"},
}};

http_response page(int status, std::string_view type, std::string body) {
  http_response r;
  r.status = status;
  r.headers.push_back({"Content-Type", std::string(type)});
  r.body = std::move(body);
  return r;
}

http_response server_error(std::string_view why) {
  return page(500, "text/html; charset=utf-8",
              "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server "
              "Error</h1>\n<p>" + std::string(why) + "</p>\n");
}

}  // namespace

http_response report_route(fake_odoo::state& s, std::string_view target, std::int64_t uid) {
  if (uid == 0) {
    // A page behind a login, without a session: Odoo redirects to the login form.
    http_response r = page(303, "text/html; charset=utf-8",
                           "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n");
    r.headers.push_back({"Location", "/web/login?redirect=" + std::string(target)});
    return r;
  }
  std::string_view rest = target.substr(8);  // after "/report/"
  if (auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
  const std::size_t a = rest.find('/');
  const std::size_t b = a == std::string_view::npos ? a : rest.find('/', a + 1);
  if (b == std::string_view::npos) return server_error("report_routes() missing required arguments");
  const std::string_view converter = rest.substr(0, a);
  const std::string_view name = rest.substr(a + 1, b - a - 1);
  const std::string_view ids = rest.substr(b + 1);
  if (converter != "pdf" && converter != "html" && converter != "text")
    return server_error("Converter " + std::string(converter) + " not implemented.");
  std::string_view model;
  for (const auto& [report, m] : reports)
    if (report == name) model = m;
  if (model.empty() || !s.db.knows(model))
    return server_error("Report " + std::string(name) + " not found.");
  std::string listed;
  for (std::size_t at = 0; at <= ids.size();) {
    std::size_t end = ids.find(',', at);
    if (end == std::string_view::npos) end = ids.size();
    const std::string id_text(ids.substr(at, end - at));
    std::int64_t id = 0;
    try {
      id = std::stoll(id_text);
    } catch (const std::exception&) {
      return server_error("invalid literal for int() with base 10: '" + id_text + "'");
    }
    if (s.db.find_row(model, id) == nullptr)
      return server_error("Record does not exist or has been deleted. (Record: " + std::string(model) + "(" +
                          id_text + ",))");
    listed += (listed.empty() ? "" : ",") + id_text;
    at = end + 1;
  }
  std::string pdf = "%PDF-1.4\n% odoolink fake report " + std::string(name) + " " + listed + "\n";
  pdf += "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n";
  pdf += "trailer << /Root 1 0 R >>\n%%EOF\n";
  if (converter != "pdf") return page(200, "text/html; charset=utf-8", "<html><body>" + listed + "</body></html>");
  http_response r = page(200, "application/pdf", std::move(pdf));
  r.headers.push_back({"Content-Disposition", "inline; filename=\"report.pdf\""});
  return r;
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
