// fake_odoo::listen: a loopback HTTP/1.1 server in front of the fake, for
// clients that need a real socket (curl, other languages, a browser).

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

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

// One parsed request, or why none could be parsed yet.
enum class parse_state { incomplete, ready, bad, too_large };

parse_state parse_request(std::string& buffer, http_request& req, bool& close_after) {
  const std::size_t head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) return buffer.size() > (std::size_t{1} << 20U) ? parse_state::too_large : parse_state::incomplete;
  const std::string head = buffer.substr(0, head_end);
  const std::size_t line_end = head.find("\r\n");
  const std::string first = head.substr(0, line_end);
  const std::size_t sp1 = first.find(' ');
  const std::size_t sp2 = sp1 == std::string::npos ? std::string::npos : first.find(' ', sp1 + 1);
  if (sp2 == std::string::npos) return parse_state::bad;
  req = http_request{};
  req.method = first.substr(0, sp1);
  req.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  std::size_t length = 0;
  close_after = false;
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
  if (length > max_request_bytes) return parse_state::too_large;
  if (buffer.size() < head_end + 4 + length) return parse_state::incomplete;
  req.body = buffer.substr(head_end + 4, length);
  buffer.erase(0, head_end + 4 + length);
  return parse_state::ready;
}

std::string serialise(const http_response& res, bool close_after) {
  std::string out = "HTTP/1.1 " + std::to_string(res.status) + " " + reason(res.status) + "\r\n";
  for (const auto& h : res.headers) out += h.name + ": " + h.value + "\r\n";
  out += "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
  if (close_after) out += "Connection: close\r\n";
  out += "\r\n";
  out += res.body;
  return out;
}

// Serves every open connection from one thread: a client that keeps its
// connection alive never blocks another one.
class loopback_listener final : public fake_listener {
 public:
  loopback_listener(fake_odoo& server, int fd, std::uint16_t port) : server_(server), fd_(fd), port_(port) {
    thread_ = std::thread([this] { serve(); });
  }
  ~loopback_listener() override {
    stop_ = true;
    thread_.join();
    for (const auto& c : clients_) ::close(c.fd);
    ::close(fd_);
  }
  [[nodiscard]] std::uint16_t port() const noexcept override { return port_; }

 private:
  struct connection {
    int fd;
    std::string buffer;
  };

  void serve() {
    std::vector<pollfd> polled;
    while (!stop_) {
      polled.assign(1, pollfd{fd_, POLLIN, 0});
      for (const auto& c : clients_) polled.push_back(pollfd{c.fd, POLLIN, 0});
      if (::poll(polled.data(), polled.size(), 50) <= 0) continue;
      if (polled[0].revents & POLLIN) {
        const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client >= 0) clients_.push_back({client, {}});
      }
      for (std::size_t i = 1; i < polled.size(); ++i) {
        if ((polled[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        connection& c = clients_[i - 1];
        if (!receive(c)) {
          ::close(c.fd);
          c.fd = -1;
        }
      }
      std::erase_if(clients_, [](const connection& c) { return c.fd < 0; });
    }
  }

  // Reads what arrived and answers each complete request; false: close it.
  bool receive(connection& c) {
    char chunk[65536];
    const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    c.buffer.append(chunk, static_cast<std::size_t>(n));
    while (true) {
      http_request req;
      bool close_after = false;
      switch (parse_request(c.buffer, req, close_after)) {
        case parse_state::incomplete: return true;
        case parse_state::bad: return false;
        case parse_state::too_large:
          send_all(c.fd, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
          return false;
        case parse_state::ready: break;
      }
      auto res = server_.send(req);
      if (!res) return false;  // an injected lost response: the connection just drops
      if (!send_all(c.fd, serialise(res.value(), close_after)) || close_after) return false;
    }
  }

  fake_odoo& server_;
  int fd_;
  std::uint16_t port_;
  std::atomic<bool> stop_{false};
  std::vector<connection> clients_;  // touched by the serving thread only (and the destructor after join)
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
