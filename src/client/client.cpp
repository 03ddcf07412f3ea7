#include "odoolink/client/client.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <vector>

#include "call_trace.hpp"
#include "series_features.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/protocol/json2.hpp"
#include "odoolink/protocol/jsonrpc.hpp"
#include "odoolink/protocol/web.hpp"
#if defined(ODOOLINK_HAS_XMLRPC)
#include "odoolink/protocol/xmlrpc.hpp"
#endif
#if defined(ODOOLINK_HAS_CURL)
#include "odoolink/transport/curl_transport.hpp"
#endif

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

std::string_view to_string(protocol_kind p) noexcept {
  switch (p) {
    case protocol_kind::automatic: return "automatic";
    case protocol_kind::json2: return "json2";
    case protocol_kind::jsonrpc: return "jsonrpc";
    case protocol_kind::web_session: return "web_session";
    case protocol_kind::xmlrpc: return "xmlrpc";
  }
  return "unknown";
}

struct client::state {
  client_options options;
  std::shared_ptr<transport::http_transport> transport;
  connection_info info;
  std::string session_id;  // web session cookie
  std::int64_t next_id = 1;
  // JSON-RPC: the envelope up to the credentials, written at login.
  protocol::jsonrpc::execute_kw_encoder jsonrpc_calls;
  // The blocking calls' request, re-encoded in place: no allocation per call.
  http_request call_request;
  // Masks the credentials and every session id learned in all errors returned.
  secret_scrubber scrubber;
  // While connecting: the one deadline of all probes and the login.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // JSON-2: each model's published method signatures, learnt once; nullopt:
  // the server publishes none for it (api_doc missing, or the user may not read it).
  std::map<std::string, std::optional<protocol::json2::model_signatures>, std::less<>> signatures;
  bool connected = false;
  bool connecting = false;              // a host-driven connect is under way
  std::vector<client::opened> waiting;  // its callers, told the outcome

  const std::string& secret() const { return options.password.empty() ? options.api_key : options.password; }
  protocol::credentials credentials() const { return {info.database, info.uid, secret()}; }
  // Names the server in messages; the URL carries no credentials (userinfo is refused).
  std::string where() const { return options.url; }
};

