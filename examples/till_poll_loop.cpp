// A till's main loop driving the outbox by hand: each turn does the UI's
// work, pumps the relay (which never waits on the network) and then waits in
// the client's `poll` for the network, but never longer than one UI frame or
// past the relay's next wake-up. The relay is built while the server is
// unreachable; the server comes up 300 ms later and the sales go through.
//
// Usage: odoolink_till_poll_loop [CONTRACTS_DIR]
// Exit status: 0 when every sale arrived exactly once.
#include <chrono>
#include <cstdio>

#include "till.hpp"

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  using steady = std::chrono::steady_clock;
  till_example::till till(argc > 1 ? argv[1] : ODOOLINK_EXAMPLE_CONTRACTS);
  till.record_sales(40);
  std::printf("till: 40 sales recorded offline; the relay starts now\n");

  const auto start = steady::now();
  std::size_t frames = 0;
  while (!till.settled()) {
    if (!till.online() && steady::now() - start >= 300ms) till.server_comes_up();
    if (steady::now() - start > 60s) {
      std::fprintf(stderr, "till: the sales were not delivered within a minute\n");
      return 1;
    }
    ++frames;  // the till's UI work happens here, every turn
    till_example::need(till.relay().pump(256), "pump");
    const auto wake = till_example::need(till.relay().next_wakeup(), "next_wakeup");
    // Wait for the network or the relay's next deadline, at most one 16 ms frame.
    till_example::need(till.connection().poll(wake.wait_from(steady::now(), 16ms)), "poll");
  }
  return till.finish(frames);
}
