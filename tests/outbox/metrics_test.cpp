// Outbox metrics: per-subject figures in the struct, and the Prometheus text
// read back by a small parser of the exposition format that checks names,
// HELP/TYPE lines, label sets and histogram invariants.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <set>

#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/metrics.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_clock.hpp"
#include "outbox/support/fake_load_odoo.hpp"
#include "outbox/support/test_contracts.hpp"

namespace {

using namespace std::chrono_literals;
namespace ob = odoolink::outbox;

using labels = std::map<std::string, std::string>;

struct sample {
  std::string name;
  labels label_set;
  double value = 0;
};

struct family {
  std::string type, help;
  int help_lines = 0, type_lines = 0;
  std::vector<sample> samples;
};

bool valid_name(std::string_view n, bool label) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!label && c == ':');
    if (!(alpha || (i > 0 && c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// The family a sample name belongs to: a histogram's `_bucket`, `_sum` and `_count` series are its own.
std::string family_of(const std::string& name, const std::map<std::string, family>& families) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string_view s(suffix);
    if (name.size() > s.size() && name.ends_with(s)) {
      const std::string base = name.substr(0, name.size() - s.size());
      if (auto it = families.find(base); it != families.end() && it->second.type == "histogram") return base;
    }
  }
  return name;
}

// Parses the text exposition format (0.0.4), failing the test on anything malformed.
std::map<std::string, family> parse(const std::string& text) {
  std::map<std::string, family> families;
  std::set<std::string> seen_series;
  std::string current;  // the family whose samples may follow
  std::size_t pos = 0;
  REQUIRE(text.ends_with("\n"));
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    INFO(line);
    REQUIRE_FALSE(line.empty());
    if (line.starts_with("# ")) {
      const std::size_t sp1 = line.find(' ', 2), sp2 = line.find(' ', sp1 + 1);
      const std::string keyword = line.substr(2, sp1 - 2), name = line.substr(sp1 + 1, sp2 - sp1 - 1);
      REQUIRE(sp2 != std::string::npos);
      REQUIRE(valid_name(name, false));
      family& f = families[name];
      REQUIRE(f.samples.empty());  // HELP and TYPE come before the family's samples
      if (keyword == "HELP") {
        ++f.help_lines;
        f.help = line.substr(sp2 + 1);
      } else {
        REQUIRE(keyword == "TYPE");
        ++f.type_lines;
        f.type = line.substr(sp2 + 1);
        REQUIRE((f.type == "counter" || f.type == "gauge" || f.type == "histogram"));
      }
      current = name;
      continue;
    }
    sample s;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    REQUIRE(valid_name(s.name, false));
    if (line[i] == '{') {
      ++i;
      while (line[i] != '}') {
        const std::size_t eq = line.find('=', i);
        const std::string key = line.substr(i, eq - i);
        REQUIRE(valid_name(key, true));
        REQUIRE(line[eq + 1] == '"');
        std::string value;
        std::size_t j = eq + 2;
        for (; line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            ++j;
            REQUIRE((line[j] == '\\' || line[j] == '"' || line[j] == 'n'));
            value += line[j] == 'n' ? '\n' : line[j];
          } else {
            value += line[j];
          }
        }
        REQUIRE(s.label_set.emplace(key, value).second);  // no label twice
        i = j + 1;
        if (line[i] == ',') ++i;
      }
      ++i;
    }
    REQUIRE(line[i] == ' ');
    const std::string number = line.substr(i + 1);
    char* parsed_end = nullptr;
    s.value = number == "+Inf" ? INFINITY : std::strtod(number.c_str(), &parsed_end);
    if (number != "+Inf") REQUIRE(*parsed_end == '\0');
    const std::string fam = family_of(s.name, families);
    REQUIRE(fam == current);  // samples of a family are grouped under its HELP/TYPE
    std::string series = s.name;
    for (const auto& [k, v] : s.label_set) series += "|" + k + "=" + v;
    REQUIRE(seen_series.insert(series).second);  // each series once
    families[fam].samples.push_back(std::move(s));
  }
  return families;
}

