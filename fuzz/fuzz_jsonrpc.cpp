// libFuzzer target: JSON-RPC / web-session response decoding must never
// crash, and any result it returns must be a well-formed JSON value.
#include <cstddef>
#include <cstdint>
#include <string>

#include "odoolink/json/parse.hpp"
#include "odoolink/protocol/jsonrpc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace odoolink;
  const std::string body(reinterpret_cast<const char*>(data), size);
  for (int status : {200, 400, 500}) {
    auto r = protocol::jsonrpc::decode(http_response{status, {{"Content-Type", "application/json"}}, body});
    if (r && !json::parse(r.value().json())) __builtin_trap();  // a result must be valid JSON
  }
  return 0;
}
