// libFuzzer target: JSON-2 response decoding must never crash, whatever the
// status and body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "odoolink/json/parse.hpp"
#include "odoolink/protocol/json2.hpp"
#include "simdjson_judge.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace odoolink;
  if (size < 1) return 0;
  // The first byte picks the status, the rest is the body.
  static constexpr int statuses[] = {200, 400, 401, 403, 404, 409, 415, 422, 429, 500, 502, 503};
  const int status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto r = protocol::json2::decode(http_response{status, {{"Content-Type", "application/json"}}, body});
  // A result must be valid JSON, and so must the whole body (numbers out of
  // range are JSON: json::parse refuses them later, as documented).
  if (r && odoolink_fuzz::broken_json(r.value().json())) __builtin_trap();
  if (r && odoolink_fuzz::broken_json(body)) __builtin_trap();
  return 0;
}