// Checks what every family must satisfy; returns the families for value checks.
std::map<std::string, family> parse_and_check(const std::string& text) {
  auto families = parse(text);
  for (const auto& [name, f] : families) {
    INFO(name);
    CHECK(f.help_lines == 1);
    CHECK(f.type_lines == 1);
    CHECK_FALSE(f.help.empty());
    if (f.type == "counter") CHECK(name.ends_with("_total"));
    // One label set shape per family (`le` aside, which only buckets carry).
    std::set<std::set<std::string>> shapes;
    for (const auto& s : f.samples) {
      std::set<std::string> keys;
      for (const auto& [k, v] : s.label_set)
        if (k != "le") keys.insert(k);
      shapes.insert(keys);
      if (f.type != "histogram") CHECK(s.name == name);
      CHECK(s.value >= 0);
    }
    CHECK(shapes.size() <= 1);
    if (f.type != "histogram") continue;
    // Per label set: buckets with ascending bounds and cumulative counts ending at +Inf, then _sum and _count.
    std::map<labels, std::vector<std::pair<double, double>>> buckets;
    std::map<labels, double> sums, counts;
    for (const auto& s : f.samples) {
      labels rest = s.label_set;
      if (s.name == name + "_bucket") {
        REQUIRE(rest.contains("le"));
        const std::string le = rest["le"];
        rest.erase("le");
        buckets[rest].emplace_back(le == "+Inf" ? INFINITY : std::stod(le), s.value);
      } else if (s.name == name + "_sum") {
        sums[rest] = s.value;
      } else {
        REQUIRE(s.name == name + "_count");
        counts[rest] = s.value;
      }
    }
    CHECK_FALSE(buckets.empty());
    for (const auto& [set, series] : buckets) {
      REQUIRE(series.size() >= 2);
      for (std::size_t i = 1; i < series.size(); ++i) {
        CHECK(series[i].first > series[i - 1].first);
        CHECK(series[i].second >= series[i - 1].second);
      }
      CHECK(std::isinf(series.back().first));
      REQUIRE(counts.contains(set));
      REQUIRE(sums.contains(set));
      CHECK(counts[set] == series.back().second);
    }
    CHECK(sums.size() == buckets.size());
  }
  return families;
}

double value_of(const std::map<std::string, family>& families, const std::string& fam, const std::string& name,
                const labels& want) {
  auto it = families.find(fam);
  REQUIRE(it != families.end());
  for (const auto& s : it->second.samples)
    if (s.name == name && s.label_set == want) return s.value;
  FAIL("no sample " << name);
  return -1;
}

std::string customer(int i) {
  return R"({"customer_id":"pos.c)" + std::to_string(i) + R"(","name":"Customer )" + std::to_string(i) + R"("})";
}

}  // namespace

