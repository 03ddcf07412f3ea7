// The fake server's HTTP side: JSON-RPC, the web session routes, JSON-2 and
// XML-RPC, each with the real server's success and error shapes.

#include <ctime>
#include <optional>

#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "testing/fake/server_state.hpp"
#if defined(ODOOLINK_HAS_XMLRPC)
#include "odoolink/protocol/xmlrpc.hpp"
#endif

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
namespace {

constexpr std::string_view json_type = "application/json; charset=utf-8";
constexpr std::string_view html_type = "text/html; charset=utf-8";

http_response reply(int status, std::string_view type, std::string body) {
  http_response r;
  r.status = status;
  r.headers.push_back({"Content-Type", std::string(type)});
  r.body = std::move(body);
  return r;
}

http_response html(int status, std::string_view title, std::string_view text) {
  return reply(status, html_type,
               "<!doctype html>\n<html lang=en>\n<title>" + std::to_string(status) + " " + std::string(title) +
                   "</title>\n<h1>" + std::string(title) + "</h1>\n<p>" + std::string(text) + "</p>\n");
}

http_response not_found() {
  return html(404, "Not Found",
              "The requested URL was not found on the server. If you entered the URL manually please check your "
              "spelling and try again.");
}

// The last line of a Python traceback is "<class>: <message>", builtins unqualified.
std::string traceback(const odoo_raise& e) {
  std::string cls = e.cls.rfind("builtins.", 0) == 0 ? e.cls.substr(9) : e.cls;
  return "Traceback (most recent call last):\n  File \"odoo/http.py\", line 1, in _serve_db\n    return "
         "service_model.retrying(serve_func, env=self.env)\n" +
         cls + ": " + e.message + "\n";
}

json::value version_info(const fake_options& o) {
  const std::string v = std::to_string(o.major_version) + ".0";
  return json::object{{"server_version", v},
                      {"server_version_info", json::array{o.major_version, 0, 0, "final", 0, ""}},
                      {"server_serie", v},
                      {"protocol_version", 1}};
}

// --- JSON-RPC envelopes ---------------------------------------------------------

std::string envelope_result(const json::value& id, const json::value& result, bool omit_null = false) {
  json::value out = json::object{{"jsonrpc", "2.0"}, {"id", id}};
  if (!(omit_null && result.is_null())) out.set("result", result);
  return json::to_string(out);
}

std::string envelope_error(const fake_odoo::state& s, const json::value& id, const odoo_raise& e) {
  const bool expired = e.cls == "odoo.http.SessionExpiredException";
  const int code = expired ? 100 : (s.options.major_version >= 19 ? 0 : 200);
  json::value data = json::object{{"name", e.cls},        {"debug", traceback(e)},
                                  {"message", e.message}, {"arguments", json::array{e.message}},
                                  {"context", json::object{}}};
  return json::to_string(json::object{
      {"jsonrpc", "2.0"},
      {"id", expired ? json::value(nullptr) : id},
      {"error", json::object{{"code", code}, {"message", expired ? "Odoo Session Expired" : "Odoo Server Error"},
                             {"data", std::move(data)}}}});
}

// The session facts an SDK uses; the web client's UI data (menus, views,
// discuss settings) is left out.
json::value session_info(const fake_odoo::state& s, const fake_user& u) {
  const json::value version = version_info(s.options);
  const bool admin = u.denied_models.empty() && u.read_only_models.empty() && u.record_rules.empty();
  return json::object{
      {"uid", u.uid},
      {"is_system", admin},
      {"is_admin", admin},
      {"is_public", false},
      {"is_internal_user", true},
      {"user_context", json::object{{"lang", "en_US"}, {"tz", "Europe/Brussels"}, {"uid", u.uid}}},
      {"db", s.options.database},
      {"server_version", *version.find("server_version")},
      {"server_version_info", *version.find("server_version_info")},
      {"name", u.name},
      {"username", u.login},
      {"partner_display_name", u.name},
      {"partner_id", 3},
      {"web.base.url", "http://127.0.0.1:8069"},
      {"user_companies",
       json::object{{"current_company", 1},
                    {"allowed_companies",
                     json::object{{"1", json::object{{"id", 1}, {"name", "YourCompany"}, {"sequence", 0},
                                                     {"child_ids", json::array{}}, {"parent_id", false}}}}},
                    {"disallowed_ancestor_companies", json::object{}}}},
      {"currencies", json::object{{"1", json::object{{"symbol", "$"}, {"position", "before"}, {"digits", json::array{69, 2}}}}}}};
}

std::string cookie_for(const std::string& sid) {
  return "session_id=" + sid + "; Expires=Mon, 22 Nov 2027 06:08:05 GMT; Max-Age=604800; HttpOnly; Path=/";
}

std::string session_of(const http_request& r) {
  const std::string_view cookie = r.header("Cookie");
  const std::size_t at = cookie.find("session_id=");
  if (at == std::string_view::npos) return {};
  const std::size_t from = at + 11;
  const std::size_t end = cookie.find(';', from);
  return std::string(cookie.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from));
}

