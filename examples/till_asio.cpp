// A till whose main loop is a Boost.Asio io_context: one timer draws the UI
// every 16 ms, another runs the outbox relay at the deadline the relay asks
// for (`relay::next_wakeup`, a steady-clock time point that a
// `steady_timer` takes as it is). All of it on one thread: the relay never
// blocks the UI. The relay is built while the server is unreachable; a
// third timer brings the server up 300 ms later.
//
// The relay's deadline is capped at 5 ms while requests are in flight:
// odoolink's transport does not hand its sockets to the io_context, so the
// relay timer also stands in for "a socket became readable".
//
// Usage: odoolink_till_asio [CONTRACTS_DIR]
// Exit status: 0 when every sale arrived exactly once.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdio>
#include <functional>

#include "till.hpp"

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  using steady = std::chrono::steady_clock;
  till_example::till till(argc > 1 ? argv[1] : ODOOLINK_EXAMPLE_CONTRACTS);
  till.record_sales(40);
  std::printf("till: 40 sales recorded offline; the relay starts now\n");

  boost::asio::io_context io;
  boost::asio::steady_timer ui(io), relay_timer(io), network(io), give_up(io);
  std::size_t frames = 0;
  bool done = false;

  std::function<void()> draw = [&] {
    ++frames;  // the till's UI work
    ui.expires_after(16ms);
    ui.async_wait([&](const boost::system::error_code& ec) {
      if (!ec && !done) draw();
    });
  };

  std::function<void()> run_relay = [&] {
    till_example::need(till.relay().pump(256), "pump");
    till_example::need(till.connection().poll(0ms), "poll");  // completions due now
    if (till.settled()) {
      done = true;
      io.stop();
      return;
    }
    const auto now = steady::now();
    const auto wake = till_example::need(till.relay().next_wakeup(), "next_wakeup");
    const auto cap = now + (till.relay().in_flight() > 0 ? 5ms : 100ms);
    relay_timer.expires_at(std::min(wake.at.value_or(cap), cap));
    relay_timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) run_relay();
    });
  };

  network.expires_after(300ms);
  network.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) till.server_comes_up();
  });
  give_up.expires_after(60s);
  give_up.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    std::fprintf(stderr, "till: the sales were not delivered within a minute\n");
    io.stop();
  });
  draw();
  run_relay();
  io.run();
  return till.finish(frames);
}
