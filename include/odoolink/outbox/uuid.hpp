#pragma once
/// @file
/// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids
/// sort by creation time and need no coordination between processes.

#include <string>

#include "odoolink/config.hpp"
#include "odoolink/outbox/event.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// A new UUIDv7 for time `at`, in the canonical lower-case 8-4-4-4-12 form.
/// Ids made by one process in the same millisecond still sort in the order
/// they were made (a counter fills the 12 `rand_a` bits).
/// @par Thread Safety  Safe from any thread.
[[nodiscard]] std::string make_uuid_v7(timestamp at);

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
