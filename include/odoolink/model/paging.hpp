#pragma once
/// @file
/// Reading a large result page by page, never holding more than one page.
///
/// ```cpp
/// model::pager<partner_row> pages(partners, domain(res_partner::active == true), {.page_size = 2000});
/// ODOOLINK_TRYV(pages.for_each([&](const partner_row& p) { index(p); }));
/// ```
///
/// Without an `order`, pages are cut by id (`id > last id seen`, ordered by
/// id): records created or deleted meanwhile do not shift the pages, so none
/// is skipped or read twice. With an `order`, pages are cut by offset, which
/// concurrent changes can shift.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/model/proxy.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// Settings of a `pager`.
struct page_options {
  std::size_t page_size = 1000;  ///< records per call
  std::string order;             ///< empty: by id, keyset paging (see the file comment)
};

/// Pages of the records of `V` that match a domain.
/// @par Thread Safety  Like its proxy.
template <view V>
class pager {
 public:
  /// Pages over `source` (a proxy; copied, cheap) of the records matching `where`.
  pager(any_proxy source, domain where, page_options options = {}, client::call_options call = {})
      : source_(std::move(source)), where_(std::move(where)), options_(std::move(options)), call_(std::move(call)) {
    if (options_.page_size == 0) options_.page_size = 1;
  }

  /// The next page; an empty page once everything was read.
  /// Errors: those of `search_read`.
  [[nodiscard]] result<decoded<V>> next() {
    if (done_) return decoded<V>{};
    const bool keyset = options_.order.empty();
    search_options search{.limit = static_cast<std::int64_t>(options_.page_size)};
    domain where = where_;
    if (keyset) {
      search.order = "id";
      if (last_id_ != 0) where = std::move(where) && domain::leaf("id", ">", last_id_);
    } else {
      search.order = options_.order;
      search.offset = offset_;
    }
    ids_.clear();
    ODOOLINK_TRY(auto asked, source_.template requested_fields<V>());
    ODOOLINK_TRY(auto reply, source_.connection().execute_kw(source_.search_read_call(where, std::move(asked.names), search), call_));
    ODOOLINK_TRY(auto page, source_.scrubbed(source_.records_decoder().template decode_with<V>(
                                std::move(reply), source_.model_name(),
                                decode_extras{.ids = keyset ? &ids_ : nullptr, .left_out = asked.skipped()})));
    if (keyset && !ids_.empty()) last_id_ = ids_.back();
    offset_ += static_cast<std::int64_t>(page.size());
    if (page.size() < options_.page_size) done_ = true;
    return page;
  }

  /// True once the last page was read.
  [[nodiscard]] bool done() const noexcept { return done_; }

  /// Calls `f(record)` for every record, page by page. Stops at the first error.
  template <class F>
  [[nodiscard]] result<void> for_each(F&& f) {
    while (!done_) {
      ODOOLINK_TRY(auto page, next());
      for (const auto& record : page) f(record);
    }
    return success();
  }

 private:
  any_proxy source_;
  domain where_;
  page_options options_;
  client::call_options call_;
  std::vector<std::int64_t> ids_;
  std::int64_t last_id_ = 0;
  std::int64_t offset_ = 0;
  bool done_ = false;
};

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
