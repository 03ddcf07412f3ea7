#pragma once
// Finding where a run of plain JSON string content ends (`"`, `\` or a
// control character), many bytes at a time, for json_cursor; the same pass
// tells whether the run holds non-ASCII bytes (then, and only then, the
// cursor checks the run as UTF-8).
//
// The path is chosen at compile time:
// - x86-64 (SSE2) and AArch64 (NEON): 16-byte vectors written with the
//   GCC/Clang vector extensions. They compile to SSE2 or NEON instructions
//   without including <emmintrin.h> or <arm_neon.h> into the includer's
//   translation unit, and this header leaves no macro behind.
// - anything else, or when the build defines ODOOLINK_PORTABLE_STRING_SCAN:
//   a portable scan of 8-byte words (plain C++, either byte order).
// Every variant gives the same answer; each is callable by name so that the
// tests compare them on whichever machine runs them.
//
// Input contract (json_cursor's): the text is followed by readable padding,
// so a scan may load up to 15 bytes past `end`; what it finds there is never
// reported.

#include <bit>
#include <cstdint>
#include <cstring>

#include "odoolink/config.hpp"

#if !defined(ODOOLINK_PORTABLE_STRING_SCAN) && (defined(__GNUC__) || defined(__clang__))
#if defined(__SSE2__)
#define ODOOLINK_DETAIL_SCAN_SSE2 1
#elif defined(__aarch64__) && defined(__ARM_NEON)
#define ODOOLINK_DETAIL_SCAN_NEON 1
#endif
#endif

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model::detail {

/// The string-scan path this build selected.
enum class string_scan_path : std::uint8_t { portable, sse2, neon };

#if defined(ODOOLINK_DETAIL_SCAN_SSE2)
inline constexpr string_scan_path selected_string_scan = string_scan_path::sse2;
#elif defined(ODOOLINK_DETAIL_SCAN_NEON)
inline constexpr string_scan_path selected_string_scan = string_scan_path::neon;
#else
inline constexpr string_scan_path selected_string_scan = string_scan_path::portable;
#endif

// The index of the first byte, in memory order, that has its top bit set in
// `w` (w != 0), for a word loaded from memory with memcpy.
constexpr int first_marked_byte(std::uint64_t w) noexcept {
  if constexpr (std::endian::native == std::endian::little) return std::countr_zero(w) / 8;
  else return std::countl_zero(w) / 8;
}

// The bits of the first `n` bytes (0..8), in memory order, of such a word.
constexpr std::uint64_t first_bytes(int n) noexcept {
  if (n <= 0) return 0;
  if (n >= 8) return ~std::uint64_t{0};
  if constexpr (std::endian::native == std::endian::little) return ~std::uint64_t{0} >> (64 - 8 * n);
  else return ~std::uint64_t{0} << (64 - 8 * n);
}

// 0x80 in each byte of `v` that is zero, 0 elsewhere. Exact: no carry
// crosses bytes, so any byte of the result can be trusted, not only the
// first.
constexpr std::uint64_t zero_bytes(std::uint64_t v) noexcept {
  constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
  return ~(((v & low7) + low7) | v | low7);
}

inline constexpr std::uint64_t top_bits = 0x8080808080808080ULL;

/// Portable path: 8 bytes a word.
inline const char* find_string_special_portable(const char* p, const char* end, bool& high) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  for (; p < end; p += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, sizeof w);
    // A control character is a byte whose top three bits are clear.
    std::uint64_t hit = zero_bytes(w ^ (ones * '"')) | zero_bytes(w ^ (ones * '\\')) | zero_bytes(w & (ones * 0xE0U));
    std::uint64_t top = w & top_bits;
    if (end - p < 8) {  // the last word: bytes past the end do not count
      hit &= first_bytes(static_cast<int>(end - p));
      top &= first_bytes(static_cast<int>(end - p));
    }
    if (hit != 0) {
      const int at = first_marked_byte(hit);
      high |= (top & first_bytes(at)) != 0;
      return p + at;
    }
    high |= top != 0;
  }
  return end;
}

