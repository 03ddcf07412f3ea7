#pragma once
/// @file
/// TLS settings of the default transport, apart so that `client_options`
/// can carry them without depending on libcurl.

#include <string>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {

/// How the server is authenticated. Verification is on by default; the only
/// way to turn it off is `verify = false`, meant for throwaway test servers.
struct tls_options {
  /// Verify the server certificate chain and that it names the host
  /// (CURLOPT_SSL_VERIFYPEER and CURLOPT_SSL_VERIFYHOST).
  bool verify = true;
  /// Also trust libcurl's default CA store (its bundle file and CA
  /// directory, on Debian /etc/ssl/certs). False: trust only `ca_file`/`ca_pem`.
  bool system_ca = true;
  /// Path of a PEM file with CA certificates to trust (CURLOPT_CAINFO). It
  /// takes the place of the default bundle file; with `system_ca` the
  /// default CA directory stays trusted. An unreadable file fails requests
  /// with invalid_request.
  std::string ca_file;
  /// PEM text of CA certificates to trust, kept in memory (CURLOPT_CAINFO_BLOB),
  /// in addition to the others.
  std::string ca_pem;
  /// Public-key pin (CURLOPT_PINNEDPUBLICKEY): `sha256//<base64 of the
  /// SHA-256 of the DER SubjectPublicKeyInfo>`, several joined with `;`, or
  /// the path of a PEM/DER public key. A mismatch fails with certificate_invalid.
  std::string pinned_public_key;
};

}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