namespace {

using state_ptr = std::shared_ptr<client::state>;

bool url_has_userinfo(std::string_view url) {
  const auto scheme = url.find("://");
  const auto authority = url.substr(scheme == std::string_view::npos ? 0 : scheme + 3);
  return authority.substr(0, authority.find('/')).find('@') != std::string_view::npos;
}

json::value merged_context(const json::value& base, const json::value& over) {
  if (over.is_null()) return base;
  if (base.is_null() || !base.is_object() || !over.is_object()) return over;
  json::value out = base;
  for (const auto& [k, v] : over.as_object()) out.set(k, v);
  return out;
}

template <class T>
result<T> scrubbed(const client::state& s, result<T> r) {
  if (r) return r;
  return s.scrubber.scrub(r.error());
}

// Sends one request outside a call (`what`: version, authenticate, logout);
// while connecting, within what is left of the deadline.
result<http_response> send(client::state& s, http_request request, std::string_view what) {
  if (s.deadline) {
    using namespace std::chrono;
    const auto left = ceil<milliseconds>(*s.deadline - steady_clock::now());
    if (left.count() <= 0)
      return error(transport_errc::timeout, "connecting to " + s.where() + " took longer than the timeout of " +
                                                std::to_string(s.options.timeout.count()) + " ms");
    request.timeout = left;
  }
  detail::call_trace trace(s.options.observer, {}, what, to_string(s.info.protocol), 1, request);
  auto sent = s.transport->send(request);
  trace.received(sent);
  trace.finish(sent);
  return sent;
}

// Encodes `c` into `out`; the JSON-RPC and web-session codecs reuse its storage.
result<void> encode_call(client::state& s, const protocol::call& c, http_request& out) {
  ODOOLINK_TRYV(detail::check_series(c, s.info.version));
  switch (s.info.protocol) {
    case protocol_kind::json2: {
      const auto known = s.signatures.find(c.model);
      const bool published = known != s.signatures.end() && known->second.has_value();
      ODOOLINK_TRY(out, protocol::json2::encode(c, {s.options.api_key, s.info.database}, published ? &*known->second : nullptr));
      return success();
    }
    case protocol_kind::web_session:
      protocol::web::encode_call_kw(c, s.session_id, s.next_id++, out);
      return success();
    case protocol_kind::xmlrpc:
#if defined(ODOOLINK_HAS_XMLRPC)
      out = protocol::xmlrpc::encode(c, s.credentials());
      return success();
#else
      return error(protocol_errc::unsupported_call, "odoolink was built without XML-RPC");
#endif
    default:
      s.jsonrpc_calls.encode(c, s.next_id++, out);
      return success();
  }
}

// `reader` reads the result in the same pass as the envelope (XML-RPC: from the whole body, see result_reader).
result<protocol::reply> decode_reply(const client::state& s, http_response&& r,
                                     const protocol::result_reader* reader = nullptr) {
  switch (s.info.protocol) {
    case protocol_kind::json2: return protocol::json2::decode(std::move(r), s.options.limits, reader);
#if defined(ODOOLINK_HAS_XMLRPC)
    case protocol_kind::xmlrpc: return protocol::xmlrpc::decode(std::move(r), s.options.limits, reader);
#endif
    default: return protocol::jsonrpc::decode(std::move(r), s.options.limits, reader);
  }
}

// A failure after the request may have reached the server is only retryable
// when repeating the call is harmless; otherwise the caller must learn that
// the outcome is unknown.
error transport_failure(const error& e, bool idempotent, std::string_view what) {
  if (!idempotent && transport::may_have_reached_server(e.code()) && e.code().category() == transport_category() &&
      e != transport_errc::outcome_unknown)
    return error(transport_errc::outcome_unknown,
                 std::string(what) + ": the request may have been applied (" + e.message() + ")");
  return e.with_context(what);
}

std::string call_name(const protocol::call& c) { return c.model + "." + c.method; }

// --- authentication ---------------------------------------------------------

http_request auth_request(client::state& s) {
  const auto& o = s.options;
  switch (s.info.protocol) {
    case protocol_kind::json2: {
      auto r = protocol::json2::encode({"res.users", "context_get"}, {o.api_key, s.info.database});
      return r ? std::move(r).value() : http_request{};
    }
    case protocol_kind::web_session:
      return protocol::web::encode_authenticate(s.info.database, o.login, s.secret(), s.next_id++);
    case protocol_kind::xmlrpc:
#if defined(ODOOLINK_HAS_XMLRPC)
      return protocol::xmlrpc::encode(protocol::authenticate_call(s.info.database, o.login, s.secret()));
#endif
    default:
      return protocol::jsonrpc::encode(protocol::authenticate_call(s.info.database, o.login, s.secret()),
                                       s.next_id++);
  }
}

error refused(const client::state& s) {
  std::string msg;
  if (s.info.protocol == protocol_kind::json2) {
    msg = "API key refused by " + s.where() + " (check the key and its scope; expired and revoked keys are refused too)";
  } else {
    msg = "login '" + s.options.login + "' refused on database '" + s.info.database + "' at " + s.where() +
          (s.options.password.empty() ? " (check login and API key)" : " (check login and password)");
  }
  return error::odoo(odoo_errc::access_denied, std::move(msg), "odoo.exceptions.AccessDenied", {}, 0);
}

result<void> finish_auth(client::state& s, result<http_response> sent) {
  if (!sent) return sent.error().with_context("authenticating at " + s.where());
  http_response response = std::move(sent).value();
  std::optional<std::string> cookie;
  if (s.info.protocol == protocol_kind::web_session) cookie = protocol::web::session_cookie(response);
  auto reply = decode_reply(s, std::move(response));
  if (!reply) {
    if (reply.error() == odoo_errc::access_denied) return refused(s);
    return reply.error().with_context("authenticating at " + s.where());
  }
  auto answer = json::parse(reply.value().json());
  if (!answer) return answer.error().with_context("authentication answer");
  const json::value& v = answer.value();
  const json::value* uid = nullptr;
  if (s.info.protocol == protocol_kind::web_session || s.info.protocol == protocol_kind::json2) {
    uid = v.find("uid");
  } else {
    uid = &v;  // common.authenticate answers the uid, or false for a refused login
  }
  if (uid == nullptr || !uid->is_int() || uid->as_int() <= 0) return refused(s);
  s.info.uid = uid->as_int();
  if (s.info.protocol == protocol_kind::jsonrpc) s.jsonrpc_calls = protocol::jsonrpc::execute_kw_encoder(s.credentials());
  if (s.info.protocol == protocol_kind::web_session) {
    if (!cookie) return error(protocol_errc::malformed_response, "the server opened no web session (no session_id cookie)");
    s.session_id = std::move(*cookie);
    s.scrubber.add(s.session_id);
  }
  return success();
}

result<void> authenticate(client::state& s) { return finish_auth(s, send(s, auth_request(s), "authenticate")); }

// --- version probe ------------------------------------------------------------

result<server_version> version_of(result<http_response> sent, bool bare_json, const protocol::decode_options& limits) {
  if (!sent) return sent.error();
  auto reply = bare_json ? protocol::json2::decode(std::move(sent).value(), limits)
                         : protocol::jsonrpc::decode(std::move(sent).value(), limits);
  if (!reply) return reply.error();
  ODOOLINK_TRY(auto answer, json::parse(reply.value().json()));
  return server_version_from(answer);
}

// Odoo 19: GET /web/version (step 0, bare JSON); Odoo <= 18:
// /web/webclient/version_info (1); any: common.version (2).
constexpr int last_probe_step = 2;

http_request probe_request(client::state& s, int step) {
  if (step == 0) return protocol::json2::encode_version();
  http_request r = step == 1 ? protocol::web::encode_version_info(s.next_id++)
                             : protocol::jsonrpc::encode(protocol::version_call(), s.next_id++);
  r.idempotent = true;
  return r;
}

// No other probe can help when the first one reached no server or timed out.
bool probing_ends(int step, const error& e) {
  return step == last_probe_step ||
         (step == 0 && (!transport::may_have_reached_server(e.code()) || e == transport_errc::timeout));
}

result<server_version> probe_version(client::state& s) {
  for (int step = 0;; ++step) {
    auto v = version_of(send(s, probe_request(s, step), "version"), step == 0, s.options.limits);
    if (v) return v;
    if (probing_ends(step, v.error())) return v.error().with_context("probing the server version at " + s.where());
  }
}

result<protocol_kind> choose_protocol(const client_options& o, const server_version& v) {
  const bool has_password = !o.password.empty();
  const bool has_key = !o.api_key.empty();
  if (!has_password && !has_key) return error(protocol_errc::unsupported_call, "no password and no API key given");
  switch (o.protocol) {
    case protocol_kind::automatic:
      if (has_key && v.has_json2()) return protocol_kind::json2;
      if (has_password) return protocol_kind::web_session;
      return protocol_kind::jsonrpc;
    case protocol_kind::json2:
      if (!has_key) return error(protocol_errc::unsupported_call, "JSON-2 needs an API key");
      if (!v.has_json2())
        return error(protocol_errc::unsupported_call, "JSON-2 needs Odoo 19 or later; the server runs " + v.text);
      return protocol_kind::json2;
    case protocol_kind::web_session:
      if (!has_password)
        return error(protocol_errc::unsupported_call, "a web session needs a password (API keys cannot open one)");
      return protocol_kind::web_session;
#if !defined(ODOOLINK_HAS_XMLRPC)
    case protocol_kind::xmlrpc:
      return error(protocol_errc::unsupported_call, "odoolink was built without XML-RPC");
#endif
    default:
      if (o.login.empty()) return error(protocol_errc::unsupported_call, "a login is needed for " + std::string(to_string(o.protocol)));
      return o.protocol;
  }
}

result<std::shared_ptr<transport::http_transport>> default_transport(const client_options& o) {
#if defined(ODOOLINK_HAS_CURL)
  transport::curl_options c;
  c.base_url = o.url;
  c.connect_timeout = o.connect_timeout;
  c.total_timeout = o.timeout;
  c.max_response_bytes = o.limits.max_bytes;
  c.tls = o.tls;
  if (!o.user_agent.empty()) c.user_agent = o.user_agent;
  ODOOLINK_TRY(auto t, transport::curl_transport::create(std::move(c)));
  return std::shared_ptr<transport::http_transport>(std::move(t));
#else
  (void)o;
  return error(transport_errc::invalid_request, "odoolink was built without libcurl: pass a transport");
#endif
}

// --- one call -----------------------------------------------------------------

struct prepared {
  // The call as sent: the caller's own when a blocking call has no context
  // to merge in (no copy), else `owned`.
  const protocol::call* borrowed = nullptr;
  protocol::call owned;
  bool idempotent = false;
  std::chrono::milliseconds timeout{0};  // zero: the transport's own
  std::function<result<void>(std::string&)> finish_body;

