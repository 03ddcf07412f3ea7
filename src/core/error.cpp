#include "odoolink/error.hpp"

#include <array>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace {

class transport_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "odoolink.transport"; }
  std::string message(int ev) const override {
    switch (static_cast<transport_errc>(ev)) {
      case transport_errc::dns_failed: return "host name could not be resolved";
      case transport_errc::connect_failed: return "connection refused or host unreachable";
      case transport_errc::tls_failed: return "TLS handshake failed";
      case transport_errc::certificate_invalid: return "server certificate refused";
      case transport_errc::timeout: return "timed out";
      case transport_errc::connection_lost: return "connection lost before the response was complete";
      case transport_errc::http_status: return "unexpected HTTP status";
      case transport_errc::response_too_large: return "response exceeds the size limit";
      case transport_errc::rate_limited: return "rate limited by the server (HTTP 429)";
      case transport_errc::server_unavailable: return "server unavailable (HTTP 502/503/504)";
      case transport_errc::outcome_unknown: return "request may have been applied; outcome unknown";
      case transport_errc::cancelled: return "request cancelled";
      case transport_errc::invalid_request: return "request could not be sent as given";
      case transport_errc::injected_fault: return "request dropped by fault injection";
    }
    return "unknown transport error";
  }
  std::error_condition default_error_condition(int ev) const noexcept override {
    return {ev, *this};
  }
  bool equivalent(int ev, const std::error_condition& c) const noexcept override {
    if (c.category() == condition_category()) {
      const auto code = std::error_code(ev, *this);
      switch (static_cast<condition>(c.value())) {
        case condition::retryable: return is_retryable(code);
        case condition::permanent: return !is_retryable(code);
        default: return false;
      }
    }
    return std::error_category::equivalent(ev, c);
  }
};

class protocol_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "odoolink.protocol"; }
  std::string message(int ev) const override {
    switch (static_cast<protocol_errc>(ev)) {
      case protocol_errc::malformed_response: return "malformed response";
      case protocol_errc::unexpected_content_type: return "unexpected content type in response";
      case protocol_errc::bad_request: return "server rejected the request as malformed";
      case protocol_errc::response_too_large: return "response body exceeds the codec limit";
      case protocol_errc::nesting_too_deep: return "response nests too deeply";
      case protocol_errc::invalid_utf8: return "invalid UTF-8";
      case protocol_errc::unexpected_type: return "value has an unexpected type";
      case protocol_errc::unsupported_call: return "call cannot be expressed in this protocol";
      case protocol_errc::unknown_field: return "the server's model lacks a field the typed record names";
    }
    return "unknown protocol error";
  }
  bool equivalent(int ev, const std::error_condition& c) const noexcept override {
    if (c == condition::permanent) return true;
    return std::error_category::equivalent(ev, c);
  }
};

class odoo_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "odoolink.odoo"; }
  std::string message(int ev) const override {
    switch (static_cast<odoo_errc>(ev)) {
      case odoo_errc::access_denied: return "access denied (bad login, password or API key)";
      case odoo_errc::access_error: return "access error (not allowed for this user)";
      case odoo_errc::validation_error: return "validation error";
      case odoo_errc::user_error: return "user error";
      case odoo_errc::missing_error: return "record does not exist or has been deleted";
      case odoo_errc::redirect_warning: return "redirect warning";
      case odoo_errc::session_expired: return "session expired";
      case odoo_errc::unknown_model: return "unknown model";
      case odoo_errc::unknown_method: return "unknown method";
      case odoo_errc::wrong_arguments: return "wrong arguments for the method";
      case odoo_errc::invalid_value: return "invalid field or domain";
      case odoo_errc::concurrency_failure: return "concurrent update (serialization failure or lock)";
      case odoo_errc::unknown_database: return "unknown database";
      case odoo_errc::server_error: return "server error";
      case odoo_errc::unmarshallable_result: return "the result cannot be carried by this protocol";
    }
    return "unknown Odoo error";
  }
  bool equivalent(int ev, const std::error_condition& c) const noexcept override {
    if (c.category() != condition_category()) return std::error_category::equivalent(ev, c);
    const auto e = static_cast<odoo_errc>(ev);
    switch (static_cast<condition>(c.value())) {
      case condition::retryable: return e == odoo_errc::concurrency_failure;
      case condition::permanent:
        return e != odoo_errc::concurrency_failure && e != odoo_errc::session_expired;
      case condition::user_error:
        // UserError and its subclasses (ValidationError, MissingError,
        // RedirectWarning) plus AccessError, as Odoo's own client shows them.
        return e == odoo_errc::user_error || e == odoo_errc::validation_error ||
               e == odoo_errc::missing_error || e == odoo_errc::redirect_warning ||
               e == odoo_errc::access_error;
      case condition::auth:
        return e == odoo_errc::access_denied || e == odoo_errc::session_expired;
    }
    return false;
  }
};

