#pragma once
// The judge of the fuzzers: simdjson's validating DOM parser. Text it
// refuses must not be accepted by odoolink's readers, except for numbers out
// of double's or int64's range, which are JSON but which simdjson refuses.
// The judgement runs one way only: simdjson accepts an object that repeats a
// key, which odoolink's readers refuse (malformed_response), and such a
// refusal is correct.
#include <cstddef>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace odoolink_fuzz {

// `text` with every number brought into range and its grammar kept: digit
// runs cut to 15 digits, exponent digits replaced by one `0`. Strings are
// copied as they are (`"\u0e09"` holds no number).
inline std::string in_range(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t run = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) out.push_back(text[++i]);
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      run = 0;
      out.push_back(c);
      continue;
    }
    if (c >= '0' && c <= '9') {
      if (++run <= 15) out.push_back(c);
      continue;
    }
    run = 0;
    out.push_back(c);
    if ((c == 'e' || c == 'E') && i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9') {
      std::size_t j = i + 1;
      if (j < text.size() && (text[j] == '+' || text[j] == '-')) out.push_back(text[j++]);
      const std::size_t digits = j;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      if (j > digits) out.push_back('0');
      i = j - 1;
    }
  }
  return out;
}

/// True when simdjson refuses `text` for a reason other than a number's range.
inline bool broken_json(std::string_view text) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto err = parser.parse(simdjson::padded_string(text)).get(root);
  if (err == simdjson::NUMBER_ERROR || err == simdjson::NUMBER_OUT_OF_RANGE)
    err = parser.parse(simdjson::padded_string(in_range(text))).get(root);
  return err != simdjson::SUCCESS;
}

}  // namespace odoolink_fuzz