  [[nodiscard]] const protocol::call& call() const noexcept { return borrowed != nullptr ? *borrowed : owned; }
  // `model.method` for messages, built only when one is written.
  [[nodiscard]] std::string name() const { return call_name(call()); }
};

bool adds_context(const client::state& s, const call_options& opts) {
  return !s.options.context.is_null() || !opts.context.is_null();
}

void prepare_options(prepared& p, const protocol::call& c, const call_options& opts) {
  p.idempotent = opts.retry == idempotency::automatic ? is_idempotent(c) : opts.retry == idempotency::idempotent;
  // Only a per-call limit is stamped: the client's own is the transport's default.
  if (opts.timeout) p.timeout = std::max(*opts.timeout, std::chrono::milliseconds(1));
  p.finish_body = opts.finish_body;
}

prepared prepare(const client::state& s, protocol::call c, const call_options& opts) {
  prepared p;
  prepare_options(p, c, opts);
  c.context = merged_context(merged_context(s.options.context, c.context), opts.context);
  p.owned = std::move(c);
  return p;
}

// A blocking call: `c` outlives it, so it is copied only to merge a context in.
void prepare_borrowed(prepared& p, const client::state& s, const protocol::call& c, const call_options& opts) {
  if (adds_context(s, opts)) {
    p = prepare(s, c, opts);
    return;
  }
  prepare_options(p, c, opts);
  p.borrowed = &c;
}

result<void> request_for(client::state& s, const prepared& p, http_request& req) {
  ODOOLINK_TRYV(encode_call(s, p.call(), req));
  req.idempotent = p.idempotent;
  req.timeout = p.timeout;
  if (p.finish_body) ODOOLINK_TRYV(p.finish_body(req.body));
  return success();
}

// --- JSON-2 signatures: positional arguments of methods outside the codec's
// table are named by what the server publishes, fetched once per model ----------

bool wants_signatures(const client::state& s, const protocol::call& c) {
  return s.info.protocol == protocol_kind::json2 && protocol::json2::needs_signatures(c) && !s.signatures.contains(c.model);
}

http_request signatures_request(const client::state& s, const std::string& model) {
  return protocol::json2::encode_signatures_request(model, {s.options.api_key, s.info.database});
}

// A server that publishes nothing for the model (403: the user is outside the
// documentation group; 404: no api_doc) leaves the codec's own rule: ids first,
// nothing else positional. Other failures (transport, garbled answers) fail the
// call and are tried again by the next one.
result<void> adopt_signatures(client::state& s, const prepared& p, result<http_response> sent) {
  const std::string& model = p.call().model;
  if (!sent) return sent.error().with_context(p.name() + ": reading the method signatures of '" + model + "'");
  auto published = protocol::json2::decode_signatures(std::move(sent).value(), model, s.options.limits);
  if (published) {
    s.signatures.insert_or_assign(model, std::move(published).value());
    return success();
  }
  if (published.error() == odoo_errc::access_error || published.error() == odoo_errc::unknown_model) {
    s.signatures.insert_or_assign(model, std::nullopt);
    return success();
  }
  return published.error().with_context(p.name() + ": reading the method signatures of '" + model + "'");
}

// Odoo 17 and earlier refuse a `load` column the model lacks with a bare
// KeyError naming the field; 18 and 19 say "Invalid field name": say it alike.
error unknown_load_column(const prepared& p, error e) {
  if (e.odoo_class() != "builtins.KeyError" || e == odoo_errc::unknown_model) return e;
  std::string field(e.message());
  if (field.size() >= 2 && field.front() == '\'' && field.back() == '\'') field = field.substr(1, field.size() - 2);
  return error::odoo(odoo_errc::invalid_value, "Invalid field name '" + field + "': model '" + p.call().model + "' has no such field",
                     std::string(e.odoo_class()), std::string(e.debug()), e.http_status());
}

// Odoo 18 and 19 route a web-session call through `/web/dataset/call_kw/<model>.<method>`
// and answer an unknown model with a bare 404 NotFound (17 raised KeyError):
// for a call, that is the unknown model, as the other protocols say.
error unknown_model_on_web(const client::state& s, const prepared& p, error e) {
  if (s.info.protocol != protocol_kind::web_session || e.odoo_class() != "werkzeug.exceptions.NotFound") return e;
  return error::odoo(odoo_errc::unknown_model, "the model '" + p.call().model + "' does not exist", std::string(e.odoo_class()),
                     std::string(e.debug()), e.http_status());
}

// A fault some series or protocols word differently, as the others word it.
error same_fault_as_elsewhere(const client::state& s, const prepared& p, error e) {
  if (p.call().method == "load") e = unknown_load_column(p, std::move(e));
  return unknown_model_on_web(s, p, std::move(e));
}

result<protocol::reply> finish_call(const client::state& s, const prepared& p, result<http_response> sent,
                                    const protocol::result_reader* reader = nullptr) {
  if (!sent) return transport_failure(sent.error(), p.idempotent, p.name());
  auto reply = decode_reply(s, std::move(sent).value(), reader);
  if (!reply) return same_fault_as_elsewhere(s, p, std::move(reply).error()).with_context(p.name());
  return reply;
}

bool session_expired(const result<protocol::reply>& r, const client::state& s) {
  return !r && s.info.protocol == protocol_kind::web_session && r.error() == odoo_errc::session_expired;
}

result<transport::request_id> submit_call(const state_ptr& s, std::shared_ptr<prepared> p, client::completion done,
                                          bool may_relogin);

// `send`'s host-driven twin: one observed request outside a call.
template <class Then>
void submit_outside_call(const state_ptr& s, http_request request, std::string_view what, Then then) {
  detail::call_trace trace(s->options.observer, {}, what, to_string(s->info.protocol), 1, request);
  s->transport->submit(std::move(request), [trace, then = std::move(then)](result<http_response> r) mutable {
    trace.received(r);
    trace.finish(r);
    then(std::move(r));
  });
}


// The observer's record of a call's exchange (`attempt` 2: re-sent after a login).
detail::call_trace trace_of(const client::state& s, const prepared& p, int attempt, const http_request& req) {
  return {s.options.observer, p.call().model, p.call().method, to_string(s.info.protocol), attempt, req};
}

void submit_relogin(const state_ptr& s, std::shared_ptr<prepared> p, client::completion done) {
  http_request login = auth_request(*s);
  detail::call_trace trace(s->options.observer, {}, "authenticate", to_string(s->info.protocol), 1, login);
  s->transport->submit(std::move(login), [s, p, done, trace](result<http_response> r) mutable {
    trace.received(r);
    trace.finish(r);
    auto ok = finish_auth(*s, std::move(r));
    if (!ok) return done(s->scrubber.scrub(ok.error()));
    auto again = submit_call(s, std::move(p), done, false);
    if (!again) done(s->scrubber.scrub(again.error()));  // we are inside poll(): report now
  });
}

result<transport::request_id> submit_call(const state_ptr& s, std::shared_ptr<prepared> p, client::completion done,
                                          bool may_relogin) {
  if (wants_signatures(*s, p->call())) {
    // The call goes out once the model's signatures are known (0: no request of its own yet).
    submit_outside_call(s, signatures_request(*s, p->call().model), "signatures",
                        [s, p, done, may_relogin](result<http_response> r) mutable {
                          auto ok = adopt_signatures(*s, *p, std::move(r));
                          if (!ok) return done(s->scrubber.scrub(ok.error()));
                          auto sent = submit_call(s, std::move(p), done, may_relogin);
                          if (!sent) done(s->scrubber.scrub(sent.error()));
                        });
    return transport::request_id{0};
  }
  http_request req;
  ODOOLINK_TRYV(request_for(*s, *p, req));
  auto trace = trace_of(*s, *p, may_relogin ? 1 : 2, req);
  return s->transport->submit(std::move(req), [s, p, done = std::move(done), may_relogin, trace](result<http_response> r) mutable {
    trace.received(r);
    auto reply = finish_call(*s, *p, std::move(r));
    trace.finish(reply);
    if (may_relogin && session_expired(reply, *s)) return submit_relogin(s, std::move(p), std::move(done));
    done(scrubbed(*s, std::move(reply)));
  });
}

result<void> adopt_version(client::state& s, server_version version) {
  s.info.version = std::move(version);
  ODOOLINK_TRY(auto chosen, choose_protocol(s.options, s.info.version));
  s.info.protocol = chosen;
  if (s.info.database.empty() && s.info.protocol != protocol_kind::json2)
    return error(protocol_errc::unsupported_call, "no database given");
  return success();
}

result<void> open_connection(client::state& s) {
  ODOOLINK_TRY(auto version, probe_version(s));
  ODOOLINK_TRYV(adopt_version(s, std::move(version)));
  return authenticate(s);
}

// Sends one attempt of a call and reads its reply.
result<protocol::reply> exchange(client::state& s, const prepared& p, const http_request& req, int attempt,
                                 const protocol::result_reader* reader) {
  auto trace = trace_of(s, p, attempt, req);
  auto sent = s.transport->send(req);
  trace.received(sent);
  auto reply = finish_call(s, p, std::move(sent), reader);
  trace.finish(reply);
  return reply;
}

// --- host-driven connect: the same steps, each a submitted request ------------

void finish_open(const state_ptr& s, result<void> outcome) {
  s->connecting = false;
  s->connected = outcome.has_value();
  if (!outcome) outcome = s->scrubber.scrub(outcome.error());
  auto waiting = std::move(s->waiting);
  s->waiting.clear();
  for (auto& done : waiting) done(outcome);
}

void probe_async(const state_ptr& s, int step) {
  submit_outside_call(s, probe_request(*s, step), "version", [s, step](result<http_response> r) {
    auto v = version_of(std::move(r), step == 0, s->options.limits);
    if (!v) {
      if (probing_ends(step, v.error()))
        return finish_open(s, v.error().with_context("probing the server version at " + s->where()));
      return probe_async(s, step + 1);
    }
    if (auto adopted = adopt_version(*s, std::move(v).value()); !adopted) return finish_open(s, adopted.error());
    submit_outside_call(s, auth_request(*s), "authenticate", [s](result<http_response> answer) {
      finish_open(s, finish_auth(*s, std::move(answer)));
    });
  });
}

void client_open_async(const state_ptr& s, client::opened done) {
  if (s->connected) return done(success());
  s->waiting.push_back(std::move(done));
  if (s->connecting) return;
  s->connecting = true;
  probe_async(s, 0);
}

// Frees the blocking calls' request when a call ends (however it ends) with
// a large body in it: an attachment or a big batch is not kept for the next call.
struct drop_large_request {
  static constexpr std::size_t kept_bytes = std::size_t{64} << 10U;
  http_request& request;
  ~drop_large_request() {
    if (request.body.capacity() > kept_bytes) request = http_request{};
  }
};

// `reader`, when given, decodes the result in the pass that reads the response.
result<protocol::reply> execute_once(client::state& s, const prepared& p,
                                     const protocol::result_reader* reader = nullptr) {
  if (wants_signatures(s, p.call()))
    ODOOLINK_TRYV(adopt_signatures(s, p, send(s, signatures_request(s, p.call().model), "signatures")));
  http_request& req = s.call_request;
  const drop_large_request dropped{req};
  ODOOLINK_TRYV(request_for(s, p, req));
  auto reply = exchange(s, p, req, 1, reader);
  if (session_expired(reply, s)) {
    ODOOLINK_TRYV(authenticate(s));
    ODOOLINK_TRYV(request_for(s, p, req));
    reply = exchange(s, p, req, 2, reader);
  }
  return reply;
}

}  // namespace

