#pragma once
// Test support: how much slower than a native build the suite runs. Under an
// emulator (qemu-user runs the aarch64 build some ten times slower) tests
// stretch their wall-clock waits and deadlines, and the bounds that check
// them, by this factor; it is 1 everywhere else.
//
//   opts.timeout = scaled(1500ms);
//   CHECK(took <= opts.timeout * 11 / 10);   // the bound follows the deadline

#include <chrono>
#include <cstdlib>

namespace odoolink::test {

/// `ODOOLINK_TEST_TIME_SCALE` when set to a whole factor from 1 to 1000,
/// else 1.
[[nodiscard]] inline int time_scale() {
  const char* env = std::getenv("ODOOLINK_TEST_TIME_SCALE");
  if (env == nullptr || *env == '\0') return 1;
  char* end = nullptr;
  const long n = std::strtol(env, &end, 10);
  return *end == '\0' && n > 0 && n <= 1000 ? static_cast<int>(n) : 1;
}

/// `d` times `time_scale()`, in `d`'s own unit.
template <class Rep, class Period>
[[nodiscard]] std::chrono::duration<Rep, Period> scaled(std::chrono::duration<Rep, Period> d) {
  return d * time_scale();
}

}  // namespace odoolink::test
