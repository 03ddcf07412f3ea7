#include "crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {
namespace {

std::string hex(const unsigned char* bytes, unsigned int n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(n) * 2, '0');
  for (unsigned int i = 0; i < n; ++i) {
    out[2 * i] = digits[bytes[i] >> 4U];
    out[2 * i + 1] = digits[bytes[i] & 0xFU];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  // EVP_Digest only fails on allocation failure inside OpenSSL; an empty
  // result then stands out in any comparison rather than looking valid.
  if (EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr) != 1) return {};
  return hex(md, n);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), md, &n) == nullptr)
    return {};
  return hex(md, n);
}

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
