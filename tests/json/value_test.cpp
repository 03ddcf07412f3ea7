#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "odoolink/json/value.hpp"

using namespace odoolink;

TEST_CASE("value constructors pick the JSON kind") {
  CHECK(json::value().is_null());
  CHECK(json::value(nullptr).is_null());
  CHECK(json::value(true).type() == json::kind::boolean);
  CHECK(json::value(42).type() == json::kind::integer);
  CHECK(json::value(std::int16_t{-3}).as_int() == -3);
  CHECK(json::value(42U).as_int() == 42);
  CHECK(json::value(std::numeric_limits<std::int64_t>::min()).as_int() == std::numeric_limits<std::int64_t>::min());
  CHECK(json::value(2.5).type() == json::kind::number);
  CHECK(json::value(2.5F).as_double() == 2.5);
  CHECK(json::value("text").as_string() == "text");
  CHECK(json::value(std::string_view("view")).as_string() == "view");
  CHECK(json::value(json::array{1, 2}).as_array().size() == 2);
  CHECK(json::value(json::object{{"a", 1}}).as_object().front().first == "a");
  CHECK(json::value(7).is_number());
  CHECK(json::value(7.0).is_number());
  CHECK(json::value(7).as_double() == 7.0);
}

TEST_CASE("value equality: integers and doubles are distinct kinds") {
  CHECK(json::value(1) == json::value(1));
  CHECK(json::value(1) != json::value(1.0));
  CHECK(json::value(1.0) == json::value(1.0));
  CHECK(json::value(-0.0) == json::value(0.0));
  CHECK(json::value(false) != json::value(nullptr));
  CHECK(json::value(false) != json::value(0));
  CHECK(json::value("1") != json::value(1));
  CHECK(json::value(json::array{}) != json::value(json::object{}));
}

TEST_CASE("value equality: arrays are ordered, objects are not") {
  const json::value a = json::array{1, 2};
  CHECK(a == json::value(json::array{1, 2}));
  CHECK(a != json::value(json::array{2, 1}));
  CHECK(a != json::value(json::array{1, 2, 3}));

  const json::value o = json::object{{"a", 1}, {"b", json::array{true}}};
  CHECK(o == json::value(json::object{{"b", json::array{true}}, {"a", 1}}));
  CHECK(o != json::value(json::object{{"a", 1}}));
  CHECK(o != json::value(json::object{{"a", 1}, {"b", json::array{true}}, {"c", nullptr}}));
  CHECK(o != json::value(json::object{{"a", 1}, {"b", json::array{false}}}));
  CHECK(o != json::value(json::object{{"a", 1}, {"c", json::array{true}}}));
}

TEST_CASE("duplicate keys: the last one counts, as in Python") {
  const json::value dup = json::object{{"a", 1}, {"b", 2}, {"a", 3}};
  CHECK(dup == json::value(json::object{{"b", 2}, {"a", 3}}));
  CHECK(dup != json::value(json::object{{"b", 2}, {"a", 1}}));
  REQUIRE(dup.find("a") != nullptr);
  CHECK(dup.find("a")->as_int() == 3);
  CHECK(dup.find("zz") == nullptr);
  CHECK(json::value(1).find("a") == nullptr);
}

TEST_CASE("set replaces the member find returns, appends otherwise") {
  json::value v = json::object{{"a", 1}, {"a", 2}};
  v.set("a", 9);
  REQUIRE(v.as_object().size() == 2);
  CHECK(v.as_object()[0].second.as_int() == 1);
  CHECK(v.as_object()[1].second.as_int() == 9);
  CHECK(v == json::value(json::object{{"a", 9}}));

  v.set("b", "x").as_string() += "y";
  CHECK(v.find("b")->as_string() == "xy");
  CHECK(v.as_object().back().first == "b");

  json::value fresh;
  fresh.set("lang", "en_US");
  CHECK(fresh == json::value(json::object{{"lang", "en_US"}}));
}

TEST_CASE("mutable accessors edit in place") {
  json::value v = json::array{1};
  v.as_array().push_back("two");
  CHECK(v == json::value(json::array{1, "two"}));
  json::value* found = nullptr;
  json::value o = json::object{{"k", 1}};
  found = o.find("k");
  REQUIRE(found != nullptr);
  *found = 5;
  CHECK(o.find("k")->as_int() == 5);
}
