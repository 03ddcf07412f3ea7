#pragma once
/// @file
/// `fake_odoo`: an in-process Odoo server for host applications' tests. It
/// implements the transport interface (no sockets; `listen()` adds a loopback
/// HTTP port when a test needs one) and answers JSON-RPC (`/jsonrpc`), the web
/// session routes (`/web/session/*`, `/web/dataset/call_kw`), JSON-2
/// (`/json/2/<model>/<method>`, when the fake plays Odoo 19) and XML-RPC
/// (`/xmlrpc/2/common|object`) with the byte formats of the real server.
///
/// Models come from `fields_get` dumps (the 27 shipped models of the series played, or a
/// user's own), so custom models work too. Models that shipped fields point
/// to but that have no dump (res.country, uom.category, ...) exist as small
/// stubs (`name`, `active`, `code` and the magic fields).
///
/// What it implements, as the real server does:
/// - `search`, `search_count`, `search_read`, `read`, `create` (one or a
///   list), `write`, `unlink`, `copy`, `name_search`, `name_create`,
///   `fields_get`, `default_get`, `load`, `read_group`, `web_read` (flat
///   specification) and the methods the SDK calls on `ir.model.data`;
/// - domains: `&` `|` `!`, `=` `!=` `<` `<=` `>` `>=` `in` `not in` `like`
///   `not like` `ilike` `not ilike` `=like` `=ilike` `child_of` `parent_of`
///   `any` `not any`, dotted paths through relations, `(1, '=', 1)` leaves;
/// - values: `false` for empty, many2one as `[id, display_name]`, x2many as
///   id lists and writable through commands (0-6, or a plain id list);
///   the context's `allowed_company_ids` (each must be a company, else
///   AccessError; the first is the current company, which records created
///   without a `company_id` get);
///   `create_date`/`write_date` (UTC, microseconds kept internally so the
///   change feed's same-second rule is exercised) and `create_uid`/`write_uid`;
/// - errors with the real shapes and classes: AccessDenied, AccessError
///   (model access, record rules, private methods), unknown model/method,
///   MissingError, the mandatory-field ValidationError, TypeError/ValueError
///   for bad arguments, fields and domains, SessionExpiredException, and any
///   class a hook raises; every call is atomic (a failure rolls it back).
/// - faults on demand (`inject`): latency, a response lost after the call was
///   applied, 429, 503 and a PostgreSQL serialization failure.
/// - `ir.attachment` (content in `datas` as base64, `file_size` from it) and
///   the context key `bin_size`, which turns binary fields into size texts
///   ("5.00 Mb"); report PDFs at `/report/pdf/<report>/<ids>` for a web
///   session (no session: a 303 to `/web/login`) for the reports of the
///   shipped models (`sale.report_saleorder`, `account.report_invoice`,
///   `purchase.report_purchaseorder`, `stock.report_deliveryslip`);
/// - API keys as Odoo 17-19 hand them out: `res.users.apikeys.description`
///   `make_key` and `res.users.apikeys` `remove` behind the identity check
///   (`res.users.identitycheck` `run_check`, the password in the context on
///   19, in the wizard's field before); generated keys log in on JSON-2 and
///   as passwords until they are removed or their `expiration_date` passed
///   (on the fake's clock).
///
/// Differences from a real server that remain (see also the conformance
/// test, which checks every recorded exchange against the fake):
/// - business logic is not run: no computed amounts or taxes, no stock moves,
///   no sequences beyond `S00001`-style names for orders; `action_confirm`
///   on sale/purchase orders only moves `state`. Hooks (`on_call`) add more.
/// - required fields: a required field left unset gets its type's simple
///   default (first selection value, zero, today/now, the first record of a
///   settings model such as res.company or uom.uom); other required char and
///   many2one fields raise the mandatory-field ValidationError. Odoo's
///   Python-level defaults and constraints are not known, except the
///   partner rules "Contacts require a name" and "no recursive hierarchies".
/// - one2many inverses are guessed (the only many2one of the comodel back to
///   the model, else `<model>_id`, `order_id`, `move_id`, `parent_id`),
///   since `fields_get` does not name them.
/// - `read_group` groups by plain fields (and `:day`/`:month`/`:year` of
///   dates); aggregates are `sum`, `min`, `max`, `avg`, `count`.
/// - tracebacks in `debug` are short synthetic ones ending in the same
///   final exception line; `search_read` on `ir.model.data` knows only the
///   external ids created through the fake (`load`, `seed`).
/// - the web session info (`/web/session/authenticate`, `get_session_info`)
///   carries the session facts (uid, user context, database, version,
///   companies, currencies) but none of the web client's UI data (menus,
///   views, discuss settings, cache hashes).
/// - `web_read` returns a many2one without sub-fields as its bare id; JSON-2
///   is served only when the fake plays Odoo 19, as on the real servers.
/// - `/doc-bearer/<model>.json` (Odoo 19, API key) publishes the signatures
///   of the built-in methods (the standard ORM ones, `has_access`, the
///   archive and state actions); methods that hooks define are not listed.
///
/// Conformance (tests/testing/conformance_test.cpp) replays all 98 Odoo 18
/// and 67 Odoo 19 recordings in order against a fake set up like the
/// recording server; a live test compares it call by call with a real Odoo.
///
/// @par Thread Safety  `send` (and so the loopback listener) serialises
///   calls internally; the other members must not run concurrently with them.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/clock.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/transport/sync_transport.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing {

/// A user of the fake server and what it may do.
struct fake_user {
  std::int64_t uid = 2;
  std::string login = "admin";
  std::string password = "admin";
  std::string api_key;             ///< accepted by JSON-2 and as a password; empty: none
  std::string name = "Mitchell Admin";
  std::set<std::string> denied_models;     ///< every call on these: AccessError
  std::set<std::string> read_only_models;  ///< create/write/unlink on these: AccessError
  /// Per model, a domain the records this user may touch must match
  /// (a record rule); touching others by id is an AccessError.
  std::map<std::string, json::value> record_rules;
};

/// How the fake presents itself.
struct fake_options {
  /// The Odoo series played: 16, 17, 18 or 19. It selects the shipped
  /// models' fields (the recorded `fields_get` of that series); 19 adds
  /// JSON-2 and `/web/version`, and JSON-RPC errors carry code 0 instead of
  /// 200, as the real versions do.
  int major_version = 18;
  std::string database = "odoolink";
  /// Users; the first is the one `seed` and `call` act as by default.
  std::vector<fake_user> users = {fake_user{}};
  /// Load the 27 shipped `fields_get` dumps of `major_version` at construction.
  bool shipped_models = true;
  /// Also create the demo's base records: company 1 (YourCompany), currency
  /// 1 (USD), the admin's partner, uom "Units", product category "All",
  /// warehouse 1 (WH).
  bool base_records = true;
  /// Calendar time for `create_date`/`write_date`; null: the system clock.
  std::shared_ptr<const odoolink::clock> clock;
  /// Sleeps injected latency; null: really sleeps.
  std::shared_ptr<odoolink::sleeper> sleeper;
};

/// The faults `inject` can put on a call.
enum class fake_fault_kind {
  latency,              ///< the call waits `fake_fault::latency`, then runs normally
  lost_response,        ///< the call is applied, then transport_errc::connection_lost (listener: the socket closes)
  status_429,           ///< not applied: 429 Too Many Requests with Retry-After
  status_503,           ///< not applied: 503 Service Unavailable
  concurrency_failure,  ///< not applied: psycopg2 SerializationFailure in the protocol's error shape
};

/// One fault rule: the `count` calls after the first `skip` that match
/// `model` and `method` (empty matches any; only ORM calls match a
/// non-empty one) get `kind`.
struct fake_fault {
  fake_fault_kind kind = fake_fault_kind::lost_response;
  std::string model;
  std::string method;
  std::size_t skip = 0;
  std::size_t count = 1;
  std::chrono::milliseconds latency{0};
};

/// An Odoo exception, as hooks raise it: its Python class (for example
/// `odoo.exceptions.UserError`) and message.
struct fake_exception {
  std::string odoo_class = "odoo.exceptions.UserError";
  std::string message;
};

/// A call as hooks see it. `params` holds every argument by name (the
/// positional ones named as JSON-2 names them, e.g. `vals_list`, `domain`).
struct fake_call {
  std::string model;
  std::string method;
  json::value ids = json::array{};  ///< record ids for record methods
  json::value params = json::object{};
  std::int64_t uid = 0;
};

class fake_odoo;

