// Change feeds and pagers against an in-memory Odoo whose records change
// between calls: nothing changed in the cursor's second is lost or repeated,
// the cursor survives a round trip through its text, pages never overlap.
#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "model/fake_odoo.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/change_feed.hpp"
#include "odoolink/model/paging.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace std::chrono_literals;
namespace m = odoolink::model;

namespace {

struct item {
  std::int64_t id = 0;
  std::string name;
  ODOOLINK_FIELDS(item, id, name)
};

json::value rec(std::int64_t id, std::string name, std::string write_date) {
  return json::object{{"id", id}, {"name", std::move(name)}, {"write_date", std::move(write_date)}};
}

std::vector<std::int64_t> ids_of(const std::vector<item>& rows) {
  std::vector<std::int64_t> out;
  for (const auto& r : rows) out.push_back(r.id);
  return out;
}

m::datetime at(int h, int mi, int s) {
  return std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + std::chrono::hours(h) + std::chrono::minutes(mi) +
         std::chrono::seconds(s);
}

}  // namespace

TEST_CASE("change cursor: text form / pending domain / advancing") {
  m::change_cursor start;
  CHECK(start.at_start());
  CHECK(start.to_string().empty());
  CHECK(start.pending().matches_all());

  const std::vector<std::int64_t> ids{7, 5, 2};
  const std::vector<m::datetime> dates{at(6, 1, 23), at(6, 1, 23), at(6, 1, 24)};
  const auto c = start.advanced(ids, dates, 0s);
  CHECK(c.to_string() == "v1;2026-11-22 06:01:24=2");
  CHECK(c.pending().to_json() ==
        json::parse(R"(["|", ["write_date", ">=", "2026-11-22 06:01:25"],
                        "&", "&", ["write_date", ">=", "2026-11-22 06:01:24"], ["write_date", "<", "2026-11-22 06:01:25"],
                        ["id", "not in", [2]]])")
            .value());
  const auto wide = start.advanced(ids, dates, 5s);
  CHECK(wide.to_string() == "v1;2026-11-22 06:01:23=5,7;2026-11-22 06:01:24=2");
  CHECK(wide.pending().to_json() ==
        json::parse(R"(["&", ["write_date", ">=", "2026-11-22 06:01:23"], "!", "|",
                        "&", "&", ["write_date", ">=", "2026-11-22 06:01:23"], ["write_date", "<", "2026-11-22 06:01:24"],
                        ["id", "in", [5, 7]],
                        "&", "&", ["write_date", ">=", "2026-11-22 06:01:24"], ["write_date", "<", "2026-11-22 06:01:25"],
                        ["id", "in", [2]]])")
            .value());
  // Seconds fall out of the window as the cursor moves on.
  const auto later = wide.advanced(std::vector<std::int64_t>{9}, std::vector<m::datetime>{at(6, 1, 30)}, 5s);
  CHECK(later.to_string() == "v1;2026-11-22 06:01:30=9");

  for (const auto* text : {"v1;2026-11-22 06:01:24=2", "v1;2026-11-22 06:01:23=5,7;2026-11-22 06:01:24=2", ""}) {
    auto parsed = m::change_cursor::parse(text);
    REQUIRE_MESSAGE(parsed.has_value(), text);
    CHECK(parsed.value().to_string() == text);
  }
  CHECK(m::change_cursor::parse("v1;2026-11-22 06:01:24=2").value() == c);
  for (const auto* bad : {"v2;x", "v1;2026-11-22=1", "v1;2026-11-22 06:01:24=a", "v1;2026-11-22 06:01:24=1;2026-11-22 06:01:23=2",
                          "v1;2026-13-22 06:01:24=1", "v1;2026-11-22 06:01:24=0"})
    CHECK_MESSAGE(m::change_cursor::parse(bad).has_error(), bad);
}

