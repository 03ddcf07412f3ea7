// fake_odoo::listen: a loopback HTTP/1.1 server in front of the fake, for
// clients that need a real socket (curl, other languages, a browser).

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "odoolink/testing/fake_odoo.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing {
namespace {

constexpr std::size_t max_request_bytes = std::size_t{64} << 20U;

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Unknown";
  }
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

class loopback_listener final : public fake_listener {
 public:
  loopback_listener(fake_odoo& server, int fd, std::uint16_t port) : server_(server), fd_(fd), port_(port) {
    thread_ = std::thread([this] { serve(); });
  }
  ~loopback_listener() override {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  [[nodiscard]] std::uint16_t port() const noexcept override { return port_; }

 private:
  // Waits for input on fd while watching the stop flag; false on stop or error.
  bool readable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      const int n = ::poll(&p, 1, 50);
      if (n > 0) return true;
      if (n < 0 && errno != EINTR) return false;
    }
    return false;
  }

  void serve() {
    while (readable(fd_)) {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      handle(client);
      ::close(client);
    }
  }

  // Serves the requests of one connection until it closes.
  void handle(int client) {
    std::string buffer;
    char chunk[65536];
    while (true) {
      std::size_t head_end;
      while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (buffer.size() > 1U << 20U || !readable(client)) return;
        const ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
      http_request req;
      std::size_t length = 0;
      bool close_after = false;
      {
        const std::string head = buffer.substr(0, head_end);
        std::size_t line_end = head.find("\r\n");
        const std::string first = head.substr(0, line_end);
        const std::size_t sp1 = first.find(' ');
        const std::size_t sp2 = first.find(' ', sp1 + 1);
        if (sp1 == std::string::npos || sp2 == std::string::npos) return;
        req.method = first.substr(0, sp1);
        req.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
        std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
        while (pos < head.size()) {
          std::size_t end = head.find("\r\n", pos);
          if (end == std::string::npos) end = head.size();
          const std::string line = head.substr(pos, end - pos);
          pos = end + 2;
          const std::size_t colon = line.find(':');
          if (colon == std::string::npos) continue;
          std::string value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ') value.erase(0, 1);
          std::string name = line.substr(0, colon);
          if (header_name_equals(name, "Content-Length")) length = std::strtoull(value.c_str(), nullptr, 10);
          if (header_name_equals(name, "Connection") && value == "close") close_after = true;
          req.headers.push_back({std::move(name), std::move(value)});
        }
      }
      if (length > max_request_bytes) {
        send_all(client, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
      }
      buffer.erase(0, head_end + 4);
      while (buffer.size() < length) {
        if (!readable(client)) return;
        const ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
      req.body = buffer.substr(0, length);
      buffer.erase(0, length);
      auto res = server_.send(req);
      if (!res) return;  // an injected lost response: the connection just drops
      std::string out = "HTTP/1.1 " + std::to_string(res.value().status) + " " + reason(res.value().status) + "\r\n";
      for (const auto& h : res.value().headers) out += h.name + ": " + h.value + "\r\n";
      out += "Content-Length: " + std::to_string(res.value().body.size()) + "\r\n";
      if (close_after) out += "Connection: close\r\n";
      out += "\r\n";
      out += res.value().body;
      if (!send_all(client, out) || close_after) return;
    }
  }

  fake_odoo& server_;
  int fd_;
  std::uint16_t port_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

result<std::unique_ptr<fake_listener>> fake_odoo::listen(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return error(std::error_code(errno, std::system_category()), "fake Odoo: socket() failed");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    const int e = errno;
    ::close(fd);
    return error(std::error_code(e, std::system_category()),
                 "fake Odoo: cannot listen on 127.0.0.1:" + std::to_string(port));
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return std::unique_ptr<fake_listener>(std::make_unique<loopback_listener>(*this, fd, ntohs(addr.sin_port)));
}

}  // namespace testing
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