TEST_CASE("metrics: per-subject queue, lag, latency and reconciliation figures in the struct and the text") {
  odoolink::testing::fake_clock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000))};
  auto contracts = odoolink::test::test_registry();
  ob::memory_store store;
  ob::outbox box{store, contracts, {}, &clock};
  for (int i = 0; i < 5; ++i)
    REQUIRE(box.enqueue({.subject = "customer", .payload = customer(i), .idempotency_key = "c" + std::to_string(i)}));
  // An order whose customer is never sent waits (parked); another order is refused for good (dead).
  REQUIRE(box.enqueue({.subject = "sales_order",
                       .payload = R"({"order_id":"pos.o1","customer":"pos.c99","order_ref":"POS-1"})",
                       .idempotency_key = "o1"}));
  clock.advance(2s);
  auto odoo = std::make_shared<odoolink::test::fake_load_odoo>();
  ob::odoo_sink sink(odoolink::test::client_on(odoo), contracts);
  ob::relay relay(store, sink, {}, &clock);
  REQUIRE(relay.pump(100));
  clock.advance(3s);
  box.set_reconciliation_disagreements({{"customer", 2}, {"stock_receipt", 1}});

  auto m = box.metrics(&relay.counters());
  REQUIRE(m);
  const auto& subjects = m.value().subjects;
  REQUIRE(subjects.size() == 3);  // sorted: customer, sales_order, stock_receipt (reconciliation only)
  CHECK(subjects[0].subject == "customer");
  CHECK(subjects[0].queue.delivered == 5);
  CHECK(subjects[0].queue.pending == 0);
  CHECK_FALSE(subjects[0].oldest_pending_age_seconds);
  CHECK(subjects[0].counters.delivered == 5);
  CHECK(subjects[0].counters.latency.count() == 5);
  CHECK(subjects[0].counters.latency.sum_seconds == doctest::Approx(10.0));  // each 2 s after enqueue
  CHECK(subjects[0].reconciliation_disagreements == 2);
  CHECK(subjects[1].subject == "sales_order");
  CHECK(subjects[1].queue.pending == 1);  // parked: waits for its customer
  REQUIRE(subjects[1].oldest_pending_age_seconds);
  CHECK(*subjects[1].oldest_pending_age_seconds == doctest::Approx(5.0));  // lag
  CHECK_FALSE(subjects[1].reconciliation_disagreements);
  CHECK(subjects[2].subject == "stock_receipt");
  CHECK(subjects[2].reconciliation_disagreements == 1);
  CHECK(m.value().counters.delivered == 5);

  const std::string text = ob::to_prometheus(m.value());
  const auto families = parse_and_check(text);
  CHECK(families.at("odoolink_outbox_subject_delivery_latency_seconds").type == "histogram");
  CHECK(families.at("odoolink_outbox_subject_events").type == "gauge");
  CHECK(families.at("odoolink_outbox_subject_delivered_total").type == "counter");
  CHECK(families.at("odoolink_outbox_reconciliation_disagreements").type == "gauge");
  CHECK(value_of(families, "odoolink_outbox_subject_events", "odoolink_outbox_subject_events",
                 {{"subject", "customer"}, {"state", "delivered"}}) == 5);
  CHECK(value_of(families, "odoolink_outbox_subject_events", "odoolink_outbox_subject_events",
                 {{"subject", "sales_order"}, {"state", "pending"}}) == 1);
  CHECK(value_of(families, "odoolink_outbox_subject_oldest_pending_age_seconds",
                 "odoolink_outbox_subject_oldest_pending_age_seconds", {{"subject", "sales_order"}}) ==
        doctest::Approx(5.0));
  const std::string h = "odoolink_outbox_subject_delivery_latency_seconds";
  CHECK(value_of(families, h, h + "_bucket", {{"subject", "customer"}, {"le", "1"}}) == 0);
  CHECK(value_of(families, h, h + "_bucket", {{"subject", "customer"}, {"le", "2.5"}}) == 5);
  CHECK(value_of(families, h, h + "_count", {{"subject", "customer"}}) == 5);
  CHECK(value_of(families, "odoolink_outbox_reconciliation_disagreements", "odoolink_outbox_reconciliation_disagreements",
                 {{"subject", "stock_receipt"}}) == 1);
  CHECK(value_of(families, "odoolink_outbox_delivered_total", "odoolink_outbox_delivered_total", {}) == 5);
}

TEST_CASE("metrics: label values are escaped and read back exactly") {
  ob::metrics_snapshot m;
  ob::subject_metrics odd;
  odd.subject = "a\"b\\c\nd";
  odd.queue.pending = 3;
  odd.counters.latency.observe(0.2);
  odd.counters.latency.observe(30);
  odd.counters.delivered = 2;
  m.subjects.push_back(odd);
  const auto families = parse_and_check(ob::to_prometheus(m));
  CHECK(value_of(families, "odoolink_outbox_subject_events", "odoolink_outbox_subject_events",
                 {{"subject", odd.subject}, {"state", "pending"}}) == 3);
  const std::string h = "odoolink_outbox_subject_delivery_latency_seconds";
  CHECK(value_of(families, h, h + "_bucket", {{"subject", odd.subject}, {"le", "0.25"}}) == 1);
  CHECK(value_of(families, h, h + "_bucket", {{"subject", odd.subject}, {"le", "+Inf"}}) == 2);
  CHECK(value_of(families, h, h + "_sum", {{"subject", odd.subject}}) == doctest::Approx(30.2));
}
