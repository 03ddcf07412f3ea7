// The libcurl transport against real loopback servers (plain HTTP).
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "odoolink/transport/curl_transport.hpp"
#include "support/error_of.hpp"
#include "support/time_scale.hpp"
#include "transport/support/http_server.hpp"
#include "transport/support/loopback.hpp"
#include "transport/support/recorded_exchange.hpp"

using namespace odoolink_test;
using odoolink::http_request;
using odoolink::transport_errc;
using odoolink::transport::may_have_reached_server;

namespace {

reply text_reply(int status, std::string body) {
  reply r;
  r.status = status;
  r.headers.push_back({"Content-Type", "text/plain"});
  r.body = std::move(body);
  return r;
}

handler always(reply r) {
  return [r](const received_request&) { return r; };
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

const recorded_exchange& search_read() {
  static const recorded_exchange x = recorded_exchange::load("odoo18/jsonrpc/search_read_partner.json");
  return x;
}

}  // namespace

TEST_CASE("blocking send replays the recorded search_read exchange byte for byte") {
  const auto& x = search_read();
  http_server server(x.replay());
  auto t = make_curl(loopback_options(server.url()));

  auto r = t->send(x.request());
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(r.value().status == x.status);
  CHECK(r.value().body == x.response_body);
  CHECK(r.value().header("Content-Type") == "application/json; charset=utf-8");

  const auto got = server.requests();
  REQUIRE(got.size() == 1);
  CHECK(got[0].method == "POST");
  CHECK(got[0].target == "/jsonrpc");
  CHECK(got[0].header("Content-Type") == "application/json");
  CHECK(got[0].body == x.request_body);
  CHECK(x.matches(got[0]));
  CHECK(got[0].header("Expect").empty());
  CHECK(contains(std::string(got[0].header("User-Agent")), "odoolink/"));
}

TEST_CASE("host-driven submit/poll replays the recorded exchange") {
  const auto& x = search_read();
  http_server server(x.replay());
  auto t = make_curl(loopback_options(server.url()));
  CHECK_FALSE(t->next_wakeup().has_value());

  outcomes out;
  t->submit(x.request(), out.slot(0));
  CHECK(t->pending() == 1);
  CHECK(out.completed == 0);  // never inside submit
  REQUIRE(t->next_wakeup().has_value());
  CHECK(t->next_wakeup().value() <= std::chrono::milliseconds(1000));

  REQUIRE(drive(*t));
  REQUIRE(out.completed == 1);
  const auto& r = out.at(0);
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(r.value().status == 200);
  CHECK(r.value().body == x.response_body);
  REQUIRE(server.request_count() == 1);
  CHECK(x.matches(server.requests()[0]));
  CHECK(t->pending() == 0);
  CHECK_FALSE(t->next_wakeup().has_value());
}

TEST_CASE("keep-alive reuses one connection per form") {
  const auto& x = search_read();
  http_server server(x.replay());
  auto t = make_curl(loopback_options(server.url()));

  for (int i = 0; i < 20; ++i) {
    auto r = t->send(x.request());
    REQUIRE(r.has_value());
    CHECK(r.value().status == 200);
  }
  CHECK(server.request_count() == 20);
  CHECK(server.connections() == 1);

  // One request at a time through the multi handle: its pool keeps one connection too.
  for (int i = 0; i < 10; ++i) {
    outcomes out;
    t->submit(x.request(), out.slot(0));
    REQUIRE(drive(*t));
    REQUIRE(out.at(0).has_value());
  }
  CHECK(server.request_count() == 30);
  CHECK(server.connections() == 2);
}

TEST_CASE("HTTP statuses are responses and not errors") {
  http_server server([](const received_request& req) {
    if (req.target == "/missing") return text_reply(404, "nope");
    reply r = text_reply(500, "boom");
    r.headers.push_back({"Set-Cookie", "a=1"});
    r.headers.push_back({"Set-Cookie", "b=2"});
    return r;
  });
  auto t = make_curl(loopback_options(server.url()));
  auto a = t->send(post("/missing"));
  REQUIRE(a.has_value());
  CHECK(a.value().status == 404);
  CHECK(a.value().body == "nope");
  auto b = t->send(post("/fail"));
  REQUIRE(b.has_value());
  CHECK(b.value().status == 500);
  CHECK(b.value().body == "boom");
  int cookies = 0;
  for (const auto& h : b.value().headers)
    if (h.name == "Set-Cookie") ++cookies;
  CHECK(cookies == 2);
}

TEST_CASE("the base URL prefix is prepended to every target") {
  http_server server(always(text_reply(200, "ok")));
  auto t = make_curl(loopback_options(server.url() + "/odoo/"));
  REQUIRE(t->send(post("/jsonrpc")).has_value());
  http_request get;
  get.method = "GET";
  get.target = "/web/webclient/version_info?x=1";
  REQUIRE(t->send(get).has_value());
  const auto got = server.requests();
  REQUIRE(got.size() == 2);
  CHECK(got[0].target == "/odoo/jsonrpc");
  CHECK(got[1].target == "/odoo/web/webclient/version_info?x=1");
}

TEST_CASE("methods and request headers are sent exactly as given") {
  http_server server(always(text_reply(200, "ok")));
  auto t = make_curl(loopback_options(server.url()));

  http_request no_type;  // POST without a Content-Type: no form-urlencoded added
  no_type.target = "/raw";
  no_type.body = std::string(2 << 20, 'x');  // large enough for libcurl's Expect: 100-continue
  no_type.headers.push_back({"X-Empty", ""});
  REQUIRE(t->send(no_type).has_value());

  for (const char* method : {"GET", "HEAD", "DELETE", "PUT", "GET"}) {
    http_request r;
    r.method = method;
    r.target = "/m";
    if (std::string(method) == "PUT") r.body = "put-body";
    auto out = t->send(r);
    REQUIRE_MESSAGE(out.has_value(), odoolink::test::error_of(out).describe());
    CHECK(out.value().status == 200);
    CHECK(out.value().body == (std::string(method) == "HEAD" ? "" : "ok"));
  }
  const auto got = server.requests();
  REQUIRE(got.size() == 6);
  CHECK(got[0].method == "POST");
  CHECK(got[0].header("Content-Type").empty());
  CHECK(got[0].header("Expect").empty());
  CHECK(got[0].body.size() == (2U << 20U));
  CHECK(got[0].header("Content-Length") == std::to_string(2 << 20));
  bool has_empty = false;
  for (const auto& h : got[0].headers) has_empty = has_empty || (h.name == "X-Empty" && h.value.empty());
  CHECK(has_empty);
  CHECK(got[1].method == "GET");
  CHECK(got[1].body.empty());
  CHECK(got[2].method == "HEAD");
  CHECK(got[3].method == "DELETE");
  CHECK(got[4].method == "PUT");
  CHECK(got[4].body == "put-body");
  CHECK(got[5].method == "GET");  // nothing left over from PUT/HEAD
  CHECK(got[5].body.empty());
}

TEST_CASE("a server that never answers times out after the request was sent") {
  reply hang;
  hang.mode = reply_mode::hang;
  http_server server(always(hang));
  auto opts = loopback_options(server.url());
  opts.total_timeout = std::chrono::milliseconds(300);
  auto t = make_curl(opts);

  auto r = t->send(post());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == transport_errc::timeout);
  CHECK(may_have_reached_server(r.error().code()));
  const std::string msg = r.error().message();
  CHECK(contains(msg, "127.0.0.1:" + std::to_string(server.port())));
  CHECK(contains(msg, "may have been processed"));
  CHECK(contains(msg, "POST /jsonrpc"));

