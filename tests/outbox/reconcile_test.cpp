// Reconciliation against the fake Odoo: a POS day delivered through the
// shipped contracts, then changed on the server side.
#include "odoolink/outbox/reconcile.hpp"

#include <doctest/doctest.h>

#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/line_removal.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"
#if defined(ODOOLINK_HAS_SQLITE)
#include "odoolink/outbox/sqlite_store.hpp"
#endif
#include "outbox/support/pos_day.hpp"

namespace {

namespace ob = odoolink::outbox;
using odoolink::json::value;

odoolink::contract::registry with_line_removal(odoolink::contract::registry r) {
  REQUIRE(r.add(ob::line_removal_contract()).has_value());
  return r;
}

struct pos_setup {
  explicit pos_setup(int series = 18) : series(series) {}
  int series;
  std::shared_ptr<odoolink::testing::fake_odoo> odoo =
      std::make_shared<odoolink::testing::fake_odoo>(odoolink::testing::fake_options{.major_version = series});
  odoolink::contract::registry contracts = with_line_removal(odoolink::test::shipped_contracts());
  ob::memory_store store;
  ob::outbox box{store, contracts};
  odoolink::client::client client = connect();
  ob::odoo_sink sink{client, contracts, {.xid_module = "pos"}};
  ob::line_removal_sink corrections{client, sink};
  ob::relay relay{store, corrections, {.owner = "till-1", .batch_size = 64}};

  odoolink::client::client connect() {
    auto c = odoolink::client::client::connect(
        {.url = "http://fake", .database = "odoolink", .login = "admin", .password = "admin", .transport = odoo});
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    return std::move(c).value();
  }
  std::int64_t id_of(const std::string& xid) const {
    auto hit = odoo->xml_id(xid);
    REQUIRE(hit.has_value());
    return hit->second;
  }
  void server(std::string_view model, std::string_view method, value args, value kwargs = odoolink::json::object{}) {
    auto r = odoo->call(model, method, std::move(args), std::move(kwargs));
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  }
  ob::reconcile_report run(ob::reconcile_options options = {}) {
    auto r = ob::reconcile(client, store, contracts, options);
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
    return std::move(r).value();
  }
};

// A store with an index on produced external ids (the in-memory store scans).
std::unique_ptr<ob::store> indexed_store() {
#if defined(ODOOLINK_HAS_SQLITE)
  auto s = ob::sqlite_store::open({.path = ":memory:"});
  REQUIRE(s.has_value());
  return std::move(s).value();
#else
  return std::make_unique<ob::memory_store>();
#endif
}

const ob::record_report* find(const ob::reconcile_report& r, const std::string& xid) {
  for (const auto& rec : r.records)
    if (rec.external_id == xid) return &rec;
  return nullptr;
}

}  // namespace

TEST_CASE("reconcile: a delivered POS day agrees with Odoo record by record") {
  pos_setup f;
  odoolink::test::record_pos_day(f.box, "pos");
  odoolink::test::deliver_all(f.store, f.relay);
  const auto before = f.odoo->stats();
  const auto report = f.run({.include_agreeing = true});
  CHECK(report.agrees());
  CHECK(report.totals().checked == 11);
  CHECK(report.subjects.at("customer").agrees == 4);
  CHECK(report.subjects.at("product").agrees == 4);
  CHECK(report.subjects.at("sales_order").agrees == 3);
  REQUIRE(report.records.size() == 11);
  for (const auto& r : report.records) {
    CHECK(r.status == ob::record_status::agrees);
    CHECK(r.record_id == f.id_of(r.external_id));
    CHECK_FALSE(r.write_date.empty());
  }
  // One batch per contract: a read, the external-id look-up, and one more
  // for the references and lines (orders only); nothing written.
  const auto after = f.odoo->stats();
  CHECK(report.read_calls == 3);
  CHECK(report.lookup_calls == 4);
  auto delta = [&](const std::string& method) {
    const auto now = after.per_method.contains(method) ? after.per_method.at(method) : 0;
    return now - (before.per_method.contains(method) ? before.per_method.at(method) : 0);
  };
  // Plus, once per client, the fields of each model with an optional
  // mapping: the product's (`is_storable`, which Odoo 17 lacks) were learnt
  // by the sink during delivery, into the client's cache the reconciler
  // shares; the customer's `mobile` was in no payload, so only the
  // reconciler asks for res.partner.
  CHECK(delta("fields_get") == 1);
  CHECK(before.per_method.at("fields_get") == 1);
  CHECK(f.client.server_fields().find("product.product") != nullptr);
  CHECK(f.client.server_fields().find("res.partner") != nullptr);
  CHECK(after.calls - before.calls - delta("fields_get") == 7);
  CHECK(delta("web_read") == 3);
}

