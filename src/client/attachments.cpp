#include "odoolink/client/attachments.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <string_view>
#include <system_error>

#include "odoolink/json/base64.hpp"
#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {
namespace {

// Stands for the content in the encoded call; `finish_body` replaces it by
// the base64 text. Plain ASCII, so every codec writes it as it is.
constexpr std::string_view placeholder = "odoolink:attachment-content:0b7d4f2c9e61";

// Raw bytes per file piece: a multiple of 3, so the pieces' base64 concatenates.
constexpr std::size_t file_piece = 3 * 16384;
// Base64 characters per decoded piece written to a file: a multiple of 4.
constexpr std::size_t text_piece = 4 * 16384;

std::span<const std::uint8_t> as_u8(std::span<const std::byte> b) {
  return {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()};
}

error file_error(std::errc code, const std::filesystem::path& file, std::string_view what) {
  return {std::make_error_code(code), std::string(what) + " " + file.string()};
}

// The body with the placeholder replaced by the base64 text `fill` appends
// (exactly `encoded` characters), built in one allocation of the final size.
template <class Fill>
result<void> splice(std::string& body, std::size_t encoded, Fill fill) {
  const std::size_t at = body.find(placeholder);
  if (at == std::string::npos)
    return error(protocol_errc::unsupported_call, "the encoded attachment call lost its content placeholder");
  std::string out;
  out.reserve(body.size() - placeholder.size() + encoded);
  out.append(body, 0, at);
  ODOOLINK_TRYV(fill(out));
  if (out.size() != at + encoded)
    return error(std::make_error_code(std::errc::io_error), "the attachment content changed size while it was sent");
  out.append(body, at + placeholder.size());
  body = std::move(out);
  return success();
}

result<std::int64_t> create_attachment(client& c, const attachment_options& what, call_options options,
                                       std::function<result<void>(std::string&)> finish) {
  if (what.name.empty()) return error(protocol_errc::unsupported_call, "ir.attachment.create: an attachment needs a name");
  json::value vals = json::object{{"name", what.name}, {"type", "binary"}, {"datas", std::string(placeholder)}};
  if (!what.mimetype.empty()) vals.set("mimetype", what.mimetype);
  if (!what.res_model.empty()) vals.set("res_model", what.res_model);
  if (what.res_id != 0) vals.set("res_id", what.res_id);
  if (!what.description.empty()) vals.set("description", what.description);
  options.finish_body = std::move(finish);
  ODOOLINK_TRY(auto reply, c.execute_kw({"ir.attachment", "create", json::array{std::move(vals)}}, options));
  ODOOLINK_TRY(auto answer, json::parse(reply.json()));
  // JSON-2 answers a list of ids, the other protocols the id.
  const json::value* id = &answer;
  if (answer.is_array() && answer.as_array().size() == 1) id = &answer.as_array().front();
  if (!id->is_int()) return error(protocol_errc::unexpected_type, "ir.attachment.create: the answer is not an id");
  return id->as_int();
}

// --- reading `datas` in place -------------------------------------------------

// A strict scanner of the few JSON shapes a `read` answer has; `text` is
// followed by readable padding, so one-byte look-ahead needs no bound checks
// beyond `size`.
struct scanner {
  const char* text;
  std::size_t size;
  std::size_t at;

  void ws() {
    while (at < size && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t')) ++at;
  }
  bool eat(char ch) {
    ws();
    if (at < size && text[at] == ch) return ++at, true;
    return false;
  }
  // A string's raw content (escapes left as they are); `escaped` tells whether it has any.
  std::optional<std::string_view> string(bool& escaped) {
    escaped = false;
    if (!eat('"')) return std::nullopt;
    const std::size_t from = at;
    while (at < size) {
      const char ch = text[at];
      if (ch == '"') return std::string_view(text + from, at++ - from);
      if (static_cast<unsigned char>(ch) < 0x20) return std::nullopt;
      if (ch == '\\') escaped = true, ++at;
      ++at;
    }
    return std::nullopt;
  }
  bool literal(std::string_view word) {
    if (std::string_view(text + at, std::min(word.size(), size - at)) != word) return false;
    at += word.size();
    return true;
  }
  bool skip(int depth = 0) {
    if (depth > 64) return false;
    ws();
    if (at >= size) return false;
    bool escaped = false;
    switch (text[at]) {
      case '"': return string(escaped).has_value();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      case '[':
      case '{': {
        const char close = text[at] == '[' ? ']' : '}';
        const bool object = close == '}';
        ++at;
        if (eat(close)) return true;
        do {
          if (object && (!string(escaped) || !eat(':'))) return false;
          if (!skip(depth + 1)) return false;
        } while (eat(','));
        return eat(close);
      }
      default: {
        const std::size_t from = at;
        while (at < size && std::string_view("+-0123456789.eE").find(text[at]) != std::string_view::npos) ++at;
        return at > from;
      }
    }
  }
};

// Where the content goes: the caller's bytes or a file.
struct content_sink {
  std::vector<std::byte>* bytes = nullptr;
  std::ofstream* file = nullptr;
  const std::filesystem::path* path = nullptr;
  std::size_t written = 0;

