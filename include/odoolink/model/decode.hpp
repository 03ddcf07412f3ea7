#pragma once
/// @file
/// Decoding `read` / `search_read` results straight from the response text
/// into typed records: one pass over the text, no document tree, strings
/// without escapes not even copied (view records point into the response).
///
/// Errors name the model, the record and the field:
/// `res.partner record 10, field "email": expected a string or false, found 42`
/// (protocol_errc::unexpected_type). A field the record binds but the
/// response lacks is an error too; fields the record does not bind are
/// skipped (and checked). Broken JSON anywhere is
/// protocol_errc::malformed_response naming the byte it broke at; so is a key
/// given twice in one object (bound or not, in a record or nested in a value),
/// named in the message. A string that is not UTF-8 is
/// protocol_errc::invalid_utf8, also with its byte.
///
/// How (measured with benchmarks/model_bench.cpp, 22 MB of res.partner-like
/// records): the text is read by the strict single-pass reader of
/// detail/json_cursor.hpp, each value straight into its member; strings with
/// non-ASCII bytes are checked as UTF-8 as they are read. This beat
/// simdjson On Demand (index, then walk) by 1.6x for view records, and
/// needs no parser buffers: peak memory besides the input is the records
/// alone. Field keys are matched by predicting Odoo's order (`id`, then the
/// order asked) with two masked word compares; members are read by calls
/// the compiler can inline; the output is sized from the first record.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/decode_context.hpp"
#include "odoolink/model/detail/arena.hpp"
#include "odoolink/model/detail/read_member.hpp"
#include "odoolink/model/view.hpp"
#include "odoolink/protocol/call.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// Per-record values to collect besides the records themselves (for pagers
/// and change feeds): each target, when set, receives one entry per record.
struct decode_extras {
  std::vector<std::int64_t>* ids = nullptr;             ///< every record's `id`
  std::vector<model::datetime>* write_dates = nullptr;  ///< every record's `write_date`
  /// Per binding of the record (empty: none): true for the fields the
  /// request left out (the server lacks them), which the response may omit;
  /// their members keep their empty value.
  std::span<const bool> left_out;
};

namespace detail {
// What view records borrow from: the response and the arena.
struct view_storage {
  protocol::reply reply;
  arena kept;
};
template <class V>
struct records_access;
}  // namespace detail

/// Decoded view records together with the storage their views point into
/// (the response text and a small arena for unescaped strings and id lists).
/// Copies share the storage; a record copied out of it stays valid only while
/// some `records` sharing the storage lives.
/// @par Thread Safety  Immutable after decoding; copies may be read from any thread.
template <class V>
class records {
 public:
  using value_type = V;
  using iterator = typename std::vector<V>::iterator;
  using const_iterator = typename std::vector<V>::const_iterator;

  records() = default;

  [[nodiscard]] std::size_t size() const noexcept { return rows_.size(); }
  [[nodiscard]] bool empty() const noexcept { return rows_.empty(); }
  [[nodiscard]] const V& operator[](std::size_t i) const noexcept { return rows_[i]; }
  [[nodiscard]] const V& front() const noexcept { return rows_.front(); }
  [[nodiscard]] const V& back() const noexcept { return rows_.back(); }
  [[nodiscard]] iterator begin() noexcept { return rows_.begin(); }
  [[nodiscard]] iterator end() noexcept { return rows_.end(); }
  [[nodiscard]] const_iterator begin() const noexcept { return rows_.begin(); }
  [[nodiscard]] const_iterator end() const noexcept { return rows_.end(); }
  /// The records.
  [[nodiscard]] const std::vector<V>& rows() const noexcept { return rows_; }

 private:
  friend struct detail::records_access<V>;
  std::vector<V> rows_;
  std::shared_ptr<const detail::view_storage> storage_;
};

/// What decoding a typed record `V` gives: `std::vector<V>` when `V` owns all
/// its data, `records<V>` when some member is a view.
template <view V>
using decoded = std::conditional_t<view_traits<V>::borrows, records<V>, std::vector<V>>;