TEST_CASE("reconcile: a day delivered to Odoo 17 agrees without reading the fields 17 lacks") {
  // The shipped product contract maps `is_storable` (Odoo 18+) as optional:
  // delivery left it out on 17, and reconciliation must neither ask for it
  // (Odoo refuses the whole read) nor call it a difference.
  pos_setup f(17);
  odoolink::test::record_pos_day(f.box, "pos");
  odoolink::test::deliver_all(f.store, f.relay);
  const auto report = f.run({.include_agreeing = true});
  CHECK_MESSAGE(report.agrees(), ob::to_json(report));
  CHECK(report.totals().checked == 11);
  CHECK(report.subjects.at("product").agrees == 4);
}

TEST_CASE("reconcile: on Odoo 16, which has no web_read, the records come from read and agree") {
  pos_setup f(16);
  odoolink::test::record_pos_day(f.box, "pos");
  odoolink::test::deliver_all(f.store, f.relay);
  const auto before = f.odoo->stats();
  const auto report = f.run({.include_agreeing = true});
  CHECK_MESSAGE(report.agrees(), ob::to_json(report));
  CHECK(report.totals().checked == 11);
  CHECK(report.subjects.at("sales_order").agrees == 3);
  const auto after = f.odoo->stats();
  CHECK_FALSE(after.per_method.contains("web_read"));
  CHECK(after.per_method.at("read") > (before.per_method.contains("read") ? before.per_method.at("read") : 0));
  // Changes reach the report through the nested reads: a line added to an
  // order, an e-mail and its writer's name (a many2one's display name).
  const std::int64_t c2 = f.id_of("pos.customer_2"), o2 = f.id_of("pos.order_2"), p1 = f.id_of("pos.product_1");
  f.server("res.partner", "write", odoolink::json::array{odoolink::json::array{c2}, odoolink::json::object{{"email", "changed@example.org"}}});
  f.server("sale.order", "write",
           odoolink::json::array{odoolink::json::array{o2},
                                 odoolink::json::object{{"order_line", odoolink::json::array{odoolink::json::array{
                                                                           0, 0, odoolink::json::object{{"product_id", p1}, {"product_uom_qty", 5}}}}}}});
  const auto changed = f.run();
  CHECK(changed.totals().disagreements() == 2);
  CHECK(changed.subjects.at("customer").changed == 1);
  CHECK(changed.subjects.at("sales_order").changed == 1);
  const auto* email = find(changed, "pos.customer_2");
  REQUIRE(email != nullptr);
  CHECK(email->write_user == "Mitchell Admin");
  const auto* order = find(changed, "pos.order_2");
  REQUIRE(order != nullptr);
  CHECK(order->status == ob::record_status::changed);
}

