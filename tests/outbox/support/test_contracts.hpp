#pragma once
// Small contracts for the outbox tests: a customer (with PII) and a sales
// order referencing customers by external id, with lines.

#include <doctest/doctest.h>

#include "odoolink/contract/contract.hpp"
#include "odoolink/contract/registry.hpp"

namespace odoolink::test {

inline constexpr const char* customer_contract = R"({
  "subject": "customer", "version": "1.0.0", "owner": "pos-team", "system_of_record": "pos",
  "compatibility": "BACKWARD", "odoo": {"model": "res.partner"},
  "fields": {
    "customer_id": {"type": "string", "odoo": {"field": "id"}},
    "name": {"type": "string", "required": true, "min_length": 1, "odoo": {"field": "name"}},
    "email": {"type": "string", "format": "email", "pii": true, "odoo": {"field": "email"}}
  }
})";

inline constexpr const char* order_contract = R"({
  "subject": "sales_order", "version": "1.0.0", "owner": "pos-team", "system_of_record": "pos",
  "compatibility": "BACKWARD", "odoo": {"model": "sale.order"},
  "fields": {
    "order_id": {"type": "string", "odoo": {"field": "id"}},
    "customer": {"type": "reference", "contract": "customer", "required": true,
                 "odoo": {"field": "partner_id", "relation": "res.partner"}},
    "order_ref": {"type": "string", "required": true, "odoo": {"field": "client_order_ref"}}
  }
})";

inline constexpr const char* confirmation_contract = R"({
  "subject": "order_confirmation", "version": "1.0.0", "owner": "pos-team", "system_of_record": "pos",
  "compatibility": "BACKWARD",
  "fields": {"order": {"type": "string", "required": true}}
})";

inline contract::registry test_registry() {
  contract::registry r;
  for (const char* text : {customer_contract, order_contract, confirmation_contract}) {
    auto c = contract::contract::parse(text);
    if (!c) FAIL(c.error().describe());
    auto added = r.add(std::move(c).value());
    if (!added) FAIL(added.error().describe());
  }
  return r;
}

}  // namespace odoolink::test
