#include "random.hpp"

#include <random>
#include <vector>

#include <openssl/rand.h>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace detail {

void fill_random(std::span<unsigned char> out) noexcept {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) == 1) return;
  // OpenSSL's generator failing is near impossible; the OS generator is a sound fallback.
  std::random_device rd;
  for (auto& x : out) x = static_cast<unsigned char>(rd());
}

std::string random_hex(std::size_t bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::vector<unsigned char> b(bytes);
  bool zero = true;
  while (zero && bytes > 0) {  // W3C ids must not be all zero
    fill_random(b);
    for (unsigned char x : b) zero = zero && x == 0;
  }
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char x : b) {
    out += hex[x >> 4U];
    out += hex[x & 0xFU];
  }
  return out;
}

}  // namespace detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
