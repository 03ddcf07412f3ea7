// The SQLite store: the conformance suite on a fresh file per test, plus
// persistence, several connections, durability modes, locked and damaged
// files, and atomic batches.
#if defined(ODOOLINK_HAS_SQLITE)
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include <sqlite3.h>

#include "odoolink/outbox/sqlite_store.hpp"
#include "outbox/support/store_conformance.hpp"

namespace {

namespace fs = std::filesystem;
namespace ob = odoolink::outbox;
using odoolink::store_errc;
using odoolink::test::claim_at;
using odoolink::test::make_event;
using odoolink::test::t0;
using namespace std::chrono_literals;

// A fresh directory under the build tree, removed with the object.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::random_device rd;
    path = fs::path(ODOOLINK_TEST_BINARY_DIR) / ("sqlite-store-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
};

std::unique_ptr<ob::sqlite_store> open_or_fail(const std::string& path,
                                               ob::sqlite_durability d = ob::sqlite_durability::full) {
  auto s = ob::sqlite_store::open({.path = path, .durability = d});
  if (!s) FAIL(s.error().describe());
  return std::move(s).value();
}

// Runs SQL on the file through a connection of its own, as another program would.
void raw_exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

// The first column of the first row `sql` returns, read through a connection of its own.
std::string raw_text(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
      sqlite3_column_text(st, 0) != nullptr)
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::vector<ob::new_event> numbered_events(int n, const std::string& prefix = "k") {
  std::vector<ob::new_event> batch;
  for (int i = 0; i < n; ++i) batch.push_back(make_event(prefix + std::to_string(i)));
  return batch;
}

struct sqlite_factory {
  static constexpr const char* name = "SQLite";
  static std::unique_ptr<ob::store> make() {
    // One directory per test run, a new file in it per store.
    static temp_dir dir;
    static int n = 0;
    return open_or_fail(dir.file("conformance-" + std::to_string(++n) + ".db"));
  }
};

}  // namespace

ODOOLINK_STORE_CONFORMANCE(sqlite_factory);

TEST_CASE("sqlite store: events and the audit chain survive reopening") {
  temp_dir dir;
  const auto path = dir.file("outbox.db");
  std::vector<ob::new_event> batch{make_event("k1", "A"), make_event("k2", "A")};
  {
    auto s = open_or_fail(path);
    REQUIRE(s->enqueue(batch));
    auto claimed = s->claim(claim_at(t0(), 1));
    REQUIRE(claimed);
    std::vector<ob::settlement> ok{odoolink::test::delivered(claimed.value()[0])};
    REQUIRE(s->settle("relay-a", t0(), ok));
    REQUIRE(s->inbox_record("inbound-1", t0(), std::chrono::minutes(1)));
  }
  auto s = open_or_fail(path);
  auto st = s->stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 1);
  CHECK(st.value().pending == 1);
  CHECK(st.value().oldest_pending_created_at == t0());
  auto k1 = s->find_by_key("k1");
  REQUIRE(k1);
  REQUIRE(k1.value().has_value());
  CHECK(k1.value()->result.external_id == "pos.k1");
  CHECK(k1.value()->updated_at == t0());
  auto seen = s->inbox_record("inbound-1", t0() + std::chrono::seconds(1), std::chrono::minutes(1));
  REQUIRE(seen);
  CHECK_FALSE(seen.value());
  auto rows = s->audit(0, 100);
  REQUIRE(rows);
  CHECK(rows.value().size() == 3);
  CHECK(ob::verify_audit_chain(rows.value()));
  // The chain and the sequence continue where they stopped.
  std::vector<ob::new_event> more{make_event("k3")};
  auto out = s->enqueue(more);
  REQUIRE(out);
  CHECK(out.value()[0].sequence == 3);
  auto all = s->audit(0, 100);
  REQUIRE(all);
  CHECK(all.value().size() == 4);
  CHECK(ob::verify_audit_chain(all.value()));
}

