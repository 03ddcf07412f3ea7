#pragma once
// The PostgreSQL server the outbox tests use: ODOOLINK_TEST_PG (a libpq
// conninfo). Unset, the tests skip — unless ODOOLINK_TEST_PG_REQUIRED=1
// (CI), where a missing server is a failure. Every store gets a fresh
// schema, dropped when the test program ends.

#if defined(ODOOLINK_HAS_POSTGRES)
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <libpq-fe.h>

#include "odoolink/outbox/postgres_store.hpp"

namespace odoolink::test {

inline std::string postgres_conninfo() {
  const char* v = std::getenv("ODOOLINK_TEST_PG");
  return v != nullptr ? v : "";
}

inline bool postgres_required() {
  const char* v = std::getenv("ODOOLINK_TEST_PG_REQUIRED");
  return v != nullptr && std::string(v) == "1";
}

/// True when tests can run; otherwise prints SKIPPED (or fails when required).
inline bool postgres_available() {
  if (!postgres_conninfo().empty()) return true;
  if (postgres_required()) FAIL("ODOOLINK_TEST_PG is not set but ODOOLINK_TEST_PG_REQUIRED=1");
  MESSAGE("SKIPPED: set ODOOLINK_TEST_PG to a libpq conninfo to run the PostgreSQL outbox tests");
  return false;
}

/// Fresh schema names (`odoolink_t<unix time>_<random>`). Schemas of runs
/// older than an hour are dropped when the first one is made: connecting at
/// exit is not possible (libpq's OpenSSL is already cleaned up by then), and
/// concurrent test processes must keep theirs.
class scratch_schemas {
 public:
  static scratch_schemas& instance() {
    static scratch_schemas s;
    return s;
  }
  std::string make() {
    std::random_device rd;
    return "odoolink_t" + std::to_string(now_seconds()) + "_" + std::to_string(rd() % 1000000000U) + "_" +
           std::to_string(++made_);
  }

 private:
  int made_ = 0;
  static long long now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  scratch_schemas() {
    PGconn* c = PQconnectdb(postgres_conninfo().c_str());
    if (PQstatus(c) == CONNECTION_OK) {
      PGresult* r = PQexec(c, "SELECT nspname FROM pg_namespace WHERE nspname ~ '^odoolink_t[0-9]+_'");
      const long long cutoff = now_seconds() - 3600;
      for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); ++i) {
        const std::string name = PQgetvalue(r, i, 0);
        if (std::stoll(name.substr(10)) < cutoff)
          PQclear(PQexec(c, ("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE").c_str()));
      }
      PQclear(r);
    }
    PQfinish(c);
  }
};

inline std::unique_ptr<outbox::postgres_store> open_postgres(const std::string& schema) {
  auto s = outbox::postgres_store::open({.conninfo = postgres_conninfo(), .schema = schema});
  if (!s) FAIL(s.error().describe());
  return std::move(s).value();
}

}  // namespace odoolink::test
#endif
