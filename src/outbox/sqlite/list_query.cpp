#include "list_query.hpp"

#include <algorithm>
#include <limits>

#include "event_row.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

namespace {

// Numbered parameters, the same in every variant.
struct condition {
  const char* sql;
  bool (*used)(const event_filter&);
};
constexpr condition conditions[] = {
    {" AND s.state = ?2", [](const event_filter& f) { return f.state.has_value(); }},
    {" AND e.subject = ?3", [](const event_filter& f) { return !f.subject.empty(); }},
    {" AND e.aggregate_key = ?4", [](const event_filter& f) { return !f.aggregate_key.empty(); }},
    {" AND e.correlation_id = ?5", [](const event_filter& f) { return !f.correlation_id.empty(); }},
    // The partial indexes' own conditions, true for the non-empty values these are used with.
    {" AND s.result_model = ?6 AND s.result_record_id = ?7 AND s.result_model <> ''",
     [](const event_filter& f) { return !f.result_model.empty(); }},
    {" AND s.result_external_id = ?8 AND s.result_external_id <> ''",
     [](const event_filter& f) { return !f.result_external_id.empty(); }},
};
static_assert(std::size(conditions) <= 6, "list_query keeps 64 variants");

// A state filter walks the narrow state rows, through a partial index where
// one holds the state (the index's own condition repeated, so it applies).
enum class state_index : unsigned { none, open, dead };

state_index index_for(const event_filter& f) {
  if (!f.state) return state_index::none;
  switch (*f.state) {
    case event_state::pending:
    case event_state::in_flight: return state_index::open;
    case event_state::dead: return state_index::dead;
    default: return state_index::none;
  }
}

}  // namespace

const std::string& list_query::sql_for(const event_filter& f) {
  unsigned mask = 0;
  for (unsigned i = 0; i < std::size(conditions); ++i)
    if (conditions[i].used(f)) mask |= 1U << i;
  const state_index index = index_for(f);
  std::string& sql = sql_[mask + 64 * static_cast<unsigned>(index)];
  if (sql.empty()) {
    const char* order = f.state ? "s.sequence" : "e.sequence";
    sql = std::string("SELECT " ODOOLINK_SQLITE_EVENT_COLUMNS " FROM " ODOOLINK_SQLITE_EVENT_TABLES " WHERE ") + order +
          " > ?1";
    for (unsigned i = 0; i < std::size(conditions); ++i)
      if ((mask & (1U << i)) != 0) sql += conditions[i].sql;
    if (index == state_index::open) sql += " AND s.open = 1";
    if (index == state_index::dead) sql += " AND s.state = 3";
    sql += std::string(" ORDER BY ") + order + " LIMIT ?9";
  }
  return sql;
}

void list_query::bind(statement& s, const event_filter& f) {
  constexpr auto max_limit = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  s.bind(1, f.after_sequence);
  s.bind(2, f.state ? static_cast<std::int64_t>(*f.state) : std::int64_t{-1});
  s.bind(3, f.subject).bind(4, f.aggregate_key).bind(5, f.correlation_id);
  s.bind(6, f.result_model).bind(7, f.result_record_id).bind(8, f.result_external_id);
  s.bind(9, static_cast<std::int64_t>(std::min(f.limit, max_limit)));
}

}  // namespace outbox::sqlite
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
