#include "xmlrpc_plain.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

#include "odoolink/json/detail/object_keys.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/detail/xml_text.hpp"
#include "xmlrpc_scalars.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::xmlrpc::impl {
namespace {

// Equal short texts (member names), compared with word loads instead of a
// call to memcmp.
bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const auto word = [](const char* p) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  if (n >= 8 && n <= 16)
    return word(a.data()) == word(b.data()) && word(a.data() + n - 8) == word(b.data() + n - 8);
  if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// XML's blanks without CR (core/text.hpp's is_blank has it): a CR is left to
// expat, which turns CR LF into LF.
bool xml_blank(char c) noexcept { return c == ' ' || c == '\n' || c == '\t'; }

bool all_blank(std::string_view s) noexcept {
  for (const char c : s)
    if (!xml_blank(c)) return false;
  return true;
}

class plain_reader {
 public:
  plain_reader(std::string_view body, std::size_t max_depth)
      : p_(body.data()), end_(body.data() + body.size()), max_depth_(max_depth) {
    out_.reserve(body.size() / 2);
  }

  [[nodiscard]] bool run() {
    if (!declaration() || !next("<methodResponse>") || !next("<params>") || !next("<param>") || !next("<value>") ||
        !value())
      return false;
    if (!next("</param>") || !next("</params>") || !next("</methodResponse>")) return false;
    blanks();
    return p_ == end_;
  }

  [[nodiscard]] std::string& json() noexcept { return out_; }

 private:
  enum class container : std::uint8_t { array, structure };
  struct frame {
    container kind;
    bool in_member = false;  // structure: a member's value was read, its </member> is next
    std::size_t count = 0;   // items or members written
    // Structures: their nesting level among structs, and whether their
    // names left the level's shape (then `keys_` holds them from
    // `keys_depth`, and they become the shape if all view the body).
    std::size_t level = 0;
    bool checked = false;
    bool remember = true;
    std::size_t keys_depth = 0;
  };

  [[nodiscard]] bool take(std::string_view s) noexcept {
    if (static_cast<std::size_t>(end_ - p_) < s.size() || std::memcmp(p_, s.data(), s.size()) != 0) return false;
    p_ += s.size();
    return true;
  }

  void blanks() noexcept {
    while (p_ != end_ && xml_blank(*p_)) ++p_;
  }

  // `tag` after blanks (element content between tags).
  [[nodiscard]] bool next(std::string_view tag) noexcept {
    blanks();
    return take(tag);
  }

  // `<?xml version="1.0"?>`, with an encoding only when it is UTF-8.
  [[nodiscard]] bool declaration() {
    if (!take("<?xml")) return true;
    if (p_ == end_ || !xml_blank(*p_)) return false;
    blanks();
    std::string_view version;
    if (!take("version") || !equals_quoted(version) || version != "1.0") return false;
    const char* before = p_;
    blanks();
    if (p_ != before && take("encoding")) {
      std::string_view encoding;
      if (!equals_quoted(encoding) || !is_utf8_name(encoding)) return false;
      blanks();
    }
    return take("?>");
  }

  [[nodiscard]] bool equals_quoted(std::string_view& value) noexcept {
    blanks();
    if (!take("=")) return false;
    blanks();
    if (p_ == end_ || (*p_ != '"' && *p_ != '\'')) return false;
    const char quote = *p_++;
    const char* start = p_;
    while (p_ != end_ && *p_ != quote && *p_ != '<' && *p_ != '&') ++p_;
    if (p_ == end_ || *p_ != quote) return false;
    value = {start, static_cast<std::size_t>(p_ - start)};
    ++p_;
    return true;
  }

  static bool is_utf8_name(std::string_view e) noexcept {
    if (e.size() != 5) return false;
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    const char want[] = "utf-8";
    for (std::size_t i = 0; i < 5; ++i)
      if (lower(e[i]) != want[i]) return false;
    return true;
  }

  // Character data up to the next '<': `t` views it in the body, or in the
  // scratch buffer when it held entities.
  [[nodiscard]] bool text(std::string_view& t) {
    bool entity = false;
    return protocol::detail::scan_text<false>(p_, end_, t, entity) &&
           (!entity || protocol::detail::xml_unescape(t, scratch_));
  }

  // The text of a scalar element up to its closing tag.
  [[nodiscard]] bool scalar_text(std::string_view close, std::string_view& t) { return text(t) && take(close); }

  [[nodiscard]] bool open(container kind, char bracket) {
    if (++depth_ > max_depth_) return false;
    out_.push_back(bracket);
    stack_.push_back({kind});
    return true;
  }