/// What a hook decides: `nullopt` runs the built-in behaviour, a value is
/// the call's result, a `fake_exception` fails it (and rolls it back).
struct fake_hook_outcome {
  std::optional<json::value> result;
  std::optional<fake_exception> raise;
};
using fake_hook = std::function<std::optional<fake_hook_outcome>(const fake_call&, fake_odoo&)>;

/// Counters of what the fake served.
struct fake_stats {
  std::size_t requests = 0;       ///< HTTP requests received
  std::size_t calls = 0;          ///< ORM calls run (applied or failed)
  std::size_t failed_calls = 0;   ///< ORM calls that raised
  std::size_t faults = 0;         ///< faults injected
  std::map<std::string, std::size_t> per_method;  ///< ORM calls by method name
};

class fake_listener;

/// The fake server. See the file comment.
class fake_odoo final : public transport::sync_transport {
 public:
  explicit fake_odoo(fake_options options = {});
  ~fake_odoo() override;
  fake_odoo(fake_odoo&&) = delete;

  /// Adds (or replaces) a model from its `fields_get` result (a JSON
  /// object of field name → attributes; `type` is required per field).
  /// Errors: protocol_errc::malformed_response naming the model.
  [[nodiscard]] result<void> add_model(std::string_view model, std::string_view fields_get_json);
  /// Adds every `<model>.json` of `folder`; returns how many.
  [[nodiscard]] result<std::size_t> add_models_from(const std::filesystem::path& folder);
  /// The models the fake knows (shipped, added and stubs), sorted.
  [[nodiscard]] std::vector<std::string> models() const;

  /// Creates records from JSON: `{"<model>": [{...vals..., "id"?: n,
  /// "xml_id"?: "module.name"}, ...], ...}`, models in document order. Values
  /// are as `create` takes them; a `"ref:module.name"` string stands for the
  /// id of a record seeded earlier. Runs as the first user, without hooks.
  [[nodiscard]] result<void> seed(std::string_view json_text);

  /// Runs one ORM call in process, as `uid` (0: the first user), with the
  /// same rules, hooks and atomicity as a call over the wire.
  /// Errors: odoo_errc by class, with the Odoo class in `odoo_class()`.
  [[nodiscard]] result<json::value> call(std::string_view model, std::string_view method,
                                         json::value args = json::array{}, json::value kwargs = json::object{},
                                         std::int64_t uid = 0);

  /// Registers a hook run before the built-in `model.method` (either may be
  /// "*" for any); the last registered runs first. Hooks also define new
  /// methods: an unknown method with a hook is not an error.
  void on_call(std::string model, std::string method, fake_hook hook);

  /// Adds a fault rule (see `fake_fault`); rules are tried in order.
  void inject(fake_fault fault);
  /// Removes every fault rule.
  void clear_faults();

  /// Ends every web session: the next call with a session cookie gets
  /// SessionExpiredException, as after a server restart.
  void expire_sessions();

  /// Number of records of `model` (archived ones included).
  [[nodiscard]] std::size_t count(std::string_view model) const;
  /// One stored record as `read` returns it (all fields), or nullopt.
  [[nodiscard]] std::optional<json::value> record(std::string_view model, std::int64_t id) const;
  /// The record of external id `module.name`, as (model, id), or nullopt.
  [[nodiscard]] std::optional<std::pair<std::string, std::int64_t>> xml_id(std::string_view name) const;
  /// What was served so far.
  [[nodiscard]] fake_stats stats() const;

  /// Answers one HTTP request as the server would (never fails, except for
  /// an injected lost response: transport_errc::connection_lost).
  [[nodiscard]] result<http_response> send(const http_request& request) override;

  /// Starts serving on `127.0.0.1:port` (0: a free port) from a thread of
  /// its own, until the returned listener is destroyed. HTTP/1.1 with
  /// Content-Length bodies and keep-alive; one request at a time.
  [[nodiscard]] result<std::unique_ptr<fake_listener>> listen(std::uint16_t port = 0);

  struct state;

 private:
  std::unique_ptr<state> s_;
};

/// A loopback port serving a `fake_odoo` (see `fake_odoo::listen`).
class fake_listener {
 public:
  virtual ~fake_listener() = default;
  /// The port it listens on.
  [[nodiscard]] virtual std::uint16_t port() const noexcept = 0;
  /// `http://127.0.0.1:<port>`.
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
};

}  // namespace testing
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
