#pragma once
/// @file
/// The protocol-neutral description of what to ask Odoo, and what comes back.
/// Every codec (JSON-RPC, web session, JSON-2, XML-RPC) encodes a `call` into
/// an `http_request` and decodes an `http_response` into a `reply`.

#include <cstddef>
#include <cstdint>
#include <string>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol {

/// An ORM method call: `model.method(*args, **kwargs)` with a context.
struct call {
  std::string model;                       ///< e.g. `res.partner`
  std::string method;                      ///< e.g. `search_read`
  json::value args = json::array{};        ///< positional arguments (a JSON array)
  json::value kwargs = json::object{};     ///< keyword arguments (a JSON object)
  /// Context (lang, tz, allowed_company_ids, ...). When not null it is sent as
  /// `kwargs.context`, merged over a context already present in `kwargs`.
  json::value context = nullptr;
};

/// A call to one of the RPC services (`common`, `db`, `object`) of
/// `/jsonrpc` and `/xmlrpc/2/<service>`, e.g. `common.version()`.
struct service_call {
  std::string service;               ///< `common`, `db` or `object`
  std::string method;                ///< e.g. `version`, `login`, `authenticate`, `list`
  json::value args = json::array{};  ///< positional arguments
};

/// Who calls: what `/jsonrpc` and XML-RPC send with every `execute_kw`.
/// `secret` is a password or an API key; codecs put it in request bodies or
/// headers only, never in errors.
struct credentials {
  std::string database;
  std::int64_t uid = 0;
  std::string secret;
};

/// The decoded result of a successful call: an owned padded JSON buffer
/// viewing the result value (`null` when the server sent none, as
/// `/web/session/destroy` does). XML-RPC results are converted to the same
/// JSON form, so later layers decode one format only (except where a
/// `result_reader` read the records from the XML itself: see below).
using reply = json::buffer;

/// Reads a call's `result` value in place, during the one pass that reads
/// the response envelope (JSON-RPC, web session, JSON-2): typed records are
/// decoded straight from the received bytes instead of from a second pass
/// over the `reply`. Codecs call `read` at most once, with `text` the body
/// (`size` bytes, followed by simdjson's padding; not yet checked as UTF-8:
/// the reader checks the strings it reads, as json_cursor does) and `offset` the first byte of the value; it returns
/// the offset just past the value, or an error that the codec returns as is.
/// The XML-RPC codec never calls `read`; it offers the whole body to
/// `read_xml` first (before any other check of it, a fault included), which
/// returns true when it read the result from it (the codec then returns a
/// reply that keeps the body, for what the reader took views of, and views
/// nothing) and false when the codec should decode the body itself.
/// @par Thread Safety  Called on the thread that decodes the response.
struct result_reader {
  void* self = nullptr;  ///< passed back to `read`
  /// Reads the value at `text + offset`; see the struct comment.
  result<std::size_t> (*read)(void* self, const char* text, std::size_t size, std::size_t offset) = nullptr;
  /// Reads the result from a whole XML-RPC body; see the struct comment.
  bool (*read_xml)(void* self, const char* text, std::size_t size) = nullptr;
};

/// Builds `common.version()`.
[[nodiscard]] inline service_call version_call() { return {"common", "version", json::array{}}; }
/// Builds `common.login(db, login, password)`; the answer is a uid or `false`.
[[nodiscard]] inline service_call login_call(std::string db, std::string login, std::string password) {
  return {"common", "login", json::array{std::move(db), std::move(login), std::move(password)}};
}
/// Builds `common.authenticate(db, login, password, user_agent_env)`.
[[nodiscard]] inline service_call authenticate_call(std::string db, std::string login, std::string password,
                                                    json::value user_agent_env = json::object{}) {
  return {"common", "authenticate",
          json::array{std::move(db), std::move(login), std::move(password), std::move(user_agent_env)}};
}

/// The `execute_kw` argument list for a call: `[db, uid, secret, model,
/// method, args, kwargs]`, with the context merged into kwargs.
[[nodiscard]] json::value execute_kw_args(const call& c, const credentials& who);

/// `kwargs` with the call's context merged in (see `call::context`).
[[nodiscard]] json::value effective_kwargs(const call& c);

}  // namespace protocol
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
