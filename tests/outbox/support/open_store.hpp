#pragma once
// The test programs open their store from a spec (see outbox/open_store.hpp):
// sqlite:<path>[?durability=normal], postgres[.<schema>]:<conninfo>.

#include "odoolink/outbox/open_store.hpp"

namespace odoolink::test {

using outbox::parse_store_spec;
using outbox::store_spec;

[[nodiscard]] inline result<std::unique_ptr<outbox::store>> open_test_store(std::string_view spec) {
  return outbox::open_store(spec);
}

}  // namespace odoolink::test
