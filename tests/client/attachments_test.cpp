// Attachments up and down through the fake Odoo on every protocol, with the
// client's peak memory measured by a counting allocator.

#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <vector>

#include "odoolink/client/attachments.hpp"
#include "odoolink/json/base64.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

// --- counting allocator ---------------------------------------------------------
// Every block carries a header saying whether it was counted; only blocks
// allocated while counting is on (and not paused) add to the live total.

namespace {

struct alloc_counter {
  std::atomic<bool> on{false};
  std::atomic<std::size_t> live{0};
  std::atomic<std::size_t> peak{0};
};
alloc_counter counter;
thread_local int paused = 0;
constexpr std::size_t header = 16;  // keeps the alignment of max_align_t

void* counted_alloc(std::size_t n) noexcept {
  auto* base = static_cast<unsigned char*>(std::malloc(n + header));
  if (base == nullptr) return nullptr;
  const bool count = counter.on.load(std::memory_order_relaxed) && paused == 0;
  auto* meta = reinterpret_cast<std::size_t*>(base);
  meta[0] = count ? n : 0;
  if (count) {
    const std::size_t now = counter.live.fetch_add(n) + n;
    std::size_t p = counter.peak.load();
    while (now > p && !counter.peak.compare_exchange_weak(p, now)) {
    }
  }
  return base + header;
}

void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  auto* base = static_cast<unsigned char*>(p) - header;
  const std::size_t n = reinterpret_cast<std::size_t*>(base)[0];
  if (n != 0) counter.live.fetch_sub(n);
  std::free(base);
}

}  // namespace

