#pragma once
// The crash test's stand-in for Odoo: a SQLite file with one row per
// external id, written the way Odoo's load by external id behaves (create,
// or update the record already there). `deliveries` counts how often an
// event arrived, so redeliveries after a crash are visible but harmless.
// The child writes through `record_sink`; the parent reads with `read_records`.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "odoolink/error.hpp"
#include "odoolink/outbox/sink.hpp"

namespace odoolink::test::crash {

/// The external id an event's record gets: derived from its idempotency key.
inline constexpr std::string_view external_id_prefix = "crash.";
[[nodiscard]] inline std::string external_id_for(std::string_view idempotency_key) {
  return std::string(external_id_prefix) + std::string(idempotency_key);
}

/// The model name delivered events report.
inline constexpr const char* record_model = "crash.record";

/// One row of the sink. `order` is the row's rowid: the order in which
/// records were first created.
struct record {
  std::int64_t order = 0;
  std::string payload;
  std::int64_t deliveries = 0;
};

namespace detail {

struct db_closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close(db); }
};
using db_handle = std::unique_ptr<sqlite3, db_closer>;

inline error sink_error(sqlite3* db, std::string_view what) {
  return error(store_errc::io_failed,
               "record sink: " + std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

inline result<db_handle> open_sink_db(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  db_handle db(raw);
  if (rc != SQLITE_OK) return sink_error(raw, "open " + path);
  sqlite3_busy_timeout(raw, 10000);
  // Durable before `deliver_one` reports success, like a committed Odoo transaction.
  const char* setup =
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
      "CREATE TABLE IF NOT EXISTS records(external_id TEXT PRIMARY KEY, payload TEXT NOT NULL, "
      "deliveries INTEGER NOT NULL)";
  if (sqlite3_exec(raw, setup, nullptr, nullptr, nullptr) != SQLITE_OK) return sink_error(raw, "create the table");
  return db;
}

struct stmt_finalizer {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using stmt_handle = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

inline result<stmt_handle> prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) return sink_error(db, "prepare");
  return stmt_handle(raw);
}

inline void bind_text(sqlite3_stmt* s, int index, std::string_view v) {
  sqlite3_bind_text64(s, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

}  // namespace detail

/// Upserts each event's record by external id, one durable commit per event.
class record_sink final : public outbox::per_event_sink {
 public:
  [[nodiscard]] static result<std::unique_ptr<record_sink>> open(const std::string& path) {
    auto sink = std::unique_ptr<record_sink>(new record_sink());
    ODOOLINK_TRY(sink->db_, detail::open_sink_db(path));
    sqlite3* db = sink->db_.get();
    ODOOLINK_TRY(sink->upsert_, detail::prepare(db, "INSERT INTO records(external_id, payload, deliveries) "
                                                    "VALUES (?1, ?2, 1) ON CONFLICT(external_id) "
                                                    "DO UPDATE SET deliveries = deliveries + 1"));
    ODOOLINK_TRY(sink->lookup_, detail::prepare(db, "SELECT rowid FROM records WHERE external_id = ?1"));
    return sink;
  }

 protected:
  result<outbox::delivery_result> deliver_one(const outbox::event& e) override {
    const std::string external_id = external_id_for(e.idempotency_key);
    sqlite3_stmt* upsert = upsert_.get();
    detail::bind_text(upsert, 1, external_id);
    detail::bind_text(upsert, 2, e.payload);
    const int rc = sqlite3_step(upsert);
    sqlite3_reset(upsert);
    if (rc != SQLITE_DONE) return detail::sink_error(db_.get(), "upsert a record");
    sqlite3_stmt* lookup = lookup_.get();
    detail::bind_text(lookup, 1, external_id);
    const bool found = sqlite3_step(lookup) == SQLITE_ROW;
    const std::int64_t id = found ? sqlite3_column_int64(lookup, 0) : 0;
    sqlite3_reset(lookup);
    if (!found) return detail::sink_error(db_.get(), "read back a record");
    return outbox::delivery_result{record_model, id, external_id};
  }

 private:
  record_sink() = default;
  detail::db_handle db_;
  detail::stmt_handle upsert_, lookup_;
};

/// Every record in the sink at `path`, by external id.
[[nodiscard]] inline result<std::map<std::string, record>> read_records(const std::string& path) {
  ODOOLINK_TRY(auto db, detail::open_sink_db(path));
  ODOOLINK_TRY(auto s, detail::prepare(db.get(), "SELECT external_id, rowid, payload, deliveries FROM records"));
  std::map<std::string, record> out;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    auto text = [&](int column) {
      const auto* p = sqlite3_column_text(s.get(), column);
      return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
    };
    out[text(0)] = record{sqlite3_column_int64(s.get(), 1), text(2), sqlite3_column_int64(s.get(), 3)};
  }
  if (rc != SQLITE_DONE) return detail::sink_error(db.get(), "read the records");
  return out;
}

}  // namespace odoolink::test::crash
