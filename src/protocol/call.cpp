#include "odoolink/protocol/call.hpp"

#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/detail/json_body.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol {

json::value effective_kwargs(const call& c) {
  // Built through the streaming writer so the merge rule lives in one place.
  std::string text;
  json::writer w(text);
  detail::write_kwargs(w, c);
  auto parsed = json::parse(text);
  return parsed ? std::move(parsed).value() : json::value(json::object{});
}

json::value execute_kw_args(const call& c, const credentials& who) {
  return json::array{who.database, who.uid, who.secret, c.model, c.method,
                     c.args.is_null() ? json::value(json::array{}) : c.args, effective_kwargs(c)};
}

}  // namespace protocol
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