namespace detail {
template <class V>
struct records_access {
  static std::vector<V>& rows(records<V>& r) noexcept { return r.rows_; }
  static void set_storage(records<V>& r, std::shared_ptr<const view_storage> s) noexcept { r.storage_ = std::move(s); }
};

inline error decode_failure(decode_context& ctx) {
  auto& f = context_access::failure(ctx);
  if (f) return f->with_context(ctx.where());
  return error(protocol_errc::malformed_response, ctx.where() + ": decoding failed");
}

// Calls the reader of binding `slot`: a chain of constant calls the compiler
// inlines (and turns into a jump table), not a call through a pointer.
template <class V, std::size_t... I>
ODOOLINK_DETAIL_HOT_INLINE bool decode_slot_at(std::size_t slot, V& record, json_cursor& c, decode_context& ctx,
                                               std::index_sequence<I...> /*unused*/) {
  bool ok = false;
  (void)((slot == I && ((ok = view_traits<V>::slots[I].decode(record, c, ctx)), true)) || ...);
  return ok;
}

inline std::string record_label(std::size_t index) { return "cannot read record #" + std::to_string(index); }

// `name` may view the scratch buffer: the message is made before it changes.
inline error duplicate_field(decode_context& ctx, std::string_view name) {
  context_access::set_field(ctx, name);
  ctx.fail(error(protocol_errc::malformed_response, "the field comes twice in the record"));
  return decode_failure(ctx);
}

// Decodes the JSON array of records at the cursor (text already checked as
// UTF-8), appending to `out`; leaves the cursor after the array.
template <class V>
result<void> decode_rows_at(json_cursor& c, std::vector<V>& out, decode_context& ctx, const decode_extras& extras = {}) {
  using traits = view_traits<V>;
  constexpr std::size_t n = traits::size;
  constexpr std::size_t words = (n + 63) / 64;

  const char* const rows_start = (c.peek(), c.position());
  const auto rows_size = static_cast<std::size_t>(c.end() - rows_start);
  if (c.peek() != '[') {
    if (c.next_kind() == json_kind::none) return unexpected_here(c, "cannot read the records");
    return json::detail::odoo_type_mismatch("a list of records", c.token()).with_context(ctx.model().empty() ? "records" : ctx.model());
  }
  c.advance(1);

  // Keys the record does not bind, to refuse a repeated one: none in the
  // common case (search_read sends the fields asked for), so the set is
  // opened at a record's first such key.
  auto& unbound = context_access::keys(ctx);
  std::size_t index = 0;
  bool more_rows = !c.take(']');
  while (more_rows) {
    context_access::begin_record(ctx, index);
    if (c.peek() != '{') {
      if (c.next_kind() == json_kind::none) return unexpected_here(c, record_label(index));
      ctx.fail(json::detail::odoo_found_text("a record (object)", "another type"));
      return decode_failure(ctx);
    }
    if (index == 1) {
      // Size the output once from the first record's share of the text:
      // fewer reallocations (each moves every record) and a lower peak.
      const auto per_record = static_cast<std::size_t>(c.position() - rows_start);
      const std::size_t estimate = out.size() + rows_size / per_record + rows_size / per_record / 16 + 1;
      if (estimate > out.capacity()) out.reserve(estimate);
    }
    c.advance(1);
    V& record = out.emplace_back();
    // Odoo sends the fields in the order asked (`id` first): while keys come
    // as predicted, `next` alone says which were seen. The first surprise
    // switches to a bitset.
    std::size_t next = 0;
    bool in_order = true;
    std::array<std::uint64_t, words> seen{};
    bool has_id = false;
    bool has_write_date = false;
    bool unbound_open = false;
    model::datetime write_date{};

    bool more_fields = !c.take('}');
    while (more_fields) {
      if (c.peek() != '"') return unexpected_here(c, record_label(index));
      const char* key_text = c.position() + 1;
      std::size_t slot = n;
      std::string_view key;
      if (!extras.left_out.empty())
        while (next < n && extras.left_out[traits::wire_keys[next].slot]) ++next;  // not asked: not predicted
      if (next < n && c.end() - key_text > static_cast<std::ptrdiff_t>(traits::wire_keys[next].pattern.name.size()) &&
          key_equals(key_text, traits::wire_keys[next].pattern)) {
        key = traits::wire_keys[next].pattern.name;
        slot = traits::wire_keys[next++].slot;
        c.advance(key.size() + 2);
        if (!in_order) {
          if ((seen[slot / 64] >> (slot % 64)) & 1U) return duplicate_field(ctx, key);
          seen[slot / 64] |= std::uint64_t{1} << (slot % 64);
        }
      } else {
        bool in_scratch = false;
        if (!c.read_string(key, in_scratch, ctx.scratch())) return malformed_json(c, record_label(index));
        if (in_order) {
          in_order = false;
          // The keys read so far: those predicted, not those skipped as not asked.
          for (std::size_t p = 0; p < next; ++p) {
            const std::size_t i = traits::wire_order[p];
            if (extras.left_out.empty() || !extras.left_out[i]) seen[i / 64] |= std::uint64_t{1} << (i % 64);
          }
        }
        for (std::size_t i = 0; i < n; ++i)
          if (key == traits::slots[i].name) {
            if ((seen[i / 64] >> (i % 64)) & 1U) return duplicate_field(ctx, traits::slots[i].name);
            slot = i;
            next = traits::wire_position[i] + 1;
            seen[slot / 64] |= std::uint64_t{1} << (slot % 64);
            break;
          }
        if (slot == n) {  // not bound: checked against the record's other such keys
          if (!unbound_open) {
            unbound.clear();
            unbound.open();
            unbound_open = true;
          }
          if (!unbound.add(key, in_scratch)) return duplicate_field(ctx, key);
        }
      }
      if (!c.take(':')) return unexpected_here(c, record_label(index));
      // `id` names the record in errors; `write_date` feeds change cursors.
      if (slot == traits::id_index || (slot == n && key == "id")) {
        std::int64_t id = 0;
        if (peek_int(c, id)) {
          context_access::set_record_id(ctx, id);
          has_id = true;
        }
      }
      if (extras.write_dates != nullptr && key == "write_date") has_write_date = peek_datetime(c, write_date);
      if (slot == n) {  // a field the record does not bind
        if (!c.skip_value(unbound)) return malformed_json(c, record_label(index));
      } else if (!decode_slot_at(slot, record, c, ctx, std::make_index_sequence<n>{})) {
        context_access::set_field(ctx, traits::slots[slot].name);
        return decode_failure(ctx);
      }
      if (!c.next_or_close('}', more_fields)) return malformed_json(c, record_label(index));
    }
    if (in_order && !extras.left_out.empty())
      while (next < n && extras.left_out[traits::wire_keys[next].slot]) ++next;
    const bool complete = in_order ? next == n : [&] {
      for (std::size_t i = 0; i < n; ++i)
        if ((seen[i / 64] & (std::uint64_t{1} << (i % 64))) == 0 && (extras.left_out.empty() || !extras.left_out[i])) return false;
      return true;
    }();
    if (!complete) {
      for (std::size_t i = 0; i < n; ++i) {
        const bool was_seen = in_order ? traits::wire_position[i] < next : (seen[i / 64] & (std::uint64_t{1} << (i % 64))) != 0;
        if (!was_seen && (extras.left_out.empty() || !extras.left_out[i])) {
          context_access::set_field(ctx, traits::slots[i].name);
          ctx.fail(error(protocol_errc::unexpected_type, "missing from the response (every bound field must be returned)"));
          return decode_failure(ctx);
        }
      }
    }
    if (extras.ids != nullptr) {
      if (!has_id) {
        ctx.fail(error(protocol_errc::unexpected_type, "the record has no \"id\""));
        return decode_failure(ctx);
      }
      extras.ids->push_back(ctx.record_id());
    }
    if (extras.write_dates != nullptr) {
      if (!has_write_date) {
        context_access::set_field(ctx, "write_date");
        ctx.fail(error(protocol_errc::unexpected_type, "missing or not a datetime"));
        return decode_failure(ctx);
      }
      extras.write_dates->push_back(write_date);
    }
    ++index;
    if (!c.next_or_close(']', more_rows)) return malformed_json(c, "cannot read the records");
  }
  return success();
}

// Calls the XML-RPC reader of binding `slot` (as decode_slot_at).
template <class V, std::size_t... I>
ODOOLINK_DETAIL_HOT_INLINE bool decode_xml_slot_at(std::size_t slot, V& record, xml_cursor& c, decode_context& ctx,
                                                   std::index_sequence<I...> /*unused*/) {
  bool ok = false;
  (void)((slot == I && ((ok = view_traits<V>::slots[I].decode_xml != nullptr &&
                              view_traits<V>::slots[I].decode_xml(record, c, ctx)),
                        true)) ||
         ...);
  return ok;
}

// The records of the XML-RPC answer at the cursor, appended to `out`; see
// decode_rows_xml.
template <class V>
bool decode_rows_xml_at(xml_cursor& c, std::vector<V>& out, decode_context& ctx, const decode_extras& extras) {
  using traits = view_traits<V>;
  constexpr std::size_t n = traits::size;
  constexpr std::size_t words = (n + 63) / 64;
  std::string_view text;
  bool in_scratch = false;
  if (c.take("<?xml")) {
    if (!c.next("version=\"1.0\"?>") && !c.take("version='1.0'?>")) return false;
  }
  if (!c.next("<methodResponse>") || !c.next("<params>") || !c.next("<param>") || !c.next("<value>") ||
      xml_value_start(c, text, in_scratch, ctx.scratch()) != xml_kind::array)
    return false;
  const std::size_t rows_start = c.offset();
  std::size_t index = 0;
  while (c.next("<value>")) {
    if (!c.next("<struct>")) return false;
    if (index == 1) {  // sized from the first record's share of the body, as decode_rows_at
      const std::size_t per_record = c.offset() - rows_start;
      const std::size_t estimate = out.size() + (c.size() - rows_start) / per_record + 1;
      if (estimate > out.capacity()) out.reserve(estimate);
    }
    V& record = out.emplace_back();
    std::size_t next = 0;
    std::array<std::uint64_t, words> seen{};
    bool has_id = false;
    bool has_write_date = false;
    model::datetime write_date{};
    while (c.next("<member>")) {
      std::string_view name;
      if (!c.next("<name>") || !c.text(name, in_scratch, ctx.scratch()) || in_scratch || !c.take("</name>") ||
          !c.next("<value>"))
        return false;
      if (!extras.left_out.empty())
        while (next < n && extras.left_out[traits::wire_keys[next].slot]) ++next;
      std::size_t slot = n;
      if (next < n && name == traits::wire_keys[next].pattern.name) {
        slot = traits::wire_keys[next++].slot;
      } else {
        for (std::size_t i = 0; i < n; ++i)
          if (name == traits::slots[i].name) {
            slot = i;
            next = traits::wire_position[i] + 1;
            break;
          }
      }
      if (slot == n || ((seen[slot / 64] >> (slot % 64)) & 1U) != 0) return false;  // unbound or repeated
      seen[slot / 64] |= std::uint64_t{1} << (slot % 64);
      if (extras.ids != nullptr && slot == traits::id_index) {
        xml_cursor probe = c;
        std::int64_t id = 0;
        has_id = xml_value_start(probe, text, in_scratch, ctx.scratch()) == xml_kind::integer && probe.integer(id);
        if (has_id) context_access::set_record_id(ctx, id);
      }
      if (extras.write_dates != nullptr && name == "write_date") {
        xml_cursor probe = c;
        has_write_date = xml_value_start(probe, text, in_scratch, ctx.scratch()) == xml_kind::string &&
                         json::detail::parse_ymd_hms(text, write_date) == json::detail::text_ok;
      }
      if (!decode_xml_slot_at(slot, record, c, ctx, std::make_index_sequence<n>{}) || !c.next("</member>")) return false;
    }
    if (!c.take("</struct>") || !c.next("</value>")) return false;
    for (std::size_t i = 0; i < n; ++i)  // every bound field the request asked for
      if ((seen[i / 64] & (std::uint64_t{1} << (i % 64))) == 0 && (extras.left_out.empty() || !extras.left_out[i]))
        return false;
    if (extras.ids != nullptr) {
      if (!has_id) return false;
      extras.ids->push_back(ctx.record_id());
    }
    if (extras.write_dates != nullptr) {
      if (!has_write_date) return false;
      extras.write_dates->push_back(write_date);
    }
    ++index;
  }
  return c.take("</data>") && c.next("</array>") && c.next("</value>") && c.next("</param>") &&
         c.next("</params>") && c.next("</methodResponse>") && c.at_end();
}

// Decodes an XML-RPC `read` / `search_read` answer (`body`) straight into
// records appended to `out`, when it is in the layout Odoo writes and every
// value fits its member (detail/xml_rows.hpp). False: nothing was appended
// (nor collected in `extras`), and the caller decodes the body the general
// way, which gives the same records or the error to report.
template <class V>
bool decode_rows_xml(std::string_view body, std::vector<V>& out, decode_context& ctx, const decode_extras& extras = {}) {
  const std::size_t rows = out.size();
  const std::size_t ids = extras.ids != nullptr ? extras.ids->size() : 0;
  const std::size_t dates = extras.write_dates != nullptr ? extras.write_dates->size() : 0;
  xml_cursor c(body.data(), body.size());
  if (decode_rows_xml_at(c, out, ctx, extras)) return true;
  while (out.size() > rows) out.pop_back();
  if (extras.ids != nullptr) extras.ids->resize(ids);
  if (extras.write_dates != nullptr) extras.write_dates->resize(dates);
  context_access::abandon_ids(ctx);
  return false;
}

// Decodes a JSON text that is an array of records, appending to `out`.
// `readable` bytes may be read from `json.data()` (the text and its padding).
template <class V>
result<void> decode_rows(std::string_view json, std::size_t readable, std::vector<V>& out, decode_context& ctx,
                         const decode_extras& extras = {}) {
  // The reader loads 16 bytes at a time past any point of the text.
  if (readable < json.size() || readable - json.size() < json::padding)
    return error(std::make_error_code(std::errc::invalid_argument),
                 "cannot read the records: the text is not padded (pass it in a json::buffer)");
  json_cursor c(json.data(), json.size());
  ODOOLINK_TRYV(decode_rows_at(c, out, ctx, extras));
  if (!c.at_end()) {
    c.fail(json_fault::trailing);
    return malformed_json(c, "cannot read the records");
  }
  return success();
}

// The same for the text a buffer views.
template <class V>
result<void> decode_rows(const json::buffer& json, std::vector<V>& out, decode_context& ctx, const decode_extras& extras = {}) {
  return decode_rows(json.json(), json.readable(), out, ctx, extras);
}

// A `protocol::result_reader` that decodes the records where the codec
// finds the result. Its own failure (with the record and field in it) is
// kept in `failure`, so the caller reports it as the decoder would.
template <class V>
struct rows_reader {
  std::vector<V>* out;
  decode_context* ctx;
  const decode_extras* extras;
  std::optional<error> failure;
  bool called = false;