result<client> client::connect(client_options options) {
  ODOOLINK_TRY(auto c, create(std::move(options)));
  ODOOLINK_TRYV(c.open());
  return c;
}

result<client> client::create(client_options options) {
  if (options.url.empty()) return error(transport_errc::invalid_request, "no server URL given");
  if (url_has_userinfo(options.url))
    return error(transport_errc::invalid_request, "put credentials in client_options, not in the URL");
  auto s = std::make_shared<state>();
  s->scrubber.add(options.password);
  s->scrubber.add(options.api_key);
  s->info.database = options.database;
  if (options.transport) {
    s->transport = options.transport;
  } else {
    auto t = default_transport(options);
    if (!t) return s->scrubber.scrub(t.error());
    s->transport = std::move(t).value();
  }
  s->options = std::move(options);
  return client(std::move(s));
}

bool client::connected() const noexcept { return state_->connected; }

result<void> client::open() {
  state& s = *state_;
  if (s.connected) return success();
  if (s.options.timeout.count() > 0) s.deadline = std::chrono::steady_clock::now() + s.options.timeout;
  auto opened = open_connection(s);
  s.deadline.reset();
  if (!opened) return s.scrubber.scrub(opened.error());
  s.connected = true;
  return success();
}

void client::open_async(opened done) { client_open_async(state_, std::move(done)); }

