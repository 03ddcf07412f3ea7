// libFuzzer target: decoding records from arbitrary text never crashes,
// refuses what is not JSON (simdjson's validating parser is the judge), and
// reads owning and view records alike.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "odoolink/model/decode.hpp"
#include "simdjson_judge.hpp"

namespace {

namespace m = odoolink::model;

struct owned_row {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  bool active = false;
  m::many2one<m::any_model> parent_id;
  std::vector<std::int64_t> child_ids;
  std::optional<m::datetime> write_date;
  std::optional<m::date> birthday;
  double credit = 0;
  odoolink::json::value extra;
  ODOOLINK_FIELDS(owned_row, id, name, email, active, parent_id, child_ids, write_date, birthday, credit, extra)
};

struct view_row {
  std::int64_t id = 0;
  std::string_view name;
  m::many2one_view<m::any_model> parent_id;
  m::ids_view child_ids;
  ODOOLINK_FIELDS(view_row, id, name, parent_id, child_ids)
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto owned = m::decode<owned_row>(odoolink::protocol::reply(text), "res.partner");
  auto views = m::decode<view_row>(odoolink::protocol::reply(text), "res.partner");
  // Accepting broken JSON is the bug this target hunts, on every input.
  if ((owned || views) && odoolink_fuzz::broken_json(text)) __builtin_trap();
  if (owned && views && owned.value().size() != views.value().size()) __builtin_trap();
  if (owned && views) {
    for (std::size_t i = 0; i < owned.value().size(); ++i)
      if (owned.value()[i].name != views.value()[i].name || owned.value()[i].child_ids.size() != views.value()[i].child_ids.size())
        __builtin_trap();
  }
  return 0;
}
