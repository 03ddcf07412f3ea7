// The outbox façade: validation at enqueue, duplicates, redacted audit,
// encryption at rest, dead letters and replay, lineage, metrics.
#include <doctest/doctest.h>

#include "odoolink/outbox/encrypting_store.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_clock.hpp"
#include "outbox/support/test_contracts.hpp"

namespace {

using namespace std::chrono_literals;
namespace ob = odoolink::outbox;

constexpr const char* ada = R"({"customer_id":"pos.c1","name":"Ada","email":"ada@example.com"})";

class failing_sink final : public ob::per_event_sink {
 protected:
  odoolink::result<ob::delivery_result> deliver_one(const ob::event&) override {
    return odoolink::error(odoolink::odoo_errc::validation_error, "res.partner: email is taken");
  }
};

class ok_sink final : public ob::per_event_sink {
 public:
  std::vector<std::string> payloads;

 protected:
  odoolink::result<ob::delivery_result> deliver_one(const ob::event& e) override {
    payloads.push_back(e.payload);
    return ob::delivery_result{"res.partner", 41, "pos.c1"};
  }
};

struct fixture {
  odoolink::testing::fake_clock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000))};
  odoolink::contract::registry contracts = odoolink::test::test_registry();
  ob::memory_store store;
  ob::outbox box{store, contracts, {}, &clock};
};

}  // namespace

TEST_CASE("outbox: an invalid payload is refused with every violation and never stored") {
  fixture f;
  auto refused = f.box.enqueue({.subject = "customer", .payload = R"({"name":"","email":"not-an-email"})",
                                .idempotency_key = "k1"});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == odoolink::contract_errc::violation);
  CHECK(refused.error().message().find("/name") != std::string::npos);
  CHECK(refused.error().message().find("/email") != std::string::npos);
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().pending == 0);
  auto rows = f.store.audit(0, 10);
  REQUIRE(rows);
  CHECK(rows.value().empty());

  auto not_json = f.box.enqueue({.subject = "customer", .payload = "{\"name\":", .idempotency_key = "k2"});
  CHECK_FALSE(not_json);
  auto unknown = f.box.enqueue({.subject = "no_such_subject", .payload = ada, .idempotency_key = "k3"});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code() == odoolink::contract_errc::unknown_subject);
  auto no_key = f.box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = ""});
  CHECK_FALSE(no_key);
}

TEST_CASE("outbox: a batch with one bad payload stores nothing") {
  fixture f;
  std::vector<ob::enqueue_request> batch{{.subject = "customer", .payload = ada, .idempotency_key = "k1"},
                                         {.subject = "customer", .payload = R"({"name":7})", .idempotency_key = "k2"}};
  auto out = f.box.enqueue(batch);
  REQUIRE_FALSE(out);
  CHECK(out.error().message().find("event 1 of the batch") != std::string::npos);
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().pending == 0);
}

TEST_CASE("outbox: the same idempotency key enqueues once and records the contract fingerprint") {
  fixture f;
  auto first = f.box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = "sale-1/customer",
                              .aggregate_key = "c1", .correlation_id = "sale-1"});
  REQUIRE(first);
  CHECK_FALSE(first.value().duplicate);
  auto again = f.box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = "sale-1/customer"});
  REQUIRE(again);
  CHECK(again.value().duplicate);
  CHECK(again.value().id == first.value().id);
  auto e = f.box.get(first.value().id);
  REQUIRE(e);
  auto c = f.contracts.latest("customer");
  REQUIRE(c);
  CHECK(e.value().fingerprint == c.value().fingerprint());
  CHECK(e.value().contract_version == "1.0.0");
  CHECK(e.value().id.size() == 36);
  CHECK(e.value().id[14] == '7');  // UUIDv7
  auto m = f.box.metrics();
  REQUIRE(m);
  CHECK(m.value().counters.enqueued == 1);
  CHECK(m.value().counters.duplicates == 1);
}

TEST_CASE("outbox: audit rows carry redacted payloads only") {
  fixture f;
  REQUIRE(f.box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = "k1"}));
  auto rows = f.store.audit(0, 10);
  REQUIRE(rows);
  REQUIRE(rows.value().size() == 1);
  CHECK(rows.value()[0].detail.find("ada@example.com") == std::string::npos);
  CHECK(rows.value()[0].detail.find("Ada") != std::string::npos);  // not PII in this contract
  auto checked = f.box.verify_audit();
  REQUIRE(checked);
  CHECK(checked.value() == 1);
}

TEST_CASE("outbox: payloads are encrypted at rest and plain for the relay") {
  fixture f;
  ob::payload_key key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 7 + 1);
  ob::encrypting_store sealed(f.store, key);
  ob::outbox box(sealed, f.contracts, {}, &f.clock);
  auto queued = box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = "k1"});
  REQUIRE(queued);
  auto raw = f.store.find(queued.value().id);
  REQUIRE(raw);
  CHECK(raw.value()->payload.rfind("enc1:", 0) == 0);
  CHECK(raw.value()->payload.find("ada@") == std::string::npos);
  auto plain = box.get(queued.value().id);
  REQUIRE(plain);
  CHECK(plain.value().payload == ada);

  REQUIRE(box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = "k2"}));

  // One event per claim: the second is claimed together with the first one's settlement.
  ok_sink sink;
  ob::relay relay(sealed, sink, {.batch_size = 1}, &f.clock);
  auto report = relay.pump();
  REQUIRE(report);
  CHECK(report.value().delivered == 2);
  REQUIRE(sink.payloads.size() == 2);
  CHECK(sink.payloads[0] == ada);
  CHECK(sink.payloads[1] == ada);

  // A changed ciphertext, or one moved to another event, does not decrypt.
  auto tampered = ob::decrypt_payload(key, raw.value()->payload, "another-key");
  REQUIRE_FALSE(tampered);
  CHECK(tampered.error().code() == odoolink::store_errc::corrupt);
  ob::payload_key wrong = key;
  wrong[0] ^= 1U;
  CHECK_FALSE(ob::decrypt_payload(wrong, raw.value()->payload, "k1"));
  CHECK_FALSE(ob::decrypt_payload(key, "enc1:AAAA", "k1"));
  CHECK_FALSE(ob::decrypt_payload(key, "enc1:@@@@", "k1"));
}

