#include "odoolink/protocol/detail/json_body.hpp"

#include <cstdint>
#include <optional>

#include "odoolink/model/detail/json_cursor.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::detail {

void write_kwargs_members(json::writer& w, const call& c) {
  const json::value* existing_context = nullptr;
  if (c.kwargs.is_object()) {
    for (const auto& [key, val] : c.kwargs.as_object()) {
      if (key == "context" && !c.context.is_null()) {
        existing_context = &val;
        continue;
      }
      w.key(key).val(val);
    }
  }
  if (c.context.is_null()) return;
  w.key("context");
  if (existing_context == nullptr || !existing_context->is_object() || !c.context.is_object()) {
    w.val(c.context);
    return;
  }
  // The call's context wins over a context passed in kwargs, key by key.
  w.begin_object();
  for (const auto& [key, val] : existing_context->as_object())
    if (c.context.find(key) == nullptr) w.key(key).val(val);
  for (const auto& [key, val] : c.context.as_object()) w.key(key).val(val);
  w.end_object();
}

void write_kwargs(json::writer& w, const call& c) {
  w.begin_object();
  write_kwargs_members(w, c);
  w.end_object();
}

http_request json_post(std::string target, std::string body) {
  http_request r;
  r.method = "POST";
  r.target = std::move(target);
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  return r;
}

void reset_json_post(http_request& r, std::string_view target, std::string_view session_id) {
  constexpr std::string_view content_type = "Content-Type", json_type = "application/json";
  constexpr std::string_view cookie = "Cookie", cookie_prefix = "session_id=";
  const std::size_t count = session_id.empty() ? 1 : 2;
  // Headers equal to the last request's are kept as they are (no allocation).
  bool same = r.headers.size() == count && r.headers[0].name == content_type && r.headers[0].value == json_type;
  if (same && count == 2) {
    const std::string_view v = r.headers[1].value;
    same = r.headers[1].name == cookie && v.size() == cookie_prefix.size() + session_id.size() &&
           v.substr(0, cookie_prefix.size()) == cookie_prefix && v.substr(cookie_prefix.size()) == session_id;
  }
  if (!same) {
    r.headers.clear();
    r.headers.push_back({std::string(content_type), std::string(json_type)});
    if (count == 2) r.headers.push_back({std::string(cookie), std::string(cookie_prefix) + std::string(session_id)});
  }
  r.method.assign("POST");
  r.target.assign(target);
  r.body.clear();
  r.idempotent = false;
  r.timeout = std::chrono::milliseconds(0);
}

namespace {

using model::detail::json_cursor;
using model::detail::json_fault;
using model::detail::json_kind;

error malformed(const json_cursor& c) {
  std::string msg = "response is not valid JSON (";
  msg += model::detail::describe_fault(c);
  msg += " at byte " + std::to_string(c.fault_offset()) + ")";
  if (c.fault() == json_fault::too_deep) return error(protocol_errc::nesting_too_deep, "response nests too deeply");
  if (c.fault() == json_fault::invalid_utf8)
    return error(protocol_errc::invalid_utf8, "response is not valid UTF-8 (a string at byte " + std::to_string(c.fault_offset()) + ")");
  return error(protocol_errc::malformed_response, std::move(msg));
}

// One strict pass over a body. The UTF-8 check is part of it: the cursor
// checks the strings it reads or skips that hold non-ASCII bytes, and the
// grammar allows no such byte elsewhere.
class body_reader {
 public:
  body_reader(std::string_view text, const decode_options& opts) noexcept
      : text_(text), c_(text.data(), text.size()),
        depth_(opts.max_depth < json_cursor::max_depth ? opts.max_depth : json_cursor::max_depth) {}

  result<void> start() {
    if (c_.at_end()) return error(protocol_errc::malformed_response, "response body is empty");
    return success();
  }

  json_cursor& cursor() noexcept { return c_; }
  error malformed_here() { return malformed(c_); }
  error unexpected_here() {
    c_.unexpected();
    return malformed(c_);
  }

