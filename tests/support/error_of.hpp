#pragma once
// doctest formats the message of a check that passed too when asked to list
// successes (-s), so a message naming `r.error()` would read the error of a
// result that holds a value. Messages name `error_of(r)` instead: r's error,
// or an empty one when r holds a value.

#include <type_traits>

namespace odoolink::test {

template <class Result>
[[nodiscard]] const auto& error_of(const Result& r) {
  using error_type = std::decay_t<decltype(r.error())>;
  static const error_type none{};
  return r.has_value() ? none : r.error();
}

}  // namespace odoolink::test