  outcomes out;
  t->submit(post(), out.slot(0));
  REQUIRE(drive(*t));
  REQUIRE_FALSE(out.at(0).has_value());
  CHECK(out.at(0).error() == transport_errc::timeout);
}

TEST_CASE("a request's own timeout shortens the transport's for that request only") {
  reply hang;
  hang.mode = reply_mode::hang;
  reply fine = text_reply(200, "ok");
  fine.delay = std::chrono::milliseconds(400);
  http_server server([&](const received_request& req) { return req.target == "/hang" ? hang : fine; });
  auto opts = loopback_options(server.url());
  opts.total_timeout = std::chrono::milliseconds(5000);
  auto t = make_curl(opts);

  auto short_one = post("/hang");
  short_one.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  auto r = t->send(short_one);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == transport_errc::timeout);
  CHECK(contains(r.error().message(), "within 300 ms"));
  CHECK(took < std::chrono::milliseconds(2000));
  // The next request on the same handle has the transport's limit again.
  auto slow = t->send(post("/slow"));
  REQUIRE_MESSAGE(slow.has_value(), odoolink::test::error_of(slow).describe());
  CHECK(slow.value().body == "ok");
}

TEST_CASE("a request's own timeout lengthens the transport's for that request only") {
  reply slow = text_reply(200, "late");
  slow.delay = std::chrono::milliseconds(700);
  http_server server(always(slow));
  auto opts = loopback_options(server.url());
  opts.total_timeout = std::chrono::milliseconds(250);
  auto t = make_curl(opts);

  auto r = t->send(post());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == transport_errc::timeout);
  CHECK(contains(r.error().message(), "within 250 ms"));
  auto patient = post();
  patient.timeout = std::chrono::milliseconds(5000);
  auto ok = t->send(patient);
  REQUIRE_MESSAGE(ok.has_value(), odoolink::test::error_of(ok).describe());
  CHECK(ok.value().body == "late");
  // The host-driven form honours it too.
  outcomes out;
  t->submit(patient, out.slot(0));
  REQUIRE(drive(*t));
  const auto& late = out.at(0);
  REQUIRE_MESSAGE(late.has_value(), odoolink::test::error_of(late).describe());
  CHECK(late.value().body == "late");
}

