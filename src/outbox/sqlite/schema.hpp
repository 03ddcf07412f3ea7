#pragma once
// The outbox tables in SQLite, versioned with `PRAGMA user_version`.

#include "connection.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

/// The schema version this code writes and reads.
/// 1: the first; 2: `odoolink_events.traceparent`; 3: an event's state,
/// lease, attempts and result in `odoolink_event_state`, apart from its payload.
inline constexpr int schema_version = 3;

/// The schema version of the database: 0 for an empty one, else
/// `schema_version` or an older one `ensure_schema` upgrades. Run before anything is written to the file, so another
/// application's database is left as it was.
/// Errors: store_errc::corrupt for a newer version, or a file that is not an
/// outbox (not a database, other tables, the outbox tables missing).
[[nodiscard]] result<int> inspect_schema(connection& c);

/// Creates the tables in an empty database, or upgrades an older schema,
/// under the write lock so two processes opening one file do it once. Same
/// errors as `inspect_schema`.
[[nodiscard]] result<void> ensure_schema(connection& c);

}  // namespace outbox::sqlite
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
