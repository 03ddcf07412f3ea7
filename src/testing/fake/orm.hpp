#pragma once
// The fake server's database and ORM: tables of records, the built-in
// methods, access rules and rollback. Errors are thrown as `odoo_raise`
// (the way Python raises them) and turned into wire errors at the edge.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/testing/fake_odoo.hpp"
#include "testing/fake/schema.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

/// An Odoo exception on its way out. `status` is the JSON-2 status when
/// the class alone does not decide it.
struct odoo_raise {
  std::string cls;
  std::string message;
  int status = 0;
};
[[noreturn]] void raise(std::string cls, std::string message, int status = 0);

using row = std::map<std::string, json::value, std::less<>>;

struct table {
  model_def def;
  std::map<std::int64_t, row> rows;
  std::int64_t next_id = 1;
};

/// The ORM. One call at a time; `run` is atomic.
class database {
 public:
  explicit database(const fake_options& options);

  // --- schema -----------------------------------------------------------------
  void add_model(model_def m);
  [[nodiscard]] bool knows(std::string_view model) const { return tables_.count(std::string(model)) > 0; }
  [[nodiscard]] const table& get(std::string_view model) const;
  [[nodiscard]] table& get(std::string_view model);
  [[nodiscard]] std::vector<std::string> model_names() const;
  /// Adds stubs for every relation target that has no model yet.
  void complete_relations();

  // --- users ------------------------------------------------------------------
  [[nodiscard]] const fake_user* user(std::int64_t uid) const;
  [[nodiscard]] const fake_user* user_by_login(std::string_view login) const;
  [[nodiscard]] const fake_user* user_by_secret(std::string_view login, std::string_view secret) const;
  [[nodiscard]] const fake_user* user_by_api_key(std::string_view key) const;
  [[nodiscard]] const fake_options& options() const noexcept { return options_; }

  // --- calls ------------------------------------------------------------------
  /// Runs a call atomically: on a raise every change is undone.
  json::value run(const fake_call& call);
  void on_call(std::string model, std::string method, fake_hook hook) {
    hooks_.insert(hooks_.begin(), {std::move(model), std::move(method), std::move(hook)});
  }
  void set_owner(fake_odoo* owner) { owner_ = owner; }

  /// Runs `body` atomically: when it throws, every change it made is undone
  /// (inside a call or another transaction it joins that one).
  void transaction(const std::function<void()>& body);
  /// Creates a record as the first user with no access checks (seeding).
  std::int64_t insert(std::string_view model, const json::value& vals, std::optional<std::int64_t> id);
  void set_xml_id(std::string_view full, std::string_view model, std::int64_t id);
  [[nodiscard]] std::optional<std::pair<std::string, std::int64_t>> find_xml_id(std::string_view full) const;

  /// A record formatted as `read` would (all or some fields); nullopt when absent.
  [[nodiscard]] std::optional<json::value> read_one(std::string_view model, std::int64_t id,
                                                    const std::vector<std::string>* fields = nullptr) const;
  [[nodiscard]] std::string display_name(std::string_view model, std::int64_t id) const;
  [[nodiscard]] std::string now_text(bool micro) const;

  // Used by the domain evaluator and load.
  [[nodiscard]] const row* find_row(std::string_view model, std::int64_t id) const;
  [[nodiscard]] json::value field_value(std::string_view model, std::int64_t id, const field_def& f) const;
  [[nodiscard]] std::vector<std::int64_t> x2many_ids(std::string_view model, std::int64_t id, const field_def& f) const;
  [[nodiscard]] std::optional<std::string> inverse_of(const model_def& m, const field_def& f) const;

  // Methods (public for load.cpp and the facade).
  std::vector<std::int64_t> search(std::string_view model, const json::value& domain, std::int64_t offset,
                                   std::optional<std::int64_t> limit, std::string_view order, std::int64_t uid,
                                   bool active_test = true);
  std::int64_t create_one(std::string_view model, const json::value& vals, std::int64_t uid,
                          std::optional<std::int64_t> forced_id = std::nullopt);
  void write_ids(std::string_view model, const std::vector<std::int64_t>& ids, const json::value& vals,
                 std::int64_t uid);
  void unlink_ids(std::string_view model, const std::vector<std::int64_t>& ids, std::int64_t uid);
  json::value load(std::string_view model, const json::value& fields, const json::value& data, std::int64_t uid);

 private:
  friend struct method_table;
  struct hook_entry {
    std::string model;
    std::string method;
    fake_hook hook;
  };
  struct undo_entry {
    std::string model;
    std::int64_t id;
    std::optional<row> before;  // nullopt: the record did not exist
  };

  json::value dispatch(const fake_call& call);
  void enter_companies(const fake_call& call);
  json::value builtin(const fake_call& call);
  void remember(std::string_view model, std::int64_t id);
  void rollback();
  void check_model_access(std::string_view model, std::string_view method, std::int64_t uid) const;
  void check_record_rules(std::string_view model, const std::vector<std::int64_t>& ids, std::string_view op,
                          std::int64_t uid) const;
  void check_exist(std::string_view model, const std::vector<std::int64_t>& ids, std::int64_t uid) const;
  void apply_vals(std::string_view model, std::int64_t id, const json::value& vals, std::int64_t uid, bool creating);
  void apply_x2many(std::string_view model, std::int64_t id, const field_def& f, const json::value& value,
                    std::int64_t uid);
  void fill_defaults(std::string_view model, row& r, std::int64_t uid);
  void check_constraints(std::string_view model, std::int64_t id) const;
  [[nodiscard]] json::value format(std::string_view model, std::int64_t id, const field_def& f) const;
  json::value read_group(const fake_call& call);
  json::value web_read(std::string_view model, const std::vector<std::int64_t>& ids, const json::value& spec) const;

  fake_options options_;
  std::map<std::string, table, std::less<>> tables_;
  std::map<std::string, std::pair<std::string, std::int64_t>, std::less<>> xmlids_;
  std::vector<hook_entry> hooks_;
  std::vector<undo_entry> undo_;
  // The running call's current company (the first of its context's
  // `allowed_company_ids`); nullopt: the first company.
  std::optional<std::int64_t> company_;
  bool in_call_ = false;
  fake_odoo* owner_ = nullptr;
};

/// Positional parameter names of a method, as JSON-2 names them, and
/// whether its first positional argument is the record ids.
struct method_signature {
  bool on_records = true;
  std::vector<std::string_view> params;
  std::size_t required = 0;  // leading params without a default
};
[[nodiscard]] method_signature signature_of(std::string_view method);
/// The methods `signature_of` knows, in table order.
[[nodiscard]] std::vector<std::string_view> builtin_methods();
/// The document `/doc-bearer/<model>.json` serves: fields and public
/// methods with their parameters (Odoo 19's api_doc shape).
[[nodiscard]] json::value model_doc(const database& db, std::string_view model);

/// Turns (args, kwargs) into a call with named params. Throws TypeError
/// shapes on a bad argument list.
[[nodiscard]] fake_call named_call(std::string model, std::string method, const json::value& args,
                                   const json::value& kwargs, std::int64_t uid);

/// Evaluates an Odoo domain on one record.
[[nodiscard]] bool matches(const database& db, std::string_view model, std::int64_t id, const json::value& domain);
/// Checks a domain's shape and fields (ValueError as the server words it).
void check_domain(const database& db, std::string_view model, const json::value& domain);

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