  // Reads the members of the object at the cursor (at depth `level`, 1 for
  // the outermost), calling `member(key)` with the cursor on each value; it
  // must consume the value. A key given twice is refused, here and in every
  // value skipped (json/detail/object_keys.hpp).
  template <class Member>
  result<void> members(std::size_t level, Member&& member) {
    if (level > depth_) return error(protocol_errc::nesting_too_deep, "response nests too deeply");
    c_.advance(1);  // '{'
    const std::size_t outer = keys_.depth();
    keys_.open();
    auto read = [&]() -> result<void> {
      bool more = !c_.take('}');
      while (more) {
        if (c_.peek() != '"') return unexpected_here();
        std::string_view key;
        bool in_scratch = false;
        if (!c_.read_string(key, in_scratch, scratch_)) return malformed_here();
        if (!keys_.add(key, in_scratch))
          return error(protocol_errc::malformed_response, "response is not valid JSON-RPC: " + json::detail::repeated_key(key));
        if (!c_.take(':')) return unexpected_here();
        c_.peek();
        // `key` may view the scratch buffer: `member` compares it before reading the value.
        ODOOLINK_TRYV(member(key));
        if (!c_.next_or_close('}', more)) return malformed_here();
      }
      return success();
    };
    auto done = read();
    keys_.close_to(outer);
    return done;
  }

  // Skips the value at the cursor, nested `level` containers deep.
  result<void> skip(std::size_t level) {
    if (level >= depth_ && (c_.next_kind() == json_kind::array || c_.next_kind() == json_kind::object))
      return error(protocol_errc::nesting_too_deep, "response nests too deeply");
    if (!c_.skip_value(keys_, depth_ - level)) return malformed_here();
    return success();
  }

  // A string value as an owned string; anything else is skipped and gives "".
  result<std::string> text(std::size_t level) {
    if (c_.next_kind() != json_kind::string) {
      ODOOLINK_TRYV(skip(level));
      return std::string();
    }
    std::string_view out;
    bool in_scratch = false;
    if (!c_.read_string(out, in_scratch, scratch_)) return malformed_here();
    return std::string(out);
  }

  // The value at the cursor, read by `reader` in place or checked and
  // skipped: its text.
  result<std::string_view> value(std::size_t level, const result_reader* reader) {
    const char* start = c_.position();
    if (reader != nullptr && reader->read != nullptr) {
      ODOOLINK_TRY(const std::size_t stop, reader->read(reader->self, text_.data(), text_.size(), c_.offset()));
      c_.advance(stop - c_.offset());
    } else {
      ODOOLINK_TRYV(skip(level));
    }
    return std::string_view(start, static_cast<std::size_t>(c_.position() - start));
  }

  result<void> finish() {
    if (c_.at_end()) return success();
    c_.fail(json_fault::trailing);
    return malformed_here();
  }

  // An Odoo fault object at the cursor, `level` deep.
  result<fault_fields> fault(std::size_t level) {
    fault_fields f;
    ODOOLINK_TRYV(members(level, [&](std::string_view key) -> result<void> {
      if (key == "name") {
        f.has_name = c_.next_kind() == json_kind::string;
        ODOOLINK_TRY(f.name, text(level));
      } else if (key == "message") {
        ODOOLINK_TRY(f.message, text(level));
      } else if (key == "debug") {
        ODOOLINK_TRY(f.debug, text(level));
      } else {
        ODOOLINK_TRYV(skip(level));
      }
      return success();
    }));
    return f;
  }