void check_database(const fake_odoo::state& s, const json::value& db) {
  if (!db.is_string() || db.as_string() != s.options.database)
    raise("psycopg2.OperationalError", "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"" +
                                           (db.is_string() ? db.as_string() : std::string("?")) + "\" does not exist\n");
}

const fake_user& authorised(const fake_odoo::state& s, const json::value& uid, const json::value& secret) {
  const std::int64_t id = uid.is_int() ? uid.as_int() : 0;
  const fake_user* u = s.db.user(id);
  if (u == nullptr)
    raise("odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: res.users(" +
                                              std::to_string(id) + ",), User: " + std::to_string(id) + ")");
  // The password, the user's key or a key generated through the API that is still valid.
  if (!secret.is_string() || secret.as_string().empty() || s.db.user_by_secret(u->login, secret.as_string()) != u)
    raise("odoo.exceptions.AccessDenied", "Access Denied");
  return *u;
}

// service/method/args as common, object and db dispatch them (JSON-RPC and XML-RPC).
json::value dispatch_service(fake_odoo::state& s, const std::string& service, const std::string& method,
                             const json::array& args) {
  auto arg = [&](std::size_t i) -> const json::value& {
    static const json::value none;
    return i < args.size() ? args[i] : none;
  };
  if (service == "common") {
    if (method == "version") return version_info(s.options);
    if (method == "login" || method == "authenticate") {
      check_database(s, arg(0));
      const fake_user* u = arg(1).is_string() && arg(2).is_string()
                               ? s.db.user_by_secret(arg(1).as_string(), arg(2).as_string())
                               : nullptr;
      return u != nullptr ? json::value(u->uid) : json::value(false);
    }
    if (method == "about") return "See http://openerp.com";
    raise("builtins.Exception", "Method not found: " + method);
  }
  if (service == "db") {
    if (method == "list") return json::array{s.options.database};
    if (method == "server_version") return std::to_string(s.options.major_version) + ".0";
    raise("builtins.Exception", "Method not found: " + method);
  }
  if (service == "object") {
    if (method != "execute_kw" && method != "execute") raise("builtins.Exception", "Method not found: " + method);
    check_database(s, arg(0));
    const fake_user& u = authorised(s, arg(1), arg(2));
    if (!arg(3).is_string() || !arg(4).is_string()) raise("builtins.TypeError", "model and method must be strings");
    json::value call_args = json::array{};
    json::value kwargs = json::object{};
    if (method == "execute_kw") {
      call_args = arg(5).is_null() ? json::value(json::array{}) : arg(5);
      if (args.size() > 6) kwargs = arg(6);
    } else {
      for (std::size_t i = 5; i < args.size(); ++i) call_args.as_array().push_back(args[i]);
    }
    return run_call(s, named_call(arg(3).as_string(), arg(4).as_string(), call_args, kwargs, u.uid));
  }
  raise("builtins.KeyError", "'" + service + "'");
}

// --- JSON-RPC and web routes -------------------------------------------------------

bool json_content(const http_request& r) {
  const std::string_view t = r.header("Content-Type");
  return t.rfind("application/json", 0) == 0 || t.rfind("application/json-rpc", 0) == 0;
}

http_response wrong_type(const std::string& target) {
  return html(400, "Bad Request",
              "Request inferred type is compatible with [&#39;http&#39;] but &#39;" + target + "&#39; is type=&#39;json&#39;.");
}