class contract_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "odoolink.contract"; }
  std::string message(int ev) const override {
    switch (static_cast<contract_errc>(ev)) {
      case contract_errc::invalid_document: return "invalid contract document";
      case contract_errc::violation: return "payload violates its contract";
      case contract_errc::incompatible: return "contract version is incompatible";
      case contract_errc::unknown_subject: return "unknown contract subject or version";
    }
    return "unknown contract error";
  }
  bool equivalent(int ev, const std::error_condition& c) const noexcept override {
    if (c == condition::permanent) return true;
    return std::error_category::equivalent(ev, c);
  }
};

class store_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "odoolink.store"; }
  std::string message(int ev) const override {
    switch (static_cast<store_errc>(ev)) {
      case store_errc::io_failed: return "store input/output failed";
      case store_errc::corrupt: return "store data failed an integrity check";
      case store_errc::conflict: return "concurrent writer conflict";
      case store_errc::not_found: return "not found in the store";
      case store_errc::busy: return "store is busy";
      case store_errc::dependency_pending: return "a referenced record is not delivered yet";
    }
    return "unknown store error";
  }
  bool equivalent(int ev, const std::error_condition& c) const noexcept override {
    if (c.category() == condition_category()) {
      const bool transient = ev == static_cast<int>(store_errc::busy) ||
                             ev == static_cast<int>(store_errc::conflict) ||
                             ev == static_cast<int>(store_errc::io_failed) ||
                             ev == static_cast<int>(store_errc::dependency_pending);
      if (c.value() == static_cast<int>(condition::retryable)) return transient;
      if (c.value() == static_cast<int>(condition::permanent)) return !transient;
      return false;
    }
    return std::error_category::equivalent(ev, c);
  }
};

class condition_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "odoolink.condition"; }
  std::string message(int ev) const override {
    switch (static_cast<condition>(ev)) {
      case condition::retryable: return "retryable";
      case condition::permanent: return "permanent";
      case condition::user_error: return "refused by a business rule";
      case condition::auth: return "authentication";
    }
    return "unknown condition";
  }
};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

}  // namespace

const std::error_category& transport_category() noexcept { static const transport_category_impl c; return c; }
const std::error_category& protocol_category() noexcept { static const protocol_category_impl c; return c; }
const std::error_category& odoo_category() noexcept { static const odoo_category_impl c; return c; }
const std::error_category& contract_category() noexcept { static const contract_category_impl c; return c; }
const std::error_category& store_category() noexcept { static const store_category_impl c; return c; }
const std::error_category& condition_category() noexcept { static const condition_category_impl c; return c; }

bool is_retryable(std::error_code code) noexcept {
  if (code.category() == transport_category()) {
    switch (static_cast<transport_errc>(code.value())) {
      case transport_errc::dns_failed:  // resolvers fail transiently, offline scanners too
      case transport_errc::connect_failed:
      case transport_errc::timeout:
      case transport_errc::connection_lost:
      case transport_errc::rate_limited:
      case transport_errc::server_unavailable:
      case transport_errc::injected_fault:
        return true;
      default:
        return false;
    }
  }
  if (code.category() == odoo_category()) return code.value() == static_cast<int>(odoo_errc::concurrency_failure);
  if (code.category() == store_category()) return code == make_error_condition(condition::retryable);
  return false;
}

