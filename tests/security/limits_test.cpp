// Limits that hold while downloading: the response size limit reaches the
// default transport (an over-limit body is aborted, not read whole), TLS
// settings reach it too, and `connect` has one deadline for all it does.

#include <doctest/doctest.h>

#include "support/error_of.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <cstring>
#include <string>

#include "odoolink/client/client.hpp"
#include "security/support/odoo_double.hpp"
#include "support/time_scale.hpp"
#include "transport/support/test_pki.hpp"

using namespace odoolink;
using namespace odoolink_test;
using namespace std::chrono_literals;

namespace {

long max_rss_kib() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Resident set now (KiB), from /proc: the baseline a peak is compared with.
long rss_now_kib() {
  long pages = 0;
  long resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

struct child_report {
  int code = 0;          // the error code's value, 0 for success
  bool too_large = false;
  long baseline_kib = 0;  // resident set when the child started
  long peak_kib = 0;      // ru_maxrss when it was done
};

const protocol_case json2_case{"json2", client::protocol_kind::json2, true};

#if defined(__SANITIZE_ADDRESS__)
constexpr bool under_address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool under_address_sanitizer = true;
#else
constexpr bool under_address_sanitizer = false;
#endif
#else
constexpr bool under_address_sanitizer = false;
#endif

// One call with the limit; what it refused and the process's peak.
child_report call_once(const client::client_options& options) {
  child_report r;
  r.baseline_kib = std::max(rss_now_kib(), 1L);
  auto c = client::client::connect(options);
  if (c) {
    auto answer_of = c.value().execute_kw("res.partner", "search_read", json::array{json::array{}});
    r.code = answer_of ? 0 : answer_of.error().code().value();
    r.too_large = !answer_of && answer_of.error() == transport_errc::response_too_large;
  } else {
    r.code = -1;
  }
  r.peak_kib = max_rss_kib();
  return r;
}

// Runs a client against `server` in a child process, so that its peak
// resident set measures only what it did.
child_report call_in_child(const odoo_double& server, std::size_t limit) {
  auto options = server.options(json2_case);
  options.limits.max_bytes = limit;
  options.timeout = 30s;
  // Under AddressSanitizer the peak is not checked, and fork() beside the
  // server's thread can deadlock in the sanitizer's allocator: call in process.
  if (under_address_sanitizer) return call_once(options);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
#if defined(__GLIBC__)
    // A fixed mmap threshold: glibc otherwise raises it after large frees
    // (the test process made some before the fork), keeping freed blocks
    // resident, and the peak would measure the heap's history, not the call.
    ::mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    const child_report r = call_once(options);
    (void)!::write(fds[1], &r, sizeof r);
    ::_exit(0);
  }
  ::close(fds[1]);
  child_report r;
  const auto got = ::read(fds[0], &r, sizeof r);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(got == static_cast<long>(sizeof r));
  return r;
}

}  // namespace

TEST_CASE("a 64 MiB response with a 16 MiB limit is refused while downloading with a bounded peak") {
  constexpr std::size_t mib = std::size_t{1} << 20U;
  for (const bool announced : {true, false}) {
    // Announced: a Content-Length libcurl can refuse before reading. Not
    // announced (chunked): the body is cut when it passes the limit. The
    // answer is built by the server's thread when asked, after the fork:
    // the child never holds it.
    odoo_double server([announced](const received_request&) {
      reply r = answer(200, "application/json", "[\"" + std::string(64 * mib - 4, 'x') + "\"]");
      if (!announced) r.mode = reply_mode::chunked;
      return r;
    });
    const child_report r = call_in_child(server, 16 * mib);
    const std::string form = announced ? "Content-Length" : "chunked";
    CAPTURE(form);
    CHECK(r.too_large);
    // The growth over the child's resident set at its start: what the call
    // cost, whatever the test binary itself occupies.
    const long grown_kib = r.peak_kib - r.baseline_kib;
    MESSAGE("64 MiB answer (" << form << "), 16 MiB limit: response_too_large = "
            << r.too_large << "; child peak RSS " << r.peak_kib / 1024 << " MB, baseline " << r.baseline_kib / 1024
            << " MB, grown by " << grown_kib / 1024 << " MB");
    // AddressSanitizer keeps freed blocks in quarantine and adds red zones:
    // its resident set says nothing about the library's own peak.
    // Announced, the body is refused before it is read; chunked, it is cut
    // when it passes the limit (its buffer doubles up to it: 8 + 16 MiB at
    // the last step). Reading the whole 64 MiB would cost more than 64 MB.
    if (!under_address_sanitizer) CHECK(grown_kib < 32 * 1024);
  }
}

TEST_CASE("connect against a server that never answers returns within its deadline") {
  odoo_double server([](const received_request&) { return answer(500, "text/plain", "unused"); },
                     server_options{.silent = true});
  auto options = server.options(json2_case);
  // Scaled under an emulator; the bound below follows it.
  options.timeout = odoolink::test::scaled(1500ms);
  const auto start = std::chrono::steady_clock::now();
  auto c = client::client::connect(options);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  MESSAGE("silent server: connect gave up after " << took.count() << " ms (deadline " << options.timeout.count() << " ms)");
  REQUIRE_FALSE(c.has_value());
  CHECK(c.error() == transport_errc::timeout);
  CHECK(took <= options.timeout * 11 / 10);
}

TEST_CASE("connect keeps one deadline over probes that each fail slowly and its login") {
  // Every probe waits 500 ms and then closes without an answer: without a
  // shared deadline the three probes alone take 1.5 s. The delay, the
  // deadline and its bound scale together under an emulator.
  http_server slow([](const received_request&) {
    reply r;
    r.delay = odoolink::test::scaled(500ms);
    r.mode = reply_mode::close_without_reply;
    return r;
  });
  client::client_options options;
  options.url = slow.url();
  options.database = "odoolink";
  options.login = "admin";
  options.password = test_password;
  options.timeout = odoolink::test::scaled(1200ms);
  const auto start = std::chrono::steady_clock::now();
  auto c = client::client::connect(options);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  MESSAGE("slow failing probes: connect gave up after " << took.count() << " ms (deadline " << options.timeout.count()
                                                        << " ms), " << slow.request_count() << " requests");
  REQUIRE_FALSE(c.has_value());
  CHECK(took <= options.timeout * 11 / 10);
  CHECK(slow.request_count() >= 2);  // the probes after the first did run, within what was left
}

TEST_CASE("client_options carries TLS settings to the default transport") {
  const auto& pki = test_pki::get();
  odoo_double server([](const received_request&) { return answer(200, "application/json", "[]"); },
                     server_options{.tls = test_pki::server_context(pki.leaf)});
  auto options = server.options(json2_case);
  // A certificate from a CA the system does not know: refused by default.
  auto refused = client::client::connect(options);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == transport_errc::certificate_invalid);
  // Trusted through the CA given in the options.
  options.tls.ca_pem = pki.ca_pem;
  auto trusted = client::client::connect(options);
  REQUIRE_MESSAGE(trusted.has_value(), odoolink::test::error_of(trusted).describe());
  // A pin of another key is refused even with the CA trusted.
  options.tls.pinned_public_key = pin_of(pki.self_signed.key.get());
  auto pinned = client::client::connect(options);
  REQUIRE_FALSE(pinned.has_value());
  CHECK(pinned.error() == transport_errc::certificate_invalid);
  options.tls.pinned_public_key = pin_of(pki.leaf.key.get());
  CHECK(client::client::connect(options).has_value());
}