#if defined(__GNUC__) || defined(__clang__)
using scan_bytes16 = unsigned char __attribute__((vector_size(16)));
using scan_words2 = std::uint64_t __attribute__((vector_size(16)));

[[gnu::always_inline]] inline scan_bytes16 load_scan_bytes(const char* p) noexcept {
  scan_bytes16 x;
  std::memcpy(&x, p, sizeof x);
  return x;
}

// 0xFF in each byte of `x` that ends plain content, 0 elsewhere.
[[gnu::always_inline]] inline scan_bytes16 string_special_lanes(scan_bytes16 x) noexcept {
  return std::bit_cast<scan_bytes16>((x == '"') | (x == '\\') | (x < 0x20));
}

/// 16-byte vectors, first hit read from the two 64-bit halves: the NEON
/// path on AArch64 (AArch64 has no byte movemask); it compiles, slower, on
/// any GCC/Clang target, so the tests run it everywhere.
inline const char* find_string_special_halves(const char* p, const char* end, bool& high) noexcept {
  for (; p < end; p += 16) {
    const scan_bytes16 x = load_scan_bytes(p);
    const auto lanes = std::bit_cast<scan_words2>(string_special_lanes(x));
    const auto tops = std::bit_cast<scan_words2>(x) & top_bits;
    std::uint64_t first = lanes[0];
    std::uint64_t second = lanes[1];
    std::uint64_t top_first = tops[0];
    std::uint64_t top_second = tops[1];
    if (end - p < 16) {  // the last vector: bytes past the end do not count
      const int left = static_cast<int>(end - p);
      first &= first_bytes(left);
      top_first &= first_bytes(left);
      second &= first_bytes(left - 8);
      top_second &= first_bytes(left - 8);
    }
    if ((first | second) != 0) {
      if (first != 0) {
        const int at = first_marked_byte(first);
        high |= (top_first & first_bytes(at)) != 0;
        return p + at;
      }
      const int at = first_marked_byte(second);
      high |= (top_first | (top_second & first_bytes(at))) != 0;
      return p + 8 + at;
    }
    high |= (top_first | top_second) != 0;
  }
  return end;
}
#endif

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
/// SSE2 path: 16-byte vectors and a byte movemask.
inline const char* find_string_special_sse2(const char* p, const char* end, bool& high) noexcept {
  using chars16 = char __attribute__((vector_size(16)));
  for (; p < end; p += 16) {
    const scan_bytes16 x = load_scan_bytes(p);
    auto mask = static_cast<unsigned>(__builtin_ia32_pmovmskb128(std::bit_cast<chars16>(string_special_lanes(x))));
    auto top = static_cast<unsigned>(__builtin_ia32_pmovmskb128(std::bit_cast<chars16>(x)));
    if (end - p < 16) {  // the last vector: bytes past the end do not count
      const unsigned in = (1U << static_cast<unsigned>(end - p)) - 1U;
      mask &= in;
      top &= in;
    }
    if (mask != 0) {
      const int at = std::countr_zero(mask);
      high |= (top & ((1U << static_cast<unsigned>(at)) - 1U)) != 0;
      return p + at;
    }
    high |= top != 0;
  }
  return end;
}
#endif

/// The first byte at or after p, before `end`, that ends a run of plain
/// string content: `"`, `\` or a control character; `end` when none. Sets
/// `high` when a byte of the run (before the returned position) is not
/// ASCII, so that only such runs need a UTF-8 check; leaves it otherwise.
ODOOLINK_DETAIL_HOT_INLINE const char* find_string_special(const char* p, const char* end, bool& high) noexcept {
#if defined(ODOOLINK_DETAIL_SCAN_SSE2)
  return find_string_special_sse2(p, end, high);
#elif defined(ODOOLINK_DETAIL_SCAN_NEON)
  return find_string_special_halves(p, end, high);
#else
  return find_string_special_portable(p, end, high);
#endif
}

}  // namespace model::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink

#undef ODOOLINK_DETAIL_SCAN_SSE2
#undef ODOOLINK_DETAIL_SCAN_NEON
