#include "odoolink/contract/serializer.hpp"

#include "formats.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace serialization {

void to_odoo(json::value& out, std::chrono::year_month_day v) { out = detail::format_date(v); }

void to_odoo(json::value& out, std::chrono::sys_seconds v) {
  out = detail::format_rfc3339(std::chrono::time_point_cast<std::chrono::microseconds>(v));
}

result<void> from_odoo(const json::value& in, std::chrono::year_month_day& v) {
  if (!in.is_string() || !detail::parse_date(in.as_string(), v)) return type_error("a date \"YYYY-MM-DD\"");
  return success();
}

result<void> from_odoo(const json::value& in, std::chrono::sys_seconds& v) {
  std::chrono::sys_time<std::chrono::microseconds> t;
  if (!in.is_string() || !detail::parse_datetime(in.as_string(), t)) return type_error("an RFC 3339 date-time");
  v = std::chrono::floor<std::chrono::seconds>(t);
  return success();
}

}  // namespace serialization
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
