#pragma once
/// @file
/// `secret_scrubber`: removes known secrets (passwords, API keys, session
/// ids, the values of `Authorization` and `Cookie` headers) from any text
/// before it leaves the library as an error, a message or a stored row.
///
/// Servers and proxies echo requests in their error pages, so a body excerpt
/// may hold a credential, whole or cut, raw or escaped. The scrubber masks
/// every run of 8 or more bytes of a secret found in the text (and of its
/// JSON-, XML- and URL-escaped forms), so neither the secret nor a long
/// piece of it survives. Secrets shorter than 8 bytes are masked where they
/// occur whole.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE

/// Masks secrets in text. Cheap to copy: copies share nothing and can be
/// extended independently.
/// @par Thread Safety  `scrub` is const and safe to call concurrently;
///   `add` must not run concurrently with anything else on the same object.
class secret_scrubber {
 public:
  /// What a removed run is replaced with.
  static constexpr std::string_view mask = "[redacted]";
  /// Runs of at least this many bytes of a secret are masked.
  static constexpr std::size_t min_run = 8;
  /// Secrets shorter than this are not looked for (too common to mask safely).
  static constexpr std::size_t min_secret = 4;

  secret_scrubber() = default;

  /// Adds a secret (and its escaped forms). Empty and very short (< `min_secret`)
  /// values are ignored; adding the same secret twice has no further effect.
  void add(std::string_view secret);

  /// True when no secret was added (then `scrub` returns its input).
  [[nodiscard]] bool empty() const noexcept { return secrets_.empty(); }

  /// `text` with every occurrence of a secret, and every run of `min_run`
  /// or more bytes of one, replaced by `mask`.
  [[nodiscard]] std::string scrub(std::string_view text) const;

  /// True when `text` holds a secret or a run of `min_run` bytes of one.
  [[nodiscard]] bool finds_secret_in(std::string_view text) const;

  /// `e` with its message, Odoo class and debug text scrubbed; the code and
  /// HTTP status are kept. Returns `e` itself when nothing needed masking.
  [[nodiscard]] error scrub(const error& e) const;

 private:
  // Byte ranges [begin, end) of `text` covered by a secret.
  [[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> find(std::string_view text) const;

  std::vector<std::string> secrets_;       // the secrets and their escaped forms
  std::vector<std::uint64_t> windows_;     // sorted: every 8-byte window of a long secret
};

ODOOLINK_END_NAMESPACE
}  // namespace odoolink