TEST_CASE("a closed port is connect_failed and nothing was sent") {
  auto t = make_curl(loopback_options("http://127.0.0.1:" + std::to_string(closed_port())));
  auto r = t->send(post());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == transport_errc::connect_failed);
  CHECK_FALSE(may_have_reached_server(r.error().code()));
  CHECK(contains(r.error().message(), "was not sent"));

  outcomes out;
  t->submit(post(), out.slot(0));
  REQUIRE(drive(*t));
  REQUIRE_FALSE(out.at(0).has_value());
  CHECK(out.at(0).error() == transport_errc::connect_failed);
}

TEST_CASE("a connect timeout is connect_failed and not timeout: nothing was sent") {
  // A listener whose accept queue is full drops further SYNs, so connects hang.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 0) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    (void)::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(c);
  }
  auto opts = loopback_options("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  opts.connect_timeout = std::chrono::milliseconds(300);
  auto r = make_curl(opts)->send(post());
  for (int c : fillers) ::close(c);
  ::close(fd);
  REQUIRE_FALSE(r.has_value());
  INFO(r.error().describe());
  CHECK(r.error() == transport_errc::connect_failed);
  CHECK_FALSE(may_have_reached_server(r.error().code()));
  CHECK(contains(r.error().message(), "timed out connecting"));
}

TEST_CASE("an unresolvable host (.invalid) is dns_failed") {
  auto opts = loopback_options("http://odoolink-test.invalid:8069");
  opts.connect_timeout = std::chrono::milliseconds(2000);  // bounds a resolver that hangs
  auto t = make_curl(opts);
  auto r = t->send(post());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == transport_errc::dns_failed);
  CHECK_FALSE(may_have_reached_server(r.error().code()));
  CHECK(contains(r.error().message(), "odoolink-test.invalid:8069"));
}