namespace {

// A model name as Python prints a registry KeyError's argument: lower-case
// dotted words ("no.such.model"); RPC service names ("common") have no dot.
bool is_model_name(std::string_view s) noexcept {
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') s = s.substr(1, s.size() - 2);
  if (s.empty() || s.find('.') == std::string_view::npos || s.front() == '.' || s.back() == '.') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  return true;
}

odoo_errc classify_class(std::string_view cls, std::string_view message) noexcept {
  // Exact class paths as recorded from Odoo 18 and 19 (fixtures/*/jsonrpc, json2).
  if (cls == "odoo.exceptions.AccessDenied") return odoo_errc::access_denied;
  if (cls == "odoo.exceptions.AccessError") return odoo_errc::access_error;
  if (cls == "odoo.exceptions.ValidationError") return odoo_errc::validation_error;
  if (cls == "odoo.exceptions.MissingError") return odoo_errc::missing_error;
  if (cls == "odoo.exceptions.RedirectWarning") return odoo_errc::redirect_warning;
  if (cls == "odoo.exceptions.UserError") {
    // Odoo 18/19 raise UserError("Object x doesn't exist") for an unknown model.
    if (starts_with(message, "Object ") && contains(message, " doesn't exist")) return odoo_errc::unknown_model;
    return odoo_errc::user_error;
  }
  if (cls == "odoo.exceptions.CacheMiss") return odoo_errc::missing_error;
  if (cls == "odoo.exceptions.ConcurrencyError" || cls == "odoo.exceptions.LockError")
    return odoo_errc::concurrency_failure;
  if (cls == "odoo.http.SessionExpiredException") return odoo_errc::session_expired;
  if (starts_with(cls, "psycopg2.errors.SerializationFailure") ||
      starts_with(cls, "psycopg2.errors.LockNotAvailable") ||
      starts_with(cls, "psycopg2.errors.DeadlockDetected") ||
      starts_with(cls, "psycopg2.extensions.TransactionRollbackError"))
    return odoo_errc::concurrency_failure;
  if (cls == "psycopg2.OperationalError" && contains(message, "database") && contains(message, "does not exist"))
    return odoo_errc::unknown_database;
  // xmlrpc.client refuses to marshal a None result (Odoo serialises with allow_none=False).
  if (cls == "builtins.TypeError" && starts_with(message, "cannot marshal None")) return odoo_errc::unmarshallable_result;
  // ... nor an integer beyond 32 bits (an id or count past 2^31-1).
  if (cls == "builtins.OverflowError" && contains(message, "XML-RPC limits")) return odoo_errc::unmarshallable_result;
  if (cls == "builtins.TypeError") return odoo_errc::wrong_arguments;
  if (cls == "builtins.ValueError") return odoo_errc::invalid_value;
  if (cls == "builtins.AttributeError" && contains(message, "does not exist")) return odoo_errc::unknown_method;
  // The web session looks the model up in the registry (KeyError: 'x.y');
  // JSON-RPC looks the service up (KeyError: 'name').
  if (cls == "builtins.KeyError") return is_model_name(message) ? odoo_errc::unknown_model : odoo_errc::unknown_method;
  if (cls == "builtins.Exception" && starts_with(message, "Method not found")) return odoo_errc::unknown_method;
  // JSON-2 reports routing failures as werkzeug HTTP exceptions.
  if (cls == "werkzeug.exceptions.Unauthorized") return odoo_errc::access_denied;
  if (cls == "werkzeug.exceptions.Forbidden") return odoo_errc::access_error;
  if (cls == "werkzeug.exceptions.UnprocessableEntity") return odoo_errc::wrong_arguments;
  if (cls == "werkzeug.exceptions.NotFound") {
    if (contains(message, "the model") || contains(message, "model '")) return odoo_errc::unknown_model;
    if (contains(message, "method")) return odoo_errc::unknown_method;
    return odoo_errc::unknown_method;
  }
  return odoo_errc::server_error;
}

}  // namespace