http_response json_route(fake_odoo::state& s, const http_request& r, const std::string& target) {
  if (r.method != "POST" || !json_content(r)) return wrong_type(target);
  auto doc = json::parse(r.body);
  if (!doc || !doc.value().is_object()) return reply(400, html_type, "Invalid JSON data");
  const json::value& body = doc.value();
  const json::value* idp = body.find("id");
  const json::value id = idp != nullptr ? *idp : json::value(nullptr);
  const json::value* params = body.find("params");
  const json::value empty = json::object{};
  const json::value& p = params != nullptr && params->is_object() ? *params : empty;
  const std::string sid = session_of(r);
  const auto session = s.sessions.find(sid);
  const bool has_session = !sid.empty() && session != s.sessions.end();
  std::vector<http_header> extra;
  try {
    json::value result;
    bool omit_null = false;
    if (target == "/jsonrpc") {
      if (params == nullptr)
        raise("builtins.TypeError", "RPC.jsonrpc() missing 3 required positional arguments: 'service', 'method', and 'args'");
      const json::value* service = p.find("service");
      const json::value* method = p.find("method");
      const json::value* args = p.find("args");
      if (service == nullptr || method == nullptr || args == nullptr || !service->is_string() || !method->is_string())
        raise("builtins.TypeError", "RPC.jsonrpc() missing required positional arguments: 'service', 'method', and 'args'");
      const json::array none;
      result = dispatch_service(s, service->as_string(), method->as_string(), args->is_array() ? args->as_array() : none);
    } else if (target == "/web/webclient/version_info") {
      result = version_info(s.options);
    } else if (target == "/web/database/list") {
      result = json::array{s.options.database};
    } else if (target == "/web/session/authenticate") {
      const json::value* db = p.find("db");
      check_database(s, db != nullptr ? *db : json::value(nullptr));
      const json::value* login = p.find("login");
      const json::value* password = p.find("password");
      const fake_user* u = login != nullptr && password != nullptr && login->is_string() && password->is_string()
                               ? s.db.user_by_login(login->as_string())
                               : nullptr;
      // API keys cannot open a web session.
      if (u == nullptr || u->password != password->as_string()) raise("odoo.exceptions.AccessDenied", "Access Denied");
      const std::string new_sid = "fake" + std::to_string(s.next_session++) + "x" + std::to_string(u->uid);
      s.sessions[new_sid] = u->uid;
      extra.push_back({"Set-Cookie", cookie_for(new_sid)});
      result = session_info(s, *u);
    } else if (target == "/web/session/get_session_info") {
      if (!has_session) raise("odoo.http.SessionExpiredException", "Session expired");
      result = session_info(s, *s.db.user(session->second));
    } else if (target == "/web/session/destroy") {
      if (has_session) s.sessions.erase(session);
      omit_null = true;
    } else {  // /web/dataset/call_kw[/model/method]
      if (!has_session) raise("odoo.http.SessionExpiredException", "Session expired");
      const json::value* model = p.find("model");
      const json::value* method = p.find("method");
      if (model == nullptr || method == nullptr || !model->is_string() || !method->is_string())
        raise("builtins.TypeError", "call_kw() missing required arguments: 'model' and 'method'");
      // The web client looks the model up in the registry first: an unknown
      // one is a KeyError here on 17 and earlier, a bare 404 NotFound on 18
      // and 19 (seen on real servers), not the UserError /jsonrpc raises.
      if (!s.db.knows(model->as_string())) {
        if (s.options.major_version >= 18)
          raise("werkzeug.exceptions.NotFound",
                "404 Not Found: The requested URL was not found on the server. If you entered the URL manually "
                "please check your spelling and try again.");
        raise("builtins.KeyError", model->as_string());
      }
      const json::value* args = p.find("args");
      const json::value* kwargs = p.find("kwargs");
      result = run_call(s, named_call(model->as_string(), method->as_string(), args != nullptr ? *args : json::value(json::array{}),
                                      kwargs != nullptr ? *kwargs : json::value(json::object{}), session->second));
    }
    http_response out = reply(200, json_type, envelope_result(id, result, omit_null));
    for (auto& h : extra) out.headers.push_back(std::move(h));
    return out;
  } catch (const odoo_raise& e) {
    return reply(200, json_type, envelope_error(s, id, e));
  }
}

// --- JSON-2 ------------------------------------------------------------------------

http_response json2_error(const odoo_raise& e, int status, bool werkzeug) {
  json::value args = json::array{e.message};
  if (werkzeug) args.as_array().push_back(status);
  return reply(status, json_type,
               json::to_string(json::object{{"name", e.cls}, {"message", e.message}, {"arguments", std::move(args)},
                                            {"context", json::object{}}, {"debug", traceback(e)}}));
}