TEST_CASE("reconcile: a field a series names otherwise is delivered and compared through its fallback") {
  // res.partner.mobile is gone in Odoo 19: a contract naming phone as its
  // fallback writes, reads and compares phone there.
  auto contact = odoolink::contract::contract::parse(R"({"subject": "contact", "version": "1.0.0", "owner": "o",
    "system_of_record": "s", "odoo": {"model": "res.partner"},
    "fields": {"contact_id": {"type": "string", "odoo": {"field": "id"}},
               "name": {"type": "string", "required": true, "odoo": {"field": "name"}},
               "mobile": {"type": "string", "odoo": {"field": "mobile", "fallback": "phone"}}}})");
  REQUIRE_MESSAGE(contact.has_value(), odoolink::test::error_of(contact).describe());
  odoolink::contract::registry contracts;
  REQUIRE(contracts.add(contact.value()).has_value());
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>(odoolink::testing::fake_options{.major_version = 19});
  auto client = odoolink::client::client::connect(
      {.url = "http://fake", .database = "odoolink", .login = "admin", .password = "admin", .transport = odoo});
  REQUIRE_MESSAGE(client.has_value(), odoolink::test::error_of(client).describe());
  ob::memory_store store;
  ob::outbox box(store, contracts);
  ob::odoo_sink sink(client.value(), contracts, {.xid_module = "pos"});
  ob::relay relay(store, sink, {.owner = "till-1"});
  for (const auto& [who, mobile] : {std::pair{"ada", "+32 470 00 00 01"}, std::pair{"bob", "+32 470 00 00 02"}}) {
    const odoolink::json::value payload =
        odoolink::json::object{{"contact_id", std::string("pos.") + who}, {"name", who}, {"mobile", mobile}};
    REQUIRE(box.enqueue({.subject = "contact", .payload = odoolink::json::to_string(payload), .idempotency_key = who})
                .has_value());
  }
  odoolink::test::deliver_all(store, relay);
  const auto ada = odoo->xml_id("pos.ada");
  REQUIRE(ada.has_value());
  auto stored = odoo->call("res.partner", "read", odoolink::json::array{odoolink::json::array{ada->second}},
                           odoolink::json::object{{"fields", odoolink::json::array{"phone"}}});
  REQUIRE(stored.has_value());
  CHECK(stored.value().as_array()[0].find("phone")->as_string() == "+32 470 00 00 01");

  auto agree = ob::reconcile(client.value(), store, contracts, {.include_agreeing = true});
  REQUIRE_MESSAGE(agree.has_value(), odoolink::test::error_of(agree).describe());
  CHECK_MESSAGE(agree.value().agrees(), ob::to_json(agree.value()));
  CHECK(agree.value().totals().checked == 2);

  REQUIRE(odoo->call("res.partner", "write",
                     odoolink::json::array{odoolink::json::array{ada->second}, odoolink::json::object{{"phone", "+32 2 000 00 00"}}})
              .has_value());
  auto changed = ob::reconcile(client.value(), store, contracts, {});
  REQUIRE_MESSAGE(changed.has_value(), odoolink::test::error_of(changed).describe());
  CHECK(changed.value().totals().disagreements() == 1);
  const auto* rec = find(changed.value(), "pos.ada");
  REQUIRE(rec != nullptr);
  REQUIRE(rec->differences.size() == 1);
  CHECK(rec->differences[0].path == "/mobile");
  CHECK(rec->differences[0].odoo_field == "phone");
}

