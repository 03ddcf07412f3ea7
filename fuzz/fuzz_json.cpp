// libFuzzer target: json::parse must never crash on any bytes, and whatever
// it accepts must survive the writer unchanged: parse(to_string(v)) == v, and
// the written text is a fixed point (writing the re-parsed value gives the
// same bytes).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace odoolink;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto first = json::parse(text);
  if (!first) return 0;
  const std::string written = json::to_string(first.value());
  if (!json::is_valid_utf8(written)) __builtin_trap();
  auto second = json::parse(written);
  if (!second) __builtin_trap();
  if (!(second.value() == first.value())) __builtin_trap();
  if (json::to_string(second.value()) != written) __builtin_trap();
  return 0;
}
