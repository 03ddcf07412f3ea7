// The one doctest runner shared by every layer's test executable.
//
// CTest runs each test case alone through a name filter. doctest splits
// filters on ',' and a selection that matches nothing "passes", so a test
// whose name holds a comma would silently never run. This runner counts the
// test cases that started and fails when a run selected none.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

namespace {

int test_cases_started = 0;

struct start_counter : doctest::IReporter {
  explicit start_counter(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override { ++test_cases_started; }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

DOCTEST_REGISTER_LISTENER("start_counter", 1, start_counter);

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int status = context.run();
  if (context.shouldExit()) return status;  // --list-test-cases and other queries
  if (status == 0 && test_cases_started == 0) {
    std::fprintf(stderr, "no test case matched the selection (a ',' or ';' in a test name breaks CTest's filter)\n");
    return 1;
  }
  return status;
}
