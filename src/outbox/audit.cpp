#include "odoolink/outbox/audit.hpp"

#include <array>
#include <charconv>
#include <memory>
#include <string>

#include <openssl/evp.h>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

std::string_view to_string(audit_action a) noexcept {
  switch (a) {
    case audit_action::enqueued: return "enqueued";
    case audit_action::delivered: return "delivered";
    case audit_action::retry: return "retry";
    case audit_action::dead: return "dead";
    case audit_action::replayed: return "replayed";
    case audit_action::discarded: return "discarded";
  }
  return "unknown";
}

std::string_view genesis_hash() noexcept {
  return "0000000000000000000000000000000000000000000000000000000000000000";
}

namespace {

// Length-prefixed, so "ab"+"c" and "a"+"bc" hash differently.
void put_field(std::string& out, std::string_view field) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), field.size()).ptr;
  out.append(digits.data(), end);
  out += ':';
  out += field;
  out += ';';
}

// A number as a field, in decimal (as std::to_string writes it).
void put_number(std::string& out, std::int64_t n) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
  put_field(out, std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())));
}

// Fetched once and never changed: `EVP_sha256()` looks the implementation up
// again on every call, which costs as much as hashing an audit row.
const EVP_MD* sha256_md() {
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

struct md_ctx_free {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // One context per thread, reset for each row: a new one costs as much as hashing a short row.
  thread_local const std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestInit_ex(ctx.get(), sha256_md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1)
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, sha256_md(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(std::size_t{length} * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    out[2 * i] = hex[digest[i] >> 4U];
    out[2 * i + 1] = hex[digest[i] & 0xFU];
  }
  return out;
}

}  // namespace

std::string audit_hash(const audit_record& row) {
  thread_local std::string content;  // keeps its capacity from row to row
  content.clear();
  put_field(content, row.prev_hash);
  put_number(content, row.sequence);
  put_field(content, row.event_id);
  put_number(content, row.at.time_since_epoch().count());
  put_field(content, to_string(row.action));
  put_field(content, row.detail);
  std::string hash = sha256_hex(content);
  if (content.capacity() > 64 * 1024) std::string().swap(content);  // a large payload's buffer is not kept
  return hash;
}

void chain_audit(audit_record& row, std::int64_t previous_sequence, std::string_view previous_hash) {
  row.sequence = previous_sequence + 1;
  row.prev_hash.assign(previous_hash);
  row.hash = audit_hash(row);
}

void chain_audit(audit_record& row, const audit_record* previous) {
  if (previous == nullptr)
    chain_audit(row, 0, genesis_hash());
  else
    chain_audit(row, previous->sequence, previous->hash);
}

result<void> verify_audit_chain(std::span<const audit_record> rows, std::string_view expected_prev_hash) {
  std::string expected_prev(expected_prev_hash);
  std::int64_t expected_sequence = rows.empty() ? 0 : rows.front().sequence;
  if (!rows.empty() && expected_prev_hash == genesis_hash() && expected_sequence != 1)
    return error(store_errc::corrupt, "audit chain: the first row is " + std::to_string(expected_sequence) + ", not 1");
  for (const auto& row : rows) {
    const std::string at = "audit chain: row " + std::to_string(row.sequence) + " (event " + row.event_id + ")";
    if (row.sequence != expected_sequence)
      return error(store_errc::corrupt, "audit chain: row " + std::to_string(expected_sequence) + " is missing");
    if (row.prev_hash != expected_prev) return error(store_errc::corrupt, at + " does not link to the row before it");
    if (audit_hash(row) != row.hash) return error(store_errc::corrupt, at + " was changed after it was written");
    expected_prev = row.hash;
    ++expected_sequence;
  }
  return success();
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