TEST_CASE("reconcile: four server-side changes are reported exactly and corrections restore agreement") {
  pos_setup f;
  odoolink::test::record_pos_day(f.box, "pos");
  odoolink::test::deliver_all(f.store, f.relay);
  const std::int64_t c2 = f.id_of("pos.customer_2"), c4 = f.id_of("pos.customer_4"), p4 = f.id_of("pos.product_4");
  const std::int64_t o2 = f.id_of("pos.order_2"), p1 = f.id_of("pos.product_1");
  f.server("res.partner", "write", odoolink::json::array{odoolink::json::array{c2}, odoolink::json::object{{"email", "changed@example.org"}}});
  f.server("product.product", "unlink", odoolink::json::array{odoolink::json::array{p4}});
  f.server("res.partner", "action_archive", odoolink::json::array{odoolink::json::array{c4}});
  f.server("sale.order", "write",
           odoolink::json::array{odoolink::json::array{o2},
                                 odoolink::json::object{{"order_line", odoolink::json::array{odoolink::json::array{
                                                                           0, 0, odoolink::json::object{{"product_id", p1}, {"product_uom_qty", 5}}}}}}});

  const auto report = f.run();
  CHECK_FALSE(report.agrees());
  REQUIRE(report.records.size() == 4);
  CHECK(report.totals().checked == 11);
  CHECK(report.subjects.at("customer").changed == 1);
  CHECK(report.subjects.at("customer").archived == 1);
  CHECK(report.subjects.at("product").deleted == 1);
  CHECK(report.subjects.at("sales_order").changed == 1);
  CHECK(report.totals().disagreements() == 4);

  const auto* email = find(report, "pos.customer_2");
  REQUIRE(email != nullptr);
  CHECK(email->status == ob::record_status::changed);
  REQUIRE(email->differences.size() == 1);
  CHECK(email->differences[0].path == "/email");
  CHECK(email->differences[0].odoo_field == "email");
  CHECK(email->differences[0].pii);
  CHECK(email->differences[0].sent.is_null());      // PII: compared, never copied
  CHECK(email->differences[0].in_odoo.is_null());
  CHECK(email->write_uid == 2);
  CHECK_FALSE(email->write_date.empty());
  CHECK(email->write_user == "Mitchell Admin");

  const auto* gone = find(report, "pos.product_4");
  REQUIRE(gone != nullptr);
  CHECK(gone->status == ob::record_status::deleted);
  CHECK(gone->record_id == 0);

  const auto* archived = find(report, "pos.customer_4");
  REQUIRE(archived != nullptr);
  CHECK(archived->status == ob::record_status::archived);
  CHECK(archived->record_id == c4);

  const auto* order = find(report, "pos.order_2");
  REQUIRE(order != nullptr);
  CHECK(order->status == ob::record_status::changed);
  REQUIRE(order->differences.size() == 1);
  const auto& line = order->differences[0];
  CHECK(line.path.rfind("/lines/sale.order.line(", 0) == 0);
  CHECK(line.odoo_field == "order_line");
  CHECK(line.sent.is_null());
  REQUIRE(line.in_odoo.is_object());
  CHECK(*line.in_odoo.find("product") == value("pos.product_1"));
  CHECK(line.in_odoo.find("quantity")->as_double() == 5.0);

  // The JSON names the PII field but quotes neither value.
  const std::string text = ob::to_json(report);
  CHECK(text.find("changed@example.org") == std::string::npos);
  CHECK(text.find("customer2@example.com") == std::string::npos);
  auto doc = odoolink::json::parse(text);
  REQUIRE(doc.has_value());
  CHECK(*doc.value().find("agrees") == value(false));
  CHECK(doc.value().find("records")->as_array().size() == 4);
  CHECK(doc.value().find("totals")->find("disagreements")->as_int() == 4);

  // Corrections only when asked: the host's truth goes out again through the
  // outbox, and the line Odoo added is removed by a line removal event.
  auto corrections = ob::enqueue_corrections(f.box, report.records, {.remove_added_lines = true});
  REQUIRE_MESSAGE(corrections.has_value(), odoolink::test::error_of(corrections).describe());
  CHECK(corrections.value().size() == 5);
  auto again = ob::enqueue_corrections(f.box, report.records, {.remove_added_lines = true});
  REQUIRE(again.has_value());
  for (const auto& c : again.value()) CHECK(c.duplicate);
  odoolink::test::deliver_all(f.store, f.relay);

  const auto second = f.run({.include_agreeing = true});
  CHECK_MESSAGE(second.agrees(), ob::to_json(second));
  CHECK(second.totals().checked == 11);
  CHECK(f.id_of("pos.product_4") != p4);  // created again
  CHECK(f.odoo->record("sale.order", o2)->find("order_line")->as_array().size() == 2);
  CHECK(f.odoo->record("res.partner", c4)->find("active")->as_bool());
}