TEST_CASE("a server that closes mid-response is connection_lost") {
  reply half = text_reply(200, std::string(10000, 'a'));
  half.mode = reply_mode::close_mid_body;
  reply none;
  none.mode = reply_mode::close_without_reply;
  http_server server([&](const received_request& req) { return req.target == "/half" ? half : none; });
  auto t = make_curl(loopback_options(server.url()));

  auto a = t->send(post("/half"));
  REQUIRE_FALSE(a.has_value());
  CHECK(a.error() == transport_errc::connection_lost);
  CHECK(may_have_reached_server(a.error().code()));

  auto t2 = make_curl(loopback_options(server.url()));
  auto b = t2->send(post("/none"));
  REQUIRE_FALSE(b.has_value());
  CHECK(b.error() == transport_errc::connection_lost);

  outcomes out;
  t2->submit(post("/half"), out.slot(0));
  REQUIRE(drive(*t2));
  REQUIRE_FALSE(out.at(0).has_value());
  CHECK(out.at(0).error() == transport_errc::connection_lost);
}

// libcurl sends a request again, on a new connection, when a kept-alive one
// closes without answering. The server may have applied the first copy, so a
// request that is not idempotent must end there instead.
TEST_CASE("a kept-alive connection closed without an answer: libcurl resends only idempotent requests") {
  reply none;
  none.mode = reply_mode::close_without_reply;
  std::atomic<int> seen_once{0};
  std::atomic<int> seen_twice{0};
  http_server server([&](const received_request& req) {
    // The first of each kind is dropped: it arrives on the kept-alive connection.
    if (req.target == "/once") return seen_once++ == 0 ? none : text_reply(200, "applied again");
    if (req.target == "/twice") return seen_twice++ == 0 ? none : text_reply(200, "read");
    return text_reply(200, "warm");
  });
  for (const bool host_driven : {false, true}) {
    CAPTURE(host_driven);
    seen_once = 0;
    seen_twice = 0;
    auto t = make_curl(loopback_options(server.url()));
    auto send = [&](const http_request& r) -> odoolink::result<odoolink::http_response> {
      if (!host_driven) return t->send(r);
      outcomes out;
      t->submit(r, out.slot(0));
      REQUIRE(drive(*t));
      return out.at(0);
    };
    const std::size_t before = server.connections();
    REQUIRE(send(post("/warm")).has_value());  // opens the connection the next request reuses

    auto create = send(post("/once", R"({"method": "create"})", false));
    REQUIRE_FALSE(create.has_value());
    INFO(create.error().describe());
    CHECK(create.error() == transport_errc::connection_lost);
    CHECK(may_have_reached_server(create.error().code()));
    CHECK(seen_once == 1);  // never a second copy

    REQUIRE(send(post("/warm")).has_value());
    auto read = send(post("/twice", R"({"method": "read"})", true));
    REQUIRE_MESSAGE(read.has_value(), odoolink::test::error_of(read).describe());
    CHECK(read.value().body == "read");
    CHECK(seen_twice == 2);  // libcurl's own resend, harmless for a read
    CHECK(server.connections() - before >= 3);
  }
}

