// libFuzzer target: JSON-RPC / web-session response decoding must never
// crash, and any result it returns must be a well-formed JSON value.
#include <cstddef>
#include <cstdint>
#include <string>

#include "odoolink/json/parse.hpp"
#include "odoolink/protocol/jsonrpc.hpp"
#include "simdjson_judge.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace odoolink;
  const std::string body(reinterpret_cast<const char*>(data), size);
  for (int status : {200, 400, 500}) {
    auto r = protocol::jsonrpc::decode(http_response{status, {{"Content-Type", "application/json"}}, body});
    // A result must be valid JSON, and so must the whole body (numbers out of
    // range are JSON: json::parse refuses them later, as documented).
    if (r && odoolink_fuzz::broken_json(r.value().json())) __builtin_trap();
    if (r && odoolink_fuzz::broken_json(body)) __builtin_trap();
  }
  return 0;
}
