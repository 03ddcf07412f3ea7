#include "odoolink/json/parse.hpp"

#include <algorithm>

#include <simdjson.h>

#include "odoolink/json/detail/object_keys.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {
static_assert(padding >= simdjson::SIMDJSON_PADDING, "buffers must be padded as simdjson reads ahead");

namespace {

error map_simdjson_error(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR: return {protocol_errc::invalid_utf8, "JSON text is not valid UTF-8"};
    case simdjson::DEPTH_ERROR: return {protocol_errc::nesting_too_deep, "JSON nests too deeply"};
    case simdjson::CAPACITY: return {protocol_errc::response_too_large, "JSON document too large"};
    default: return {protocol_errc::malformed_response, std::string("invalid JSON: ") + simdjson::error_message(code)};
  }
}

// `depth` counts the arrays/objects enclosing `e`. simdjson already enforced
// the same limit; the check here keeps this recursion bounded on its own.
// `keys` (null: duplicates kept) holds the keys of the open objects.
result<value> convert(simdjson::dom::element e, std::size_t depth, std::size_t max_depth, detail::object_keys* keys) {
  switch (e.type()) {
    case simdjson::dom::element_type::NULL_VALUE: return value(nullptr);
    case simdjson::dom::element_type::BOOL: return value(e.get_bool().value_unsafe());
    case simdjson::dom::element_type::INT64: return value(e.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      return error(protocol_errc::unexpected_type, "integer outside the int64 range");
    case simdjson::dom::element_type::DOUBLE: return value(e.get_double().value_unsafe());
    case simdjson::dom::element_type::STRING: return value(e.get_string().value_unsafe());
    case simdjson::dom::element_type::ARRAY: {
      if (depth >= max_depth) return error(protocol_errc::nesting_too_deep, "JSON nests too deeply");
      const auto elements = e.get_array().value_unsafe();
      array out;
      out.reserve(elements.size());
      for (auto child : elements) {
        ODOOLINK_TRY(auto v, convert(child, depth + 1, max_depth, keys));
        out.push_back(std::move(v));
      }
      return value(std::move(out));
    }
    case simdjson::dom::element_type::OBJECT: {
      if (depth >= max_depth) return error(protocol_errc::nesting_too_deep, "JSON nests too deeply");
      const auto members = e.get_object().value_unsafe();
      object out;
      out.reserve(members.size());
      // simdjson's keys are unescaped and stay put while the document lives.
      if (keys != nullptr) keys->open();
      for (auto field : members) {
        if (keys != nullptr && !keys->add(field.key, false))
          return error(protocol_errc::malformed_response, "invalid JSON: " + detail::repeated_key(field.key));
        ODOOLINK_TRY(auto v, convert(field.value, depth + 1, max_depth, keys));
        out.emplace_back(std::string(field.key), std::move(v));
      }
      if (keys != nullptr) keys->close_to(keys->depth() - 1);
      return value(std::move(out));
    }
  }
  return error(protocol_errc::malformed_response, "unknown JSON element");
}

}  // namespace

result<value> parse(std::string_view text, const parse_options& opts) {
  if (text.size() > opts.max_bytes) return error(protocol_errc::response_too_large, "JSON text exceeds the size limit");
  simdjson::dom::parser parser;
  // simdjson counts a scalar inside the innermost container as one more
  // level, so it gets one level more than ours and `convert` applies the
  // exact limit.
  const std::size_t depth = std::min(opts.max_depth, parse_options::depth_ceiling);
  if (const auto err = parser.allocate(text.size(), depth + 1); err != simdjson::SUCCESS)
    return map_simdjson_error(err);
  // `true`: simdjson copies the text into a padded buffer of its own.
  auto doc = parser.parse(text.data(), text.size(), true);
  if (doc.error() != simdjson::SUCCESS) return map_simdjson_error(doc.error());
  detail::object_keys keys;
  return convert(doc.value_unsafe(), 0, depth, opts.keep_duplicate_keys ? nullptr : &keys);
}

bool validate_utf8(std::string_view text) noexcept { return simdjson::validate_utf8(text.data(), text.size()); }

buffer::buffer(std::string text) : buffer(std::move(text), 0, std::string::npos) {}

buffer::buffer(std::string text, std::size_t offset, std::size_t length) : storage_(std::move(text)) {
  text_size_ = storage_.size();
  offset_ = offset > text_size_ ? text_size_ : offset;
  length_ = length > text_size_ - offset_ ? text_size_ - offset_ : length;
  // Zero padding keeps simdjson's over-reads inside our allocation; being
  // longer than any small-string buffer, the text always lives on the heap,
  // so moving a buffer keeps views into it valid.
  storage_.resize(text_size_ + padding, '\0');
}

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
