// libFuzzer entry for the XML-RPC codec: arbitrary bytes as a response body
// (HTTP 200) and as a request body. Besides not crashing, it checks the
// codec's promises: a decoded reply is valid JSON, the plain-response fast
// path gives exactly what the expat reader gives whenever it takes a body,
// and whatever a request decodes to survives encode_response → decode
// unchanged (which also runs the fast path on Python's layout).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "odoolink/http.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/protocol/xmlrpc.hpp"
#include "../src/protocol/xmlrpc_plain.hpp"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace odoolink;
  namespace xmlrpc = protocol::xmlrpc;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  protocol::decode_options opts;
  opts.max_depth = 64;  // below json::parse's own limit, so every reply can be re-parsed
  json::parse_options popts;
  popts.max_depth = 128;

  // The fast path may decline anything; what it takes, expat must read the same.
  if (auto plain = xmlrpc::impl::plain_response_json(bytes, opts.max_depth)) {
    auto by_expat = xmlrpc::impl::decode_with_expat(bytes, 200, opts);
    require(by_expat.has_value());
    require(by_expat.value().json() == *plain);
  }

  http_response response;
  response.status = 200;
  response.headers.push_back({"Content-Type", "text/xml; charset=utf-8"});
  response.body.assign(bytes);
  if (auto r = xmlrpc::decode(std::move(response), opts)) {
    require(json::parse(r.value().json(), popts).has_value());
  } else {
    require(!r.error().message().empty());
  }

  if (auto call = xmlrpc::decode_request(bytes, opts)) {
    const json::value& params = call.value().params;
    require(params.is_array());
    protocol::decode_options wrapped = opts;
    wrapped.max_depth = opts.max_depth + 1;  // the params array is one level more
    auto again = xmlrpc::decode(http_response{200, {}, xmlrpc::encode_response(params)}, wrapped);
    require(again.has_value());
    auto reparsed = json::parse(again.value().json(), popts);
    require(reparsed.has_value());
    require(reparsed.value() == params);
    // And as a request: the method name and params come back as they were.
    const http_request req = xmlrpc::encode(protocol::service_call{"common", call.value().method, params});
    auto redecoded = xmlrpc::decode_request(req.body, opts);
    require(redecoded.has_value());
    require(redecoded.value().method == call.value().method);
    require(redecoded.value().params == params);
  }
  return 0;
}
