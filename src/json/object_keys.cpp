#include "odoolink/json/detail/object_keys.hpp"

#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json::detail {

std::string repeated_key(std::string_view key) {
  constexpr std::size_t shown = 64;
  std::size_t end = key.size() > shown ? shown : key.size();
  // Cut at a code point boundary so the message stays valid UTF-8.
  while (end < key.size() && end > 0 && (static_cast<unsigned char>(key[end]) & 0xC0U) == 0x80U) --end;
  std::string out = "the key ";
  write_string(out, key.substr(0, end));
  if (end < key.size()) out.insert(out.size() - 1, "...");
  out += " comes twice in an object";
  return out;
}

}  // namespace json::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
