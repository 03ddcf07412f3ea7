#pragma once
// Helpers shared by the transport tests: loopback transport options, a
// scripted fake transport, and driving the host-driven form to completion.

#include <doctest/doctest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "odoolink/clock.hpp"
#include "odoolink/transport/curl_transport.hpp"
#include "odoolink/transport/sync_transport.hpp"
#include "odoolink/transport/transport.hpp"
#include "support/error_of.hpp"
#include "support/time_scale.hpp"

namespace odoolink_test {

namespace ot = odoolink::transport;

/// Options for a server on loopback: no proxy from the environment (a
/// developer's http_proxy must not capture 127.0.0.1), short timeouts. The
/// timeouts stretch with the emulator's pace (support/time_scale.hpp): the
/// connect one covers the TLS handshake, whose key operations run slowly
/// under qemu on both ends.
inline ot::curl_options loopback_options(std::string base_url) {
  ot::curl_options o;
  o.base_url = std::move(base_url);
  o.proxy_from_environment = false;
  o.connect_timeout = odoolink::test::scaled(std::chrono::milliseconds(3000));
  o.total_timeout = odoolink::test::scaled(std::chrono::milliseconds(10000));
  return o;
}

inline std::shared_ptr<ot::curl_transport> make_curl(ot::curl_options o) {
  auto t = ot::curl_transport::create(std::move(o));
  REQUIRE_MESSAGE(t.has_value(), (t ? std::string() : odoolink::test::error_of(t).describe()));
  return std::shared_ptr<ot::curl_transport>(std::move(t).value());
}

/// Polls until nothing is pending or `limit` (real time, scaled like the
/// timeouts above) passed; returns whether everything finished.
inline bool drive(ot::http_transport& t, std::chrono::milliseconds limit = std::chrono::milliseconds(15000)) {
  const auto end = std::chrono::steady_clock::now() + odoolink::test::scaled(limit);
  while (t.pending() > 0) {
    if (std::chrono::steady_clock::now() > end) return false;
    const auto wait = std::min(t.next_wakeup().value_or(std::chrono::milliseconds(50)), std::chrono::milliseconds(50));
    auto n = t.poll(wait);
    REQUIRE_MESSAGE(n.has_value(), (n ? std::string() : odoolink::test::error_of(n).describe()));
  }
  return true;
}

/// Collects outcomes of submitted requests by index.
struct outcomes {
  std::vector<std::optional<odoolink::result<odoolink::http_response>>> slots;
  std::size_t completed = 0;

  ot::completion slot(std::size_t i) {
    if (slots.size() <= i) slots.resize(i + 1);
    return [this, i](odoolink::result<odoolink::http_response> r) {
      REQUIRE_FALSE(slots[i].has_value());  // at most once
      slots[i] = std::move(r);
      ++completed;
    };
  }
  const odoolink::result<odoolink::http_response>& at(std::size_t i) const {
    REQUIRE(i < slots.size());
    REQUIRE(slots[i].has_value());
    return *slots[i];
  }
};

inline odoolink::http_response response(int status, std::string body = {},
                                        std::vector<odoolink::http_header> headers = {}) {
  odoolink::http_response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

/// A fake transport whose `send` plays scripted outcomes (then 200 "ok"),
/// recording each request and the clock time it arrived.
class scripted_transport final : public ot::sync_transport {
 public:
  explicit scripted_transport(std::shared_ptr<const odoolink::clock> clock = nullptr) : clock_(std::move(clock)) {}

  void then(odoolink::result<odoolink::http_response> outcome) { script_.push_back(std::move(outcome)); }

  odoolink::result<odoolink::http_response> send(const odoolink::http_request& request) override {
    requests.push_back(request);
    if (clock_) times.push_back(clock_->now());
    if (script_.empty()) return response(200, "ok");
    auto out = std::move(script_.front());
    script_.pop_front();
    return out;
  }

  std::vector<odoolink::http_request> requests;
  std::vector<odoolink::clock::time_point> times;

 private:
  std::shared_ptr<const odoolink::clock> clock_;
  std::deque<odoolink::result<odoolink::http_response>> script_;
};

inline odoolink::http_request post(std::string target = "/jsonrpc", std::string body = "{}", bool idempotent = false) {
  odoolink::http_request r;
  r.method = "POST";
  r.target = std::move(target);
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  r.idempotent = idempotent;
  return r;
}

}  // namespace odoolink_test
