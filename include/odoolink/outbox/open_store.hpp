#pragma once
/// @file
/// Opens a store from a one-line spec, for tools and configuration files:
///
/// | spec                              | store                                   |
/// |-----------------------------------|-----------------------------------------|
/// | `sqlite:<path>`                   | SQLite file, `synchronous = FULL`       |
/// | `sqlite:<path>?durability=normal` | the same, `synchronous = NORMAL`        |
/// | `postgres:<conninfo or URI>`      | PostgreSQL, tables in schema `odoolink` |
/// | `postgres.<schema>:<conninfo>`    | PostgreSQL, tables in `<schema>`        |
/// | `memory:`                         | in memory (gone with the process)       |
///
/// A kind this build lacks is an error, never a silent fallback. Error texts
/// name the kind only: a conninfo may hold a password.

#include <memory>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// The parts of a store spec.
struct store_spec {
  std::string kind;    ///< `sqlite`, `postgres` or `memory`
  std::string option;  ///< sqlite: the durability (`full`, `normal`); postgres: the schema (may be empty)
  std::string target;  ///< sqlite: the path; postgres: the conninfo
};

/// Splits `spec`; false when it has no kind, or no target (except `memory:`).
/// @par Thread Safety  Pure function.
[[nodiscard]] bool parse_store_spec(std::string_view spec, store_spec& out);

/// Opens the store `spec` names.
/// Errors: transport_errc::invalid_request for a malformed spec or a kind
/// this build lacks; the store's own errors.
[[nodiscard]] result<std::unique_ptr<store>> open_store(std::string_view spec);

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
