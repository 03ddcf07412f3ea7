#pragma once
/// @file
/// `decode_context`: what a field decoder knows while it decodes one value
/// of one record (model, record, field), where it keeps data for view
/// records, and where it leaves its error.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/detail/object_keys.hpp"
#include "odoolink/model/detail/arena.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

namespace detail {
struct context_access;
}  // namespace detail

/// The state of one decoding run, handed to each field decoder.
/// Created by the decoder only.
/// @par Thread Safety  Belongs to one decoding run on one thread.
class decode_context {
 public:
  /// The Odoo model being decoded (may be empty when the caller did not say).
  [[nodiscard]] std::string_view model() const noexcept { return model_; }
  /// The id of the record being decoded; 0 until its `id` was read.
  [[nodiscard]] std::int64_t record_id() const noexcept { return record_id_; }
  /// The position of the record in the response (0-based).
  [[nodiscard]] std::size_t record_index() const noexcept { return record_index_; }
  /// The Odoo name of the field that failed (set when a decoder fails; the
  /// decoder itself runs without paying for it).
  [[nodiscard]] std::string_view field() const noexcept { return field_; }

  /// True when decoded records may borrow from the response (view records).
  [[nodiscard]] bool keeps_storage() const noexcept { return arena_ != nullptr; }
  /// Copies `text` into the storage of the records being decoded.
  /// Precondition: `keeps_storage()`.
  [[nodiscard]] std::string_view keep(std::string_view text) { return arena_->keep(text); }
  /// Appends an id to the id list being built. Precondition: `keeps_storage()`.
  void push_id(std::int64_t id) { arena_->push_id(id); }
  /// Ends the id list being built and returns it.
  [[nodiscard]] std::span<const std::int64_t> close_ids() noexcept { return arena_->close_ids(); }

  /// A buffer a decoder may use for one value (overwritten by the next).
  [[nodiscard]] std::string& scratch() noexcept { return scratch_; }

  /// Records `e` as the failure of this run (the first one wins) and returns
  /// false, so decoders can `return ctx.fail(e);`.
  bool fail(error e) {
    if (arena_ != nullptr) arena_->abandon_ids();
    if (!failure_) failure_ = std::move(e);
    return false;
  }
  /// The recorded failure, if any.
  [[nodiscard]] const std::optional<error>& failure() const noexcept { return failure_; }

  /// The prefix that names where a failure happened: `res.partner record 10, field "email"`.
  [[nodiscard]] std::string where() const {
    std::string out(model_.empty() ? std::string_view("record") : model_);
    if (!model_.empty()) out += " record";
    if (record_id_ != 0) {
      out += ' ';
      out += std::to_string(record_id_);
    } else {
      out += " #";
      out += std::to_string(record_index_);
    }
    if (!field_.empty()) {
      out += ", field \"";
      out += field_;
      out += '"';
    }
    return out;
  }

 private:
  friend struct detail::context_access;
  decode_context(std::string_view model, detail::arena* arena) noexcept : model_(model), arena_(arena) {}

  std::string_view model_;
  std::int64_t record_id_ = 0;
  std::size_t record_index_ = 0;
  std::string_view field_;
  detail::arena* arena_ = nullptr;
  std::optional<error> failure_;
  std::string scratch_;
  json::detail::object_keys keys_;  // keys of the objects being read, to refuse a repeated one
};

namespace detail {
// The decoder's access to the context's private state.
struct context_access {
  static decode_context make(std::string_view model, arena* a) noexcept { return decode_context(model, a); }
  static void begin_record(decode_context& c, std::size_t index) noexcept {
    c.record_index_ = index;
    c.record_id_ = 0;
    c.field_ = {};
  }
  static void set_record_id(decode_context& c, std::int64_t id) noexcept { c.record_id_ = id; }
  static void set_field(decode_context& c, std::string_view f) noexcept { c.field_ = f; }
  static std::optional<error>& failure(decode_context& c) noexcept { return c.failure_; }
  static json::detail::object_keys& keys(decode_context& c) noexcept { return c.keys_; }
  // Drops an id list left open by a reader that gave up.
  static void abandon_ids(decode_context& c) noexcept {
    if (c.arena_ != nullptr) c.arena_->abandon_ids();
  }
};
}  // namespace detail

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