 private:
  std::string_view text_;
  json_cursor c_;
  std::size_t depth_;
  std::string scratch_;
  json::detail::object_keys keys_;  // of the objects open in the envelope
};

// JSON-RPC's `error` member, `{"code", "message", "data": fault}`, into `out`.
result<void> error_member(body_reader& in, int http_status, std::optional<error>& out) {
  if (in.cursor().next_kind() != json_kind::object)
    return error(protocol_errc::malformed_response, "JSON-RPC error is not an object", http_status);
  std::string top_message;
  std::optional<fault_fields> data;
  std::int64_t code = 0;
  ODOOLINK_TRYV(in.members(2, [&](std::string_view key) -> result<void> {
    if (key == "message") {
      ODOOLINK_TRY(top_message, in.text(2));
    } else if (key == "data" && in.cursor().next_kind() == json_kind::object) {
      ODOOLINK_TRY(data, in.fault(3));
    } else if (key == "code" && in.cursor().next_kind() == json_kind::number) {
      if (!in.cursor().read_int64(code)) {
        code = 0;
        ODOOLINK_TRYV(in.skip(2));
      }
    } else {
      ODOOLINK_TRYV(in.skip(2));
    }
    return success();
  }));
  if (data) {
    out = odoo_fault(*data, top_message, http_status);
    return success();
  }
  // No data: only the numeric code is left; 100 is Odoo's "session expired".
  const auto ec = code == 100 ? odoo_errc::session_expired : odoo_errc::server_error;
  out = error::odoo(ec, std::move(top_message), {}, {}, http_status);
  return success();
}

}  // namespace

result<json::buffer> read_jsonrpc(std::string body, int http_status, const decode_options& opts,
                                  const result_reader* reader) {
  json::buffer buf(std::move(body));
  body_reader in(buf.whole(), opts);
  ODOOLINK_TRYV(in.start());
  if (in.cursor().peek() != '{') {
    // Broken JSON is named as such before the shape.
    ODOOLINK_TRYV(in.skip(0));
    ODOOLINK_TRYV(in.finish());
    return error(protocol_errc::malformed_response, "response is not a JSON-RPC envelope (not an object)", http_status);
  }
  std::string_view result_text;
  bool has_result = false;
  bool has_jsonrpc = false;
  std::optional<error> failure;
  ODOOLINK_TRYV(in.members(1, [&](std::string_view key) -> result<void> {
    if (key == "result") {
      has_result = true;
      ODOOLINK_TRY(result_text, in.value(1, reader));
      return success();
    }
    if (key == "error") return error_member(in, http_status, failure);
    has_jsonrpc = has_jsonrpc || key == "jsonrpc";
    return in.skip(1);
  }));
  ODOOLINK_TRYV(in.finish());
  if (failure) return std::move(*failure);
  if (has_result) return std::move(buf).slice(result_text);
  // `/web/session/destroy` answers an envelope without result: a null result.
  if (has_jsonrpc) return json::buffer(std::string("null"));
  return error(protocol_errc::malformed_response, "response has neither result nor error", http_status);
}

result<json::buffer> read_bare(std::string body, const decode_options& opts, const result_reader* reader) {
  json::buffer buf(std::move(body));
  body_reader in(buf.whole(), opts);
  ODOOLINK_TRYV(in.start());
  ODOOLINK_TRY(const std::string_view value, in.value(0, reader));
  ODOOLINK_TRYV(in.finish());
  return std::move(buf).slice(value);
}

result<fault_fields> read_fault(const json::buffer& body, const decode_options& opts) {
  body_reader in(body.whole(), opts);
  ODOOLINK_TRYV(in.start());
  if (in.cursor().next_kind() != json_kind::object) {
    ODOOLINK_TRYV(in.skip(0));
    ODOOLINK_TRYV(in.finish());
    return fault_fields{};
  }
  ODOOLINK_TRY(fault_fields f, in.fault(1));
  ODOOLINK_TRYV(in.finish());
  return f;
}

error odoo_fault(const fault_fields& fault, std::string_view fallback_message, int http_status) {
  const std::string_view message = fault.message.empty() ? fallback_message : std::string_view(fault.message);
  const odoo_errc code = classify_odoo_fault(fault.name, message, http_status);
  // The web session's registry lookup says only KeyError: 'x.y'.
  if (code == odoo_errc::unknown_model && fault.name == "builtins.KeyError")
    return error::odoo(code, "the model '" + std::string(message) + "' does not exist", fault.name, fault.debug,
                       http_status);
  return error::odoo(code, std::string(message), fault.name, fault.debug, http_status);
}

}  // namespace protocol::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