int json2_status(const odoo_raise& e) {
  if (e.status != 0) return e.status;
  if (e.cls == "odoo.exceptions.AccessDenied") return 401;
  if (e.cls == "odoo.exceptions.AccessError") return 403;
  if (e.cls == "odoo.exceptions.MissingError") return 404;
  if (e.cls == "odoo.exceptions.UserError" || e.cls == "odoo.exceptions.ValidationError") return 422;
  if (e.cls.find("SerializationFailure") != std::string::npos || e.cls.find("LockNotAvailable") != std::string::npos) return 409;
  return 500;
}

http_response werkzeug_error(const char* cls, std::string msg, int status) {
  return json2_error(odoo_raise{std::string("werkzeug.exceptions.") + cls, std::move(msg), status}, status, true);
}

// The user of a bearer API key, or the 401 answer.
std::optional<http_response> bearer(const fake_odoo::state& s, const http_request& r, const fake_user*& u) {
  const std::string_view auth = r.header("Authorization");
  if (auth.size() < 7 || (auth.substr(0, 7) != "bearer " && auth.substr(0, 7) != "Bearer "))
    return werkzeug_error("Unauthorized", "User not authenticated, use an API Key with a Bearer Authorization header.", 401);
  u = s.db.user_by_api_key(auth.substr(7));
  if (u == nullptr) return werkzeug_error("Unauthorized", "Invalid apikey", 401);
  return std::nullopt;
}

// GET /doc-bearer/<model>.json (Odoo 19's api_doc module).
http_response doc_route(fake_odoo::state& s, const http_request& r, const std::string& target) {
  const std::string file = target.substr(12);  // after "/doc-bearer/"
  if (r.method != "GET" || file.size() <= 5 || file.compare(file.size() - 5, 5, ".json") != 0) return not_found();
  const fake_user* u = nullptr;
  if (auto refused = bearer(s, r, u)) return *refused;
  const std::string model = file.substr(0, file.size() - 5);
  if (!s.db.knows(model)) return not_found();
  ++s.stats.per_method["doc-bearer"];
  return reply(200, json_type, json::to_string(model_doc(s.db, model)));
}

http_response json2_route(fake_odoo::state& s, const http_request& r, const std::string& target) {
  const auto werkzeug = werkzeug_error;
  const std::string rest = target.substr(8);  // after "/json/2/"
  const std::size_t slash = rest.find('/');
  if (slash == std::string::npos || r.method != "POST")
    return werkzeug("NotFound", "Did you mean POST /json/2/<model>/<method>?", 404);
  const std::string model = rest.substr(0, slash);
  const std::string method = rest.substr(slash + 1);
  const std::string_view db = r.header("X-Odoo-Database");
  if (!db.empty() && db != s.options.database)
    return reply(404, html_type,
                 "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the "
                 "requested URL was not found in the server-wide controllers.</p>\n");
  if (!json_content(r))
    return html(415, "Unsupported Media Type",
                "The server does not support the media type transmitted in the request.");
  const fake_user* u = nullptr;
  if (auto refused = bearer(s, r, u)) return *refused;
  auto doc = json::parse(r.body);
  if (!doc || !doc.value().is_object())
    return werkzeug("BadRequest", "could not parse the body as json: Expecting value: line 1 column 1 (char 0)", 400);
  try {
    if (!s.db.knows(model)) return werkzeug("NotFound", "the model '" + model + "' does not exist", 404);
    const method_signature sig = signature_of(method);
    fake_call c;
    c.model = model;
    c.method = method;
    c.uid = u->uid;
    for (const auto& [k, v] : doc.value().as_object()) {
      if (k == "ids") {
        if (!sig.on_records) return werkzeug("UnprocessableEntity", "cannot call " + model + "." + method + " with ids", 422);
        c.ids = v;
        continue;
      }
      bool ok = k == "context" || sig.params.empty();
      for (auto p : sig.params) ok = ok || p == k;
      if (!ok) return werkzeug("UnprocessableEntity", "got an unexpected keyword argument '" + k + "'", 422);
      c.params.set(k, v);
    }
    for (std::size_t i = 0; i < sig.required; ++i)
      if (c.params.find(sig.params[i]) == nullptr)
        return werkzeug("UnprocessableEntity", "missing a required argument: '" + std::string(sig.params[i]) + "'", 422);
    json::value result = run_call(s, c);
    if (method == "create" && result.is_int()) result = json::array{result};
    return reply(200, json_type, json::to_string(result));
  } catch (const odoo_raise& e) {
    if (e.cls == "builtins.AttributeError")
      return werkzeug("NotFound", "The method '" + model + "." + method + "' does not exist", 404);
    if (e.cls == "builtins.TypeError") return werkzeug("UnprocessableEntity", e.message, 422);
    return json2_error(e, json2_status(e), false);
  }
}

