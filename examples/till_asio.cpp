// A till whose main loop is a Boost.Asio io_context, all on one thread: one
// timer draws the UI every 16 ms; the io_context watches the libcurl
// transport's sockets and its timer (libcurl's multi-socket API, through
// `transport::socket_watcher`), and whenever the network moved, or the
// relay's own deadline (`relay::next_wakeup`, a steady-clock time point a
// `steady_timer` takes as it is) came, the relay is pumped. Nothing ever
// blocks the UI. The relay is built while the server is unreachable; a
// third timer brings the server up 300 ms later.
//
// Usage: odoolink_till_asio [CONTRACTS_DIR]
// Exit status: 0 when every sale arrived exactly once.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>

#include "odoolink/transport/curl_transport.hpp"
#include "till.hpp"

namespace {

namespace asio = boost::asio;
using odoolink::transport::socket_interest;

// Watches the transport's sockets and timer on the io_context; `moved` runs after each event.
class asio_watcher final : public odoolink::transport::socket_watcher {
 public:
  asio_watcher(asio::io_context& io, std::function<void()> moved) : io_(io), timer_(io), moved_(std::move(moved)) {}

  std::size_t socket_events = 0, timer_events = 0;  // what woke the loop

  void attach(odoolink::transport::curl_transport& t) {
    transport_ = &t;
    t.watch_sockets(this);
  }

  void watch(int fd, socket_interest interest) override {
    if (interest == socket_interest::none) {
      if (auto it = sockets_.find(fd); it != sockets_.end()) {
        it->second.descriptor->cancel();
        (void)it->second.descriptor->release();  // libcurl owns and closes the socket
        sockets_.erase(it);
      }
      return;
    }
    auto& w = sockets_[fd];
    if (!w.descriptor) w.descriptor = std::make_unique<asio::posix::stream_descriptor>(io_, fd);
    w.interest = interest;
    arm(fd);
  }

  void set_timer(odoolink::wakeup at) override {
    timer_.cancel();
    if (at.is_idle()) return;
    timer_.expires_at(*at.at);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      till_example::need(transport_->on_timeout(), "on_timeout");
      ++timer_events;
      moved_();
    });
  }

 private:
  struct watched {
    std::unique_ptr<asio::posix::stream_descriptor> descriptor;
    socket_interest interest = socket_interest::none;
    unsigned generation = 0;  // waits of an older generation are stale
  };

  // (Re)starts the waits `fd` is watched for, dropping older ones.
  void arm(int fd) {
    auto& w = sockets_.at(fd);
    w.descriptor->cancel();
    const unsigned generation = ++w.generation;
    auto wait = [&](asio::posix::descriptor_base::wait_type type, bool readable) {
      w.descriptor->async_wait(type, [this, fd, generation, readable](const boost::system::error_code& ec) {
        if (ec) return;
        auto it = sockets_.find(fd);
        if (it == sockets_.end() || it->second.generation != generation) return;
        till_example::need(transport_->on_socket(fd, readable, !readable), "on_socket");
        ++socket_events;
        // Still watched as before (libcurl did not change it): wait again.
        if (auto again = sockets_.find(fd); again != sockets_.end() && again->second.generation == generation) arm(fd);
        moved_();
      });
    };
    if (w.interest == socket_interest::read || w.interest == socket_interest::read_write)
      wait(asio::posix::descriptor_base::wait_read, true);
    if (w.interest == socket_interest::write || w.interest == socket_interest::read_write)
      wait(asio::posix::descriptor_base::wait_write, false);
  }

  asio::io_context& io_;
  asio::steady_timer timer_;
  std::function<void()> moved_;
  odoolink::transport::curl_transport* transport_ = nullptr;
  std::map<int, watched> sockets_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  asio::io_context io;
  asio::steady_timer ui(io), relay_timer(io), network(io), give_up(io);
  std::function<void()> run_relay;
  asio_watcher watcher(io, [&] { run_relay(); });

  till_example::till till(argc > 1 ? argv[1] : ODOOLINK_EXAMPLE_CONTRACTS, [&](const std::string& url) {
    auto t = till_example::need(odoolink::transport::curl_transport::create({.base_url = url}), "transport");
    watcher.attach(*t);
    return std::shared_ptr<odoolink::transport::http_transport>(std::move(t));
  });
  till.record_sales(40);
  std::printf("till: 40 sales recorded offline; the relay starts now\n");

  std::size_t frames = 0;
  bool done = false;
  std::function<void()> draw = [&] {
    ++frames;  // the till's UI work
    ui.expires_after(16ms);
    ui.async_wait([&](const boost::system::error_code& ec) {
      if (!ec && !done) draw();
    });
  };

  run_relay = [&] {
    if (done) return;
    till_example::need(till.relay().pump(256), "pump");
    if (till.settled()) {
      done = true;
      io.stop();
      return;
    }
    // The sockets wake us when the network moves; this timer covers the
    // relay's own schedule (retries, reconnect pauses, newly due events).
    const auto wake = till_example::need(till.relay().next_wakeup(), "next_wakeup");
    const auto cap = std::chrono::steady_clock::now() + 100ms;
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
  std::printf("  the io_context saw %zu socket events and %zu transport timers\n", watcher.socket_events,
              watcher.timer_events);
  const int status = till.finish(frames);
  return status == 0 && watcher.socket_events > 0 ? 0 : 1;
}