TEST_CASE("outbox: dead letters are listed and replayed with a corrected payload that is validated again") {
  fixture f;
  auto queued = f.box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = "k1"});
  REQUIRE(queued);
  failing_sink bad;
  ob::relay relay(f.store, bad, {}, &f.clock);
  REQUIRE(relay.pump());
  auto dead = f.box.dead_letters();
  REQUIRE(dead);
  REQUIRE(dead.value().size() == 1);
  CHECK(dead.value()[0].last_error.find("email is taken") != std::string::npos);

  auto invalid = f.box.replay(queued.value().id, std::string_view(R"({"name":""})"));
  REQUIRE_FALSE(invalid);
  CHECK(invalid.error().code() == odoolink::contract_errc::violation);
  constexpr const char* fixed = R"({"customer_id":"pos.c1","name":"Ada","email":"ada2@example.com"})";
  REQUIRE(f.box.replay(queued.value().id, std::string_view(fixed)));
  ok_sink good;
  ob::relay relay2(f.store, good, {}, &f.clock);
  auto report = relay2.pump();
  REQUIRE(report);
  CHECK(report.value().delivered == 1);
  REQUIRE(good.payloads.size() == 1);
  CHECK(good.payloads[0] == fixed);

  // Lineage: the record, the correlation, every attempt.
  auto produced = f.box.produced("res.partner", 41);
  REQUIRE(produced);
  REQUIRE(produced.value().size() == 1);
  CHECK(produced.value()[0].id == queued.value().id);
  auto history = f.box.history(queued.value().id);
  REQUIRE(history);
  std::vector<std::string> actions;
  for (const auto& row : history.value()) actions.emplace_back(ob::to_string(row.action));
  CHECK(actions == std::vector<std::string>{"enqueued", "dead", "replayed", "delivered"});
  CHECK(history.value()[1].detail.find("email is taken") != std::string::npos);
  CHECK(history.value()[2].detail.find("ada2@") == std::string::npos);  // the correction is redacted too
  auto verified = f.box.verify_audit();
  REQUIRE(verified);
  CHECK(verified.value() == 4);
}

TEST_CASE("outbox: replay of all dead letters and discard with a reason") {
  fixture f;
  for (int i = 0; i < 3; ++i)
    REQUIRE(f.box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = "k" + std::to_string(i)}));
  failing_sink bad;
  ob::relay relay(f.store, bad, {}, &f.clock);
  REQUIRE(relay.pump());
  auto dead = f.box.dead_letters();
  REQUIRE(dead);
  REQUIRE(dead.value().size() == 3);
  CHECK_FALSE(f.box.discard(dead.value()[0].id, ""));
  REQUIRE(f.box.discard(dead.value()[0].id, "duplicate customer, merged by hand"));
  auto replayed = f.box.replay_dead();
  REQUIRE(replayed);
  CHECK(replayed.value() == 2);
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().pending == 2);
  CHECK(st.value().discarded == 1);
}

TEST_CASE("outbox: metrics as Prometheus text and purge of delivered events") {
  fixture f;
  REQUIRE(f.box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = "k1"}));
  REQUIRE(f.box.enqueue({.subject = "customer", .payload = ada, .idempotency_key = "k2"}));
  f.clock.advance(2s);
  ok_sink sink;
  ob::relay relay(f.store, sink, {}, &f.clock);
  REQUIRE(relay.pump(1));
  auto m = f.box.metrics(&relay.counters());
  REQUIRE(m);
  CHECK(m.value().counters.delivered == 1);
  CHECK(m.value().queue.pending == 1);
  REQUIRE(m.value().oldest_pending_age_seconds.has_value());
  CHECK(*m.value().oldest_pending_age_seconds == doctest::Approx(2.0));
  const std::string text = ob::to_prometheus(m.value());
  CHECK(text.find("odoolink_outbox_delivered_total 1\n") != std::string::npos);
  CHECK(text.find("odoolink_outbox_queue_depth 1\n") != std::string::npos);
  CHECK(text.find("odoolink_outbox_events{state=\"pending\"} 1\n") != std::string::npos);
  CHECK(text.find("odoolink_outbox_delivery_latency_seconds_bucket{le=\"2.5\"} 1\n") != std::string::npos);
  CHECK(text.find("odoolink_outbox_delivery_latency_seconds_bucket{le=\"1\"} 0\n") != std::string::npos);
  CHECK(text.find("odoolink_outbox_delivery_latency_seconds_count 1\n") != std::string::npos);

  f.clock.advance(48h);
  auto purged = f.box.purge_delivered(24h);
  REQUIRE(purged);
  CHECK(purged.value() == 1);
}
