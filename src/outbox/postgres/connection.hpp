#pragma once
// A libpq connection for the outbox store: parameterised statements with
// text parameters, results that free themselves, SQLSTATE → store_errc, and
// transactions that roll back unless committed.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::postgres {

/// A statement parameter as text; null for SQL NULL.
class param {
 public:
  param(std::string_view v) : text_(v), null_(false) {}  // NOLINT: implicit on purpose
  param(const std::string& v) : text_(v), null_(false) {}  // NOLINT
  param(const char* v) : text_(v), null_(false) {}  // NOLINT
  param(std::int64_t v) : text_(std::to_string(v)), null_(false) {}  // NOLINT
  param(int v) : text_(std::to_string(v)), null_(false) {}  // NOLINT
  [[nodiscard]] const char* c_str() const noexcept { return null_ ? nullptr : text_.c_str(); }

 private:
  std::string text_;
  bool null_;
};

/// A query result.
class rows {
 public:
  explicit rows(PGresult* r) noexcept : r_(r, &PQclear) {}
  [[nodiscard]] int size() const noexcept { return PQntuples(r_.get()); }
  [[nodiscard]] bool null(int row, int col) const noexcept { return PQgetisnull(r_.get(), row, col) != 0; }
  [[nodiscard]] std::string text(int row, int col) const { return {PQgetvalue(r_.get(), row, col), static_cast<std::size_t>(PQgetlength(r_.get(), row, col))}; }
  [[nodiscard]] std::int64_t integer(int row, int col) const { return std::stoll(PQgetvalue(r_.get(), row, col)); }
  [[nodiscard]] std::int64_t affected() const { const char* n = PQcmdTuples(r_.get()); return *n != '\0' ? std::stoll(n) : 0; }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

class connection {
 public:
  connection() = default;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection();

  /// Connects. The error never quotes the conninfo (it may hold a password).
  [[nodiscard]] result<void> open(const std::string& conninfo);
  /// Wraps a connection the host owns (not closed by this object).
  void borrow(PGconn* c) noexcept {
    c_ = c;
    owned_ = false;
  }
  [[nodiscard]] PGconn* handle() const noexcept { return c_; }

  /// Runs `sql` with `params` ($1, $2 ...). `what` names the operation in errors.
  [[nodiscard]] result<rows> run(const char* sql, std::initializer_list<param> params, std::string_view what);
  /// Runs a statement without parameters (several allowed, e.g. schema DDL).
  [[nodiscard]] result<void> exec(const char* sql, std::string_view what);
  /// The same; the rows of the last statement.
  [[nodiscard]] result<rows> query(const char* sql, std::string_view what);
  /// Runs several statements in one round trip; the rows of each, in order.
  /// After a failure the statements after it did not run (an explicit
  /// transaction is then aborted: roll it back).
  [[nodiscard]] result<std::vector<rows>> script(const std::string& sql, std::string_view what);
  /// `text` as an SQL string literal (quoted and escaped for this connection).
  [[nodiscard]] std::string literal(std::string_view text) const;

 private:
  PGconn* c_ = nullptr;
  bool owned_ = true;
  std::string secret_;  // the password, to scrub from server messages
  [[nodiscard]] error fail(PGresult* r, std::string_view what) const;
};

/// BEGIN … COMMIT; ROLLBACK in the destructor unless committed.
class transaction {
 public:
  explicit transaction(connection& c) noexcept : c_(c) {}
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();
  [[nodiscard]] result<void> begin();
  /// Marks the transaction open: `sql` run through `connection::script` began it.
  void began() noexcept { open_ = true; }
  /// Marks it ended: a script committed it.
  void ended() noexcept { open_ = false; }
  [[nodiscard]] result<void> commit();

 private:
  connection& c_;
  bool open_ = false;
};

/// A one-dimensional array parameter in PostgreSQL's text form
/// (`{"a","b",NULL}`), cast in the statement (`$1::text[]`): one statement
/// then carries a whole batch of rows.
class array_param {
 public:
  void add(std::string_view v);
  void add(std::int64_t v);
  void add_null();
  /// The literal, closed with `}`.
  [[nodiscard]] std::string text() const { return body_ + "}"; }

 private:
  std::string body_ = "{";
  void separate() {
    if (body_.size() > 1) body_ += ',';
  }
};

/// `sql` with `$1`, `$2` ... replaced by `values` (literals or numbers, as
/// SQL text), for statements sent in a `script`.
[[nodiscard]] std::string with_values(std::string_view sql, std::initializer_list<std::string> values);

/// `"name"` with quotes doubled: an identifier that cannot inject SQL.
[[nodiscard]] std::string quote_identifier(std::string_view name);

}  // namespace outbox::postgres
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