  result<void> put(std::string_view base64) {
    if (bytes != nullptr) {
      bytes->resize(json::base64_decoded_size(base64));
      std::span<std::uint8_t> out(reinterpret_cast<std::uint8_t*>(bytes->data()), bytes->size());
      ODOOLINK_TRY(auto n, json::base64_decode_into(base64, out));
      bytes->resize(n);
      written = n;
      return success();
    }
    if (base64.size() % 4 != 0) return json::base64_decode(base64).error();  // names the problem
    std::vector<std::uint8_t> piece(text_piece / 4 * 3);
    for (std::size_t at = 0; at < base64.size(); at += text_piece) {
      const std::string_view text = base64.substr(at, text_piece);
      ODOOLINK_TRY(auto n, json::base64_decode_into(text, piece, at + text.size() == base64.size()));
      file->write(reinterpret_cast<const char*>(piece.data()), static_cast<std::streamsize>(n));
      if (!*file) return file_error(std::errc::io_error, *path, "cannot write");
      written += n;
    }
    return success();
  }
};

// Reads `[{"id": n, "datas": <base64 or false>, ...}]` and hands the
// content to the sink; returns the offset just past the list.
struct datas_reader {
  content_sink* sink;
  std::optional<error> failure;
  bool found = false;

  static result<std::size_t> read(void* self, const char* text, std::size_t size, std::size_t offset) {
    auto& r = *static_cast<datas_reader*>(self);
    auto done = r.scan(text, size, offset);
    if (!done) r.failure = done.error();
    return done;
  }

  error malformed() const {
    return {protocol_errc::malformed_response, "ir.attachment.read: the answer is not a list of records"};
  }

  result<std::size_t> scan(const char* text, std::size_t size, std::size_t offset) {
    scanner s{text, size, offset};
    if (!s.eat('[')) return malformed();
    if (s.eat(']')) return s.at;
    if (!s.eat('{')) return malformed();
    if (!s.eat('}')) {
      do {
        bool escaped = false;
        auto key = s.string(escaped);
        if (!key || !s.eat(':')) return malformed();
        s.ws();
        if (*key != "datas" || found) {
          if (!s.skip()) return malformed();
          continue;
        }
        found = true;
        if (s.literal("false")) continue;  // no content
        auto value = s.string(escaped);
        if (!value)
          return error(protocol_errc::unexpected_type, "ir.attachment.read: datas is neither base64 text nor false");
        ODOOLINK_TRYV(put(*value, escaped));
      } while (s.eat(','));
      if (!s.eat('}')) return malformed();
    }
    if (!s.eat(']')) return malformed();  // one id asked, one record expected
    return s.at;
  }

  result<void> put(std::string_view value, bool escaped) {
    if (!escaped) return sink->put(value);
    // Only a JSON writer escaping '/' puts escapes into base64 text.
    std::string plain;
    plain.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size() && value[i + 1] == '/') ++i;
      plain.push_back(value[i]);
    }
    return sink->put(plain);
  }
};

