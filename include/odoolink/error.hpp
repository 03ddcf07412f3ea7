#pragma once
/// @file
/// The error model of odoolink: error code enums with their categories, a
/// `condition` enum to test for retryable/permanent/user/auth failures, the
/// `error` value that travels in every `result<T>`, and the mapping of Odoo's
/// exception classes onto `odoo_errc`.
///
/// No function of the public API throws to report failure; `result<T>::value()`
/// throws `std::system_error` for callers who prefer exceptions.

#include <boost/outcome/bad_access.hpp>
#include <boost/outcome/basic_result.hpp>
#include <boost/outcome/policy/base.hpp>
#include <boost/outcome/try.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE

/// Failures of the HTTP transport (below the Odoo protocol).
enum class transport_errc {
  dns_failed = 1,        ///< the host name did not resolve
  connect_failed,        ///< connection refused or unreachable
  tls_failed,            ///< TLS handshake failed (other than certificate)
  certificate_invalid,   ///< the server certificate was refused (verification on)
  timeout,               ///< connect or total timeout expired
  connection_lost,       ///< the server closed or reset the connection mid-request
  http_status,           ///< a non-2xx status the protocol does not interpret
  response_too_large,    ///< the response exceeded the configured size limit
  rate_limited,          ///< 429 Too Many Requests
  server_unavailable,    ///< 502/503/504
  outcome_unknown,       ///< the request may have been applied; it is not safe to retry
  cancelled,             ///< the host cancelled the request
  invalid_request,       ///< the request could not be sent as given (bad URL, option)
  injected_fault,        ///< a fault injector dropped the request before sending
};

/// Failures to understand a response (or to build a request).
enum class protocol_errc {
  malformed_response = 1,  ///< the body is not valid JSON/XML or lacks the envelope
  unexpected_content_type, ///< e.g. an HTML error page where JSON was expected
  bad_request,             ///< the server rejected our request as malformed (HTTP 400/415)
  response_too_large,      ///< the body exceeds the codec's size limit
  nesting_too_deep,        ///< the body nests deeper than the codec's limit
  invalid_utf8,            ///< a string is not valid UTF-8
  unexpected_type,         ///< a value has a type the caller did not expect
  unsupported_call,        ///< the call cannot be expressed in this protocol
  unknown_field,           ///< a typed record names a field the server's model lacks (checked before the call)
};

/// Faults raised by the Odoo server, mapped from its exception classes.
enum class odoo_errc {
  access_denied = 1,    ///< odoo.exceptions.AccessDenied, bad/missing API key (401)
  access_error,         ///< odoo.exceptions.AccessError (ACL, record rule, private method)
  validation_error,     ///< odoo.exceptions.ValidationError (also SQL NOT NULL / UNIQUE)
  user_error,           ///< odoo.exceptions.UserError
  missing_error,        ///< odoo.exceptions.MissingError (record deleted or never existed)
  redirect_warning,     ///< odoo.exceptions.RedirectWarning
  session_expired,      ///< odoo.http.SessionExpiredException (JSON-RPC code 100)
  unknown_model,        ///< "Object x doesn't exist" / JSON-2 404 for the model
  unknown_method,       ///< AttributeError on the model, unknown service method, JSON-2 404
  wrong_arguments,      ///< builtins.TypeError, JSON-2 422 on arguments
  invalid_value,        ///< builtins.ValueError: unknown field, bad domain
  concurrency_failure,  ///< PostgreSQL serialization failure or lock not available (retryable)
  unknown_database,     ///< the database does not exist or is filtered out
  server_error,         ///< any other server exception
  unmarshallable_result,  ///< the method ran but its result cannot be carried by the protocol (None over XML-RPC)
};

/// Failures of contract documents and payload validation.
enum class contract_errc {
  invalid_document = 1,  ///< a contract document is malformed
  violation,             ///< a payload does not satisfy its contract
  incompatible,          ///< a new version breaks the compatibility mode
  unknown_subject,       ///< no contract with that subject/version
};

/// Failures of the outbox stores.
enum class store_errc {
  io_failed = 1,    ///< the store could not read or write
  corrupt,          ///< stored data failed an integrity check
  conflict,         ///< a concurrent writer got there first
  not_found,        ///< no such event
  busy,             ///< the store is locked by another process
  dependency_pending,  ///< a record this event references is not delivered yet (retryable)
};

/// Generic conditions that callers (and the relay) test instead of codes.
enum class condition {
  retryable = 1,  ///< trying the same thing again later may succeed
  permanent,      ///< retrying the same request cannot help
  user_error,     ///< a business-rule refusal by Odoo (UserError and subclasses, AccessError)
  auth,           ///< credentials refused or session gone
};