  static result<std::size_t> read(void* self, const char* text, std::size_t size, std::size_t offset) {
    auto& r = *static_cast<rows_reader*>(self);
    r.called = true;
    json_cursor c(text, size);
    c.advance(offset);
    auto done = decode_rows_at(c, *r.out, *r.ctx, *r.extras);
    if (!done) {
      r.failure = done.error();
      return std::move(done).as_failure();
    }
    return c.offset();
  }
  static bool read_xml(void* self, const char* text, std::size_t size) {
    auto& r = *static_cast<rows_reader*>(self);
    r.called = decode_rows_xml(std::string_view(text, size), *r.out, *r.ctx, *r.extras);
    return r.called;
  }
  [[nodiscard]] protocol::result_reader hook() noexcept { return {this, &rows_reader::read, &rows_reader::read_xml}; }
};
}  // namespace detail

/// Decodes record lists. It holds no state: records are read straight from
/// the response text (kept as a type so proxies and pagers share one API).
/// @par Thread Safety  Stateless; usable from any number of threads at once.
class decoder {
 public:
  decoder() = default;

  /// Decodes `reply` (a JSON list of records, as `read` and `search_read`
  /// return) into typed records. `model` names the model in error messages.
  /// View records keep `reply` alive inside the returned `records<V>`.
  /// Errors: protocol_errc::unexpected_type (a value of the wrong type, a
  /// bound field missing, not a list of records), protocol_errc::malformed_response.
  template <view V>
  [[nodiscard]] result<decoded<V>> decode(protocol::reply reply, std::string_view model = {}) {
    return decode_with<V>(std::move(reply), model, {});
  }