odoo_errc classify_odoo_fault(std::string_view cls, std::string_view message, int http_status) noexcept {
  const odoo_errc code = classify_class(cls, message);
  // JSON-2 reports a concurrency failure as 409 under a generic class.
  if (http_status == 409 && code == odoo_errc::server_error) return odoo_errc::concurrency_failure;
  return code;
}

odoo_errc odoo_errc_from_class(std::string_view cls, std::string_view message) noexcept {
  return classify_odoo_fault(cls, message, 0);
}

std::string_view odoo_errc_name(odoo_errc code) noexcept {
  switch (code) {
    case odoo_errc::access_denied: return "access_denied";
    case odoo_errc::access_error: return "access_error";
    case odoo_errc::validation_error: return "validation_error";
    case odoo_errc::user_error: return "user_error";
    case odoo_errc::missing_error: return "missing_error";
    case odoo_errc::redirect_warning: return "redirect_warning";
    case odoo_errc::session_expired: return "session_expired";
    case odoo_errc::unknown_model: return "unknown_model";
    case odoo_errc::unknown_method: return "unknown_method";
    case odoo_errc::wrong_arguments: return "wrong_arguments";
    case odoo_errc::invalid_value: return "invalid_value";
    case odoo_errc::concurrency_failure: return "concurrency_failure";
    case odoo_errc::unknown_database: return "unknown_database";
    case odoo_errc::server_error: return "server_error";
    case odoo_errc::unmarshallable_result: return "unmarshallable_result";
  }
  return "unknown";
}

error::error(std::error_code code, std::string message)
    : code_(code), detail_(std::make_shared<const detail_t>(detail_t{std::move(message), {}, {}, 0})) {}

error::error(std::error_code code, std::string message, int http_status)
    : code_(code),
      detail_(std::make_shared<const detail_t>(detail_t{std::move(message), {}, {}, http_status})) {}

error error::odoo(odoo_errc code, std::string message, std::string odoo_class, std::string debug, int http_status) {
  return detailed(make_error_code(code), std::move(message), std::move(odoo_class), std::move(debug), http_status);
}

error error::detailed(std::error_code code, std::string message, std::string odoo_class, std::string debug,
                      int http_status) {
  error e(code);
  e.detail_ = std::make_shared<const detail_t>(
      detail_t{std::move(message), std::move(odoo_class), std::move(debug), http_status});
  return e;
}

std::string error::message() const {
  if (detail_ && !detail_->message.empty()) return detail_->message;
  return code_ ? code_.message() : std::string("no error");
}

std::string_view error::odoo_class() const noexcept { return detail_ ? std::string_view(detail_->odoo_class) : std::string_view(); }
std::string_view error::debug() const noexcept { return detail_ ? std::string_view(detail_->debug) : std::string_view(); }
int error::http_status() const noexcept { return detail_ ? detail_->http_status : 0; }

std::string error::describe() const {
  std::string out = code_.category().name();
  out += ": ";
  out += message();
  if (detail_ && !detail_->odoo_class.empty()) {
    out += " [";
    out += detail_->odoo_class;
    out += ']';
  }
  if (detail_ && detail_->http_status != 0) {
    out += " (HTTP ";
    out += std::to_string(detail_->http_status);
    out += ')';
  }
  return out;
}

error error::with_context(std::string_view what) const {
  error e = *this;
  detail_t d = detail_ ? *detail_ : detail_t{};
  std::string msg(what);
  msg += ": ";
  msg += message();
  d.message = std::move(msg);
  e.detail_ = std::make_shared<const detail_t>(std::move(d));
  return e;
}

ODOOLINK_END_NAMESPACE
}  // namespace odoolink