  // After a <value>: a scalar through its </value>, or an array or struct
  // opened (its items are read by `value`).
  [[nodiscard]] bool value_content() {
    std::string_view t;
    if (!text(t)) return false;
    if (take("</value>")) {
      json::write_string(out_, t);  // bare text is a string
      return true;
    }
    if (!all_blank(t)) return false;
    if (take("<string>")) {
      if (!scalar_text("</string>", t)) return false;
      json::write_string(out_, t);
    } else if (take("<int>")) {
      if (!scalar_text("</int>", t) || append_int(out_, t) != scalar_fault::none) return false;
    } else if (take("<double>")) {
      if (!scalar_text("</double>", t) || append_double(out_, t) != scalar_fault::none) return false;
    } else if (take("<boolean>")) {
      if (!scalar_text("</boolean>", t) || !append_boolean(out_, t)) return false;
    } else if (take("<nil/>")) {
      out_.append("null");
    } else if (take("<array>")) {
      return next("<data>") && open(container::array, '[');
    } else if (take("<struct>")) {
      if (!open(container::structure, '{')) return false;
      frame& f = stack_.back();
      f.level = structs_++;
      if (shapes_.size() < structs_) {
        shapes_.resize(structs_);
        pending_.resize(structs_);
      }
      return true;
    } else if (take("<i4>")) {
      if (!scalar_text("</i4>", t) || append_int(out_, t) != scalar_fault::none) return false;
    } else if (take("<i8>")) {
      if (!scalar_text("</i8>", t) || append_int(out_, t) != scalar_fault::none) return false;
    } else if (take("<dateTime.iso8601>")) {
      if (!scalar_text("</dateTime.iso8601>", t)) return false;
      append_datetime(out_, t);
    } else if (take("<base64>")) {
      if (!scalar_text("</base64>", t)) return false;
      append_base64(out_, t);
    } else {
      return false;
    }
    return next("</value>");
  }

  // A member named twice is refused by the expat reader, as a repeated JSON
  // key. A list of records repeats one set of names in one order, so a
  // struct is first compared name by name with the shape of its level (the
  // last struct there whose names were checked in full, all distinct); only
  // a struct that leaves it has its names checked in a set, and becomes the
  // new shape. Hashing every name of every record cost more than reading it.
  [[nodiscard]] bool distinct_name(frame& f, std::string_view name) {
    if (!f.checked) {
      const std::vector<std::string_view>& shape = shapes_[f.level];
      if (f.count < shape.size() && same_text(shape[f.count], name)) return true;
      f.checked = true;
      f.keys_depth = keys_.depth();
      keys_.open();
      std::vector<std::string_view>& names = pending_[f.level];
      names.assign(shape.begin(), shape.begin() + static_cast<std::ptrdiff_t>(f.count));
      for (const std::string_view n : names) (void)keys_.add(n, false);  // distinct, as in the shape
    }
    const bool unescaped = name.data() == scratch_.data();
    if (!keys_.add(name, unescaped)) return false;
    if (unescaped) f.remember = false;  // the scratch buffer changes: not a shape
    else if (f.remember) pending_[f.level].push_back(name);
    return true;
  }

  // <member> <name>..</name> <value>: the key written, the value next.
  [[nodiscard]] bool member_name(frame& f) {
    std::string_view name;
    if (!next("<name>") || !text(name) || !take("</name>")) return false;
    if (!distinct_name(f, name)) return false;
    if (f.count++ != 0) out_.append(", ");
    json::write_string(out_, name);
    out_.append(": ");
    return next("<value>");
  }

  // After a <value>: that value and everything nested in it, with the
  // nesting on a heap stack (no recursion).
  [[nodiscard]] bool value() {
    for (;;) {
      if (!value_content()) return false;
      // Find the next <value>, closing the arrays and structs that end.
      for (;;) {
        if (stack_.empty()) return true;
        frame& top = stack_.back();
        blanks();
        if (top.kind == container::array) {
          if (take("<value>")) {
            if (top.count++ != 0) out_.append(", ");
            break;
          }
          if (!take("</data>") || !next("</array>")) return false;
          out_.push_back(']');
        } else {
          if (top.in_member) {
            if (!take("</member>")) return false;
            top.in_member = false;
            blanks();
          }
          if (take("<member>")) {
            if (!member_name(top)) return false;
            top.in_member = true;
            break;
          }
          if (!take("</struct>")) return false;
          out_.push_back('}');
          if (top.checked) {
            keys_.close_to(top.keys_depth);
            if (top.remember) shapes_[top.level].swap(pending_[top.level]);
          }
          --structs_;
        }
        stack_.pop_back();
        --depth_;
        if (!next("</value>")) return false;
      }
    }
  }

  const char* p_;
  const char* end_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  std::vector<frame> stack_;
  std::string out_;
  std::string scratch_;
  json::detail::object_keys keys_;
  std::size_t structs_ = 0;                             // structs open
  std::vector<std::vector<std::string_view>> shapes_;   // per struct level: names in order, distinct
  std::vector<std::vector<std::string_view>> pending_;  // per struct level: names of a struct checked in full
};

}  // namespace

std::optional<std::string> plain_response_json(std::string_view body, std::size_t max_depth) {
  plain_reader r(body, max_depth);
  if (!r.run()) return std::nullopt;
  return std::move(r.json());
}

}  // namespace protocol::xmlrpc::impl
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
