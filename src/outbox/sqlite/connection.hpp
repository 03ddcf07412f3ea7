#pragma once
// A SQLite connection for the outbox store: cached prepared statements,
// typed binding, error mapping to store_errc, and transactions that roll
// back unless committed.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

/// store_errc for a SQLite result code (busy, io_failed, corrupt, conflict),
/// with the operation `what` and SQLite's own message.
[[nodiscard]] error make_error(sqlite3* db, int rc, std::string_view what);

/// A cached prepared statement in use; reset when it goes out of scope, so
/// no half-read statement keeps a read snapshot open.
class statement {
 public:
  statement(sqlite3* db, sqlite3_stmt* s) noexcept : db_(db), s_(s) {}
  statement(statement&& o) noexcept : db_(o.db_), s_(o.s_), rc_(o.rc_) { o.s_ = nullptr; }
  statement& operator=(statement&&) = delete;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() {
    if (s_ != nullptr) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }

  statement& bind(int index, std::int64_t v) {
    if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_int64(s_, index, v);
    return *this;
  }
  statement& bind(int index, std::string_view v) {
    // SQLITE_TRANSIENT: SQLite copies, so temporaries are fine.
    if (rc_ == SQLITE_OK)
      rc_ = sqlite3_bind_text64(s_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
  }

  /// Binds `v` without copying it (the per-event statements bind several
  /// strings each): `v` must stay alive and unchanged until this object is
  /// gone (the statement is reset then).
  statement& bind_view(int index, std::string_view v) {
    if (rc_ == SQLITE_OK)
      rc_ = sqlite3_bind_text64(s_, index, v.data() != nullptr ? v.data() : "", v.size(), SQLITE_STATIC, SQLITE_UTF8);
    return *this;
  }

  /// Steps once: true while a row is available, false when done. A failed
  /// bind is reported here.
  [[nodiscard]] result<bool> step(std::string_view what);
  /// Steps to completion (INSERT/UPDATE/DELETE).
  [[nodiscard]] result<void> run(std::string_view what);

  [[nodiscard]] std::int64_t integer(int column) const noexcept { return sqlite3_column_int64(s_, column); }
  [[nodiscard]] bool is_null(int column) const noexcept { return sqlite3_column_type(s_, column) == SQLITE_NULL; }
  [[nodiscard]] std::string text(int column) const;
  /// The text without a copy, valid until the next step or reset.
  [[nodiscard]] std::string_view text_view(int column) const noexcept;

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
  int rc_ = SQLITE_OK;
};

class connection {
 public:
  connection() = default;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection();

  /// Opens (creating) `path`.
  [[nodiscard]] result<void> open(const std::string& path, int busy_timeout_ms);
  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }

  /// The cached statement for `sql`, reset and unbound. `sql` keys the cache
  /// by address: it must be a string literal or otherwise outlive the connection.
  [[nodiscard]] result<statement> prepare(std::string_view sql);
  /// Runs statements without results (schema, pragmas, transaction control).
  [[nodiscard]] result<void> exec(const char* sql, std::string_view what);
  /// Rows changed by the last INSERT, UPDATE or DELETE.
  [[nodiscard]] std::int64_t changes() const noexcept { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

/// One transaction; rolls back in the destructor unless `commit` succeeded.
class transaction {
 public:
  enum class kind {
    /// `BEGIN IMMEDIATE`: takes the write lock at once, so writers in other
    /// processes queue on the busy timeout instead of failing at commit.
    write,
    /// `BEGIN`: one consistent snapshot for calls that read several times.
    read,
  };
  transaction(connection& c, kind k) noexcept : c_(c), kind_(k) {}
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();

  [[nodiscard]] result<void> begin();
  [[nodiscard]] result<void> commit();

 private:
  connection& c_;
  kind kind_;
  bool open_ = false;
};

}  // namespace outbox::sqlite
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
