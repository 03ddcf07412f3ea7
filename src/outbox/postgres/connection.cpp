#include "connection.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::postgres {

namespace {

store_errc code_of_sqlstate(std::string_view state) {
  // 40001 serialization failure, 40P01 deadlock, 55P03 lock not available: try again.
  if (state == "40001" || state == "40P01" || state == "55P03") return store_errc::busy;
  if (state == "23505") return store_errc::conflict;  // unique violation
  if (state.starts_with("08") || state.starts_with("57") || state.starts_with("53")) return store_errc::io_failed;
  if (state.starts_with("XX")) return store_errc::corrupt;
  return store_errc::io_failed;
}

std::string scrub(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) text.replace(at, secret.size(), "***");
  return text;
}

std::string trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

connection::~connection() {
  if (c_ != nullptr && owned_) PQfinish(c_);
}

result<void> connection::open(const std::string& conninfo) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (options == nullptr) {
    // libpq's parse message quotes the text, which may hold the password.
    PQfreemem(parse_error);
    return error(store_errc::io_failed, "postgres outbox store: the connection string is malformed");
  }
  for (auto* o = options; o->keyword != nullptr; ++o)
    if (std::string_view(o->keyword) == "password" && o->val != nullptr) secret_ = o->val;
  PQconninfoFree(options);
  c_ = PQconnectdb(conninfo.c_str());
  if (c_ == nullptr || PQstatus(c_) != CONNECTION_OK)
    return error(store_errc::io_failed,
                 "postgres outbox store: cannot connect: " + scrub(trimmed(c_ != nullptr ? PQerrorMessage(c_) : "out of memory"), secret_));
  return success();
}

error connection::fail(PGresult* r, std::string_view what) const {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const store_errc code = state != nullptr ? code_of_sqlstate(state)
                          : PQstatus(c_) != CONNECTION_OK ? store_errc::io_failed
                                                          : store_errc::io_failed;
  std::string message = "postgres outbox store: " + std::string(what) + ": " + scrub(trimmed(PQerrorMessage(c_)), secret_);
  return error(code, std::move(message));
}

result<rows> connection::run(const char* sql, std::initializer_list<param> params, std::string_view what) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* r = PQexecParams(c_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
  const auto status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    error e = fail(r, what);
    PQclear(r);
    return e;
  }
  return rows(r);
}

result<rows> connection::query(const char* sql, std::string_view what) {
  PGresult* r = PQexec(c_, sql);
  const auto status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    error e = fail(r, what);
    PQclear(r);
    return e;
  }
  return rows(r);
}

result<std::vector<rows>> connection::script(const std::string& sql, std::string_view what) {
  if (PQsendQuery(c_, sql.c_str()) == 0) return fail(nullptr, what);
  std::vector<rows> out;
  std::optional<error> failed;
  while (PGresult* r = PQgetResult(c_)) {
    const auto status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      if (!failed) failed = fail(r, what);
      PQclear(r);
      continue;
    }
    out.emplace_back(r);
  }
  if (failed) return *failed;
  return out;
}

std::string connection::literal(std::string_view text) const {
  char* quoted = PQescapeLiteral(c_, text.data(), text.size());
  if (quoted == nullptr) return "NULL";  // only for invalid encoding: the statement then fails on its NOT NULL
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

std::string with_values(std::string_view sql, std::initializer_list<std::string> values) {
  std::string out;
  out.reserve(sql.size() + 64);
  for (std::size_t i = 0; i < sql.size(); ++i) {
    std::size_t end = i + 1;
    while (sql[i] == '$' && end < sql.size() && sql[end] >= '0' && sql[end] <= '9') ++end;
    if (end > i + 1) {
      const auto n = static_cast<std::size_t>(std::stoul(std::string(sql.substr(i + 1, end - i - 1))));
      if (n >= 1 && n <= values.size()) {
        out += *(values.begin() + (n - 1));
        i = end - 1;
        continue;
      }
    }
    out += sql[i];
  }
  return out;
}

result<void> connection::exec(const char* sql, std::string_view what) {
  ODOOLINK_TRYV(query(sql, what));
  return success();
}

transaction::~transaction() {
  if (open_) (void)c_.exec("ROLLBACK", "rollback");
}

result<void> transaction::begin() {
  ODOOLINK_TRYV(c_.exec("BEGIN", "begin"));
  open_ = true;
  return success();
}

result<void> transaction::commit() {
  open_ = false;  // a failed COMMIT has ended the transaction too
  return c_.exec("COMMIT", "commit");
}

void array_param::add(std::string_view v) {
  separate();
  body_ += '"';
  // Runs without a quote or backslash go in whole: payloads are long.
  for (std::size_t at = 0; at < v.size();) {
    const std::size_t special = std::min(v.find_first_of("\"\\", at), v.size());
    body_.append(v.substr(at, special - at));
    if (special == v.size()) break;
    body_ += '\\';
    body_ += v[special];
    at = special + 1;
  }
  body_ += '"';
}

void array_param::add(std::int64_t v) {
  separate();
  body_ += std::to_string(v);
}

void array_param::add_null() {
  separate();
  body_ += "NULL";
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (const char ch : name) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

}  // namespace outbox::postgres
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
