#include "testing/fake/attachments.hpp"

#include <cstdio>

#include "odoolink/json/base64.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

model_def ir_attachment() {
  static constexpr std::string_view fields = R"json({
    "name": {"type": "char", "string": "Name", "required": true},
    "description": {"type": "text", "string": "Description"},
    "res_model": {"type": "char", "string": "Resource Model"},
    "res_field": {"type": "char", "string": "Resource Field"},
    "res_id": {"type": "many2one_reference", "string": "Resource ID"},
    "type": {"type": "selection", "string": "Type", "selection": [["url", "URL"], ["binary", "File"]]},
    "url": {"type": "char", "string": "Url"},
    "public": {"type": "boolean", "string": "Is public document"},
    "datas": {"type": "binary", "string": "File Content (base64)"},
    "file_size": {"type": "integer", "string": "File Size", "readonly": true},
    "mimetype": {"type": "char", "string": "Mime Type"}
  })json";
  auto m = parse_fields_get("ir.attachment", fields);
  if (!m) raise("builtins.ValueError", "ir.attachment: " + m.error().message());
  m.value().label = "Attachment";
  return std::move(m).value();
}

std::string human_size(std::size_t bytes) {
  static constexpr const char* units[] = {"bytes", "Kb", "Mb", "Gb", "Tb"};
  double s = static_cast<double>(bytes);
  std::size_t i = 0;
  while (s >= 1024 && i + 1 < std::size(units)) s /= 1024, ++i;
  char text[32];
  std::snprintf(text, sizeof text, "%0.2f %s", s, units[i]);
  return text;
}

void finish_binary_read(const database& db, std::string_view model, json::array& records, bool bin_size) {
  const model_def& m = db.get(model).def;
  const bool attachment = model == "ir.attachment";
  if (!bin_size && !attachment) return;
  for (auto& r : records) {
    const json::value* id = r.find("id");
    if (id == nullptr || !id->is_int()) continue;
    if (attachment && r.find("file_size") != nullptr) {
      const json::value content = db.field_value(model, id->as_int(), *m.field("datas"));
      r.set("file_size", static_cast<std::int64_t>(
                             content.is_string() ? json::base64_decoded_size(content.as_string()) : 0));
    }
    if (!bin_size) continue;
    for (auto& [name, v] : r.as_object()) {
      const field_def* f = m.field(name);
      if (f == nullptr || f->type != "binary" || !v.is_string()) continue;
      const std::size_t n = json::base64_decoded_size(v.as_string());
      v = n == 0 ? json::value(false) : json::value(human_size(n));
    }
  }
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
