// Not part of odoolink: a canary for the symbol hygiene check, which must
// report each of these references (printing, aborting, starting a thread).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

void odoolink_canary_print(int n) {
  std::cout << n;
  std::printf("%d\n", n);
  std::puts("canary");
}

void odoolink_canary_abort() { std::abort(); }

void odoolink_canary_thread() {
  std::thread t([] {});
  t.join();
}
