// The string scanner behind json_cursor: every path this machine can compile
// (SSE2 on x86-64, the 16-byte vector "halves" path that is the NEON path on
// AArch64, the portable word scan) against a byte-at-a-time reference, for
// where the run ends and whether it holds a non-ASCII byte (the cursor's
// cue to check it as UTF-8).
#include "odoolink/model/detail/string_scan.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace d = odoolink::model::detail;

namespace {

using scan_fn = const char* (*)(const char*, const char*, bool&) noexcept;

struct scan_variant {
  const char* name;
  scan_fn fn;
};

std::vector<scan_variant> variants() {
  std::vector<scan_variant> v{{"selected", &d::find_string_special}, {"portable", &d::find_string_special_portable}};
#if defined(__GNUC__) || defined(__clang__)
  v.push_back({"halves (NEON on AArch64)", &d::find_string_special_halves});
#endif
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
  v.push_back({"sse2", &d::find_string_special_sse2});
#endif
  return v;
}

bool special(unsigned char c) { return c == '"' || c == '\\' || c < 0x20U; }

struct scan_result {
  std::size_t stop;
  bool high;
  bool operator==(const scan_result&) const = default;
};

scan_result reference(const std::string& s, std::size_t from, std::size_t to) {
  bool high = false;
  for (std::size_t i = from; i < to; ++i) {
    if (special(static_cast<unsigned char>(s[i]))) return {i, high};
    high = high || static_cast<unsigned char>(s[i]) >= 0x80U;
  }
  return {to, high};
}

// A variant's answer on [from, to) of `text`, the stop as an index. `high`
// starts true once, to show the scan only ever sets it.
scan_result run(const scan_variant& v, const std::string& text, std::size_t from, std::size_t to) {
  bool high = false;
  const char* stop = v.fn(text.data() + from, text.data() + to, high);
  bool kept = true;
  v.fn(text.data() + from, text.data() + to, kept);
  CHECK(kept);
  return {static_cast<std::size_t>(stop - text.data()), high};
}

// The text, followed by the padding the scanners may read.
struct padded {
  explicit padded(std::string s) : text(std::move(s)) { text.append(64, 'p'); }
  std::string text;
};

// Where each variant stops on [from, to) of `buf`, as an index.
void check_all(const padded& buf, std::size_t from, std::size_t to) {
  const scan_result want = reference(buf.text, from, to);
  for (const auto& v : variants()) {
    INFO("variant ", v.name, " from ", from, " to ", to);
    const scan_result got = run(v, buf.text, from, to);
    CHECK(got.stop == want.stop);
    CHECK(got.high == want.high);
  }
}

}  // namespace

TEST_CASE("string scan: every byte value at every position of short and long runs") {
  // Bytes 0x80..0xFF (UTF-8) must never stop the scan (the vector compares
  // are unsigned whatever the signedness of char), and are reported only
  // when they come before the stop.
  for (std::size_t len : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{15},
                          std::size_t{16}, std::size_t{17}, std::size_t{31}, std::size_t{33}, std::size_t{40}}) {
    for (std::size_t pos = 0; pos < len; ++pos) {
      for (unsigned b = 0; b < 256; ++b) {
        std::string s(len, 'a');
        s[pos] = static_cast<char>(b);
        const padded buf(s);
        const std::size_t want = special(static_cast<unsigned char>(b)) ? pos : len;
        for (const auto& v : variants()) {
          INFO("variant ", v.name, " len ", len, " pos ", pos, " byte ", b);
          const scan_result got = run(v, buf.text, 0, len);
          CHECK(got.stop == want);
          CHECK(got.high == (b >= 0x80U));
        }
      }
    }
  }
}

TEST_CASE("string scan: the first of several stops is found from any start offset") {
  // Two stops per 48 bytes, at every pair of positions; starts at every
  // alignment and ends before, on and after each stop.
  const std::string stops = "\"\\\n\x01\x1F";
  for (std::size_t first = 0; first < 24; first += 3) {
    for (std::size_t second = first + 1; second < 48; second += 5) {
      std::string s(48, 'x');
      s[first] = stops[first % stops.size()];
      s[second] = stops[second % stops.size()];
      s[(first + second) / 2] = static_cast<char>(0xC3);  // high bytes between the stops
      const padded buf(s);
      for (std::size_t from = 0; from < 20; ++from)
        for (std::size_t to = from; to <= s.size(); to += 3) check_all(buf, from, to);
    }
  }
}

TEST_CASE("string scan: stops and non-ASCII bytes in the padding past the end are not reported") {
  for (std::size_t len = 0; len < 20; ++len) {
    for (const char past : {'"', static_cast<char>(0xC3)}) {
      std::string s(len, 'b');
      padded buf(s);
      for (std::size_t i = len; i < buf.text.size(); ++i) buf.text[i] = past;
      for (const auto& v : variants()) {
        INFO("variant ", v.name, " len ", len, " past ", static_cast<int>(static_cast<unsigned char>(past)));
        const scan_result got = run(v, buf.text, 0, len);
        CHECK(got.stop == len);
        CHECK_FALSE(got.high);
      }
    }
  }
}

TEST_CASE("string scan: pseudo-random text with UTF-8 and escapes matches the reference") {
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state] {
    state ^= state << 13U;
    state ^= state >> 7U;
    state ^= state << 17U;
    return state;
  };
  for (int round = 0; round < 2000; ++round) {
    std::string s(static_cast<std::size_t>(next() % 200), ' ');
    for (auto& c : s) {
      const auto r = next() % 100;
      c = r < 2 ? '"' : r < 4 ? '\\' : r < 5 ? static_cast<char>(next() % 0x20) : static_cast<char>(0x20 + next() % 0xE0);
    }
    const padded buf(s);
    const auto from = s.empty() ? 0 : static_cast<std::size_t>(next() % s.size());
    check_all(buf, from, s.size());
  }
}

TEST_CASE("string scan: the compiled path matches the target") {
#if defined(ODOOLINK_PORTABLE_STRING_SCAN)
  CHECK(d::selected_string_scan == d::string_scan_path::portable);
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__SSE2__)
  CHECK(d::selected_string_scan == d::string_scan_path::sse2);
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__aarch64__)
  CHECK(d::selected_string_scan == d::string_scan_path::neon);
#else
  CHECK(d::selected_string_scan == d::string_scan_path::portable);
#endif
  MESSAGE("string scan path: ", static_cast<int>(d::selected_string_scan), " (0 portable, 1 sse2, 2 neon)");
}
