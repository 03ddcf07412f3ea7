#include "odoolink/outbox/uuid.hpp"

#include <array>
#include <cstdint>
#include <mutex>

#include "../core/random.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

namespace {

struct monotonic_state {
  std::mutex mutex;
  std::uint64_t last_ms = 0;
  std::uint16_t counter = 0;  // 12 bits used
};

monotonic_state& state() {
  static monotonic_state s;
  return s;
}

}  // namespace

std::string make_uuid_v7(timestamp at) {
  std::array<unsigned char, 16> b{};
  detail::fill_random(b);
  auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count());
  std::uint16_t counter = 0;
  {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (ms <= s.last_ms) {
      ms = s.last_ms;  // never go back, even if the clock does
      if (++s.counter > 0xFFFU) {
        ++ms;  // counter exhausted: borrow the next millisecond
        s.counter = 0;
      }
    } else {
      s.counter = static_cast<std::uint16_t>(b[6] & 0x07U);  // random start, room to count
    }
    s.last_ms = ms;
    counter = s.counter;
  }
  for (int i = 0; i < 6; ++i) b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(0x70U | ((counter >> 8U) & 0x0FU));
  b[7] = static_cast<unsigned char>(counter & 0xFFU);
  b[8] = static_cast<unsigned char>((b[8] & 0x3FU) | 0x80U);  // RFC 9562 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4U];
    out += hex[b[i] & 0xFU];
  }
  return out;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
