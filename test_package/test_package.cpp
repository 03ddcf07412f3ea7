#include <cstdio>
#include <string>

#include <odoolink/error.hpp>
#include <odoolink/json/parse.hpp>
#include <odoolink/json/writer.hpp>
#include <odoolink/version.hpp>

int main() {
  std::string text;
  odoolink::json::writer w(text);
  w.begin_object().key("ids").begin_array().integer(1).integer(2).end_array().end_object();
  odoolink::result<odoolink::json::value> doc = odoolink::json::parse(text);
  if (!doc || odoolink::json::to_string(doc.value()) != text) {
    std::puts("odoolink test_package: round trip failed");
    return 1;
  }
  std::printf("odoolink %s: %s\n", ODOOLINK_VERSION_STRING, text.c_str());
  return 0;
}
