#pragma once
// Shared by the README snippet programs (see ../CMakeLists.txt): each one
// includes a code block of README.md (snippet.inc) where its text belongs,
// runs it against a fake Odoo and checks what it did. `expect` records a
// failed check; main returns `finish()`.
#include <cstdio>
#include <string>

#include "odoolink/error.hpp"

namespace readme {

inline int failures = 0;

inline void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "README snippet: FAILED: %s\n", what.c_str());
    ++failures;
  }
}

inline void expect_ok(const odoolink::error* e, const std::string& what) {
  expect(e == nullptr, what + (e != nullptr ? ": " + e->describe() : std::string()));
}

template <class R>
bool expect_value(const R& r, const std::string& what) {
  expect_ok(r ? nullptr : &r.error(), what);
  return static_cast<bool>(r);
}

inline int finish(const char* name) {
  if (failures != 0) return 1;
  std::printf("README snippet %s: ok\n", name);
  return 0;
}

}  // namespace readme