TEST_CASE("a response over max_response_bytes is response_too_large") {
  reply sized = text_reply(200, std::string(200000, 'z'));
  reply chunked = sized;
  chunked.mode = reply_mode::chunked;
  reply unbounded = sized;
  unbounded.mode = reply_mode::close_delimited;
  http_server server([&](const received_request& req) {
    if (req.target == "/chunked") return chunked;
    if (req.target == "/unbounded") return unbounded;
    return sized;
  });
  auto opts = loopback_options(server.url());
  opts.max_response_bytes = 100000;
  auto t = make_curl(opts);

  for (const char* target : {"/sized", "/chunked", "/unbounded"}) {
    CAPTURE(target);
    auto r = t->send(post(target));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == transport_errc::response_too_large);
    CHECK(contains(r.error().message(), "100000"));
    outcomes out;
    t->submit(post(target), out.slot(0));
    REQUIRE(drive(*t));
    REQUIRE_FALSE(out.at(0).has_value());
    CHECK(out.at(0).error() == transport_errc::response_too_large);
  }

  reply many_headers = text_reply(200, "small");
  for (int i = 0; i < 1200; ++i) many_headers.headers.push_back({"X-Filler-" + std::to_string(i), std::string(1000, 'h')});
  http_server header_server(always(many_headers));
  auto h = make_curl(loopback_options(header_server.url()))->send(post());
  REQUIRE_FALSE(h.has_value());
  INFO(h.error().describe());
  CHECK(h.error() == transport_errc::response_too_large);
  CHECK(contains(h.error().message(), "headers"));

  opts.max_response_bytes = 200000;  // exactly the body: accepted
  auto exact = make_curl(opts);
  auto ok = exact->send(post("/chunked"));
  REQUIRE(ok.has_value());
  CHECK(ok.value().body.size() == 200000);
}

TEST_CASE("gzip bodies are accepted and decoded") {
  const std::string body = search_read().response_body;
  http_server server([&](const received_request& req) {
    reply r = text_reply(200, body);
    if (contains(std::string(req.header("Accept-Encoding")), "gzip")) {
      r.body = gzip_stored(body);
      r.headers.push_back({"Content-Encoding", "gzip"});
    }
    return r;
  });
  auto t = make_curl(loopback_options(server.url()));
  auto r = t->send(post());
  REQUIRE(r.has_value());
  CHECK(r.value().header("Content-Encoding") == "gzip");
  CHECK(r.value().body == body);
  CHECK(contains(std::string(server.requests().at(0).header("Accept-Encoding")), "gzip"));

  // Many stored blocks (over 64 KiB).
  const std::string big(300000, 'q');
  http_server big_server([&](const received_request&) {
    reply r = text_reply(200, gzip_stored(big));
    r.headers.push_back({"Content-Encoding", "gzip"});
    return r;
  });
  auto t2 = make_curl(loopback_options(big_server.url()));
  auto r2 = t2->send(post());
  REQUIRE(r2.has_value());
  CHECK(r2.value().body == big);
}

TEST_CASE("the proxy option sends requests through the proxy") {
  http_server proxy(always(text_reply(200, "from proxy")));
  auto opts = loopback_options("http://odoo-behind-proxy.invalid:8069");  // unresolvable unless proxied
  opts.proxy = proxy.url();
  auto t = make_curl(opts);
  auto r = t->send(post("/jsonrpc"));
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(r.value().body == "from proxy");
  const auto got = proxy.requests();
  REQUIRE(got.size() == 1);
  CHECK(got[0].method == "POST");
  CHECK(got[0].target == "http://odoo-behind-proxy.invalid:8069/jsonrpc");
  CHECK(got[0].header("Host") == "odoo-behind-proxy.invalid:8069");

  // no_proxy bypasses it: the name then fails to resolve.
  opts.no_proxy = "odoo-behind-proxy.invalid";
  auto direct = make_curl(opts);
  auto d = direct->send(post());
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error() == transport_errc::dns_failed);
  CHECK(proxy.request_count() == 1);
}

