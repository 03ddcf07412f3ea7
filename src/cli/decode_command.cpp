// `odoolink decode <protocol> <response-file> [status]`: decodes a saved HTTP
// response body the way the client would, and prints the result JSON or the
// typed error. Useful to understand what a server answered.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "odoolink/odoolink.hpp"

extern const char* const decode_command_summary = "decode a saved response body: decode <jsonrpc|json2|xmlrpc> <file> [status]";

int decode_command(int argc, char** argv) {
  using namespace odoolink;
  if (argc < 3) {
    std::fprintf(stderr, "usage: odoolink decode <jsonrpc|json2|xmlrpc> <response-body-file> [http-status]\n");
    return 2;
  }
  const std::string proto = argv[1];
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "odoolink decode: cannot read %s\n", argv[2]);
    return 2;
  }
  std::ostringstream body;
  body << in.rdbuf();
  http_response r{argc > 3 ? std::atoi(argv[3]) : 200, {}, body.str()};
  result<protocol::reply> decoded = error(protocol_errc::unsupported_call, "unknown protocol " + proto);
  if (proto == "jsonrpc" || proto == "web") decoded = protocol::jsonrpc::decode(std::move(r));
  if (proto == "json2") decoded = protocol::json2::decode(std::move(r));
#if defined(ODOOLINK_HAS_XMLRPC)
  if (proto == "xmlrpc") decoded = protocol::xmlrpc::decode(std::move(r));
#endif
  if (!decoded) {
    std::printf("error: %s\n", decoded.error().describe().c_str());
    return 1;
  }
  std::printf("%.*s\n", static_cast<int>(decoded.value().json().size()), decoded.value().json().data());
  return 0;
}
