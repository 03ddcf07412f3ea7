// Four relays on four connections share one PostgreSQL outbox while a fifth
// connection keeps enqueueing: every event is delivered exactly once and in
// order within its aggregate.
#if defined(ODOOLINK_HAS_POSTGRES)
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "odoolink/outbox/relay.hpp"
#include "outbox/support/postgres_env.hpp"
#include "outbox/support/store_conformance.hpp"

namespace {

namespace ob = odoolink::outbox;
using namespace std::chrono_literals;

// Records every delivery; shared by the relays (one lock).
struct ledger {
  std::mutex mutex;
  std::map<std::string, int> deliveries;                      // event id → times delivered
  std::map<std::string, std::vector<std::int64_t>> order;     // aggregate → sequences in delivery order
};

class ledger_sink final : public ob::per_event_sink {
 public:
  explicit ledger_sink(ledger& l) : l_(l) {}

 protected:
  odoolink::result<ob::delivery_result> deliver_one(const ob::event& e) override {
    std::lock_guard lock(l_.mutex);
    ++l_.deliveries[e.id];
    l_.order[e.aggregate_key].push_back(e.sequence);
    return ob::delivery_result{"res.partner", e.sequence, "x." + e.idempotency_key};
  }

 private:
  ledger& l_;
};

}  // namespace

TEST_CASE("postgres store: four concurrent relays deliver every event once and in aggregate order") {
  if (!odoolink::test::postgres_available()) return;
  const auto schema = odoolink::test::scratch_schemas::instance().make();
  constexpr int events = 2000, aggregates = 50, relays = 4;
  auto producer = odoolink::test::open_postgres(schema);
  ledger book;
  std::atomic<bool> producing{true};
  std::atomic<int> failures{0};

  std::vector<std::thread> workers;
  for (int r = 0; r < relays; ++r)
    workers.emplace_back([&, r] {
      auto store = odoolink::test::open_postgres(schema);
      ledger_sink sink(book);
      ob::relay_options o;
      o.owner = "relay-" + std::to_string(r);
      o.batch_size = 16;
      o.lease = 30s;
      ob::relay relay(*store, sink, o);
      int idle = 0;
      while (idle < 20) {
        auto report = relay.pump(64);
        if (!report) {
          if (report.error().code() != odoolink::store_errc::busy) ++failures;
          continue;
        }
        if (report.value().claimed == 0 && !producing) ++idle;
        if (report.value().claimed == 0) std::this_thread::sleep_for(5ms);
      }
    });

  for (int i = 0; i < events; i += 50) {
    std::vector<ob::new_event> batch;
    for (int j = i; j < i + 50; ++j)
      batch.push_back(odoolink::test::make_event("k" + std::to_string(j), "agg" + std::to_string(j % aggregates),
                                                 ob::to_timestamp(std::chrono::system_clock::now())));
    auto out = producer->enqueue(batch);
    if (!out) FAIL(out.error().describe());
  }
  producing = false;
  for (auto& w : workers) w.join();

  CHECK(failures == 0);
  CHECK(book.deliveries.size() == static_cast<std::size_t>(events));
  int twice = 0;
  for (const auto& [id, n] : book.deliveries) twice += n != 1 ? 1 : 0;
  CHECK(twice == 0);
  for (const auto& [aggregate, sequences] : book.order) {
    CHECK(std::is_sorted(sequences.begin(), sequences.end()));
    CHECK(sequences.size() == static_cast<std::size_t>(events / aggregates));
  }
  auto st = producer->stats();
  REQUIRE(st);
  CHECK(st.value().delivered == static_cast<std::size_t>(events));
  auto rows = producer->audit(0, 100000);
  REQUIRE(rows);
  CHECK(rows.value().size() == static_cast<std::size_t>(2 * events));
  CHECK(ob::verify_audit_chain(rows.value()));
}
#endif
