#pragma once
// A loopback HTTP/1.1 server for transport tests and benchmarks: POSIX
// sockets on 127.0.0.1 with an ephemeral port, one thread per connection,
// keep-alive, optional TLS (OpenSSL), and scripted misbehaviour (hang,
// close mid-body, no reply, chunked, close-delimited bodies).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "odoolink/http.hpp"

namespace odoolink_test {

/// A request as the server received it.
struct received_request {
  std::string method;
  std::string target;
  std::string version;
  std::vector<odoolink::http_header> headers;
  std::string body;
  std::size_t connection = 0;  // 1-based index of the accepted connection

  [[nodiscard]] std::string_view header(std::string_view name) const { return odoolink::find_header(headers, name); }
};

/// How the server answers.
enum class reply_mode {
  normal,               // status line, headers, Content-Length, body
  hang,                 // read the request, never answer (until the server stops)
  close_mid_body,       // announce the full length, send half the body, close
  close_without_reply,  // read the request, close
  chunked,              // Transfer-Encoding: chunked
  close_delimited,      // no length: the body ends when the connection closes
  raw,                  // `body` is the whole answer, status line and headers included, sent as is; then close
  drip,                 // like raw, one byte per `drip` pause, then hold the connection open (slowloris)
  reset,                // read the request, then reset the connection (RST)
};

/// One answer.
struct reply {
  int status = 200;
  std::vector<odoolink::http_header> headers;
  std::string body;
  reply_mode mode = reply_mode::normal;
  std::chrono::milliseconds delay{0};  // before answering
  bool close = false;                  // close the connection after answering
  std::chrono::milliseconds drip{0};   // reply_mode::drip: pause between bytes
};

/// Decides the reply to a request; called on connection threads, concurrently.
using handler = std::function<reply(const received_request&)>;

/// Owned OpenSSL server context.
struct ssl_ctx_free {
  void operator()(SSL_CTX* c) const noexcept { SSL_CTX_free(c); }
};
using ssl_ctx_ptr = std::unique_ptr<SSL_CTX, ssl_ctx_free>;

struct server_options {
  std::shared_ptr<SSL_CTX> tls;  // TLS when set
  bool silent = false;           // accept connections but never read or answer (stalls TLS handshakes)
};

inline const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}

