#pragma once
// The SELECT behind `store::list`: one text per combination of filters in
// use, so each combination gets its own cached statement and its index.

#include <array>
#include <string>

#include "connection.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

class list_query {
 public:
  /// The statement text for the filters `f` uses; stable for the object's
  /// life (the statement cache keys on its address).
  [[nodiscard]] const std::string& sql_for(const event_filter& f);
  /// Binds `f` to a statement prepared from `sql_for(f)`.
  static void bind(statement& s, const event_filter& f);

 private:
  // By the bit set of filters in use, times three: the index a state filter can use.
  std::array<std::string, 64 * 3> sql_;
};

}  // namespace outbox::sqlite
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