TEST_CASE("http_proxy from the environment is used unless disabled") {
  http_server proxy(always(text_reply(200, "env proxy")));
  http_server origin(always(text_reply(200, "direct")));
  const char* saved = std::getenv("http_proxy");
  const std::string saved_value = saved != nullptr ? saved : "";
  ::setenv("http_proxy", proxy.url().c_str(), 1);
  ::unsetenv("no_proxy");
  ::unsetenv("NO_PROXY");

  auto opts = loopback_options(origin.url());
  opts.proxy_from_environment = true;
  auto via_env = make_curl(opts);
  auto a = via_env->send(post());
  opts.proxy_from_environment = false;
  auto ignoring = make_curl(opts);
  auto b = ignoring->send(post());

  if (saved != nullptr) {
    ::setenv("http_proxy", saved_value.c_str(), 1);
  } else {
    ::unsetenv("http_proxy");
  }
  REQUIRE(a.has_value());
  CHECK(a.value().body == "env proxy");
  REQUIRE(proxy.request_count() == 1);
  CHECK(proxy.requests()[0].target == origin.url() + "/jsonrpc");
  REQUIRE(b.has_value());
  CHECK(b.value().body == "direct");
}

TEST_CASE("error messages never contain header values or bodies") {
  reply hang;
  hang.mode = reply_mode::hang;
  reply half = text_reply(200, std::string(1000, 'a'));
  half.mode = reply_mode::close_mid_body;
  http_server server([&](const received_request& req) { return req.target.rfind("/hang", 0) == 0 ? hang : half; });
  auto opts = loopback_options(server.url());
  opts.total_timeout = std::chrono::milliseconds(300);
  auto t = make_curl(opts);
  auto refused = make_curl(loopback_options("http://127.0.0.1:" + std::to_string(closed_port())));

  auto secret_request = [](std::string target) {
    http_request r = post(std::move(target) + "?api_key=QUERY-SECRET", R"({"password":"BODY-SECRET"})");
    r.headers.push_back({"Authorization", "Bearer HEADER-SECRET"});
    r.headers.push_back({"Cookie", "session_id=COOKIE-SECRET"});
    return r;
  };
  std::vector<odoolink::error> errors;
  for (auto* tr : {t.get(), refused.get()})
    for (const char* target : {"/hang", "/half"}) {
      auto r = tr->send(secret_request(target));
      REQUIRE_FALSE(r.has_value());
      errors.push_back(r.error());
    }
  for (const auto& e : errors) {
    const std::string text = e.describe();
    CAPTURE(text);
    CHECK_FALSE(contains(text, "SECRET"));
    CHECK(contains(text, ":"));
  }
  CHECK(errors[0] == transport_errc::timeout);
  CHECK(errors[1] == transport_errc::connection_lost);
  CHECK(errors[2] == transport_errc::connect_failed);
}

TEST_CASE("malformed requests fail with invalid_request before anything is sent") {
  http_server server(always(text_reply(200, "ok")));
  auto opts = loopback_options(server.url());
  opts.max_request_bytes = 10;
  auto t = make_curl(opts);

  std::vector<http_request> bad;
  bad.push_back(post("jsonrpc", "{}"));                 // not relative to the base
  bad.push_back(post("/json rpc", "{}"));               // unencoded space
  bad.push_back(post("/jsonrpc", "01234567890123"));    // over max_request_bytes
  bad.push_back(post("/jsonrpc", "{}"));
  bad.back().headers.push_back({"X-Injected", "a\r\nEvil: yes"});
  bad.push_back(post("/jsonrpc", "{}"));
  bad.back().method = "PO ST";
  bad.push_back(post("/jsonrpc", "{}"));
  bad.back().headers.push_back({"Content-Length", "2"});

  outcomes out;
  for (std::size_t i = 0; i < bad.size(); ++i) {
    CAPTURE(i);
    auto r = t->send(bad[i]);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == transport_errc::invalid_request);
    CHECK_FALSE(contains(r.error().message(), "Evil"));
    t->submit(bad[i], out.slot(i));
  }
  CHECK(out.completed == 0);  // even validation failures arrive through poll()
  CHECK(t->next_wakeup() == std::chrono::milliseconds(0));
  auto n = t->poll(std::chrono::milliseconds(0));
  REQUIRE(n.has_value());
  CHECK(n.value() == bad.size());
  for (std::size_t i = 0; i < bad.size(); ++i) CHECK(out.at(i).error() == transport_errc::invalid_request);
  CHECK(server.request_count() == 0);
}

