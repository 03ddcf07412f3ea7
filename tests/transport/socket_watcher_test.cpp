// The libcurl transport's multi-socket form: a host's own poll(2) loop
// watches the sockets and the timer the transport names, and reports back.
#include <doctest/doctest.h>

#include <poll.h>

#include <map>
#include <vector>

#include "odoolink/transport/curl_transport.hpp"
#include "support/error_of.hpp"
#include "transport/support/http_server.hpp"
#include "transport/support/loopback.hpp"
#include "transport/support/recorded_exchange.hpp"

using namespace odoolink_test;
namespace ot = odoolink::transport;

namespace {

// A host's event loop in miniature: what to watch, kept as the transport says.
struct poll_loop final : ot::socket_watcher {
  std::map<int, ot::socket_interest> sockets;
  odoolink::wakeup timer;
  std::size_t watch_calls = 0;

  void watch(int fd, ot::socket_interest interest) override {
    ++watch_calls;
    if (interest == ot::socket_interest::none) sockets.erase(fd);
    else sockets[fd] = interest;
  }
  void set_timer(odoolink::wakeup at) override { timer = at; }

  // One wait of at most 50 ms; reports what happened to `t`.
  void turn(ot::curl_transport& t) {
    std::vector<pollfd> fds;
    for (const auto& [fd, interest] : sockets) {
      short events = 0;
      if (interest == ot::socket_interest::read || interest == ot::socket_interest::read_write) events |= POLLIN;
      if (interest == ot::socket_interest::write || interest == ot::socket_interest::read_write) events |= POLLOUT;
      fds.push_back(pollfd{fd, events, 0});
    }
    const auto wait = timer.wait_from(std::chrono::steady_clock::now(), std::chrono::milliseconds(50));
    REQUIRE(::poll(fds.data(), fds.size(), static_cast<int>(wait.count())) >= 0);
    bool any = false;
    for (const auto& p : fds) {
      if (p.revents == 0) continue;
      any = true;
      REQUIRE(t.on_socket(p.fd, (p.revents & POLLIN) != 0, (p.revents & POLLOUT) != 0));
    }
    if (!any && timer.is_due(std::chrono::steady_clock::now())) {
      timer = odoolink::wakeup::idle();
      REQUIRE(t.on_timeout());
    }
  }
};

const recorded_exchange& search_read() {
  static const recorded_exchange x = recorded_exchange::load("odoo18/jsonrpc/search_read_partner.json");
  return x;
}

}  // namespace

TEST_CASE("socket watcher: a host's poll loop on the transport's sockets completes requests") {
  const auto& x = search_read();
  http_server server(x.replay());
  auto t = make_curl(loopback_options(server.url()));
  poll_loop loop;
  t->watch_sockets(&loop);

  outcomes out;
  for (std::size_t i = 0; i < 3; ++i) t->submit(x.request(), out.slot(i));
  CHECK(out.completed == 0);  // never inside submit
  CHECK_FALSE(loop.timer.is_idle());  // libcurl asks to be started by a timer
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (out.completed < 3 && std::chrono::steady_clock::now() < end) loop.turn(*t);
  REQUIRE(out.completed == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& got = out.at(i);
    REQUIRE_MESSAGE(got.has_value(), odoolink::test::error_of(got).describe());
    CHECK(got.value().body == x.response_body);
  }
  CHECK(loop.watch_calls > 0);  // the sockets went through the watcher
  CHECK(t->pending() == 0);
}

TEST_CASE("socket watcher: a refused connection is reported through the watched socket") {
  const std::uint16_t port = closed_port();
  auto t = make_curl(loopback_options("http://127.0.0.1:" + std::to_string(port)));
  poll_loop loop;
  t->watch_sockets(&loop);
  outcomes out;
  t->submit(odoolink::http_request{.target = "/jsonrpc", .body = "{}"}, out.slot(0));
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (out.completed < 1 && std::chrono::steady_clock::now() < end) loop.turn(*t);
  REQUIRE(out.completed == 1);
  REQUIRE_FALSE(out.at(0).has_value());
  CHECK(out.at(0).error() == odoolink::transport_errc::connect_failed);
}
