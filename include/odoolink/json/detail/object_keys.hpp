#pragma once
// The one rule every JSON reader of the library applies to object keys: a
// key given twice in one object is refused. Odoo never sends one (a Python
// dict cannot hold it), and readers that kept the first or the last
// occurrence would disagree about what was sent.
//
// `object_keys` holds the keys of the objects a reader has open, innermost
// last. Keys compare by their decoded text ("a" and "\u0061" are one key):
// readers hand over decoded keys, and a key that views a buffer about to be
// reused (an unescaped copy) is copied. The first keys of each object are
// compared linearly from storage inside the object (no allocation for
// envelopes and small records); an object with more keys gets a hash table,
// so hostile input with many keys costs linear time.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json::detail {

// A stack that keeps its first `N` elements inline. `T` is trivial and the
// inline slots are left uninitialised: constructing one costs nothing.
/// `the key "x" comes twice in an object`, for every reader's message (a
/// key is a name, never data; a long one is cut).
[[nodiscard]] std::string repeated_key(std::string_view key);

template <class T, std::size_t N>
class small_stack {
 public:
  small_stack() noexcept {}  // NOLINT: the inline slots are written before read
  small_stack(const small_stack&) = delete;
  small_stack& operator=(const small_stack&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] T* data() noexcept { return spill_.empty() ? inline_ : spill_.data(); }
  T& operator[](std::size_t i) noexcept { return data()[i]; }
  T& back() noexcept { return data()[size_ - 1]; }
  void push_back(T v) {
    if (spill_.empty()) {
      if (size_ < N) {
        inline_[size_++] = v;
        return;
      }
      spill_.assign(inline_, inline_ + N);
    }
    spill_.resize(size_);
    spill_.push_back(v);
    ++size_;
  }
  void truncate(std::size_t n) noexcept {
    if (n < size_) size_ = n;
  }

 private:
  T inline_[N];  // NOLINT: see the constructor
  std::vector<T> spill_;  // all elements, once more than N were held
  std::size_t size_ = 0;
};

class object_keys {
 public:
  object_keys() = default;

  /// How many objects are open.
  [[nodiscard]] std::size_t depth() const noexcept { return levels_.size(); }

  /// Opens an object: it has no keys yet.
  void open() { levels_.push_back({keys_.size(), false}); }

  /// Closes the innermost objects until `depth` remain open.
  void close_to(std::size_t depth) noexcept {
    if (depth >= levels_.size()) return;
    keys_.truncate(levels_[depth].start);
    levels_.truncate(depth);
  }

  /// Closes every object and drops the copied keys.
  void clear() noexcept {
    close_to(0);
    copies_.clear();
  }

  /// Adds `key` to the innermost open object; false when that object holds
  /// it already. `copy`: `key` views a buffer that changes before the object
  /// closes (an unescaped key), so a copy is kept.
  [[nodiscard]] bool add(std::string_view key, bool copy) {
    level& l = levels_.back();
    const std::size_t count = keys_.size() - l.start;
    if (!l.hashed) {
      const key_ref* k = keys_.data() + l.start;
      for (std::size_t i = 0; i < count; ++i)
        if (k[i].size == key.size() && std::char_traits<char>::compare(k[i].data, key.data(), key.size()) == 0) return false;
      if (count >= linear_limit) return add_hashed(key, copy);
      keys_.push_back(stored(key, copy));
      return true;
    }
    return add_hashed(key, copy);
  }

  /// A buffer for unescaping keys before `add` (with `copy` set).
  [[nodiscard]] std::string& scratch() noexcept { return scratch_; }

 private:
  // A key: a view, trivial so the inline storage needs no construction.
  struct key_ref {
    const char* data;
    std::size_t size;
    [[nodiscard]] std::string_view view() const noexcept { return {data, size}; }
  };
  struct level {
    std::size_t start;  // first key of the object in keys_
    bool hashed;        // its keys are also in tables_[depth]
  };
  // Keys of one object, by index into keys_ (+1; 0 is a free slot).
  using table = std::vector<std::uint32_t>;

  static constexpr std::size_t linear_limit = 16;
  static constexpr std::size_t block = 4096;

  key_ref stored(std::string_view key, bool copy) {
    if (!copy || key.empty()) return {key.data(), key.size()};
    // Blocks never grow past their reserve, so copies never move (a block
    // moved by the vector keeps its heap storage).
    if (copies_.empty() || copies_.back().capacity() - copies_.back().size() < key.size()) {
      copies_.emplace_back();
      copies_.back().reserve(key.size() > block ? key.size() : block);
    }
    std::string& b = copies_.back();
    const std::size_t at = b.size();
    b.append(key);
    return {b.data() + at, key.size()};
  }

  static std::size_t hash(std::string_view key) noexcept { return std::hash<std::string_view>{}(key); }

  // Places key index `i` (of keys_) into `t`, which has a free slot.
  void place(table& t, std::uint32_t i) noexcept {
    const std::size_t mask = t.size() - 1;
    std::size_t s = hash(keys_[i].view()) & mask;
    while (t[s] != 0) s = (s + 1) & mask;
    t[s] = i + 1;
  }

  bool add_hashed(std::string_view key, bool copy) {
    const std::size_t d = levels_.size() - 1;
    level& l = levels_.back();
    if (tables_.size() <= d) tables_.resize(d + 1);
    table& t = tables_[d];
    const std::size_t count = keys_.size() - l.start;
    if (!l.hashed || (count + 1) * 2 > t.size()) {
      // (Re)build from the object's keys: at most half full.
      std::size_t size = 64;
      while (size < (count + 1) * 2) size *= 2;
      t.assign(size, 0);
      for (std::size_t i = l.start; i < keys_.size(); ++i) place(t, static_cast<std::uint32_t>(i));
      l.hashed = true;
    }
    const std::size_t mask = t.size() - 1;
    for (std::size_t s = hash(key) & mask; t[s] != 0; s = (s + 1) & mask)
      if (keys_[t[s] - 1].view() == key) return false;
    keys_.push_back(stored(key, copy));
    place(t, static_cast<std::uint32_t>(keys_.size() - 1));
    return true;
  }

  small_stack<key_ref, 16> keys_;  // the open objects' keys, innermost object last
  small_stack<level, 8> levels_;
  std::vector<table> tables_;        // per depth, for objects past linear_limit
  std::vector<std::string> copies_;  // copied keys, in blocks
  std::string scratch_;
};

}  // namespace json::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