result<protocol::reply> client::execute_kw(const protocol::call& call, const call_options& options) {
  return execute_kw(call, protocol::result_reader{}, options);
}

result<protocol::reply> client::execute_kw(const protocol::call& call, const protocol::result_reader& reader,
                                           const call_options& options) {
  const protocol::result_reader* in_place = reader.read != nullptr || reader.read_xml != nullptr ? &reader : nullptr;
  ODOOLINK_TRYV(open());
  prepared p;
  prepare_borrowed(p, *state_, call, options);
  return scrubbed(*state_, execute_once(*state_, p, in_place));
}

result<protocol::reply> client::execute_kw(std::string_view model, std::string_view method, json::value args,
                                           json::value kwargs, const call_options& options) {
  return execute_kw(protocol::call{std::string(model), std::string(method), std::move(args), std::move(kwargs)},
                    options);
}

result<transport::request_id> client::submit(protocol::call call, completion done, const call_options& options) {
  auto p = std::make_shared<prepared>(prepare(*state_, std::move(call), options));
  if (!state_->connected) {
    // The call goes out once the connection is up (or fails with its error).
    client_open_async(state_, [s = state_, p, done = std::move(done)](result<void> opened) mutable {
      if (!opened) return done(opened.error());
      auto sent = submit_call(s, std::move(p), done, true);
      if (!sent) done(s->scrubber.scrub(sent.error()));
    });
    return transport::request_id{0};
  }
  return scrubbed(*state_, submit_call(state_, std::move(p), std::move(done), true));
}

