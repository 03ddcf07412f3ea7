#pragma once
// ir.attachment in the fake server: the model, and binary fields as `read`
// returns them (`file_size` from the content, sizes instead of content
// under the context key `bin_size`, as Odoo's `human_size` words them).

#include <string>
#include <string_view>

#include "odoolink/json/value.hpp"
#include "testing/fake/orm.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

/// The `ir.attachment` model (the fields an SDK uses, as Odoo 16-19 name them).
[[nodiscard]] model_def ir_attachment();

/// Odoo's `human_size`: "12.00 bytes", "1.50 Kb", "5.00 Mb" ...
[[nodiscard]] std::string human_size(std::size_t bytes);

/// Completes records `read` produced for `model`: an attachment's
/// `file_size` is its content's size; with `bin_size`, every binary field
/// holds its content's size text (or false) instead of the content.
void finish_binary_read(const database& db, std::string_view model, json::array& records, bool bin_size);

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
