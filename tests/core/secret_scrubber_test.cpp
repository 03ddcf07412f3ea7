#include <doctest/doctest.h>

#include <string>

#include "odoolink/secret_scrubber.hpp"

using namespace odoolink;

namespace {
const std::string password = "s3cret-\"Pass<word>&2026";
}

TEST_CASE("the scrubber masks a secret wherever it occurs") {
  secret_scrubber s;
  s.add(password);
  const std::string text = "login failed for " + password + " and again " + password + ".";
  const std::string out = s.scrub(text);
  CHECK(out == "login failed for [redacted] and again [redacted].");
  CHECK(s.finds_secret_in(text));
  CHECK_FALSE(s.finds_secret_in(out));
}

TEST_CASE("the scrubber masks runs of 8 bytes of a secret cut by an excerpt") {
  secret_scrubber s;
  s.add(password);
  // An excerpt that starts and ends inside the secret.
  const std::string cut = "...\"" + password.substr(3, 12) + " | " + password.substr(0, 9);
  const std::string out = s.scrub(cut);
  CHECK(out == "...\"[redacted] | [redacted]");
  // Seven bytes are not a run: ordinary words that share a few letters stay.
  CHECK(s.scrub("s3cret-") == "s3cret-");
}

TEST_CASE("the scrubber masks JSON XML and URL escaped forms") {
  secret_scrubber s;
  s.add(password);
  CHECK(s.scrub(R"({"password": "s3cret-\"Pass<word>&2026"})") == R"({"password": "[redacted]"})");
  CHECK(s.scrub("<string>s3cret-\"Pass&lt;word&gt;&amp;2026</string>") == "<string>[redacted]</string>");
  CHECK(s.scrub("password=s3cret-%22Pass%3Cword%3E%262026&x=1") == "password=[redacted]&x=1");
}

TEST_CASE("short secrets are masked whole and tiny ones are ignored") {
  secret_scrubber s;
  s.add("abc");  // too short to mask safely
  s.add("admin1");
  CHECK(s.scrub("abc admin1 admin") == "abc [redacted] admin");
  secret_scrubber none;
  CHECK(none.empty());
  CHECK(none.scrub("anything") == "anything");
}

TEST_CASE("an error is scrubbed in message class and debug text with code and status kept") {
  secret_scrubber s;
  s.add(password);
  const error e = error::odoo(odoo_errc::user_error, "refused " + password, "odoo.exceptions.UserError",
                              "Traceback ... " + password.substr(2), 200);
  const error clean = s.scrub(e);
  CHECK(clean == odoo_errc::user_error);
  CHECK(clean.http_status() == 200);
  CHECK(clean.message() == "refused [redacted]");
  CHECK(clean.debug() == "Traceback ... [redacted]");
  CHECK(clean.odoo_class() == "odoo.exceptions.UserError");
  CHECK(clean.describe().find("s3cret") == std::string::npos);
  // Nothing to mask: the same error comes back.
  const error plain(transport_errc::timeout, "no answer");
  CHECK(s.scrub(plain).message() == "no answer");
}
