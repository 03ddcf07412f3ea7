#include "odoolink/outbox/memory_store.hpp"

#include "outbox/support/store_conformance.hpp"

namespace {
struct memory_factory {
  static constexpr const char* name = "in-memory";
  static std::unique_ptr<odoolink::outbox::store> make() { return std::make_unique<odoolink::outbox::memory_store>(); }
};
}  // namespace

ODOOLINK_STORE_CONFORMANCE(memory_factory);

TEST_CASE("memory store: verify notices a changed audit row") {
  odoolink::outbox::memory_store s;
  std::vector<odoolink::outbox::new_event> batch{odoolink::test::make_event("k1"), odoolink::test::make_event("k2")};
  REQUIRE(s.enqueue(batch));
  auto rows = s.audit(0, 10);
  REQUIRE(rows);
  CHECK(odoolink::outbox::verify_audit_chain(rows.value()));
  s.tamper_with_audit_row_for_testing(1, R"({"name":"Mallory"})");
  auto changed = s.audit(0, 10);
  REQUIRE(changed);
  auto verdict = odoolink::outbox::verify_audit_chain(changed.value());
  REQUIRE_FALSE(verdict);
  CHECK(verdict.error().code() == odoolink::store_errc::corrupt);
  CHECK(verdict.error().message().find("row 1") != std::string::npos);
}
