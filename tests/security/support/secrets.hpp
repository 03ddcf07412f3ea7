#pragma once
// The credentials the security tests give the client, and an independent
// leak counter (it does not use the library's scrubber, which it checks).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace odoolink_test {

// Characters JSON, XML and URLs escape, so echoes carry the secret in
// several forms; long enough to hold many 8-byte runs.
inline const std::string test_password = "Corr3ct-\"Horse<Battery>&Staple/2026~";
inline const std::string test_api_key = "7f3a9c0e5b1d4f2a8c6e0b9d3f1a7c5e2b4d6f80";
inline const std::string test_session_id = "ab12cd34ef56ab78cd90ef12ab34cd56ef78ab90";

inline const std::vector<std::string>& test_secrets() {
  static const std::vector<std::string> all{test_password, test_api_key, test_session_id};
  return all;
}

/// How many 8-byte runs of any test secret occur in `text` (a whole secret
/// counts once per run it holds).
inline std::size_t leaks_in(std::string_view text) {
  constexpr std::size_t run = 8;
  std::size_t found = 0;
  for (const auto& secret : test_secrets())
    for (std::size_t i = 0; i + run <= secret.size(); ++i)
      for (std::size_t at = text.find(std::string_view(secret).substr(i, run)); at != std::string_view::npos;
           at = text.find(std::string_view(secret).substr(i, run), at + 1))
        ++found;
  return found;
}

}  // namespace odoolink_test