json::value json2_version(const fake_options& o) {
  return json::object{{"version_info", json::array{o.major_version, 0, 0, "final", 0, ""}},
                      {"version", std::to_string(o.major_version) + ".0"}};
}

// --- XML-RPC -----------------------------------------------------------------------

#if defined(ODOOLINK_HAS_XMLRPC)
// Odoo marshals results with allow_none=False: a None anywhere is a fault.
bool has_none(const json::value& v) {
  if (v.is_null()) return true;
  if (v.is_array())
    for (const auto& e : v.as_array())
      if (has_none(e)) return true;
  if (v.is_object())
    for (const auto& [k, e] : v.as_object())
      if (has_none(e)) return true;
  return false;
}

std::string legacy_fault(const odoo_raise& e) {
  std::string cls = e.cls.substr(e.cls.rfind('.') + 1);
  std::string out = "<?xml version=\"1.0\"?>\n<methodResponse>\n<fault>\n";
  protocol::xmlrpc::write_value(out, json::object{{"faultCode", "warning -- " + cls + "\n\n" + e.message}, {"faultString", ""}});
  return out + "\n</fault>\n\n</methodResponse>\n";
}

http_response xmlrpc_route(fake_odoo::state& s, const http_request& r, const std::string& target) {
  const bool legacy = target.rfind("/xmlrpc/2/", 0) != 0;
  const std::string service = target.substr(target.rfind('/') + 1);
  auto fault = [&](const odoo_raise& e) {
    if (legacy && e.cls.rfind("odoo.exceptions.", 0) == 0) return reply(200, "text/xml; charset=utf-8", legacy_fault(e));
    int code = 1;
    std::string text = traceback(e);
    if (e.cls == "odoo.exceptions.AccessDenied") code = 3, text = e.message;
    else if (e.cls == "odoo.exceptions.AccessError") code = 4, text = e.message;
    else if (e.cls.rfind("odoo.exceptions.", 0) == 0) code = 2, text = e.message;
    return reply(200, "text/xml; charset=utf-8", protocol::xmlrpc::encode_fault(code, text));
  };
  if (r.method != "POST") return html(405, "Method Not Allowed", "The method is not allowed for the requested URL.");
  auto call = protocol::xmlrpc::decode_request(r.body);
  if (!call) return fault(odoo_raise{"xml.parsers.expat.ExpatError", call.error().message(), 0});
  try {
    const json::value& params = call.value().params;
    const json::array none;
    json::value result = dispatch_service(s, service, call.value().method, params.is_array() ? params.as_array() : none);
    if (has_none(result)) raise("builtins.TypeError", "cannot marshal None unless allow_none is enabled");
    return reply(200, "text/xml; charset=utf-8", protocol::xmlrpc::encode_response(result));
  } catch (const odoo_raise& e) {
    return fault(e);
  }
}
#endif

}  // namespace

http_response route(fake_odoo::state& s, const http_request& r) {
  std::string target = r.target;
  if (auto q = target.find('?'); q != std::string::npos) target.resize(q);
  const bool v19 = s.options.major_version >= 19;
  try {
    apply_faults(s, {}, {});
    if (target == "/web/version" || target == "/json/version") {
      if (!v19) return not_found();
      return reply(200, json_type, json::to_string(json2_version(s.options)));
    }
    if (target == "/jsonrpc" || target == "/web/webclient/version_info" || target == "/web/database/list" ||
        target.rfind("/web/session/", 0) == 0 || target.rfind("/web/dataset/call_kw", 0) == 0)
      return json_route(s, r, target);
    if (target.rfind("/json/2/", 0) == 0 && v19) return json2_route(s, r, target);
    if (target.rfind("/doc-bearer/", 0) == 0 && v19) return doc_route(s, r, target);
    if (target.rfind("/report/", 0) == 0) {
      const auto session = s.sessions.find(session_of(r));
      return report_route(s, r.target, session != s.sessions.end() ? session->second : 0);
    }
#if defined(ODOOLINK_HAS_XMLRPC)
    if (target.rfind("/xmlrpc/", 0) == 0) return xmlrpc_route(s, r, target);
#endif
    return not_found();
  } catch (const http_fault& f) {
    http_response out = html(f.status, f.status == 429 ? "Too Many Requests" : "Service Unavailable",
                             f.status == 429 ? "Too many requests." : "The server is temporarily unavailable.");
    out.headers.push_back({"Retry-After", "1"});
    return out;
  }
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
