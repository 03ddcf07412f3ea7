// Standard base64 (RFC 4648), the text of binary fields.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/json/base64.hpp"

using namespace odoolink;

namespace {

template <class T>
T ok(result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), r.error().message());
  return std::move(r).value();
}

std::string fails(const result<std::vector<std::uint8_t>>& r) {
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