// A copy of the version 2 file the store wrote (tests/fixtures/outbox), at `path`.
void load_v2_fixture(const std::string& path) {
  std::ifstream in(fs::path(ODOOLINK_FIXTURES_DIR) / "outbox" / "sqlite_store_v2.sql");
  REQUIRE(in);
  const std::string sql((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  raw_exec(path, sql.c_str());
  REQUIRE(raw_text(path, "PRAGMA user_version") == "2");
}

TEST_CASE("sqlite store: a version 1 file gains the trace context column and keeps its events") {
  temp_dir dir;
  const auto path = dir.file("v1.db");
  load_v2_fixture(path);
  // Back to the first schema: no trace context column, version 1, one more event stored by it.
  raw_exec(path,
           "ALTER TABLE odoolink_events DROP COLUMN traceparent; PRAGMA user_version = 1; "
           "INSERT INTO odoolink_events(id, idempotency_key, aggregate_key, subject, contract_version, fingerprint, "
           "payload, correlation_id, causation_id, created_at, next_attempt_at, updated_at) "
           "VALUES ('old-1', 'old', '', 'customer', '1.0.0', 'f', '{}', '', '', 1, 1, 1)");
  auto s = open_or_fail(path);
  CHECK(raw_text(path, "PRAGMA user_version") == "3");
  auto old = s->find("old-1");
  REQUIRE(old);
  REQUIRE(old.value());
  CHECK(old.value()->traceparent.empty());
  CHECK(old.value()->state == ob::event_state::pending);
  auto traced = make_event("new");
  traced.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  REQUIRE(s->enqueue(std::vector<ob::new_event>{traced}));
  auto found = s->find_by_key("new");
  REQUIRE(found);
  REQUIRE(found.value());
  CHECK(found.value()->traceparent == traced.traceparent);
}

// The fixture's clock: its events were stored at t0 + their index in seconds.
ob::timestamp v2_at(int seconds) { return t0() + std::chrono::seconds(seconds); }

std::optional<ob::event> find_key(ob::store& s, const std::string& key) {
  auto found = s.find_by_key(key);
  REQUIRE(found);
  return found.value();
}

TEST_CASE("sqlite store: a version 2 file moves into the split tables with every field") {
  temp_dir dir;
  const auto path = dir.file("v2.db");
  load_v2_fixture(path);
  const auto v2_payload = raw_text(path, "SELECT payload FROM odoolink_events WHERE idempotency_key = 'v2-leased'");
  REQUIRE_FALSE(v2_payload.empty());
  auto s = open_or_fail(path);
  CHECK(raw_text(path, "PRAGMA user_version") == "3");
  CHECK(raw_text(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'odoolink_events_v2%'") == "0");

  auto st = s->stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 1);
  CHECK(st.value().dead == 1);
  CHECK(st.value().discarded == 1);
  CHECK(st.value().pending == 3);
  CHECK(st.value().in_flight == 1);
  CHECK(st.value().oldest_pending_created_at == v2_at(3));

  const auto delivered = find_key(*s, "v2-delivered");
  REQUIRE(delivered);
  CHECK(delivered->state == ob::event_state::delivered);
  CHECK(delivered->result.model == "res.partner");
  CHECK(delivered->result.record_id == 42);
  CHECK(delivered->result.external_id == "pos.v2-delivered");
  CHECK(delivered->attempts == 1);
  CHECK(delivered->updated_at == v2_at(11));
  CHECK(delivered->aggregate_key == "A");
  CHECK(delivered->correlation_id == "corr-v2");
  CHECK(delivered->fingerprint == std::string(64, 'f'));
  const auto dead = find_key(*s, "v2-dead");
  REQUIRE(dead);
  CHECK(dead->state == ob::event_state::dead);
  CHECK(dead->last_error == "refused: bad vat");
  const auto discarded = find_key(*s, "v2-discarded");
  REQUIRE(discarded);
  CHECK(discarded->state == ob::event_state::discarded);
  const auto retry = find_key(*s, "v2-retry");
  REQUIRE(retry);
  CHECK(retry->state == ob::event_state::pending);
  CHECK(retry->attempts == 1);
  CHECK(retry->next_attempt_at == v2_at(70));
  CHECK(retry->last_error == "503");
  CHECK(retry->traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const auto leased = find_key(*s, "v2-leased");
  REQUIRE(leased);
  CHECK(leased->state == ob::event_state::in_flight);
  CHECK(leased->lease_owner == "till-1/0123456789ab");
  CHECK(leased->lease_until == v2_at(40));
  CHECK(leased->payload == v2_payload);

  // Found by result through the new indexes, listed in order.
  ob::event_filter by_result;
  by_result.result_external_id = "pos.v2-delivered";
  auto listed = s->list(by_result);
  REQUIRE(listed);
  REQUIRE(listed.value().size() == 1);
  CHECK(listed.value()[0].id == delivered->id);
  ob::event_filter by_record;
  by_record.result_model = "res.partner";
  by_record.result_record_id = 42;
  auto records = s->list(by_record);
  REQUIRE(records);
  CHECK(records.value().size() == 1);
  auto all = s->list({});
  REQUIRE(all);
  REQUIRE(all.value().size() == 7);
  CHECK(std::is_sorted(all.value().begin(), all.value().end(),
                       [](const ob::event& a, const ob::event& b) { return a.sequence < b.sequence; }));

  // The lease holds its fence: another owner cannot settle it, its owner can.
  std::vector<ob::settlement> done{odoolink::test::delivered(*leased)};
  auto stranger = s->settle("relay-b", v2_at(20), done);
  REQUIRE(stranger);
  CHECK(stranger.value() == std::vector<bool>{false});
  // Per-aggregate order: A's pending event waits for nothing (its predecessor was delivered),
  // E's in-flight one is leased until 40, the retry is due at 70.
  auto claimed = s->claim(claim_at(v2_at(20), 10, "relay-b"));
  REQUIRE(claimed);
  std::set<std::string> keys;
  for (const auto& e : claimed.value()) keys.insert(e.idempotency_key);
  CHECK(keys == std::set<std::string>{"v2-pending-a", "v2-pending-free"});
  auto owner = s->settle("till-1/0123456789ab", v2_at(21), done);
  REQUIRE(owner);
  CHECK(owner.value() == std::vector<bool>{true});
  std::vector<ob::settlement> claimed_done;
  for (const auto& e : claimed.value()) claimed_done.push_back(odoolink::test::delivered(e));
  auto second = s->settle("relay-b", v2_at(22), claimed_done);
  REQUIRE(second);
  CHECK(second.value() == std::vector<bool>{true, true});

  // The chain goes on from the version 2 rows and verifies end to end.
  auto rows = s->audit(0, 100);
  REQUIRE(rows);
  CHECK(rows.value().size() == 15);
  CHECK(ob::verify_audit_chain(rows.value()));
  auto inbox = s->inbox_record("inbound-v2", v2_at(14), std::chrono::minutes(10));
  REQUIRE(inbox);
  CHECK_FALSE(inbox.value());

  // Sequences go on after the highest one, even once it is purged.
  auto purged = s->purge(v2_at(100));
  REQUIRE(purged);
  CHECK(purged.value() == 5);
  CHECK(raw_text(path, "SELECT max(sequence) FROM odoolink_events") == "4");
  auto more = s->enqueue(std::vector<ob::new_event>{make_event("after-v2")});
  REQUIRE(more);
  CHECK(more.value()[0].sequence == 8);
  CHECK(raw_text(path, "SELECT count(*) FROM odoolink_events") ==
        raw_text(path, "SELECT count(*) FROM odoolink_event_state"));
}

TEST_CASE("sqlite store: an empty version 2 file upgrades and numbers its first event 1") {
  temp_dir dir;
  const auto path = dir.file("v2-empty.db");
  load_v2_fixture(path);
  // As the version 2 store left a file it never stored an event in.
  raw_exec(path, "DELETE FROM odoolink_events; DELETE FROM odoolink_audit; DELETE FROM odoolink_inbox; "
                 "DELETE FROM sqlite_sequence");
  auto s = open_or_fail(path);
  CHECK(raw_text(path, "PRAGMA user_version") == "3");
  auto out = s->enqueue(std::vector<ob::new_event>{make_event("first")});
  REQUIRE(out);
  CHECK(out.value()[0].sequence == 1);
  auto claimed = s->claim(claim_at(t0()));
  REQUIRE(claimed);
  REQUIRE(claimed.value().size() == 1);
  CHECK(claimed.value()[0].attempts == 1);
}

TEST_CASE("sqlite store: a failed version 2 upgrade leaves the file as it was") {
  temp_dir dir;
  const auto path = dir.file("v2.db");
  load_v2_fixture(path);
  // A view in the way of the new state table: the upgrade fails after it renamed the old table.
  raw_exec(path, "CREATE VIEW odoolink_event_state AS SELECT 1 AS sequence");
  auto s = ob::sqlite_store::open({.path = path});
  REQUIRE_FALSE(s);
  CHECK(raw_text(path, "PRAGMA user_version") == "2");
  CHECK(raw_text(path, "SELECT count(*) FROM odoolink_events") == "7");
  CHECK(raw_text(path, "SELECT count(*) FROM sqlite_master WHERE name = 'odoolink_events_open'") == "1");
  CHECK(raw_text(path, "SELECT count(*) FROM sqlite_master WHERE name = 'odoolink_events_v2'") == "0");
}

TEST_CASE("sqlite store: the file is in WAL mode and purged sequences are not reused") {
  temp_dir dir;
  const auto path = dir.file("outbox.db");
  auto s = open_or_fail(path);
  auto batch = numbered_events(2);
  REQUIRE(s->enqueue(batch));
  auto claimed = s->claim(claim_at(t0()));
  REQUIRE(claimed);
  std::vector<ob::settlement> ok{odoolink::test::delivered(claimed.value()[0]),
                                 odoolink::test::delivered(claimed.value()[1])};
  REQUIRE(s->settle("relay-a", t0(), ok));
  auto purged = s->purge(t0() + std::chrono::seconds(1));
  REQUIRE(purged);
  CHECK(purged.value() == 2);
  std::vector<ob::new_event> next{make_event("k9")};
  auto out = s->enqueue(next);
  REQUIRE(out);
  CHECK(out.value()[0].sequence == 3);
  CHECK(raw_text(path, "PRAGMA journal_mode") == "wal");
  CHECK(raw_text(path, "PRAGMA user_version") == "3");
}

TEST_CASE("sqlite store: durability normal stores and reopens like full") {
  temp_dir dir;
  const auto path = dir.file("outbox.db");
  {
    auto s = open_or_fail(path, ob::sqlite_durability::normal);
    auto batch = numbered_events(50);
    REQUIRE(s->enqueue(batch));
    auto claimed = s->claim(claim_at(t0(), 10));
    REQUIRE(claimed);
    CHECK(claimed.value().size() == 10);
  }
  auto s = open_or_fail(path, ob::sqlite_durability::full);
  auto st = s->stats();
  REQUIRE(st);
  CHECK(st.value().pending == 40);
  CHECK(st.value().in_flight == 10);
}

TEST_CASE("sqlite store: two connections on one file never claim the same event") {
  temp_dir dir;
  const auto path = dir.file("outbox.db");
  auto a = open_or_fail(path);
  auto b = open_or_fail(path, ob::sqlite_durability::normal);
  auto batch = numbered_events(40);
  REQUIRE(a->enqueue(batch));
  auto first = a->claim(claim_at(t0(), 25, "relay-a"));
  auto second = b->claim(claim_at(t0(), 25, "relay-b"));
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first.value().size() == 25);
  CHECK(second.value().size() == 15);
  std::set<std::string> ids;
  for (const auto& e : first.value()) ids.insert(e.id);
  for (const auto& e : second.value()) CHECK_FALSE(ids.contains(e.id));
  // b sees a's claims: an outcome under another owner is refused.
  std::vector<ob::settlement> wrong_owner{odoolink::test::delivered(first.value()[0])};
  auto refused = b->settle("relay-b", t0(), wrong_owner);
  REQUIRE(refused);
  CHECK(refused.value() == std::vector<bool>{false});
}

TEST_CASE("sqlite store: relays in two threads with their own connections share the work") {
  temp_dir dir;
  const auto path = dir.file("outbox.db");
  constexpr int total = 300;
  std::atomic<bool> enqueued_all{false};
  std::atomic<int> failures{0};
  // Each thread its own connection (opened here: assertions stay on this thread).
  auto relay_loop = [&](ob::store* s, std::string owner, std::vector<std::string>& claimed_ids) {
    for (;;) {
      const bool last_round = enqueued_all.load();
      auto claimed = s->claim(claim_at(t0(), 7, owner));
      if (!claimed) {
        ++failures;
        return;
      }
      std::vector<ob::settlement> done;
      for (const auto& e : claimed.value()) {
        claimed_ids.push_back(e.id);
        done.push_back(odoolink::test::delivered(e));
      }
      auto applied = s->settle(owner, t0(), done);
      if (!applied || std::count(applied.value().begin(), applied.value().end(), false) != 0) ++failures;
      if (claimed.value().empty() && last_round) return;
    }
  };
  auto writer = open_or_fail(path);
  auto a = open_or_fail(path, ob::sqlite_durability::normal);
  auto b = open_or_fail(path, ob::sqlite_durability::normal);
  std::vector<std::string> claimed_a, claimed_b;
  std::thread ta(relay_loop, a.get(), "relay-a", std::ref(claimed_a));
  std::thread tb(relay_loop, b.get(), "relay-b", std::ref(claimed_b));
  for (int chunk = 0; chunk < total / 10; ++chunk) {
    auto batch = numbered_events(10, "c" + std::to_string(chunk) + "-");
    if (!writer->enqueue(batch)) ++failures;
  }
  enqueued_all = true;
  ta.join();
  tb.join();
  CHECK(failures.load() == 0);
  std::set<std::string> all(claimed_a.begin(), claimed_a.end());
  for (const auto& id : claimed_b) CHECK_FALSE(all.contains(id));
  all.insert(claimed_b.begin(), claimed_b.end());
  CHECK(all.size() == total);
  CHECK(claimed_a.size() + claimed_b.size() == total);
  auto st = writer->stats();
  REQUIRE(st);
  CHECK(st.value().delivered == total);
  auto rows = writer->audit(0, 10 * total);
  REQUIRE(rows);
  CHECK(rows.value().size() == 2 * total);
  CHECK(ob::verify_audit_chain(rows.value()));
}

TEST_CASE("sqlite store: a batch that fails halfway stores nothing") {
  temp_dir dir;
  auto s = open_or_fail(dir.file("outbox.db"));
  auto batch = numbered_events(1000);
  batch[700].id = batch[10].id;  // the same event id under another key: a constraint failure mid-batch
  auto out = s->enqueue(batch);
  REQUIRE_FALSE(out);
  CHECK(out.error().code() == store_errc::conflict);
  CHECK(out.error().message().find("store an event") != std::string::npos);
  auto st = s->stats();
  REQUIRE(st);
  CHECK(st.value().pending == 0);
  auto rows = s->audit(0, 10);
  REQUIRE(rows);
  CHECK(rows.value().empty());
  auto none = s->find_by_key("k5");
  REQUIRE(none);
  CHECK_FALSE(none.value().has_value());
  // The same batch, repaired, goes in whole, numbered from 1.
  batch[700].id = ob::make_uuid_v7(t0());
  auto stored = s->enqueue(batch);
  REQUIRE(stored);
  CHECK(stored.value().front().sequence == 1);
  CHECK(stored.value().back().sequence == 1000);
  auto after = s->stats();
  REQUIRE(after);
  CHECK(after.value().pending == 1000);
}

// Every event of `claimed` still in flight under relay-a, and the audit log still the enqueued rows only, chained.
void check_nothing_settled(ob::store& s, const std::vector<ob::event>& claimed, std::size_t enqueued) {
  for (const auto& e : claimed) {
    auto found = s.find(e.id);
    REQUIRE(found);
    REQUIRE(found.value().has_value());
    CHECK(found.value()->state == ob::event_state::in_flight);
    CHECK(found.value()->lease_owner == "relay-a");
  }
  auto rows = s.audit(0, 100);
  REQUIRE(rows);
  CHECK(rows.value().size() == enqueued);
  CHECK(ob::verify_audit_chain(rows.value()));
}

TEST_CASE("sqlite store: settle and claim commit together or not at all") {
  temp_dir dir;
  const std::string path = dir.file("outbox.db");
  auto s = open_or_fail(path);
  auto batch = numbered_events(3);
  REQUIRE(s->enqueue(batch));
  auto first = s->claim(claim_at(t0(), 2));
  REQUIRE(first);
  REQUIRE(first.value().size() == 2);
  const std::vector<ob::settlement> done{odoolink::test::delivered(first.value()[0]),
                                         odoolink::test::delivered(first.value()[1])};

  // The claim fails after both settlements were written: they are rolled back with it.
  raw_exec(path, "CREATE TRIGGER fail_claim BEFORE UPDATE OF lease_owner ON odoolink_event_state WHEN NEW.state = 1 "
                 "BEGIN SELECT RAISE(ABORT, 'injected claim failure'); END");
  auto claim_failed = s->settle_and_claim(done, claim_at(t0() + 1s, 8));
  REQUIRE_FALSE(claim_failed);
  CHECK(claim_failed.error().code() == store_errc::conflict);
  check_nothing_settled(*s, first.value(), 3);
  auto third = s->find(batch[2].id);
  REQUIRE(third);
  CHECK(third.value()->state == ob::event_state::pending);
  CHECK(third.value()->attempts == 0);

  // The second settlement fails: the first one, and its audit row, are rolled back too.
  const std::string fail_second = "DROP TRIGGER fail_claim; CREATE TRIGGER fail_second BEFORE UPDATE OF state ON "
                                  "odoolink_event_state WHEN OLD.sequence = " +
                                  std::to_string(first.value()[1].sequence) +
                                  " BEGIN SELECT RAISE(ABORT, 'injected settle failure'); END";
  raw_exec(path, fail_second.c_str());
  auto settle_failed = s->settle_and_claim(done, claim_at(t0() + 1s, 8));
  REQUIRE_FALSE(settle_failed);
  check_nothing_settled(*s, first.value(), 3);

  // Repaired, the same call applies both and claims the third event.
  raw_exec(path, "DROP TRIGGER fail_second");
  auto both = s->settle_and_claim(done, claim_at(t0() + 2s, 8));
  REQUIRE(both);
  CHECK(both.value().applied == std::vector<bool>{true, true});
  REQUIRE(both.value().claimed.size() == 1);
  CHECK(both.value().claimed[0].id == batch[2].id);
  CHECK(both.value().claimed[0].attempts == 1);
  auto st = s->stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 2);
  CHECK(st.value().in_flight == 1);
  auto rows = s->audit(0, 100);
  REQUIRE(rows);
  CHECK(rows.value().size() == 5);
  CHECK(ob::verify_audit_chain(rows.value()));
}

TEST_CASE("sqlite store: a database locked by another writer reports busy after the timeout") {
  temp_dir dir;
  const auto path = dir.file("outbox.db");
  auto s = ob::sqlite_store::open({.path = path, .busy_timeout = std::chrono::milliseconds(50)});
  REQUIRE(s);
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto batch = numbered_events(3);
  auto locked = s.value()->enqueue(batch);
  REQUIRE_FALSE(locked);
  CHECK(locked.error().code() == store_errc::busy);
  CHECK(locked.error().message().find("begin a transaction") != std::string::npos);
  REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(other);
  REQUIRE(s.value()->enqueue(batch));
  auto st = s.value()->stats();
  REQUIRE(st);
  CHECK(st.value().pending == 3);
}

TEST_CASE("sqlite store: a file that is not an outbox is refused cleanly") {
  temp_dir dir;
  SUBCASE("random bytes") {
    const auto path = dir.file("garbage.db");
    {
      std::ofstream out(path, std::ios::binary);
      std::mt19937 gen(42);
      for (int i = 0; i < 8192; ++i) out.put(static_cast<char>(gen()));
    }
    auto s = ob::sqlite_store::open({.path = path});
    REQUIRE_FALSE(s);
    CHECK(s.error().code() == store_errc::corrupt);
    CHECK(s.error().message().find("not a database") != std::string::npos);
  }
  SUBCASE("another application's database") {
    const auto path = dir.file("other.db");
    raw_exec(path, "CREATE TABLE invoices(id INTEGER)");
    auto s = ob::sqlite_store::open({.path = path});
    REQUIRE_FALSE(s);
    CHECK(s.error().code() == store_errc::corrupt);
    CHECK(s.error().message().find("not an odoolink outbox") != std::string::npos);
    // Refused before anything was written: still its owner's journal mode, no tables of ours.
    CHECK(raw_text(path, "PRAGMA journal_mode") == "delete");
    CHECK(raw_text(path, "SELECT count(*) FROM sqlite_master") == "1");
  }
  SUBCASE("a known version without the outbox tables") {
    const auto path = dir.file("hollow.db");
    raw_exec(path, "PRAGMA user_version = 1");
    auto s = ob::sqlite_store::open({.path = path});
    REQUIRE_FALSE(s);
    CHECK(s.error().code() == store_errc::corrupt);
  }
  SUBCASE("a newer schema version") {
    const auto path = dir.file("newer.db");
    { auto first = open_or_fail(path); }
    raw_exec(path, "PRAGMA user_version = 99");
    auto s = ob::sqlite_store::open({.path = path});
    REQUIRE_FALSE(s);
    CHECK(s.error().code() == store_errc::corrupt);
    CHECK(s.error().message().find("99") != std::string::npos);
  }
  SUBCASE("a directory that does not exist") {
    auto s = ob::sqlite_store::open({.path = dir.file("no/such/dir/outbox.db")});
    REQUIRE_FALSE(s);
    CHECK(s.error().code() == store_errc::io_failed);
  }
}

TEST_CASE("sqlite store: damaged pages give errors and never a crash") {
  temp_dir dir;
  const auto pristine = dir.file("pristine.db");
  {
    auto s = open_or_fail(pristine);
    auto batch = numbered_events(300);
    for (auto& e : batch) e.payload = std::string(600, 'p');  // spread over many pages
    REQUIRE(s->enqueue(batch));
  }  // the last connection closing folds the WAL into the file
  const auto size = fs::file_size(pristine);
  constexpr std::uintmax_t page = 4096;
  REQUIRE(size > 20 * page);
  std::mt19937 gen(7);
  int corrupt_reports = 0;
  for (int round = 0; round < 24; ++round) {
    const auto path = dir.file("damaged-" + std::to_string(round) + ".db");
    fs::copy_file(pristine, path);
    {
      // Keep page 1 (the header) in most rounds; smash a run of later pages, or the whole file after page 1.
      std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
      const bool everything = round % 6 == 0;
      const auto from = everything ? page : page * (1 + gen() % (size / page - 1));
      const auto length = everything ? size - page : page * (1 + gen() % 3);
      f.seekp(static_cast<std::streamoff>(from));
      for (std::uintmax_t i = 0; i < length && from + i < size; ++i) f.put(static_cast<char>(gen()));
    }
    auto s = ob::sqlite_store::open({.path = path});
    auto note = [&](const odoolink::error& e) {
      CHECK((e.code() == store_errc::corrupt || e.code() == store_errc::io_failed));
      if (e.code() == store_errc::corrupt) ++corrupt_reports;
    };
    if (!s) {
      note(s.error());
      continue;
    }
    auto& store = *s.value();
    if (auto r = store.list({.limit = 1000}); !r) note(r.error());
    if (auto r = store.claim(claim_at(t0(), 500)); !r) note(r.error());
    if (auto r = store.stats(); !r) note(r.error());
    if (auto r = store.audit(0, 1000); !r) note(r.error());
    if (auto r = store.find_by_key("k150"); !r) note(r.error());
    auto more = numbered_events(5, "late");
    if (auto r = store.enqueue(more); !r) note(r.error());
  }
  CHECK(corrupt_reports > 0);
}

TEST_CASE("sqlite store: a changed audit row is found by verify") {
  temp_dir dir;
  const auto path = dir.file("outbox.db");
  auto s = open_or_fail(path);
  std::vector<ob::new_event> batch{make_event("k1"), make_event("k2"), make_event("k3")};
  REQUIRE(s->enqueue(batch));
  raw_exec(path, "UPDATE odoolink_audit SET detail = '{\"name\":\"Mallory\"}' WHERE sequence = 2");
  auto rows = s->audit(0, 100);
  REQUIRE(rows);
  auto verdict = ob::verify_audit_chain(rows.value());
  REQUIRE_FALSE(verdict);
  CHECK(verdict.error().message().find("row 2") != std::string::npos);
}

#endif  // ODOOLINK_HAS_SQLITE
