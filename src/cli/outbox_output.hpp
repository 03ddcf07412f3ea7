#pragma once
// How `odoolink outbox` prints events and audit rows: as aligned text for
// people, or as one JSON document for scripts (`--json`). Payloads are never
// printed: they may hold PII, and the audit rows carry their redacted form.
#include <chrono>
#include <cstdio>
#include <span>
#include <string>

#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/audit.hpp"
#include "odoolink/outbox/event.hpp"

namespace odoolink_cli {

namespace ob = odoolink::outbox;

/// `2026-12-04 05:06:07Z` (UTC, whole seconds).
inline std::string format_time(ob::timestamp t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(secs - day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(hms.hours().count()), static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return buf;
}

/// Appends `"key": ` (after a comma unless `first`).
inline void json_key(std::string& out, const char* key, bool first) {
  if (!first) out += ", ";
  odoolink::json::write_string(out, key);
  out += ": ";
}

inline void json_member(std::string& out, const char* key, std::string_view text, bool first = false) {
  json_key(out, key, first);
  odoolink::json::write_string(out, text);
}

inline void json_member(std::string& out, const char* key, std::int64_t number, bool first = false) {
  json_key(out, key, first);
  odoolink::json::write_int(out, number);
}

/// One event as a JSON object (no payload).
inline void write_event_json(std::string& out, const ob::event& e) {
  out += '{';
  json_member(out, "id", e.id, true);
  json_member(out, "sequence", e.sequence);
  json_member(out, "state", ob::to_string(e.state));
  json_member(out, "subject", e.subject);
  json_member(out, "contract_version", e.contract_version);
  json_member(out, "idempotency_key", e.idempotency_key);
  json_member(out, "aggregate_key", e.aggregate_key);
  json_member(out, "correlation_id", e.correlation_id);
  json_member(out, "causation_id", e.causation_id);
  json_member(out, "attempts", e.attempts);
  json_member(out, "created_at", format_time(e.created_at));
  json_member(out, "updated_at", format_time(e.updated_at));
  json_member(out, "last_error", e.last_error);
  if (e.state == ob::event_state::delivered) {
    out += ", \"result\": {";
    json_member(out, "model", e.result.model, true);
    json_member(out, "record_id", e.result.record_id);
    json_member(out, "external_id", e.result.external_id);
    out += '}';
  }
  out += '}';
}

inline void write_audit_json(std::string& out, std::span<const ob::audit_record> rows) {
  out += '[';
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) out += ", ";
    out += '{';
    json_member(out, "sequence", rows[i].sequence, true);
    json_member(out, "at", format_time(rows[i].at));
    json_member(out, "action", ob::to_string(rows[i].action));
    json_member(out, "detail", rows[i].detail);
    out += '}';
  }
  out += ']';
}

/// One line per event, for `dead` and `find`.
inline void print_event_line(const ob::event& e) {
  std::printf("%s  %-9s  %s  %s  key=%s  attempts=%d", e.id.c_str(), std::string(ob::to_string(e.state)).c_str(),
              format_time(e.updated_at).c_str(), e.subject.c_str(), e.idempotency_key.c_str(), e.attempts);
  if (e.state == ob::event_state::delivered && !e.result.external_id.empty())
    std::printf("  -> %s", e.result.external_id.c_str());
  if (!e.last_error.empty()) std::printf("  %s", e.last_error.c_str());
  std::printf("\n");
}

/// The whole event and its audit history, for `show`.
inline void print_event_details(const ob::event& x, std::span<const ob::audit_record> history) {
  std::printf("id           %s\nsequence     %lld\nstate        %s\nsubject      %s %s\nfingerprint  %s\n"
              "key          %s\naggregate    %s\ncorrelation  %s\nattempts     %d\nlast error   %s\n",
              x.id.c_str(), static_cast<long long>(x.sequence), std::string(ob::to_string(x.state)).c_str(),
              x.subject.c_str(), x.contract_version.c_str(), x.fingerprint.c_str(), x.idempotency_key.c_str(),
              x.aggregate_key.c_str(), x.correlation_id.c_str(), x.attempts, x.last_error.c_str());
  if (x.state == ob::event_state::delivered)
    std::printf("delivered    %s %lld %s\n", x.result.model.c_str(), static_cast<long long>(x.result.record_id),
                x.result.external_id.c_str());
  for (const auto& row : history)
    std::printf("  %s  %-9s  %s\n", format_time(row.at).c_str(), std::string(ob::to_string(row.action)).c_str(),
                row.detail.c_str());
}

}  // namespace odoolink_cli