TEST_CASE("reconcile: corrections without line removal leave an added line reported") {
  pos_setup f;
  odoolink::test::record_pos_day(f.box, "pos");
  odoolink::test::deliver_all(f.store, f.relay);
  const std::int64_t o1 = f.id_of("pos.order_1"), p2 = f.id_of("pos.product_2");
  f.server("sale.order", "write",
           odoolink::json::array{odoolink::json::array{o1},
                                 odoolink::json::object{{"order_line", odoolink::json::array{odoolink::json::array{
                                                                           0, 0, odoolink::json::object{{"product_id", p2}}}}}}});
  const auto report = f.run();
  REQUIRE(report.records.size() == 1);
  REQUIRE(ob::enqueue_corrections(f.box, report.records).has_value());
  odoolink::test::deliver_all(f.store, f.relay);
  const auto second = f.run();  // `load` never removes one2many lines
  REQUIRE(second.records.size() == 1);
  CHECK(second.records[0].external_id == "pos.order_1");
  CHECK(second.records[0].differences.size() == 1);
}

TEST_CASE("reconcile: 10000 delivered records cost at most 10000 over batch size read calls") {
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>();
  const auto contracts = odoolink::test::shipped_contracts();
  auto owned_store = indexed_store();
  ob::store& store = *owned_store;
  ob::outbox box(store, contracts);
  constexpr int total = 10000;
  constexpr std::size_t batch = 500;
  // The records exist in Odoo under known ids. Their external ids are served
  // by a hook on ir.model.data (the fake's own table is scanned linearly,
  // which 10,000 records would make the slow part of this test).
  std::string seed = R"({"res.partner": [)";
  for (int i = 1; i <= total; ++i) {
    if (i > 1) seed += ',';
    seed += R"({"id": )" + std::to_string(1000 + i) + R"(, "name": "C)" + std::to_string(i) + R"(", "company_type": "person"})";
  }
  seed += "]}";
  REQUIRE(odoo->seed(seed).has_value());
  odoo->on_call("ir.model.data", "search_read", [](const odoolink::testing::fake_call& c, odoolink::testing::fake_odoo&)
                                                    -> std::optional<odoolink::testing::fake_hook_outcome> {
    odoolink::json::array rows;
    for (const auto& term : c.params.find("domain")->as_array())
      if (term.is_array() && term.as_array()[0] == value("name"))
        for (const auto& name : term.as_array()[2].as_array())
          rows.push_back(odoolink::json::object{{"id", 1000 + std::stoll(name.as_string().substr(1))}, {"module", "pos"},
                                                {"name", name}, {"model", "res.partner"},
                                                {"res_id", 1000 + std::stoll(name.as_string().substr(1))}});
    return odoolink::testing::fake_hook_outcome{value(std::move(rows)), std::nullopt};
  });
  std::vector<std::string> payloads, keys;
  for (int i = 1; i <= total; ++i) {
    payloads.push_back(R"({"customer_id": "pos.c)" + std::to_string(i) + R"(", "name": "C)" + std::to_string(i) + R"("})");
    keys.push_back("c" + std::to_string(i));
  }
  std::vector<ob::enqueue_request> requests;
  for (int i = 0; i < total; ++i) requests.push_back({.subject = "customer", .payload = payloads[static_cast<std::size_t>(i)],
                                                      .idempotency_key = keys[static_cast<std::size_t>(i)]});
  REQUIRE(box.enqueue(std::span<const ob::enqueue_request>(requests)).has_value());
  const auto now = ob::to_timestamp(std::chrono::system_clock::now());
  auto claimed = store.claim({.owner = "bulk", .now = now, .max_events = total});
  REQUIRE(claimed.has_value());
  std::vector<ob::settlement> done;
  for (const auto& e : claimed.value()) {
    const auto n = std::stoll(e.idempotency_key.substr(1));
    done.push_back({.id = e.id, .result = {"res.partner", 1000 + n, "pos.c" + std::to_string(n)}});
  }
  REQUIRE(store.settle("bulk", now, done).has_value());

  auto c = odoolink::client::client::connect(
      {.url = "http://fake", .database = "odoolink", .login = "admin", .password = "admin", .transport = odoo});
  REQUIRE(c.has_value());
  const auto before = odoo->stats().per_method;
  auto report = ob::reconcile(c.value(), store, contracts, {.batch_size = batch});
  REQUIRE_MESSAGE(report.has_value(), odoolink::test::error_of(report).describe());
  const auto after = odoo->stats().per_method;
  CHECK(report.value().agrees());
  CHECK(report.value().totals().checked == total);
  CHECK(report.value().read_calls <= total / batch);
  CHECK(after.at("web_read") - (before.contains("web_read") ? before.at("web_read") : 0) == report.value().read_calls);
  // No references in these records: one external-id look-up per read.
  CHECK(report.value().lookup_calls == report.value().read_calls);
}