TEST_CASE("invalid base URLs are refused by create()") {
  for (const char* url : {"", "ftp://127.0.0.1", "http://", "http://user:pw@127.0.0.1", "http://127.0.0.1/?q=1",
                          "not a url"}) {
    CAPTURE(url);
    auto t = odoolink::transport::curl_transport::create(loopback_options(url));
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error() == transport_errc::invalid_request);
  }
  auto ok = odoolink::transport::curl_transport::create(loopback_options("https://odoo.example.com/"));
  REQUIRE(ok.has_value());
  CHECK(ok.value()->authority() == "odoo.example.com:443");
}

TEST_CASE("many requests in flight on one thread complete concurrently") {
  const auto& x = search_read();
  http_server server([&](const received_request& req) {
    reply r = x.recorded_reply();
    r.delay = std::chrono::milliseconds(100);
    r.headers.push_back({"X-Target", req.target});
    return r;
  });
  auto t = make_curl(loopback_options(server.url()));
  constexpr std::size_t n = 48;
  outcomes out;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) t->submit(post("/r" + std::to_string(i)), out.slot(i));
  CHECK(t->pending() == n);
  REQUIRE(drive(*t));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(out.completed == n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = out.at(i);
    REQUIRE(r.has_value());
    CHECK(r.value().header("X-Target") == "/r" + std::to_string(i));  // each completion got its own response
    CHECK(r.value().body == x.response_body);
  }
  CHECK(server.request_count() == n);
  CHECK(elapsed < std::chrono::milliseconds(n * 100 / 4));  // not one after another
}

TEST_CASE("cancel ends a request in flight with cancelled inside the next poll") {
  reply hang;
  hang.mode = reply_mode::hang;
  http_server server(always(hang));
  auto t = make_curl(loopback_options(server.url()));
  outcomes out;
  const auto id = t->submit(post(), out.slot(0));
  const auto other = t->submit(post(), out.slot(1));
  // Long enough to connect and send both (longer under an emulator): the
  // cancelled one must report that it had been sent.
  (void)t->poll(odoolink::test::scaled(std::chrono::milliseconds(100)));
  CHECK(out.completed == 0);
  CHECK(t->cancel(id));
  CHECK_FALSE(t->cancel(id));
  CHECK_FALSE(t->cancel(9999));
  CHECK(out.completed == 0);
  auto n = t->poll(std::chrono::milliseconds(0));
  REQUIRE(n.has_value());
  CHECK(n.value() == 1);
  REQUIRE_FALSE(out.at(0).has_value());
  CHECK(out.at(0).error() == transport_errc::cancelled);
  CHECK(contains(out.at(0).error().message(), "may have been processed"));  // it had been sent
  CHECK(t->pending() == 1);
  CHECK(t->cancel(other));
  REQUIRE(drive(*t));
  CHECK(out.completed == 2);
}

TEST_CASE("a completion may submit more work to the same transport") {
  http_server server(always(text_reply(200, "ok")));
  auto t = make_curl(loopback_options(server.url()));
  int done = 0;
  std::function<void(odoolink::result<odoolink::http_response>)> chain;
  chain = [&](odoolink::result<odoolink::http_response> r) {
    REQUIRE(r.has_value());
    if (++done < 5) t->submit(post(), chain);
  };
  t->submit(post(), chain);
  REQUIRE(drive(*t));
  CHECK(done == 5);
  CHECK(server.request_count() == 5);
}

TEST_CASE("poll waits at most its timeout when idle") {
  http_server server(always(text_reply(200, "ok")));
  auto t = make_curl(loopback_options(server.url()));
  const auto start = std::chrono::steady_clock::now();
  auto n = t->poll(std::chrono::milliseconds(50));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(n.has_value());
  CHECK(n.value() == 0);
  CHECK(elapsed < std::chrono::milliseconds(1000));
}
