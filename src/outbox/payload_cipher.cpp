#include "odoolink/outbox/payload_cipher.hpp"

#include <memory>
#include <vector>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "odoolink/json/base64.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

namespace {

constexpr std::string_view prefix = "enc1:";
constexpr int nonce_size = 12;
constexpr int tag_size = 16;

struct ctx_deleter {
  void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};
using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, ctx_deleter>;

const auto* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

result<std::string> encrypt_payload(const payload_key& key, std::string_view plaintext, std::string_view associated) {
  std::vector<unsigned char> out(static_cast<std::size_t>(nonce_size) + plaintext.size() + tag_size);
  if (RAND_bytes(out.data(), nonce_size) != 1) return error(store_errc::io_failed, "outbox: no random nonce for payload encryption");
  cipher_ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  const bool ok =
      ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_size, nullptr) == 1 &&
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), out.data()) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(associated), static_cast<int>(associated.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), out.data() + nonce_size, &len, bytes(plaintext), static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), out.data() + nonce_size + len, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_size, out.data() + nonce_size + plaintext.size()) == 1;
  if (!ok) return error(store_errc::io_failed, "outbox: payload encryption failed");
  return std::string(prefix) + json::base64_encode(std::span<const std::uint8_t>(out.data(), out.size()));
}

result<std::string> decrypt_payload(const payload_key& key, std::string_view stored, std::string_view associated) {
  if (stored.substr(0, prefix.size()) != prefix) return std::string(stored);
  auto raw = json::base64_decode(stored.substr(prefix.size()));
  if (!raw || raw.value().size() < static_cast<std::size_t>(nonce_size + tag_size))
    return error(store_errc::corrupt, "outbox: an encrypted payload is damaged");
  const auto& in = raw.value();
  const std::size_t text_size = in.size() - nonce_size - tag_size;
  std::string plain(text_size, '\0');
  cipher_ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  // The tag is copied: OpenSSL's ctrl takes a non-const pointer.
  std::array<unsigned char, tag_size> tag{};
  std::copy(in.end() - tag_size, in.end(), tag.begin());
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_size, nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), in.data()) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(associated), static_cast<int>(associated.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, in.data() + nonce_size,
                        static_cast<int>(text_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tag_size, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &len) == 1;
  if (!ok) return error(store_errc::corrupt, "outbox: an encrypted payload does not decrypt (changed, wrong key or another event's)");
  return plain;
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
