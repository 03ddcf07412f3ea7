#include "odoolink/outbox/open_store.hpp"

#include "odoolink/outbox/memory_store.hpp"
#if defined(ODOOLINK_HAS_SQLITE)
#include "odoolink/outbox/sqlite_store.hpp"
#endif
#if defined(ODOOLINK_HAS_POSTGRES)
#include "odoolink/outbox/postgres_store.hpp"
#endif

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

bool parse_store_spec(std::string_view spec, store_spec& out) {
  const auto colon = spec.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view kind = spec.substr(0, colon);
  std::string_view target = spec.substr(colon + 1);
  out = {};
  if (kind.starts_with("postgres.")) {
    out.option = std::string(kind.substr(9));
    kind = kind.substr(0, 8);
  } else if (kind == "sqlite") {
    out.option = "full";
    if (const auto q = target.rfind("?durability="); q != std::string_view::npos) {
      out.option = std::string(target.substr(q + 12));
      target = target.substr(0, q);
    }
  }
  out.kind = std::string(kind);
  out.target = std::string(target);
  return !out.target.empty() || out.kind == "memory";
}

result<std::unique_ptr<store>> open_store(std::string_view spec) {
  store_spec parts;
  if (!parse_store_spec(spec, parts))
    return error(transport_errc::invalid_request, "store spec: expected <kind>:<target>, e.g. sqlite:/var/lib/app/outbox.db");
  if (parts.kind == "memory") return std::unique_ptr<store>(std::make_unique<memory_store>());
#if defined(ODOOLINK_HAS_SQLITE)
  if (parts.kind == "sqlite") {
    sqlite_options o;
    o.path = parts.target;
    if (parts.option == "normal")
      o.durability = sqlite_durability::normal;
    else if (parts.option != "full")
      return error(transport_errc::invalid_request, "store spec: sqlite durability is full or normal");
    ODOOLINK_TRY(auto s, sqlite_store::open(std::move(o)));
    return std::unique_ptr<store>(std::move(s));
  }
#endif
#if defined(ODOOLINK_HAS_POSTGRES)
  if (parts.kind == "postgres") {
    postgres_options o;
    o.conninfo = parts.target;
    if (!parts.option.empty()) o.schema = parts.option;
    ODOOLINK_TRY(auto s, postgres_store::open(std::move(o)));
    return std::unique_ptr<store>(std::move(s));
  }
#endif
  return error(transport_errc::invalid_request,
               "store spec: unknown kind or one this build lacks: \"" + parts.kind + "\" (sqlite, postgres, memory)");
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
