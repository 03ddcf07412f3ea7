#include "odoolink/model/load.hpp"

#include <algorithm>

#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {
namespace detail {
namespace {

error ragged(std::string what) {
  return error(protocol_errc::unsupported_call,
               "load batch: " + std::move(what) +
                   " (an empty cell empties the field in Odoo, so every record must set the same columns)");
}

// The columns of `node` under `prefix`, in order: its id, its cells, then its
// lines' columns. Lines of one field must agree with each other.
result<std::vector<std::string>> columns_of(const load_node& node, const std::string& prefix) {
  std::vector<std::string> cols;
  if (!node.external_id.empty()) cols.push_back(prefix + "id");
  for (const auto& [c, text] : node.cells) cols.push_back(prefix + c);
  for (const auto& [field, lines] : node.lines) {
    const std::string sub = prefix + field + "/";
    ODOOLINK_TRY(auto first, columns_of(*lines.front(), sub));
    for (std::size_t i = 1; i < lines.size(); ++i) {
      ODOOLINK_TRY(auto other, columns_of(*lines[i], sub));
      if (other != first) return ragged("lines of \"" + prefix + field + "\" set different columns");
    }
    cols.insert(cols.end(), first.begin(), first.end());
  }
  return cols;
}

struct table_writer {
  const std::vector<std::string>& fields;
  std::vector<std::vector<std::string>>& rows;
  bool& has_datetime;

  std::size_t column(const std::string& name) const {
    return static_cast<std::size_t>(std::find(fields.begin(), fields.end(), name) - fields.begin());
  }
  void ensure_row(std::size_t r) {
    while (rows.size() <= r) rows.emplace_back(fields.size());
  }
  // Writes `node` starting at `row`; returns how many rows it spans.
  std::size_t emit(const load_node& node, const std::string& prefix, std::size_t row) {
    ensure_row(row);
    has_datetime = has_datetime || node.has_datetime;
    if (!node.external_id.empty()) rows[row][column(prefix + "id")] = node.external_id;
    for (const auto& [c, text] : node.cells) rows[row][column(prefix + c)] = text;
    std::size_t span = 1;
    for (const auto& [field, lines] : node.lines) {
      std::size_t offset = 0;
      for (const auto& line : lines) offset += emit(*line, prefix + field + "/", row + offset);
      span = std::max(span, offset);
    }
    return span;
  }
};

}  // namespace

result<load_table> build_load_table(const std::vector<std::unique_ptr<load_node>>& records) {
  if (records.empty()) return error(protocol_errc::unsupported_call, "load batch: no records");
  load_table table;
  ODOOLINK_TRY(table.fields, columns_of(*records.front(), ""));
  for (std::size_t i = 1; i < records.size(); ++i) {
    ODOOLINK_TRY(auto cols, columns_of(*records[i], ""));
    if (cols != table.fields) return ragged("record #" + std::to_string(i) + " sets other columns than record #0");
  }
  table_writer w{table.fields, table.rows, table.has_datetime};
  std::size_t row = 0;
  for (const auto& r : records) row += w.emit(*r, "", row);
  return table;
}

}  // namespace detail

result<load_result> parse_load_result(std::string_view text, std::string_view model) {
  const std::string who = model.empty() ? std::string("load") : std::string(model) + ".load";
  ODOOLINK_TRY(const json::value v, json::parse(text));
  const json::value* ids = v.find("ids");
  const json::value* messages = v.find("messages");
  if (ids == nullptr || (!ids->is_array() && !ids->is_bool()))
    return error(protocol_errc::unexpected_type, who + ": expected {ids, messages, nextrow}");
  load_result out;
  if (messages != nullptr && messages->is_array()) {
    for (const auto& m : messages->as_array()) {
      if (!m.is_object()) continue;
      load_message msg;
      const auto str = [&](const char* key) {
        const json::value* x = m.find(key);
        return x != nullptr && x->is_string() ? x->as_string() : std::string();
      };
      const auto num = [](const json::value* x) { return x != nullptr && x->is_int() ? x->as_int() : -1; };
      msg.type = str("type");
      msg.message = str("message");
      msg.field = str("field");
      msg.record = num(m.find("record"));
      if (const json::value* rows = m.find("rows")) {
        msg.row_from = num(rows->find("from"));
        msg.row_to = num(rows->find("to"));
      }
      out.messages.push_back(std::move(msg));
    }
  }
  if (ids->is_bool()) {
    // Odoo refused the batch and rolled it back: report what it said.
    std::string msg = who + ": the batch was refused";
    for (const auto& m : out.messages) {
      if (m.type != "error") continue;
      msg += "; ";
      if (m.record >= 0) msg += "record " + std::to_string(m.record) + ", ";
      if (!m.field.empty()) msg += "field " + m.field + ": ";
      msg += m.message;
    }
    return error::odoo(odoo_errc::validation_error, std::move(msg), {}, {}, 0);
  }
  for (const auto& id : ids->as_array()) {
    if (!id.is_int()) return error(protocol_errc::unexpected_type, who + ": ids must be integers");
    out.ids.push_back(id.as_int());
  }
  return out;
}

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