TEST_CASE("reconcile: a bounded call returns a cursor and the next call resumes there") {
  pos_setup f;
  odoolink::test::record_pos_day(f.box, "pos");
  odoolink::test::deliver_all(f.store, f.relay);
  ob::reconcile_options options{.subject = "customer", .batch_size = 2, .max_batches = 1, .include_agreeing = true};
  const auto first = f.run(options);
  CHECK(first.totals().checked == 2);
  REQUIRE_FALSE(first.cursor.empty());
  options.cursor = first.cursor;
  const auto second = f.run(options);
  CHECK(second.totals().checked == 2);
  CHECK(second.records.front().external_id != first.records.front().external_id);
  options.cursor = "nonsense";
  CHECK_FALSE(ob::reconcile(f.client, f.store, f.contracts, options).has_value());
}

TEST_CASE("reconcile: a list of external ids limits the check and records no event produced are found") {
  pos_setup f;
  odoolink::test::record_pos_day(f.box, "pos");
  odoolink::test::deliver_all(f.store, f.relay);
  // Created in Odoo under the module's external ids, but never by the outbox.
  REQUIRE(f.odoo->seed(R"({"res.partner": [{"name": "Walk-in", "xml_id": "pos.customer_99"}],
                           "product.product": [{"name": "Bread", "xml_id": "other.product_1"}]})").has_value());
  const std::int64_t c1 = f.id_of("pos.customer_1");
  f.server("res.partner", "write", odoolink::json::array{odoolink::json::array{c1}, odoolink::json::object{{"name", "Renamed"}}});

  const auto some = f.run({.external_ids = {"pos.customer_1", "pos.order_1", "pos.unknown_1"}});
  CHECK(some.totals().checked == 2);
  REQUIRE(some.records.size() == 1);
  CHECK(some.records[0].external_id == "pos.customer_1");
  REQUIRE(some.records[0].differences.size() == 1);
  CHECK(some.records[0].differences[0].path == "/name");
  CHECK(some.records[0].differences[0].sent == value("Customer 1"));
  CHECK(some.records[0].differences[0].in_odoo == value("Renamed"));

  const auto all = f.run({.subject = "customer", .unproduced_modules = {"pos"}});
  CHECK(all.subjects.at("customer").changed == 1);
  CHECK(all.subjects.at("customer").not_produced == 1);
  const auto* stray = find(all, "pos.customer_99");
  REQUIRE(stray != nullptr);
  CHECK(stray->status == ob::record_status::not_produced);
  CHECK(stray->model == "res.partner");
  CHECK(stray->event_id.empty());
  CHECK(all.subjects.count("product") == 0);  // another subject, another module
}
