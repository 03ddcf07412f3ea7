// Standard base64 (RFC 4648), the text of binary fields.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/json/base64.hpp"
#include "support/error_of.hpp"

using namespace odoolink;

namespace {

template <class T>
T ok(result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).message());
  return std::move(r).value();
}

template <class T>
std::string fails(const result<T>& r) {
  REQUIRE(r.has_error());
  CHECK(r.error() == protocol_errc::unexpected_type);
  return r.error().message();
}

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("base64: RFC 4648 test vectors both ways") {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CAPTURE(plain);
    CHECK(json::base64_encode(plain) == encoded);
    CHECK(ok(json::base64_decode(encoded)) == bytes(plain));
  }
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  const std::string encoded = json::base64_encode(all);
  CHECK(encoded.starts_with("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"));
  CHECK(encoded.size() == 344);
  CHECK(ok(json::base64_decode(encoded)) == all);
  CHECK(json::base64_encode(std::vector<std::uint8_t>{0xFB, 0xFF}) == "+/8=");
}

TEST_CASE("base64 decoding is strict") {
  CHECK(fails(json::base64_decode("Zg=")) == "expected base64 text, found a length of 3 (not a multiple of 4)");
  CHECK(fails(json::base64_decode("Zm9v!A==")) == "expected base64 text, found byte 0x21 '!' at offset 4");
  CHECK(fails(json::base64_decode("Zm9v\nZg=")).find("byte 0x0a at offset 4") != std::string::npos);
  CHECK(fails(json::base64_decode("Zg==Zg==")) ==
        "expected base64 text, found '=' at offset 2 (padding only ends the text)");
  CHECK(json::base64_decode("Z===").has_error());
  CHECK(json::base64_decode("Zg=a").has_error());
  CHECK(json::base64_decode("====").has_error());
  CHECK(json::base64_decode("-_8=").has_error());  // URL-safe alphabet
  CHECK(json::base64_decode("Zm9v Zg=").has_error());
  CHECK(json::base64_decode("Zm9v\xC3\xA9Zg=").has_error());
  CHECK(fails(json::base64_decode("Zh==")) == "expected base64 text, found non-zero padding bits at offset 1");
  CHECK(fails(json::base64_decode("Zm9=")) == "expected base64 text, found non-zero padding bits at offset 2");
}

TEST_CASE("base64 pieces concatenate and decode into a caller's buffer") {
  std::vector<std::uint8_t> all(1000);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i * 7 + 3);
  const std::string whole = json::base64_encode(all);
  std::string pieces;
  for (std::size_t at = 0; at < all.size(); at += 99)  // 99: a multiple of 3
    json::base64_append(pieces, std::span<const std::uint8_t>(all).subspan(at, std::min<std::size_t>(99, all.size() - at)));
  CHECK(pieces == whole);
  CHECK(json::base64_encoded_size(all.size()) == whole.size());
  CHECK(json::base64_decoded_size(whole) == all.size());
  CHECK(json::base64_decoded_size("Zg==") == 1);
  CHECK(json::base64_decoded_size("Zm8=") == 2);
  CHECK(json::base64_decoded_size("Zm9") == 0);

  std::vector<std::uint8_t> out(all.size());
  // Decoded in two pieces, the first one not final.
  const std::size_t split = 400;
  CHECK(ok(json::base64_decode_into(std::string_view(whole).substr(0, split), out, false)) == 300);
  CHECK(ok(json::base64_decode_into(std::string_view(whole).substr(split), std::span(out).subspan(300))) == 700);
  CHECK(out == all);
  // A piece that is not final may not be padded; a small buffer is refused.
  CHECK(fails(json::base64_decode_into("Zg==", out, false)).find("padding only ends the text") != std::string::npos);
  std::vector<std::uint8_t> small(2);
  CHECK(fails(json::base64_decode_into("Zm9v", small)).find("room") != std::string::npos);
}