class http_server {
 public:
  explicit http_server(handler h, server_options options = {}) : handler_(std::move(h)), options_(std::move(options)) {
    std::signal(SIGPIPE, SIG_IGN);  // writes to closed peers must fail, not kill the test
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket failed");
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 256) != 0)
      throw std::runtime_error("bind/listen on 127.0.0.1 failed");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (::pipe(wake_) != 0) throw std::runtime_error("pipe failed");
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;
  ~http_server() { stop(); }

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string url() const {
    return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }
  /// Connections accepted so far.
  [[nodiscard]] std::size_t connections() const { return accepted_.load(); }
  /// Requests fully received so far (a copy).
  [[nodiscard]] std::vector<received_request> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  [[nodiscard]] std::size_t request_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
  }

  void stop() {
    if (stopping_.exchange(true)) return;
    char c = 0;
    (void)!::write(wake_[1], &c, 1);
    if (acceptor_.joinable()) acceptor_.join();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
    }
    stop_cv_.notify_all();
    std::vector<std::thread> workers;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      workers.swap(workers_);
    }
    for (auto& t : workers) t.join();
    ::close(listen_fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
  }

 private:
  // One connection's byte stream, plain or TLS.
  struct stream {
    int fd = -1;
    SSL* ssl = nullptr;
    long read(char* buf, std::size_t n) {
      if (ssl != nullptr) {
        const int r = SSL_read(ssl, buf, static_cast<int>(n));
        return r > 0 ? r : -1;
      }
      for (;;) {
        const ssize_t r = ::recv(fd, buf, n, 0);
        if (r < 0 && errno == EINTR) continue;
        return r > 0 ? static_cast<long>(r) : -1;
      }
    }
    bool write(std::string_view data) {
      while (!data.empty()) {
        long w = 0;
        if (ssl != nullptr) {
          w = SSL_write(ssl, data.data(), static_cast<int>(std::min<std::size_t>(data.size(), 1 << 20)));
        } else {
          w = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
          if (w < 0 && errno == EINTR) continue;
        }
        if (w <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(w));
      }
      return true;
    }
  };

  void accept_loop() {
    for (;;) {
      pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (stopping_.load() || (fds[1].revents & POLLIN) != 0) return;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      const std::size_t index = ++accepted_;
      std::lock_guard<std::mutex> lock(mutex_);
      open_.insert(fd);
      workers_.emplace_back([this, fd, index] { serve(fd, index); });
    }
  }

  void wait_for_stop(std::chrono::milliseconds limit = std::chrono::hours(1)) {
    std::unique_lock<std::mutex> lock(mutex_);
    stop_cv_.wait_for(lock, limit, [this] { return stopping_.load(); });
  }

  void serve(int fd, std::size_t index) {
    stream s{fd, nullptr};
    if (options_.silent) {
      wait_for_stop();
    } else if (!options_.tls || handshake(s)) {
      std::string buffer;
      while (!stopping_.load()) {
        received_request req;
        if (!read_request(s, buffer, req)) break;
        req.connection = index;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          requests_.push_back(req);
        }
        reply r = handler_(req);
        if (r.delay.count() > 0) wait_for_stop(r.delay);
        if (stopping_.load()) break;
        if (!answer(s, req, r)) break;
      }
    }
    if (s.ssl != nullptr) SSL_free(s.ssl);
    std::lock_guard<std::mutex> lock(mutex_);
    open_.erase(fd);
    ::close(fd);
  }

  bool handshake(stream& s) {
    s.ssl = SSL_new(options_.tls.get());
    if (s.ssl == nullptr) return false;
    SSL_set_fd(s.ssl, s.fd);
    return SSL_accept(s.ssl) == 1;
  }

  static bool read_request(stream& s, std::string& buffer, received_request& req) {
    char chunk[16384];
    std::size_t end = 0;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const long n = s.read(chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    std::string_view head(buffer.data(), end);
    std::size_t line_end = head.find("\r\n");
    std::string_view line = head.substr(0, line_end);
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1) return false;
    req.method = std::string(line.substr(0, sp1));
    req.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
    req.version = std::string(line.substr(sp2 + 1));
    std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      std::size_t next = head.find("\r\n", pos);
      if (next == std::string_view::npos) next = head.size();
      std::string_view h = head.substr(pos, next - pos);
      const std::size_t colon = h.find(':');
      if (colon != std::string_view::npos) {
        std::string_view value = h.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        req.headers.push_back({std::string(h.substr(0, colon)), std::string(value)});
      }
      pos = next + 2;
    }
    buffer.erase(0, end + 4);
    std::size_t length = 0;
    const std::string_view cl = req.header("Content-Length");
    if (!cl.empty()) length = std::stoul(std::string(cl));
    while (buffer.size() < length) {
      const long n = s.read(chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    req.body = buffer.substr(0, length);
    buffer.erase(0, length);
    return true;
  }

  bool answer(stream& s, const received_request& req, const reply& r) {
    if (r.mode == reply_mode::hang) {
      wait_for_stop();
      return false;
    }
    if (r.mode == reply_mode::close_without_reply) return false;
    if (r.mode == reply_mode::raw) {
      s.write(r.body);
      return false;
    }
    if (r.mode == reply_mode::drip) {
      for (const char c : r.body) {
        if (stopping_.load() || !s.write(std::string_view(&c, 1))) return false;
        wait_for_stop(r.drip);
      }
      wait_for_stop();
      return false;
    }
    if (r.mode == reply_mode::reset) {
      const linger abort_on_close{1, 0};
      ::setsockopt(s.fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
      return false;
    }
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + reason_phrase(r.status) + "\r\n";
    for (const auto& h : r.headers) head += h.name + ": " + h.value + "\r\n";
    const bool close = r.close || odoolink::header_name_equals(req.header("Connection"), "close") ||
                       r.mode == reply_mode::close_delimited;
    switch (r.mode) {
      case reply_mode::chunked:
        head += "Transfer-Encoding: chunked\r\n";
        break;
      case reply_mode::close_delimited:
        break;
      default:
        head += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    }
    if (close) head += "Connection: close\r\n";
    head += "\r\n";
    if (!s.write(head)) return false;
    const bool head_only = req.method == "HEAD";
    switch (r.mode) {
      case reply_mode::close_mid_body:
        s.write(std::string_view(r.body).substr(0, r.body.size() / 2));
        return false;
      case reply_mode::chunked: {
        std::string_view rest = r.body;
        while (!rest.empty()) {
          const std::size_t n = std::min<std::size_t>(rest.size(), 16384);
          char size_line[32];
          std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
          if (!s.write(size_line) || !s.write(rest.substr(0, n)) || !s.write("\r\n")) return false;
          rest.remove_prefix(n);
        }
        if (!s.write("0\r\n\r\n")) return false;
        break;
      }
      default:
        if (!head_only && !s.write(r.body)) return false;
    }
    return !close;
  }

  handler handler_;
  server_options options_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> accepted_{0};
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  std::set<int> open_;
  std::vector<std::thread> workers_;
  std::vector<received_request> requests_;
  std::thread acceptor_;
};

/// A port on 127.0.0.1 where nothing listens (bound, then closed).
inline std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// --- gzip without zlib: deflate "stored" blocks are valid gzip any decoder accepts.

inline std::uint32_t crc32(std::string_view data) {
  std::uint32_t table[256];
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
    table[i] = c;
  }
  std::uint32_t crc = 0xFFFFFFFFU;
  for (unsigned char ch : data) crc = table[(crc ^ ch) & 0xFFU] ^ (crc >> 8U);
  return crc ^ 0xFFFFFFFFU;
}

/// `data` as a gzip member made of uncompressed deflate blocks.
inline std::string gzip_stored(std::string_view data) {
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  auto put16 = [&](std::uint32_t v) {
    out += static_cast<char>(v & 0xFFU);
    out += static_cast<char>((v >> 8U) & 0xFFU);
  };
  std::string_view rest = data;
  do {
    const std::size_t n = std::min<std::size_t>(rest.size(), 65535);
    out += static_cast<char>(n == rest.size() ? 1 : 0);  // BFINAL, BTYPE=00
    put16(static_cast<std::uint32_t>(n));
    put16(static_cast<std::uint32_t>(~n & 0xFFFFU));
    out.append(rest.substr(0, n));
    rest.remove_prefix(n);
  } while (!rest.empty());
  const std::uint32_t crc = crc32(data);
  put16(crc & 0xFFFFU);
  put16(crc >> 16U);
  const auto size = static_cast<std::uint32_t>(data.size());
  put16(size & 0xFFFFU);
  put16(size >> 16U);
  return out;
}

}  // namespace odoolink_test
