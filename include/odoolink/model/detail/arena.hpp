#pragma once
// Storage for the parts of decoded view records that do not live in the
// response text: unescaped strings and x2many id lists. Chunked, so what was
// handed out never moves.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model::detail {

class arena {
 public:
  // Copies `s`; the copy lives as long as the arena.
  std::string_view keep(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > text_left_) {
      const std::size_t size = std::max(text_block, s.size());
      text_blocks_.emplace_back(new char[size]);
      text_next_ = text_blocks_.back().get();
      text_left_ = size;
    }
    std::memcpy(text_next_, s.data(), s.size());
    const std::string_view kept(text_next_, s.size());
    text_next_ += s.size();
    text_left_ -= s.size();
    return kept;
  }

  // Id lists are built one id at a time: `push_id`... then `close_ids`.
  void push_id(std::int64_t id) {
    if (ids_left_ == 0) grow_ids();
    *ids_next_++ = id;
    --ids_left_;
    ++ids_open_;
  }
  std::span<const std::int64_t> close_ids() noexcept {
    const std::span<const std::int64_t> out(ids_next_ - ids_open_, ids_open_);
    ids_open_ = 0;
    return out;
  }
  // Drops an unfinished list (after a decoding failure).
  void abandon_ids() noexcept {
    ids_next_ -= ids_open_;
    ids_left_ += ids_open_;
    ids_open_ = 0;
  }

 private:
  static constexpr std::size_t text_block = std::size_t{64} << 10U;
  static constexpr std::size_t id_block = std::size_t{8} << 10U;

  // A list never spans two blocks: the open part moves to the new block.
  void grow_ids() {
    const std::size_t size = std::max(id_block, ids_open_ * 2);
    std::unique_ptr<std::int64_t[]> block(new std::int64_t[size]);
    if (ids_open_ != 0) std::memcpy(block.get(), ids_next_ - ids_open_, ids_open_ * sizeof(std::int64_t));
    ids_next_ = block.get() + ids_open_;
    ids_left_ = size - ids_open_;
    id_blocks_.push_back(std::move(block));
  }

  std::vector<std::unique_ptr<char[]>> text_blocks_;
  char* text_next_ = nullptr;
  std::size_t text_left_ = 0;
  std::vector<std::unique_ptr<std::int64_t[]>> id_blocks_;
  std::int64_t* ids_next_ = nullptr;
  std::size_t ids_left_ = 0;
  std::size_t ids_open_ = 0;
};

}  // namespace model::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