result<void> read_content(client& c, std::int64_t id, content_sink& sink, const call_options& options) {
  datas_reader r{&sink, std::nullopt, false};
  const protocol::result_reader hook{&r, &datas_reader::read};
  const std::string name = "ir.attachment(" + std::to_string(id) + ")";
  auto reply = c.execute_kw({"ir.attachment", "read", json::array{json::array{id}},
                             json::object{{"fields", json::array{"datas"}}}},
                            hook, options);
  if (r.failure) return r.failure->with_context(name);
  if (!reply) return reply.error();
  if (!r.found) {
    // XML-RPC has no in-place reading: its reply is read now.
    const std::string_view j = reply.value().json();
    auto done = r.scan(j.data(), j.size(), 0);
    if (!done) return done.error().with_context(name);
  }
  if (!r.found)
    return error::odoo(odoo_errc::missing_error, name + " does not exist or is not readable",
                       "odoo.exceptions.MissingError", {}, 0);
  return success();
}

}  // namespace

result<std::int64_t> upload_attachment(client& c, const attachment_options& what, std::span<const std::byte> content,
                                       const call_options& options) {
  const std::size_t encoded = json::base64_encoded_size(content.size());
  return create_attachment(c, what, options, [content, encoded](std::string& body) {
    return splice(body, encoded, [content](std::string& out) -> result<void> {
      json::base64_append(out, as_u8(content));
      return success();
    });
  });
}

result<std::int64_t> upload_attachment(client& c, const attachment_options& what, const std::filesystem::path& file,
                                       const call_options& options) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return file_error(std::errc::no_such_file_or_directory, file, "cannot read the size of");
  const std::size_t encoded = json::base64_encoded_size(static_cast<std::size_t>(size));
  return create_attachment(c, what, options, [file, encoded](std::string& body) {
    return splice(body, encoded, [&file](std::string& out) -> result<void> {
      std::ifstream in(file, std::ios::binary);
      if (!in) return file_error(std::errc::no_such_file_or_directory, file, "cannot open");
      std::vector<std::uint8_t> piece(file_piece);
      while (in) {
        in.read(reinterpret_cast<char*>(piece.data()), static_cast<std::streamsize>(piece.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (in.bad()) return file_error(std::errc::io_error, file, "cannot read");
        json::base64_append(out, std::span<const std::uint8_t>(piece.data(), got));
      }
      return success();
    });
  });
}

result<std::vector<std::byte>> download_attachment(client& c, std::int64_t id, const call_options& options) {
  std::vector<std::byte> out;
  content_sink sink;
  sink.bytes = &out;
  ODOOLINK_TRYV(read_content(c, id, sink, options));
  return out;
}

result<std::size_t> download_attachment(client& c, std::int64_t id, const std::filesystem::path& file,
                                        const call_options& options) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return file_error(std::errc::io_error, file, "cannot create");
  content_sink sink;
  sink.file = &out;
  sink.path = &file;
  ODOOLINK_TRYV(read_content(c, id, sink, options));
  out.close();
  if (!out) return file_error(std::errc::io_error, file, "cannot write");
  return sink.written;
}

result<attachment_info> read_attachment_info(client& c, std::int64_t id, const call_options& options) {
  call_options with_sizes = options;
  if (!with_sizes.context.is_object()) with_sizes.context = json::object{};
  with_sizes.context.set("bin_size", true);
  const std::string name = "ir.attachment(" + std::to_string(id) + ")";
  ODOOLINK_TRY(auto reply,
               c.execute_kw({"ir.attachment", "read", json::array{json::array{id}},
                             json::object{{"fields", json::array{"name", "mimetype", "res_model", "res_id", "file_size",
                                                                 "datas"}}}},
                            with_sizes));
  ODOOLINK_TRY(auto answer, json::parse(reply.json()));
  if (!answer.is_array() || answer.as_array().empty() || !answer.as_array().front().is_object())
    return error::odoo(odoo_errc::missing_error, name + " does not exist or is not readable",
                       "odoo.exceptions.MissingError", {}, 0);
  const json::value& r = answer.as_array().front();
  auto text = [&](std::string_view key) {
    const json::value* v = r.find(key);
    return v != nullptr && v->is_string() ? v->as_string() : std::string();
  };
  auto number = [&](std::string_view key) -> std::int64_t {
    const json::value* v = r.find(key);
    return v != nullptr && v->is_int() ? v->as_int() : 0;
  };
  return attachment_info{id,   text("name"),        text("mimetype"), text("res_model"),
                         number("res_id"), number("file_size"), text("datas")};
}

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
