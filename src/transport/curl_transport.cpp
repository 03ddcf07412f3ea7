// The libcurl transport: a reused easy handle for blocking sends and a multi
// handle, driven by the host's poll(), for requests in flight.

#include "odoolink/transport/curl_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "curl_internal.hpp"
#include "odoolink/transport/ready_queue.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {

using curl_detail::transfer;

namespace {
// Idle easy handles kept for reuse by the multi (each keeps its settings).
constexpr std::size_t max_idle_transfers = 64;
}  // namespace

struct curl_transport::impl {
  curl_options options;
  curl_detail::endpoint ep;
  CURLSH* share = nullptr;
  CURLM* multi = nullptr;
  std::unique_ptr<transfer> blocking;
  std::vector<std::unique_ptr<transfer>> idle;
  std::unordered_map<request_id, std::unique_ptr<transfer>> active;
  detail::ready_queue ready;
  request_id next_id = 1;
  socket_watcher* watcher = nullptr;  // the host's event loop owns the sockets

  impl() = default;
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;
  ~impl() {
    for (auto& [id, t] : active) curl_multi_remove_handle(multi, t->easy);
    active.clear();
    idle.clear();
    blocking.reset();  // easy handles go before the share they use
    if (multi != nullptr) curl_multi_cleanup(multi);
    if (share != nullptr) curl_share_cleanup(share);
  }

  result<std::unique_ptr<transfer>> acquire() {
    if (!idle.empty()) {
      auto t = std::move(idle.back());
      idle.pop_back();
      return t;
    }
    auto t = std::make_unique<transfer>();
    ODOOLINK_TRYV(curl_detail::setup(*t, options, share));
    return t;
  }

  void recycle(std::unique_ptr<transfer> t) {
    curl_detail::release(*t);
    if (idle.size() < max_idle_transfers) idle.push_back(std::move(t));
  }

  // Moves finished transfers from libcurl to the ready queue.
  void collect() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;  // msg dies with remove_handle
      const CURLcode code = msg->data.result;
      transfer* raw = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, reinterpret_cast<char**>(&raw));
      curl_multi_remove_handle(multi, easy);
      auto it = active.find(raw->id);
      if (it == active.end()) continue;
      std::unique_ptr<transfer> t = std::move(it->second);
      active.erase(it);
      ready.push(std::move(t->done), curl_detail::finish(*t, code, options, ep));
      recycle(std::move(t));
    }
  }

  // libcurl's multi-socket callbacks, forwarded to the host's watcher.
  static int on_curl_socket(CURL* /*easy*/, curl_socket_t fd, int what, void* self, void* /*socketp*/) {
    auto* w = static_cast<impl*>(self)->watcher;
    if (w == nullptr) return 0;
    switch (what) {
      case CURL_POLL_IN: w->watch(fd, socket_interest::read); break;
      case CURL_POLL_OUT: w->watch(fd, socket_interest::write); break;
      case CURL_POLL_INOUT: w->watch(fd, socket_interest::read_write); break;
      default: w->watch(fd, socket_interest::none); break;
    }
    return 0;
  }

  static int on_curl_timer(CURLM* /*multi*/, long ms, void* self) {
    auto* w = static_cast<impl*>(self)->watcher;
    if (w == nullptr) return 0;
    w->set_timer(ms < 0 ? wakeup::idle()
                        : wakeup::after(std::chrono::milliseconds(ms), std::chrono::steady_clock::now()));
    return 0;
  }

  result<std::size_t> socket_action(curl_socket_t fd, int mask) {
    int running = 0;
    if (const CURLMcode mc = curl_multi_socket_action(multi, fd, mask, &running); mc != CURLM_OK) return multi_error(mc);
    collect();
    return ready.run();
  }

  error multi_error(CURLMcode mc) const {
    return error(transport_errc::invalid_request,
                 std::string("libcurl multi handle failed for ") + ep.authority + ": " + curl_multi_strerror(mc));
  }
};