  /// Appends the records of the JSON list `json` views to `out` (owning
  /// records only). Errors: as `decode`.
  template <view V>
    requires(!view_traits<V>::borrows)
  [[nodiscard]] result<void> decode_append(const json::buffer& json, std::vector<V>& out, std::string_view model = {}) {
    auto ctx = detail::context_access::make(model, nullptr);
    return detail::decode_rows(json, out, ctx);
  }

  /// As `decode`, also collecting each record's id and/or `write_date` (the
  /// response must carry them). For pagers and change feeds.
  template <view V>
  [[nodiscard]] result<decoded<V>> decode_with(protocol::reply reply, std::string_view model, const decode_extras& extras) {
    if constexpr (view_traits<V>::borrows) {
      auto storage = std::make_shared<detail::view_storage>();
      storage->reply = std::move(reply);
      records<V> out;
      auto ctx = detail::context_access::make(model, &storage->kept);
      auto r = detail::decode_rows(storage->reply, detail::records_access<V>::rows(out), ctx, extras);
      if (!r) return std::move(r).as_failure();
      detail::records_access<V>::set_storage(out, std::move(storage));
      return out;
    } else {
      std::vector<V> out;
      auto ctx = detail::context_access::make(model, nullptr);
      auto r = detail::decode_rows(reply, out, ctx, extras);
      if (!r) return std::move(r).as_failure();
      return out;
    }
  }
};

/// Decodes a record list with a one-off decoder (see `decoder::decode`).
template <view V>
[[nodiscard]] result<decoded<V>> decode(protocol::reply reply, std::string_view model = {}) {
  decoder d;
  return d.decode<V>(std::move(reply), model);
}

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
