#pragma once
// The clock outbox parts use when the host passes none.

#include "odoolink/clock.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

inline const odoolink::clock& default_clock() noexcept {
  static const real_clock c;
  return c;
}

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