result<std::size_t> client::poll(std::chrono::milliseconds timeout) { return state_->transport->poll(timeout); }

wakeup client::next_wakeup() const {
  return wakeup::after(state_->transport->next_wakeup(), std::chrono::steady_clock::now());
}

transport::http_transport& client::transport() noexcept { return *state_->transport; }

const connection_info& client::info() const noexcept { return state_->info; }

result<void> client::logout() {
  if (!state_->connected || state_->info.protocol != protocol_kind::web_session || state_->session_id.empty())
    return success();
  auto sent = send(*state_, protocol::web::encode_destroy(state_->session_id, state_->next_id++), "logout");
  if (!sent) return state_->scrubber.scrub(sent.error().with_context("logging out"));
  auto done = protocol::web::decode(std::move(sent).value(), state_->options.limits);
  if (!done) return state_->scrubber.scrub(done.error());
  state_->session_id.clear();  // the scrubber keeps it: old texts may still quote it
  return success();
}

result<http_response> client::send_in_session(http_request request, expiry_test session_gone) {
  ODOOLINK_TRYV(open());
  state& s = *state_;
  if (s.info.protocol != protocol_kind::web_session)
    return error(protocol_errc::unsupported_call,
                 request.target + " is a page of the web client: it needs a web session (a password login with "
                 "protocol web_session), but this client speaks " + std::string(to_string(s.info.protocol)));
  for (int attempt = 1;; ++attempt) {
    http_request r = request;
    r.headers.push_back({"Cookie", "session_id=" + s.session_id});
    auto sent = send(s, std::move(r), request.target);
    if (!sent) return s.scrubber.scrub(sent.error().with_context(request.target));
    if (attempt == 2 || session_gone == nullptr || !session_gone(sent.value())) return sent;
    if (auto again = authenticate(s); !again) return s.scrubber.scrub(again.error());
  }
}

const secret_scrubber& client::scrubber() const noexcept { return state_->scrubber; }

void client::add_secret(std::string_view secret) { state_->scrubber.add(secret); }

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