void* operator new(std::size_t n) {
  if (void* p = counted_alloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_free(p); }

using namespace odoolink;
using testing::fake_odoo;

namespace {

// The peak of the bytes allocated (and still live) between start and stop,
// above what was live at the start.
struct peak_meter {
  std::size_t base = 0;
  peak_meter() {
    base = counter.live.load();
    counter.peak = base;
    counter.on = true;
  }
  std::size_t stop() {
    counter.on = false;
    return counter.peak.load() - base;
  }
};

// The fake server behind a transport that allocates a response body as a
// real one does (once, with the reader's padding reserved); the server's
// own work is not counted: the figure is the client's.
class measured_transport final : public transport::sync_transport {
 public:
  explicit measured_transport(std::shared_ptr<fake_odoo> s) : server_(std::move(s)) {}
  result<http_response> send(const http_request& request) override {
    ++paused;
    auto answer = server_->send(request);
    --paused;
    if (!answer) return answer;
    std::string body;
    body.reserve(answer.value().body.size() + json::padding);
    body.append(answer.value().body);
    answer.value().body = std::move(body);
    return answer;
  }

 private:
  std::shared_ptr<fake_odoo> server_;
};

std::shared_ptr<fake_odoo> server(int version) {
  testing::fake_options o;
  o.major_version = version;
  o.users.front().api_key = "test-key";
  return std::make_shared<fake_odoo>(o);
}

client::client connect(std::shared_ptr<fake_odoo> s, client::protocol_kind p) {
  client::client_options o{.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin"};
  if (p == client::protocol_kind::json2) o.api_key = "test-key";
  else o.password = "admin";
  o.protocol = p;
  o.transport = std::make_shared<measured_transport>(std::move(s));
  auto c = client::client::connect(std::move(o));
  if (!c) FAIL(c.error().describe());
  return std::move(c).value();
}

std::vector<client::protocol_kind> all_protocols() {
  return {client::protocol_kind::jsonrpc, client::protocol_kind::web_session, client::protocol_kind::json2
#if defined(ODOOLINK_HAS_XMLRPC)
          , client::protocol_kind::xmlrpc
#endif
  };
}

// Bytes no base64 shortcut could fake: a pseudo-random sequence.
std::vector<std::byte> content_of(std::size_t n) {
  std::vector<std::byte> out(n);
  std::uint32_t x = 2463534242U;
  for (auto& b : out) {
    x ^= x << 13U;
    x ^= x >> 17U;
    x ^= x << 5U;
    b = static_cast<std::byte>(x & 0xFFU);
  }
  return out;
}

template <class T>
T ok(result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  return std::move(r).value();
}

std::filesystem::path temp_file(std::string_view name) {
  return std::filesystem::temp_directory_path() / ("odoolink-attachments-" + std::to_string(::getpid()) + "-" +
                                                   std::string(name));
}

std::vector<std::byte> file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(raw.size());
  std::memcpy(out.data(), raw.data(), raw.size());
  return out;
}

constexpr std::size_t five_mb = 5U << 20U;

}  // namespace

TEST_CASE("a 5 MB attachment round-trips byte-exact on every protocol within one base64 and one raw copy") {
  const auto content = content_of(five_mb);
  const std::size_t b64 = json::base64_encoded_size(content.size());
  for (auto p : all_protocols()) {
    CAPTURE(client::to_string(p));
    auto s = server(19);
    auto c = connect(s, p);

    peak_meter up;
    const std::int64_t id = ok(client::upload_attachment(
        c, {.name = "photo.bin", .mimetype = "application/octet-stream", .res_model = "res.partner", .res_id = 3},
        content));
    const std::size_t up_peak = up.stop();
    CHECK(id > 0);
    const auto stored = s->record("ir.attachment", id);
    REQUIRE(stored.has_value());
    CHECK(stored->find("datas")->as_string().size() == b64);
    CHECK(*stored->find("res_model") == json::value("res.partner"));

    peak_meter down;
    const auto back = ok(client::download_attachment(c, id));
    const std::size_t down_peak = down.stop();
    CHECK(back.size() == content.size());
    CHECK(back == content);

    MESSAGE(client::to_string(p) << ": upload peak " << up_peak << " B, download peak " << down_peak
                                 << " B (base64 " << b64 << " B, raw " << content.size() << " B)");
    // The request body is the one base64 copy; the rest is the envelope.
    CHECK(up_peak < b64 + 64 * 1024);
    if (p != client::protocol_kind::xmlrpc) {
      // Response body (base64) plus the decoded bytes, nothing more.
      CHECK(down_peak < b64 + content.size() + 64 * 1024);
    } else {
      // XML-RPC is turned into JSON text first (a growing string): up to two more base64 copies.
      CHECK(down_peak < 3 * b64 + content.size() + 64 * 1024);
    }
  }
}

TEST_CASE("the direct paths hold fewer copies than json values would") {
  // Baseline in the same run: the base64 text built as a json::value string
  // for `create`, and `read` parsed into a json::value then decoded.
  const auto content = content_of(five_mb);
  const std::size_t b64 = json::base64_encoded_size(content.size());
  auto s = server(18);
  auto c = connect(s, client::protocol_kind::jsonrpc);

  peak_meter naive_up;
  auto created = c.execute_kw(
      "ir.attachment", "create",
      json::array{json::object{{"name", "naive.bin"},
                               {"datas", json::base64_encode(std::span<const std::uint8_t>(
                                             reinterpret_cast<const std::uint8_t*>(content.data()), content.size()))}}});
  const std::size_t naive_up_peak = naive_up.stop();
  REQUIRE(created.has_value());
  const std::int64_t id = json::parse(created.value().json()).value().as_int();

  peak_meter naive_down;
  std::size_t naive_size = 0;
  {
    auto read = c.execute_kw("ir.attachment", "read", json::array{json::array{id}},
                             json::object{{"fields", json::array{"datas"}}});
    REQUIRE(read.has_value());
    auto doc = json::parse(read.value().json());
    REQUIRE(doc.has_value());
    auto bytes = json::base64_decode(doc.value().as_array()[0].find("datas")->as_string());
    REQUIRE(bytes.has_value());
    naive_size = bytes.value().size();
  }
  const std::size_t naive_down_peak = naive_down.stop();
  CHECK(naive_size == content.size());

  peak_meter up;
  const std::int64_t direct = ok(client::upload_attachment(c, {.name = "direct.bin"}, content));
  const std::size_t up_peak = up.stop();
  peak_meter down;
  CHECK(ok(client::download_attachment(c, direct)) == content);
  const std::size_t down_peak = down.stop();

  MESSAGE("jsonrpc, peak bytes over base64 size " << b64 << ": upload " << up_peak << " (json::value path "
                                                  << naive_up_peak << "), download " << down_peak
                                                  << " (json::value path " << naive_down_peak << ")");
  CHECK(up_peak * 3 < naive_up_peak * 2);      // at least a third less
  CHECK(down_peak * 4 < naive_down_peak * 3);  // at least a quarter less
}

TEST_CASE("attachments go up from a file and down into a file piece by piece") {
  const auto content = content_of(five_mb + 7);  // not a multiple of 3 or of a piece
  const auto in = temp_file("in.bin");
  const auto out = temp_file("out.bin");
  {
    std::ofstream f(in, std::ios::binary);
    f.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
  }
  for (auto p : all_protocols()) {
    CAPTURE(client::to_string(p));
    auto s = server(19);
    auto c = connect(s, p);
    peak_meter up;
    const std::int64_t id = ok(client::upload_attachment(c, {.name = "in.bin"}, in));
    const std::size_t up_peak = up.stop();
    peak_meter down;
    CHECK(ok(client::download_attachment(c, id, out)) == content.size());
    const std::size_t down_peak = down.stop();
    CHECK(file_bytes(out) == content);
    const std::size_t b64 = json::base64_encoded_size(content.size());
    // No raw copy of the file in memory either way.
    CHECK(up_peak < b64 + 256 * 1024);
    if (p != client::protocol_kind::xmlrpc) CHECK(down_peak < b64 + 256 * 1024);
  }
  std::filesystem::remove(in);
  std::filesystem::remove(out);
}

TEST_CASE("bin_size reads give the size instead of the content") {
  for (auto p : all_protocols()) {
    CAPTURE(client::to_string(p));
    auto s = server(19);
    auto c = connect(s, p);
    const auto content = content_of(five_mb);
    const std::int64_t id = ok(client::upload_attachment(c, {.name = "big.bin", .mimetype = "image/png"}, content));
    const auto info = ok(client::read_attachment_info(c, id));
    CHECK(info.id == id);
    CHECK(info.name == "big.bin");
    CHECK(info.mimetype == "image/png");
    CHECK(info.file_size == static_cast<std::int64_t>(five_mb));
    CHECK(info.size_text == "5.00 Mb");

    const std::int64_t small = ok(client::upload_attachment(c, {.name = "small.txt"}, content_of(1536)));
    CHECK(ok(client::read_attachment_info(c, small)).size_text == "1.50 Kb");
    const std::int64_t empty = ok(client::upload_attachment(c, {.name = "empty.txt"}, std::span<const std::byte>{}));
    const auto none = ok(client::read_attachment_info(c, empty));
    CHECK(none.size_text.empty());
    CHECK(none.file_size == 0);
    CHECK(ok(client::download_attachment(c, empty)).empty());

    // Downloading with bin_size in the context gets a size, not base64: refused.
    client::call_options sizes;
    sizes.context = json::object{{"bin_size", true}};
    auto refused = client::download_attachment(c, id, sizes);
    REQUIRE(refused.has_error());
    CHECK(refused.error() == protocol_errc::unexpected_type);
  }
}

TEST_CASE("attachment errors name what went wrong") {
  auto s = server(18);
  auto c = connect(s, client::protocol_kind::jsonrpc);
  auto missing = client::download_attachment(c, 999);
  REQUIRE(missing.has_error());
  CHECK(missing.error() == odoo_errc::missing_error);
  CHECK(missing.error().message().find("ir.attachment(999)") != std::string::npos);
  CHECK(client::read_attachment_info(c, 999).error() == odoo_errc::missing_error);

  auto nameless = client::upload_attachment(c, {}, content_of(10));
  REQUIRE(nameless.has_error());
  CHECK(nameless.error() == protocol_errc::unsupported_call);

  auto no_file = client::upload_attachment(c, {.name = "x"}, temp_file("does-not-exist"));
  REQUIRE(no_file.has_error());
  CHECK(no_file.error().code() == std::make_error_code(std::errc::no_such_file_or_directory));
  CHECK(s->count("ir.attachment") == 0);

  // A server answering something else than base64 in `datas`.
  s->on_call("ir.attachment", "read", [](const testing::fake_call&, fake_odoo&) -> std::optional<testing::fake_hook_outcome> {
    return testing::fake_hook_outcome{json::array{json::object{{"id", 1}, {"datas", "not base64!"}}}, std::nullopt};
  });
  auto bad = client::download_attachment(c, 1);
  REQUIRE(bad.has_error());
  CHECK(bad.error() == protocol_errc::unexpected_type);
  CHECK(bad.error().message().find("ir.attachment(1)") != std::string::npos);
}