const std::error_category& transport_category() noexcept;
const std::error_category& protocol_category() noexcept;
const std::error_category& odoo_category() noexcept;
const std::error_category& contract_category() noexcept;
const std::error_category& store_category() noexcept;
const std::error_category& condition_category() noexcept;

inline std::error_code make_error_code(transport_errc e) noexcept { return {static_cast<int>(e), transport_category()}; }
inline std::error_code make_error_code(protocol_errc e) noexcept { return {static_cast<int>(e), protocol_category()}; }
inline std::error_code make_error_code(odoo_errc e) noexcept { return {static_cast<int>(e), odoo_category()}; }
inline std::error_code make_error_code(contract_errc e) noexcept { return {static_cast<int>(e), contract_category()}; }
inline std::error_code make_error_code(store_errc e) noexcept { return {static_cast<int>(e), store_category()}; }
inline std::error_condition make_error_condition(condition e) noexcept { return {static_cast<int>(e), condition_category()}; }

/// True when the code is one a later retry of the same request can cure.
/// @par Thread Safety  Pure function.
[[nodiscard]] bool is_retryable(std::error_code code) noexcept;

/// The one classification of Odoo faults shared by every protocol: maps an
/// Odoo exception class path (`error.data.name` on JSON-RPC and the web
/// session, `name` on JSON-2, recovered from the fault code or traceback on
/// XML-RPC), its message and the HTTP status (0 when the protocol carries the
/// fault in a 200 response) to an `odoo_errc`, so the same fault gets the same
/// code on every protocol. The message matters only where Odoo reuses a class:
/// "Object x doesn't exist" (UserError) and `KeyError: 'x.y'` (web session)
/// both mean an unknown model; "cannot marshal None" (TypeError) is a result
/// XML-RPC cannot carry; the status only where a generic class hides the fault
/// (JSON-2 answers a concurrency failure with 409).
/// @returns `odoo_errc::server_error` for any class it does not know.
/// @par Thread Safety  Pure function.
[[nodiscard]] odoo_errc classify_odoo_fault(std::string_view class_path, std::string_view message,
                                            int http_status) noexcept;

/// `classify_odoo_fault(class_path, message, 0)`.
/// @par Thread Safety  Pure function.
[[nodiscard]] odoo_errc odoo_errc_from_class(std::string_view class_path, std::string_view message) noexcept;

/// The enumerator's name, e.g. "unknown_model" (for tools that print codes).
/// @returns "unknown" for a value outside the enumeration.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view odoo_errc_name(odoo_errc code) noexcept;

/// An error as carried by every `result<T>`: a code plus, when known, a human
/// message, the Odoo exception class, the server's debug text (traceback) and
/// the HTTP status. Cheap to copy (the texts are shared).
///
/// Secrets never leave in an `error`: the codecs build messages from server
/// texts and request metadata only, never from credentials, and since a
/// server may echo the request in those texts, the client passes every error
/// it returns through its `secret_scrubber` (see secret_scrubber.hpp).
/// @par Thread Safety  Immutable; safe to share between threads.
class error {
 public:
  error() = default;
  /// An error with only a code; `message()` falls back to the code's message.
  error(std::error_code code) : code_(code) {}  // NOLINT(google-explicit-constructor)
  /// Any error code enum converts implicitly, so `return protocol_errc::x;` works.
  template <class Enum, std::enable_if_t<std::is_error_code_enum_v<Enum>, int> = 0>
  error(Enum e) : code_(make_error_code(e)) {}  // NOLINT(google-explicit-constructor)
  /// A code with a message written for a person.
  error(std::error_code code, std::string message);
  template <class Enum, std::enable_if_t<std::is_error_code_enum_v<Enum>, int> = 0>
  error(Enum e, std::string message) : error(make_error_code(e), std::move(message)) {}
  /// A code with a message and the HTTP status the failure arrived with.
  error(std::error_code code, std::string message, int http_status);

  /// An Odoo fault with everything the server said about it.
  [[nodiscard]] static error odoo(odoo_errc code, std::string message, std::string odoo_class,
                                  std::string debug, int http_status);
  /// Any code with everything the server said about it (e.g. a request the
  /// server refused as malformed, which is our fault, not an Odoo fault).
  [[nodiscard]] static error detailed(std::error_code code, std::string message, std::string odoo_class,
                                      std::string debug, int http_status);