TEST_CASE("the change feed loses and repeats nothing changed within the cursor's second") {
  auto odoo = std::make_shared<test::fake_odoo>("x.item");
  odoo->put(rec(5, "a", "2026-11-22 06:00:01"));
  odoo->put(rec(7, "b", "2026-11-22 06:00:01"));
  odoo->put(rec(2, "c", "2026-11-22 06:00:02"));
  m::any_proxy items(test::odoo18_client(odoo), "x.item");
  m::change_feed<item> feed(items, {}, {.page_size = 2});

  std::string stored;  // the host's durable copy of the cursor
  std::vector<std::int64_t> delivered;
  const auto poll = [&] {
    auto cursor = m::change_cursor::parse(stored);
    REQUIRE(cursor.has_value());
    auto batch = feed.next(cursor.value());
    REQUIRE_MESSAGE(batch.has_value(), odoolink::test::error_of(batch).describe());
    const auto got = ids_of(batch.value().records);
    CHECK(got == batch.value().ids);
    delivered.insert(delivered.end(), got.begin(), got.end());
    stored = batch.value().cursor.to_string();
    return batch.value().more;
  };

  CHECK(poll());  // a full page: more to come
  CHECK(delivered == std::vector<std::int64_t>{5, 7});
  CHECK(stored == "v1;2026-11-22 06:00:01=5,7");
  CHECK_FALSE(poll());
  CHECK(delivered == std::vector<std::int64_t>{5, 7, 2});
  CHECK(stored == "v1;2026-11-22 06:00:02=2");
  CHECK_FALSE(poll());  // nothing new
  CHECK(delivered.size() == 3);

  // Within the same second as the cursor: a lower id, and a higher one.
  odoo->put(rec(1, "d", "2026-11-22 06:00:02"));
  odoo->put(rec(9, "e", "2026-11-22 06:00:02"));
  CHECK(poll());  // exactly a page: the feed cannot know nothing follows
  CHECK(delivered == std::vector<std::int64_t>{5, 7, 2, 1, 9});
  CHECK(stored == "v1;2026-11-22 06:00:02=1,2,9");
  // A record changed again later is delivered again.
  odoo->put(rec(5, "a2", "2026-11-22 06:00:03"));
  CHECK_FALSE(poll());
  CHECK(delivered.back() == 5);
  CHECK(stored == "v1;2026-11-22 06:00:03=5");
  CHECK_FALSE(poll());
  CHECK(delivered.size() == 6);
  // The feed asked with active_test off, ordered by (write_date, id).
  CHECK(odoo->kwargs.back().find("order")->as_string() == "write_date asc, id asc");
  CHECK(*odoo->kwargs.back().find("fields") == json::parse(R"(["name", "write_date"])").value());
}

TEST_CASE("with an overlap / a late commit stamped before the cursor is still delivered / once") {
  auto odoo = std::make_shared<test::fake_odoo>("x.item");
  odoo->put(rec(1, "a", "2026-11-22 06:00:10"));
  odoo->put(rec(2, "b", "2026-11-22 06:00:12"));
  m::any_proxy items(test::odoo18_client(odoo), "x.item");
  m::change_feed<item> strict(items, {}, {.page_size = 10});
  m::change_feed<item> lenient(items, {}, {.page_size = 10, .overlap = 5s});

  auto a = strict.next({});
  auto b = lenient.next({});
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  // A transaction that started at 06:00:11 commits now.
  odoo->put(rec(3, "late", "2026-11-22 06:00:11"));
  auto a2 = strict.next(a.value().cursor);
  auto b2 = lenient.next(b.value().cursor);
  REQUIRE(a2.has_value());
  REQUIRE(b2.has_value());
  CHECK(a2.value().ids.empty());  // missed without an overlap (documented)
  CHECK(b2.value().ids == std::vector<std::int64_t>{3});
  auto b3 = lenient.next(b2.value().cursor);
  REQUIRE(b3.has_value());
  CHECK(b3.value().ids.empty());  // and not repeated
}

TEST_CASE("pagers: keyset pages by id never overlap / offset pages follow an order") {
  auto odoo = std::make_shared<test::fake_odoo>("x.item");
  for (int i = 1; i <= 5; ++i) odoo->put(rec(i * 10, "n" + std::to_string(i), "2026-11-22 06:00:00"));
  m::any_proxy items(test::odoo18_client(odoo), "x.item");

  m::pager<item> pages(items, m::domain::leaf("id", ">", 0), {.page_size = 2});
  std::vector<std::vector<std::int64_t>> seen;
  while (!pages.done()) {
    auto page = pages.next();
    REQUIRE_MESSAGE(page.has_value(), odoolink::test::error_of(page).describe());
    seen.push_back(ids_of(page.value()));
    if (seen.size() == 1) odoo->put(rec(5, "inserted below the keyset", "2026-11-22 06:00:00"));  // does not shift pages
  }
  CHECK(seen == std::vector<std::vector<std::int64_t>>{{10, 20}, {30, 40}, {50}});
  CHECK(odoo->domains[1] == json::parse(R"(["&", ["id", ">", 0], ["id", ">", 20]])").value());
  CHECK(odoo->kwargs[1].find("order")->as_string() == "id");

  std::vector<std::string> names;
  m::pager<item> by_name(items, {}, {.page_size = 4, .order = "name desc"});
  auto all = by_name.for_each([&](const item& i) { names.push_back(i.name); });
  REQUIRE_MESSAGE(all.has_value(), odoolink::test::error_of(all).describe());
  CHECK(names.size() == 6);
  CHECK(names.front() == "n5");
  CHECK(odoo->kwargs.back().find("offset")->as_int() == 4);
}
