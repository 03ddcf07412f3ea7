// The syntax of Odoo external ids, checked for every reference of every
// payload: kept apart from the other formats because it is vectorized.
#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "formats.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {

namespace {
// Bytes allowed in external ids: [A-Za-z0-9_-] plus '.' (a table: this runs per reference).
constexpr std::array<bool, 256> external_id_bytes = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                     c == '_' || c == '-' || c == '.';
  return t;
}();

#if defined(__SSE2__)
// Sixteen bytes at a time: the allowed ranges by signed compares, where
// bytes from 0x80 are negative and so fall in none of them. References are
// checked on every payload line: this is hot.
struct block {
  std::uint32_t dots;  // one bit per byte
  std::uint32_t bad;   // one bit per byte not allowed
};

block classify(__m128i v) noexcept {
  const auto between = [](__m128i x, char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  // `| 0x20` folds upper case onto lower case and maps nothing else into a-z.
  const __m128i letter = between(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
  const __m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
  const __m128i other = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
  const __m128i ok = _mm_or_si128(_mm_or_si128(letter, between(v, '0', '9')), _mm_or_si128(dot, other));
  return {static_cast<std::uint32_t>(_mm_movemask_epi8(dot)), ~static_cast<std::uint32_t>(_mm_movemask_epi8(ok)) & 0xFFFFU};
}

__m128i load16(const char* p) noexcept { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

// 8 to 32 bytes (nearly every id): two overlapping halves, whose dot masks
// shifted into place form the mask of the whole id; no loop.
bool up_to_32(std::string_view s) noexcept {
  const std::size_t n = s.size();
  block first;
  block last;
  std::size_t half = 16;
  if (n <= 16) {
    // The first and the last 8 bytes as one vector (no read past the end).
    half = 8;
    const block both = classify(_mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(s.data())),
                                                   _mm_loadl_epi64(reinterpret_cast<const __m128i*>(s.data() + n - 8))));
    first = {both.dots & 0xFFU, both.bad & 0xFFU};
    last = {both.dots >> 8U, both.bad >> 8U};
  } else {
    first = classify(load16(s.data()));
    last = classify(load16(s.data() + n - 16));
  }
  const std::uint32_t dots = first.dots | (last.dots << (n - half));
  return (first.bad | last.bad) == 0 && (dots & (dots >> 1U)) == 0;
}

// Longer ids: blocks of 16, the last one overlapping the previous one.
bool longer(std::string_view s) noexcept {
  std::uint32_t previous_dots = 0;
  for (std::size_t i = 0;; i += 16) {
    const bool last = i + 16 >= s.size();
    const std::size_t at = last ? s.size() - 16 : i;
    const block b = classify(load16(s.data() + at));
    if (b.bad != 0 || (b.dots & (b.dots >> 1U)) != 0) return false;
    // ".." across two blocks; an overlapping last block sees that pair itself.
    if (at == i && ((previous_dots >> 15U) & b.dots & 1U) != 0) return false;
    if (last) return true;
    previous_dots = b.dots;
  }
}
#endif

}  // namespace

bool is_external_id(std::string_view s) noexcept {
  if (s.empty() || s.size() > 256 || s.front() == '.' || s.back() == '.') return false;
  if (s.size() < 8) {
    bool ok = true;
    for (std::size_t i = 0; i < s.size(); ++i)
      ok &= external_id_bytes[static_cast<unsigned char>(s[i])] && !(s[i] == '.' && i > 0 && s[i - 1] == '.');
    return ok;
  }
#if defined(__SSE2__)
  return s.size() <= 32 ? up_to_32(s) : longer(s);
#else
  // Eight bytes at a time (the last word overlaps the previous one): each
  // byte must fall in an allowed range. SWAR range tests are exact for bytes
  // below 0x80, which are checked first.
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  const auto in_range = [](std::uint64_t w, unsigned lo, unsigned hi) {
    const std::uint64_t above_hi = w + ones * (0x7FU - hi);     // bit 7 set where byte > hi
    const std::uint64_t at_least_lo = w + ones * (0x80U - lo);  // bit 7 set where byte >= lo
    return at_least_lo & ~above_hi & high;
  };
  std::uint64_t dot_before = 0;  // the previous word ended with a dot
  for (std::size_t i = 0;; i += 8) {
    const bool last = i + 8 >= s.size();
    if (last) {
      // Re-read the tail as one word; the bytes it shares with the previous
      // word pass again, and so does a ".." across them.
      if (s.size() - 8 != i) dot_before = 0;
      i = s.size() - 8;
    }
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    if ((w & high) != 0) return false;
    const std::uint64_t dots = in_range(w, '.', '.');
    // `| 0x20` folds upper case onto lower case and maps nothing else into a-z.
    const std::uint64_t ok = in_range(w | (ones * 0x20U), 'a', 'z') | in_range(w, '0', '9') | in_range(w, '-', '.') |
                             in_range(w, '_', '_');
    // ".." inside the word, or across the previous one (bytes are little-endian).
    if (ok != high || (dots & (dots << 8U)) != 0 || (dot_before & dots & 0x80U) != 0) return false;
    if (last) return true;
    dot_before = dots >> 56U;
  }
#endif
}

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
