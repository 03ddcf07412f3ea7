#include "connection.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

error make_error(sqlite3* db, int rc, std::string_view what) {
  store_errc code = store_errc::io_failed;  // IOERR, FULL, CANTOPEN, and anything unexpected
  switch (rc & 0xFF) {                      // the primary code of an extended one
    case SQLITE_BUSY:
    case SQLITE_LOCKED: code = store_errc::busy; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT: code = store_errc::corrupt; break;
    case SQLITE_CONSTRAINT: code = store_errc::conflict; break;
    default: break;
  }
  std::string message = "sqlite outbox store: " + std::string(what) + ": ";
  // The connection's message is more precise, but only while it describes `rc`.
  message += db != nullptr && (sqlite3_errcode(db) & 0xFF) == (rc & 0xFF) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return error(code, std::move(message));
}

result<bool> statement::step(std::string_view what) {
  if (rc_ != SQLITE_OK) return make_error(db_, rc_, what);
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return make_error(db_, rc, what);
}

result<void> statement::run(std::string_view what) {
  for (;;) {
    ODOOLINK_TRY(const bool row, step(what));
    if (!row) return success();
  }
}

std::string statement::text(int column) const { return std::string(text_view(column)); }

std::string_view statement::text_view(int column) const noexcept {
  const auto* p = sqlite3_column_text(s_, column);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, column))};
}

connection::~connection() {
  for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  if (db_ != nullptr) sqlite3_close(db_);
}

result<void> connection::open(const std::string& path, int busy_timeout_ms) {
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return make_error(db_, rc, "open " + path);
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  return success();
}

result<statement> connection::prepare(std::string_view sql) {
  auto [it, inserted] = cache_.try_emplace(sql.data(), nullptr);
  if (inserted) {
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &it->second, nullptr);
    if (rc != SQLITE_OK || it->second == nullptr) {
      sqlite3_finalize(it->second);
      cache_.erase(it);
      return make_error(db_, rc == SQLITE_OK ? SQLITE_MISUSE : rc, "prepare a statement");
    }
  }
  return statement(db_, it->second);
}

result<void> connection::exec(const char* sql, std::string_view what) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return make_error(db_, rc, what);
  return success();
}

transaction::~transaction() {
  // SQLite may have rolled back already (after an I/O error or a full disk).
  if (open_ && sqlite3_get_autocommit(c_.handle()) == 0) (void)c_.exec("ROLLBACK", "roll back");
}

result<void> transaction::begin() {
  // A transaction left open (a failed rollback) would make every later call fail.
  if (sqlite3_get_autocommit(c_.handle()) == 0) ODOOLINK_TRYV(c_.exec("ROLLBACK", "roll back a stale transaction"));
  ODOOLINK_TRYV(c_.exec(kind_ == kind::write ? "BEGIN IMMEDIATE" : "BEGIN", "begin a transaction"));
  open_ = true;
  return success();
}

result<void> transaction::commit() {
  ODOOLINK_TRYV(c_.exec("COMMIT", "commit"));
  open_ = false;
  return success();
}

}  // namespace outbox::sqlite
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
