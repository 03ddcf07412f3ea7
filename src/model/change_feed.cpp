#include "odoolink/model/change_feed.hpp"

#include <algorithm>
#include <charconv>

#include "odoolink/json/odoo.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {
namespace {

constexpr std::string_view version_tag = "v1";

error bad_cursor(std::string_view why) {
  return error(protocol_errc::unexpected_type, "change cursor: " + std::string(why));
}

json::value id_array(const std::vector<std::int64_t>& ids) {
  json::array out;
  out.reserve(ids.size());
  for (const auto id : ids) out.emplace_back(id);
  return out;
}

}  // namespace

result<change_cursor> change_cursor::parse(std::string_view text) {
  change_cursor out;
  if (text.empty()) return out;
  if (text.substr(0, version_tag.size()) != version_tag) return bad_cursor("unknown format (expected \"v1;...\")");
  text.remove_prefix(version_tag.size());
  while (!text.empty()) {
    if (text.front() != ';') return bad_cursor("expected ';' between seconds");
    text.remove_prefix(1);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) return bad_cursor("expected '<datetime>=<ids>'");
    auto at = json::parse_datetime(text.substr(0, eq));
    if (!at) return bad_cursor(at.error().message());
    text.remove_prefix(eq + 1);
    second s{at.value(), {}};
    const auto end = std::min(text.find(';'), text.size());
    std::string_view ids = text.substr(0, end);
    text.remove_prefix(end);
    while (!ids.empty()) {
      const auto comma = std::min(ids.find(','), ids.size());
      std::int64_t id = 0;
      const auto r = std::from_chars(ids.data(), ids.data() + comma, id);
      if (r.ec != std::errc() || r.ptr != ids.data() + comma || id <= 0) return bad_cursor("bad id list");
      s.ids.push_back(id);
      ids.remove_prefix(comma == ids.size() ? comma : comma + 1);
    }
    if (!std::is_sorted(s.ids.begin(), s.ids.end())) std::sort(s.ids.begin(), s.ids.end());
    if (!out.seconds_.empty() && out.seconds_.back().at >= s.at) return bad_cursor("seconds must ascend");
    out.seconds_.push_back(std::move(s));
  }
  return out;
}

std::string change_cursor::to_string() const {
  if (seconds_.empty()) return {};
  std::string out(version_tag);
  for (const auto& s : seconds_) {
    out += ';';
    out += detail::datetime_text(s.at);
    out += '=';
    for (std::size_t i = 0; i < s.ids.size(); ++i) {
      if (i != 0) out += ',';
      out += std::to_string(s.ids[i]);
    }
  }
  return out;
}

domain change_cursor::pending() const {
  if (seconds_.empty()) return {};
  const auto wd = [](const char* op, model::datetime t) { return domain::leaf("write_date", op, detail::datetime_text(t)); };
  // Odoo stores write_date with microseconds but reads it back in whole
  // seconds: "in second t" is the range [t, t + 1 s), never `= t`.
  const auto in_second = [&](model::datetime t) { return wd(">=", t) && wd("<", t + std::chrono::seconds(1)); };
  if (seconds_.size() == 1) {
    const second& last = seconds_.back();
    if (last.ids.empty()) return wd(">=", last.at);
    return wd(">=", last.at + std::chrono::seconds(1)) ||
           (in_second(last.at) && domain::leaf("id", "not in", id_array(last.ids)));
  }
  // From the oldest second kept on, except what was delivered in each second.
  domain delivered = domain::none();
  bool any = false;
  for (const auto& s : seconds_) {
    if (s.ids.empty()) continue;
    domain these = in_second(s.at) && domain::leaf("id", "in", id_array(s.ids));
    delivered = any ? std::move(delivered) || std::move(these) : std::move(these);
    any = true;
  }
  domain since = wd(">=", seconds_.front().at);
  return any ? std::move(since) && !std::move(delivered) : since;
}

change_cursor change_cursor::advanced(std::span<const std::int64_t> ids, std::span<const model::datetime> write_dates,
                                      std::chrono::seconds overlap) const {
  change_cursor out = *this;
  const std::size_t n = std::min(ids.size(), write_dates.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto at = write_dates[i];
    auto it = std::lower_bound(out.seconds_.begin(), out.seconds_.end(), at,
                               [](const second& s, model::datetime t) { return s.at < t; });
    if (it == out.seconds_.end() || it->at != at) it = out.seconds_.insert(it, second{at, {}});
    auto pos = std::lower_bound(it->ids.begin(), it->ids.end(), ids[i]);
    if (pos == it->ids.end() || *pos != ids[i]) it->ids.insert(pos, ids[i]);
  }
  if (!out.seconds_.empty()) {
    const auto keep_from = out.seconds_.back().at - (overlap < std::chrono::seconds(0) ? std::chrono::seconds(0) : overlap);
    out.seconds_.erase(out.seconds_.begin(),
                       std::find_if(out.seconds_.begin(), out.seconds_.end(), [&](const second& s) { return s.at >= keep_from; }));
  }
  return out;
}

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
