#pragma once
// Certificates made at test time with the OpenSSL API: a test CA, a leaf it
// signed for 127.0.0.1/localhost, a self-signed leaf for the same names, and
// a CA-signed leaf for another host name. Keys are EC P-256 (fast to make).

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "http_server.hpp"

namespace odoolink_test {

struct pkey_free {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct x509_free {
  void operator()(X509* c) const noexcept { X509_free(c); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;

struct key_and_cert {
  pkey_ptr key;
  x509_ptr cert;
};

inline pkey_ptr make_key() {
  pkey_ptr k(EVP_EC_gen("P-256"));
  if (!k) throw std::runtime_error("EC key generation failed");
  return k;
}

inline void add_extension(X509* cert, X509V3_CTX& ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) throw std::runtime_error(std::string("bad extension ") + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key`, signed by `issuer` (self-signed when null).
inline x509_ptr make_cert(EVP_PKEY* key, const char* cn, const key_and_cert* issuer, bool is_ca, const char* san,
                          long serial) {
  x509_ptr cert(X509_new());
  X509* c = cert.get();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
  X509_gmtime_adj(X509_getm_notBefore(c), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c), 30L * 86400);
  X509_set_pubkey(c, key);
  X509_NAME* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("odoolink tests"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(c, issuer != nullptr ? X509_get_subject_name(issuer->cert.get()) : name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer->cert.get() : c, c, nullptr, nullptr, 0);
  add_extension(c, ctx, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_extension(c, ctx, NID_key_usage, is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  if (!is_ca) add_extension(c, ctx, NID_ext_key_usage, "serverAuth");
  add_extension(c, ctx, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) add_extension(c, ctx, NID_authority_key_identifier, "keyid:always");
  if (san != nullptr) add_extension(c, ctx, NID_subject_alt_name, san);
  if (X509_sign(c, issuer != nullptr ? issuer->key.get() : key, EVP_sha256()) == 0)
    throw std::runtime_error("signing failed");
  return cert;
}

inline std::string to_pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

/// `sha256//<base64>` of the key's DER SubjectPublicKeyInfo (CURLOPT_PINNEDPUBLICKEY).
inline std::string pin_of(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<std::size_t>(len), digest);
  OPENSSL_free(der);
  unsigned char b64[64];
  const int n = EVP_EncodeBlock(b64, digest, SHA256_DIGEST_LENGTH);
  return "sha256//" + std::string(reinterpret_cast<char*>(b64), static_cast<std::size_t>(n));
}

/// The test PKI, generated once per process.
struct test_pki {
  key_and_cert ca;
  key_and_cert leaf;         // CA-signed, SAN IP:127.0.0.1, DNS:localhost
  key_and_cert self_signed;  // self-signed, same names
  key_and_cert wrong_host;   // CA-signed, SAN DNS:wrong-host.invalid only
  std::string ca_pem;

  static const test_pki& get() {
    static const test_pki pki = make();
    return pki;
  }

  /// A TLS server context presenting `kc`.
  static std::shared_ptr<SSL_CTX> server_context(const key_and_cert& kc) {
    std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), ssl_ctx_free{});
    if (!ctx || SSL_CTX_use_certificate(ctx.get(), kc.cert.get()) != 1 ||
        SSL_CTX_use_PrivateKey(ctx.get(), kc.key.get()) != 1)
      throw std::runtime_error("server TLS context failed");
    return ctx;
  }

  /// Writes the CA certificate to `path` and returns it.
  std::string write_ca_file(const std::string& path) const {
    std::ofstream(path, std::ios::binary) << ca_pem;
    return path;
  }

 private:
  static test_pki make() {
    test_pki p;
    p.ca.key = make_key();
    p.ca.cert = make_cert(p.ca.key.get(), "odoolink test CA", nullptr, true, nullptr, 1);
    p.leaf.key = make_key();
    p.leaf.cert = make_cert(p.leaf.key.get(), "127.0.0.1", &p.ca, false, "IP:127.0.0.1,DNS:localhost", 2);
    p.self_signed.key = make_key();
    p.self_signed.cert =
        make_cert(p.self_signed.key.get(), "127.0.0.1", nullptr, false, "IP:127.0.0.1,DNS:localhost", 3);
    p.wrong_host.key = make_key();
    p.wrong_host.cert = make_cert(p.wrong_host.key.get(), "wrong-host.invalid", &p.ca, false,
                                  "DNS:wrong-host.invalid", 4);
    p.ca_pem = to_pem(p.ca.cert.get());
    return p;
  }
};

}  // namespace odoolink_test
