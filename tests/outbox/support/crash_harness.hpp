#pragma once
// Parent side of the crash-consistency tests, shared by every store: start
// `odoolink_outbox_crash_child` in run mode and SIGKILL it at random points,
// drain, then check that every acknowledged enqueue is stored exactly once
// and reached exactly one record in the sink (see tests/outbox/crash/).
//
//   crash_setup setup{child, "sqlite:" + db, dir.file("sink.db"), dir.file("ack.txt")};
//   auto report = kill_repeatedly(setup, crash_iterations(200), seed);
//   REQUIRE(drain(setup));
//   check_consistency(*store, setup);   // store: open_test_store(setup.store_spec)
//
// Another store only changes the spec (e.g. `postgres.<fresh schema>:<conninfo>`);
// the sink and the ack file stay local files.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "odoolink/outbox/audit.hpp"
#include "odoolink/outbox/store.hpp"
#include "outbox/crash/record_sink.hpp"
#include "support/time_scale.hpp"

namespace odoolink::test::crash {

using namespace std::chrono_literals;

/// A fresh directory under the test build tree, removed with the object.
class scratch_dir {
 public:
  explicit scratch_dir(const std::string& prefix) {
    std::random_device rd;
    path_ = std::filesystem::path(ODOOLINK_TEST_BINARY_DIR) /
            (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// `ODOOLINK_CRASH_ITERATIONS` when set (soak runs), else `fallback`.
[[nodiscard]] inline int crash_iterations(int fallback) {
  const char* env = std::getenv("ODOOLINK_CRASH_ITERATIONS");
  if (env == nullptr || *env == '\0') return fallback;
  char* end = nullptr;
  const long n = std::strtol(env, &end, 10);
  return *end == '\0' && n > 0 && n < 10'000'000 ? static_cast<int>(n) : fallback;
}

/// What the child is told to use.
struct crash_setup {
  std::string child;       ///< the child executable
  std::string store_spec;  ///< see outbox/support/open_store.hpp
  std::string sink;        ///< record sink file
  std::string ack;         ///< acknowledged keys, one a line
};

/// How a child ended.
struct child_end {
  bool killed = false;  ///< by our SIGKILL
  int exit_code = -1;   ///< when it exited by itself
  bool ready = false;   ///< it printed "ready" before it ended
};

namespace detail {

inline std::vector<std::string> child_args(const crash_setup& s, const char* mode) {
  return {s.child, "--store", s.store_spec, "--sink", s.sink, "--ack", s.ack, "--mode", mode};
}

enum class read_end { met, closed, timed_out };

// Reads `fd` until `until` holds for what was read, the writer closes it, or `timeout` passes.
template <class Predicate>
read_end read_until(int fd, std::chrono::milliseconds timeout, Predicate until) {
  using std::chrono::duration_cast, std::chrono::milliseconds, std::chrono::steady_clock;
  const auto deadline = steady_clock::now() + timeout;
  std::string seen;
  while (!until(seen)) {
    const auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
    if (left <= 0ms) return read_end::timed_out;
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return read_end::timed_out;
    char buf[256];
    const ssize_t got = n < 0 ? -1 : ::read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return read_end::closed;
    seen.append(buf, static_cast<std::size_t>(got));
  }
  return read_end::met;
}

// Waits up to `timeout` for the child's "ready" line.
inline bool wait_ready(int fd, std::chrono::milliseconds timeout) {
  const auto ready = [](const std::string& seen) { return seen.find("ready\n") != std::string::npos; };
  return read_until(fd, timeout, ready) == read_end::met;
}

// Waits up to `timeout` for the child to close its output (it exited).
inline bool wait_exit(int fd, std::chrono::milliseconds timeout) {
  return read_until(fd, timeout, [](const std::string&) { return false; }) == read_end::closed;
}

// Starts `args` with its stdout on a pipe (returned in `out_fd`); -1 when fork fails.
inline pid_t spawn(const std::vector<std::string>& args, int& out_fd) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);  // the child keeps only its stdout copy
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::dup2(fds[1], STDOUT_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    return -1;
  }
  out_fd = fds[0];
  return pid;
}

inline child_end reap(pid_t pid, bool killed_by_us) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  child_end end;
  if (WIFSIGNALED(status)) end.killed = killed_by_us && WTERMSIG(status) == SIGKILL;
  if (WIFEXITED(status)) end.exit_code = WEXITSTATUS(status);
  return end;
}

}  // namespace detail

/// Runs the child in run mode and SIGKILLs it `delay` after it said ready
/// (or, with `wait_for_ready` false, `delay` after it started: a kill while
/// it opens the store).
inline child_end run_and_kill(const crash_setup& setup, std::chrono::microseconds delay, bool wait_for_ready) {
  int out = -1;
  const pid_t pid = detail::spawn(detail::child_args(setup, "run"), out);
  if (pid < 0) return {};
  child_end end;
  end.ready = !wait_for_ready || detail::wait_ready(out, 20s);
  if (end.ready) std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  const bool ready = end.ready;
  end = detail::reap(pid, true);
  end.ready = ready;
  ::close(out);
  return end;
}

/// Runs the child in drain mode to its end (killed after `timeout`); true
/// when it drained the store.
[[nodiscard]] inline bool drain(const crash_setup& setup, std::chrono::milliseconds timeout = 120s) {
  int out = -1;
  const pid_t pid = detail::spawn(detail::child_args(setup, "drain"), out);
  if (pid < 0) return false;
  if (!detail::wait_exit(out, timeout)) ::kill(pid, SIGKILL);
  ::close(out);
  return detail::reap(pid, false).exit_code == 0;
}

/// What `kill_repeatedly` did.
struct kill_report {
  int iterations = 0;
  int kills = 0;               ///< children that ended by our SIGKILL
  int kills_while_opening = 0; ///< of them, killed without waiting for ready (mostly while opening)
  std::chrono::milliseconds took{};
};

/// `iterations` runs of the child, each killed at a random point: usually
/// 1-40 ms into its work, sometimes while it opens the store (scaled by
/// `test::time_scale()`, support/time_scale.hpp). Fails the current test
/// when a child ends any other way.
inline kill_report kill_repeatedly(const crash_setup& setup, int iterations, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  kill_report report;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    const bool while_opening = rng() % 8 == 0;
    const auto delay = scaled(while_opening ? std::chrono::microseconds(rng() % 3000)
                                            : std::chrono::microseconds(1000 + rng() % 39'000));
    const child_end end = run_and_kill(setup, delay, !while_opening);
    ++report.iterations;
    if (end.killed) {
      ++report.kills;
      if (while_opening) ++report.kills_while_opening;
    }
    if (!end.killed || !end.ready) {
      FAIL_CHECK("crash child run " << i << " did not run until killed (exit code " << end.exit_code
                                    << (end.ready ? "" : ", never ready") << ")");
      break;
    }
  }
  report.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return report;
}

/// Complete lines of the ack file; a last line torn by a kill is ignored.
[[nodiscard]] inline std::vector<std::string> read_acked_keys(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> keys;
  std::size_t begin = 0;
  for (std::size_t nl = content.find('\n'); nl != std::string::npos; nl = content.find('\n', begin)) {
    keys.push_back(content.substr(begin, nl - begin));
    begin = nl + 1;
  }
  return keys;
}

/// What `check_consistency` counted.
struct consistency_report {
  std::size_t acked = 0, stored = 0, records = 0, redeliveries = 0, audit_rows = 0;
};

/// After a drain: every acknowledged key is stored once, every stored event
/// is delivered with one `delivered` audit row and has exactly one sink
/// record (and the sink nothing else), records of one aggregate were first
/// created in sequence order, and the audit chain verifies.
inline consistency_report check_consistency(outbox::store& store, const crash_setup& setup) {
  consistency_report report;
  const auto acked = read_acked_keys(setup.ack);
  report.acked = acked.size();
  const std::set<std::string> distinct_acked(acked.begin(), acked.end());
  CHECK_MESSAGE(distinct_acked.size() == acked.size(), "a key was acknowledged twice");

  std::vector<outbox::event> events;
  for (std::int64_t after = 0;;) {
    auto page = store.list({.after_sequence = after, .limit = 1000});
    if (!page) FAIL(page.error().describe());
    if (page.value().empty()) break;
    after = page.value().back().sequence;
    for (auto& e : page.value()) events.push_back(std::move(e));
  }
  report.stored = events.size();
  std::map<std::string, const outbox::event*> by_key;
  for (const auto& e : events) {
    CHECK_MESSAGE(by_key.emplace(e.idempotency_key, &e).second, "key " << e.idempotency_key << " is stored twice");
    CHECK_MESSAGE(e.state == outbox::event_state::delivered,
                  "event " << e.idempotency_key << " is " << outbox::to_string(e.state));
    CHECK(e.result.external_id == external_id_for(e.idempotency_key));
  }
  for (const auto& key : acked) {
    auto found = store.find_by_key(key);
    REQUIRE(found.has_value());
    CHECK_MESSAGE(found.value().has_value(), "acknowledged key " << key << " is lost");
    CHECK_MESSAGE(by_key.contains(key), "acknowledged key " << key << " is not listed");
  }

  auto records = read_records(setup.sink);
  if (!records) FAIL(records.error().describe());
  report.records = records.value().size();
  CHECK(records.value().size() == events.size());
  std::map<std::string, std::int64_t> last_order;  // by aggregate
  for (const auto& e : events) {
    auto it = records.value().find(external_id_for(e.idempotency_key));
    if (it == records.value().end()) {
      FAIL_CHECK("event " << e.idempotency_key << " has no record in the sink");
      continue;
    }
    const record& r = it->second;
    CHECK(r.payload == e.payload);
    CHECK(r.deliveries >= 1);
    CHECK(e.result.record_id == r.order);
    report.redeliveries += static_cast<std::size_t>(r.deliveries - 1);
    if (!e.aggregate_key.empty()) {
      auto [last, first] = last_order.try_emplace(e.aggregate_key, r.order);
      CHECK_MESSAGE((first || last->second < r.order),
                    "aggregate " << e.aggregate_key << " was delivered out of order at " << e.idempotency_key);
      last->second = r.order;
    }
  }
  for (const auto& entry : records.value()) {
    const std::string& external_id = entry.first;
    const bool ours = external_id.starts_with(external_id_prefix) &&
                      by_key.contains(external_id.substr(external_id_prefix.size()));
    CHECK_MESSAGE(ours, "the sink has a record no event produced: " << external_id);
  }

  std::map<std::string, int> enqueued, delivered;
  std::string prev(outbox::genesis_hash());
  for (std::int64_t after = 0;;) {
    auto rows = store.audit(after, 1000);
    if (!rows) FAIL(rows.error().describe());
    if (rows.value().empty()) break;
    auto verdict = outbox::verify_audit_chain(rows.value(), prev);
    if (!verdict) FAIL(verdict.error().describe());
    for (const auto& row : rows.value()) {
      if (row.action == outbox::audit_action::enqueued) ++enqueued[row.event_id];
      if (row.action == outbox::audit_action::delivered) ++delivered[row.event_id];
    }
    report.audit_rows += rows.value().size();
    after = rows.value().back().sequence;
    prev = rows.value().back().hash;
  }
  // Every enqueued row belongs to a stored event (nothing was purged), once each.
  CHECK(enqueued.size() == events.size());
  for (const auto& e : events) {
    const int in = enqueued.contains(e.id) ? enqueued.at(e.id) : 0;
    const int out = delivered.contains(e.id) ? delivered.at(e.id) : 0;
    CHECK_MESSAGE(in == 1, "event " << e.idempotency_key << " has " << in << " enqueued rows");
    CHECK_MESSAGE(out == 1, "event " << e.idempotency_key << " has " << out << " delivered rows");
  }
  return report;
}

}  // namespace odoolink::test::crash
