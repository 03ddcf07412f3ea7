#pragma once
/// @file
/// Payload encryption at rest: AES-256-GCM (OpenSSL) under a key the host
/// supplies. Stored text is `enc1:` + base64(12-byte nonce | ciphertext |
/// 16-byte tag); the event's idempotency key is authenticated with it, so a
/// ciphertext moved to another event does not decrypt.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// A 256-bit key. Keep it out of logs; the type prints nothing.
using payload_key = std::array<std::uint8_t, 32>;

/// Encrypts `plaintext` bound to `associated` (the idempotency key).
/// Errors: store_errc::io_failed when OpenSSL fails (it names no key material).
/// @par Thread Safety  Reentrant.
[[nodiscard]] result<std::string> encrypt_payload(const payload_key& key, std::string_view plaintext,
                                                  std::string_view associated);

/// Decrypts text made by `encrypt_payload`; text without the `enc1:` prefix
/// is returned as is (events stored before encryption was turned on).
/// Errors: store_errc::corrupt when the text was changed, the key is wrong,
/// or it belongs to another event.
/// @par Thread Safety  Reentrant.
[[nodiscard]] result<std::string> decrypt_payload(const payload_key& key, std::string_view stored,
                                                  std::string_view associated);

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