  [[nodiscard]] std::error_code code() const noexcept { return code_; }
  /// The human message: the server's message for Odoo faults, else the one given, else the code's.
  [[nodiscard]] std::string message() const;
  /// Python class path such as `odoo.exceptions.ValidationError`; empty when not an Odoo fault.
  [[nodiscard]] std::string_view odoo_class() const noexcept;
  /// The server's traceback or fault string; empty when the server sent none.
  [[nodiscard]] std::string_view debug() const noexcept;
  /// The HTTP status the error arrived with; 0 when none.
  [[nodiscard]] int http_status() const noexcept;
  /// Whether retrying the same request later can help.
  [[nodiscard]] bool retryable() const noexcept { return is_retryable(code_); }
  /// One line for logs: `category: message [class] (HTTP n)`.
  [[nodiscard]] std::string describe() const;

  /// Returns a copy with a prefix added to the message, to name the context.
  [[nodiscard]] error with_context(std::string_view what) const;

  friend bool operator==(const error& a, const error& b) noexcept { return a.code_ == b.code_; }
  template <class Enum, std::enable_if_t<std::is_error_code_enum_v<Enum>, int> = 0>
  friend bool operator==(const error& a, Enum b) noexcept { return a.code_ == make_error_code(b); }
  friend bool operator==(const error& a, condition c) noexcept { return a.code_ == make_error_condition(c); }

 private:
  struct detail_t {
    std::string message;
    std::string odoo_class;
    std::string debug;
    int http_status = 0;
  };
  std::error_code code_;
  std::shared_ptr<const detail_t> detail_;
};

/// ADL hook so Boost.Outcome treats `error` as an error code (TRY, value()).
inline std::error_code make_error_code(const error& e) noexcept { return e.code(); }

namespace detail {
/// Outcome policy: `.value()` on a failed result throws `std::system_error`
/// with the full message; `.error()` on a success throws `bad_result_access`.
struct result_policy : BOOST_OUTCOME_V2_NAMESPACE::policy::base {
  template <class Impl>
  static constexpr void wide_value_check(Impl&& self) {
    if (!base::_has_value(self)) {
      const auto& e = base::_error(std::forward<Impl>(self));
      throw std::system_error(e.code(), e.message());
    }
  }
  template <class Impl>
  static constexpr void wide_error_check(Impl&& self) {
    if (!base::_has_error(self)) throw BOOST_OUTCOME_V2_NAMESPACE::bad_result_access("no error");
  }
  template <class Impl>
  static constexpr void wide_exception_check(Impl&& self) {
    if (!base::_has_exception(self)) throw BOOST_OUTCOME_V2_NAMESPACE::bad_result_access("no exception");
  }
};
}  // namespace detail

/// The return type of every fallible odoolink function.
template <class T>
using result = BOOST_OUTCOME_V2_NAMESPACE::basic_result<T, error, detail::result_policy>;

/// `return odoolink::success();` for `result<void>`.
using BOOST_OUTCOME_V2_NAMESPACE::success;

ODOOLINK_END_NAMESPACE
}  // namespace odoolink

namespace std {
template <> struct is_error_code_enum<odoolink::transport_errc> : true_type {};
template <> struct is_error_code_enum<odoolink::protocol_errc> : true_type {};
template <> struct is_error_code_enum<odoolink::odoo_errc> : true_type {};
template <> struct is_error_code_enum<odoolink::contract_errc> : true_type {};
template <> struct is_error_code_enum<odoolink::store_errc> : true_type {};
template <> struct is_error_condition_enum<odoolink::condition> : true_type {};
}  // namespace std

#define ODOOLINK_DETAIL_CAT2(a, b) a##b
#define ODOOLINK_DETAIL_CAT(a, b) ODOOLINK_DETAIL_CAT2(a, b)
#define ODOOLINK_DETAIL_TRY(tmp, decl, ...)          \
  auto&& tmp = (__VA_ARGS__);                        \
  if (!tmp) return std::move(tmp).as_failure();      \
  decl = std::move(tmp).assume_value()

/// Propagates a failed `result` to the caller, else declares the value:
/// `ODOOLINK_TRY(auto x, f());`. (Our own macro: Boost.Outcome's TRY changed
/// its declaration syntax between Boost releases.)
#define ODOOLINK_TRY(decl, ...) ODOOLINK_DETAIL_TRY(ODOOLINK_DETAIL_CAT(odoolink_try_, __COUNTER__), decl, __VA_ARGS__)

/// Propagates a failed `result<void>` (or any result whose value is unused).
#define ODOOLINK_TRYV(...)                                                            \
  do {                                                                                \
    auto&& odoolink_tryv_ = (__VA_ARGS__);                                            \
    if (!odoolink_tryv_) return std::move(odoolink_tryv_).as_failure();               \
  } while (false)