curl_transport::curl_transport(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
curl_transport::~curl_transport() = default;

result<std::unique_ptr<curl_transport>> curl_transport::create(curl_options options) {
  if (const CURLcode rc = curl_detail::global_init(); rc != CURLE_OK)
    return error(transport_errc::invalid_request,
                 std::string("libcurl could not be initialised: ") + curl_easy_strerror(rc));
  ODOOLINK_TRY(auto ep, curl_detail::parse_base_url(options.base_url));
  if (ep.https) {
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    if (info == nullptr || (info->features & CURL_VERSION_SSL) == 0)
      return error(transport_errc::invalid_request, "this libcurl has no TLS support for " + options.base_url);
  }
  auto p = std::make_unique<impl>();
  p->options = std::move(options);
  p->ep = std::move(ep);
  p->share = curl_share_init();
  p->multi = curl_multi_init();
  if (p->share == nullptr || p->multi == nullptr)
    return error(transport_errc::invalid_request, "libcurl could not create its handles (out of memory)");
  // One thread uses the share at a time, so no lock callbacks are needed.
  curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  if (p->options.max_host_connections > 0)
    curl_multi_setopt(p->multi, CURLMOPT_MAX_HOST_CONNECTIONS, p->options.max_host_connections);
  // Settings are checked now, not at the first request.
  auto probe = std::make_unique<transfer>();
  ODOOLINK_TRYV(curl_detail::setup(*probe, p->options, p->share));
  p->blocking = std::move(probe);
  return std::unique_ptr<curl_transport>(new curl_transport(std::move(p)));
}

result<http_response> curl_transport::send(const http_request& request) {
  impl& m = *impl_;
  transfer& t = *m.blocking;
  ODOOLINK_TRYV(curl_detail::validate(request, m.options, m.ep, &t.header_source));
  if (auto prepared = curl_detail::prepare(t, request, m.ep); !prepared) {
    curl_detail::release(t);
    return std::move(prepared).error();
  }
  const CURLcode code = curl_easy_perform(t.easy);
  auto out = curl_detail::finish(t, code, m.options, m.ep);
  curl_detail::release(t);
  return out;
}

request_id curl_transport::submit(http_request request, completion done) {
  impl& m = *impl_;
  const request_id id = m.next_id++;
  if (auto valid = curl_detail::validate(request, m.options, m.ep); !valid) {
    m.ready.push(std::move(done), std::move(valid).error());
    return id;
  }
  auto acquired = m.acquire();
  if (!acquired) {
    m.ready.push(std::move(done), std::move(acquired).error());
    return id;
  }
  std::unique_ptr<transfer> t = std::move(acquired).value();
  t->owned = std::move(request);
  t->id = id;
  if (auto prepared = curl_detail::prepare(*t, t->owned, m.ep); !prepared) {
    m.ready.push(std::move(done), std::move(prepared).error());
    m.recycle(std::move(t));
    return id;
  }
  if (const CURLMcode mc = curl_multi_add_handle(m.multi, t->easy); mc != CURLM_OK) {
    m.ready.push(std::move(done), m.multi_error(mc));
    m.recycle(std::move(t));
    return id;
  }
  t->done = std::move(done);
  m.active.emplace(id, std::move(t));
  return id;
}

result<std::size_t> curl_transport::poll(std::chrono::milliseconds timeout) {
  impl& m = *impl_;
  // The host's loop waits on the sockets: do not mix in curl_multi_perform.
  if (m.watcher != nullptr) return m.socket_action(CURL_SOCKET_TIMEOUT, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::max(timeout, std::chrono::milliseconds(0));
  for (;;) {
    int running = 0;
    if (const CURLMcode mc = curl_multi_perform(m.multi, &running); mc != CURLM_OK) return m.multi_error(mc);
    m.collect();
    if (!m.ready.empty()) break;
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    const auto wait = std::min<std::chrono::milliseconds::rep>(detail::ceil_ms(left).count(), INT_MAX);
    // Returns early on socket activity or when libcurl's own timer is due.
    if (const CURLMcode mc = curl_multi_poll(m.multi, nullptr, 0, static_cast<int>(wait), nullptr); mc != CURLM_OK)
      return m.multi_error(mc);
  }
  return m.ready.run();
}

std::optional<std::chrono::milliseconds> curl_transport::next_wakeup() const {
  const impl& m = *impl_;
  if (!m.ready.empty()) return std::chrono::milliseconds(0);
  if (m.active.empty()) return std::nullopt;
  long ms = -1;
  if (curl_multi_timeout(m.multi, &ms) != CURLM_OK) return std::chrono::milliseconds(0);
  // No timer set: nothing will happen without socket activity, which only a
  // waiting poll() sees; ask to be polled again soon rather than never.
  if (ms < 0) return std::chrono::milliseconds(1000);
  return std::chrono::milliseconds(ms);
}

std::size_t curl_transport::pending() const noexcept { return impl_->active.size() + impl_->ready.size(); }

bool curl_transport::cancel(request_id id) {
  impl& m = *impl_;
  auto it = m.active.find(id);
  if (it == m.active.end()) return false;
  std::unique_ptr<transfer> t = std::move(it->second);
  m.active.erase(it);
  curl_multi_remove_handle(m.multi, t->easy);
  std::string msg = "request to " + m.ep.authority + " cancelled";
  msg += t->sent ? "; it was sent and may have been processed by the server" : "; it was not sent";
  m.ready.push(std::move(t->done), error(transport_errc::cancelled, std::move(msg)));
  m.recycle(std::move(t));
  return true;
}

void curl_transport::watch_sockets(socket_watcher* watcher) {
  impl& m = *impl_;
  m.watcher = watcher;
  curl_multi_setopt(m.multi, CURLMOPT_SOCKETFUNCTION, watcher != nullptr ? &impl::on_curl_socket : nullptr);
  curl_multi_setopt(m.multi, CURLMOPT_SOCKETDATA, watcher != nullptr ? &m : nullptr);
  curl_multi_setopt(m.multi, CURLMOPT_TIMERFUNCTION, watcher != nullptr ? &impl::on_curl_timer : nullptr);
  curl_multi_setopt(m.multi, CURLMOPT_TIMERDATA, watcher != nullptr ? &m : nullptr);
}

result<std::size_t> curl_transport::on_socket(int fd, bool readable, bool writable) {
  int mask = (readable ? CURL_CSELECT_IN : 0) | (writable ? CURL_CSELECT_OUT : 0);
  if (mask == 0) mask = CURL_CSELECT_ERR;
  return impl_->socket_action(fd, mask);
}

result<std::size_t> curl_transport::on_timeout() { return impl_->socket_action(CURL_SOCKET_TIMEOUT, 0); }

const std::string& curl_transport::authority() const noexcept { return impl_->ep.authority; }

}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
