#pragma once
/// @file
/// Files in Odoo (`ir.attachment`) up and down without extra copies of
/// their content: an upload encodes base64 straight into the request body
/// (from the caller's bytes or piece by piece from a file), a download
/// decodes the `datas` base64 straight from the response buffer into the
/// caller's bytes or file. Peak memory is about one base64 text plus one
/// raw copy (the raw one only when the caller asks for bytes in memory).
/// Every protocol works: JSON-RPC, web session, JSON-2 and XML-RPC.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/client/options.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

/// What describes a new attachment besides its content.
struct attachment_options {
  std::string name;          ///< file name shown in Odoo (required)
  std::string mimetype;      ///< e.g. `application/pdf`; empty: Odoo guesses from the name and content
  std::string res_model;     ///< model of the record it belongs to; empty: none
  std::int64_t res_id = 0;   ///< id of that record; 0: none
  std::string description;   ///< free text; empty: none
};

/// An attachment's facts, read without its content (Odoo's `bin_size` read).
struct attachment_info {
  std::int64_t id = 0;
  std::string name;
  std::string mimetype;
  std::string res_model;      ///< empty when it belongs to no record
  std::int64_t res_id = 0;    ///< 0 when it belongs to no record
  std::int64_t file_size = 0; ///< content size in bytes (`file_size`)
  /// The size as the server words it when `datas` is read with the context
  /// key `bin_size` (e.g. "5.00 Mb"); empty when the attachment has no content.
  std::string size_text;
};

/// Creates an `ir.attachment` holding `content`; returns its id. The base64
/// text is written straight into the request body: no `json::value` string
/// of it is built. Errors: protocol_errc::unsupported_call (no name given);
/// as `client::execute_kw` (`ir.attachment.create`).
/// @par Thread Safety  As the client: one thread at a time per connection.
[[nodiscard]] result<std::int64_t> upload_attachment(client& c, const attachment_options& what,
                                                     std::span<const std::byte> content,
                                                     const call_options& options = {});

/// As above, with the content read from `file` piece by piece while the
/// body is encoded (the file is never held whole in memory as raw bytes).
/// Errors: std::errc::no_such_file_or_directory / io_error naming the file;
/// as above.
[[nodiscard]] result<std::int64_t> upload_attachment(client& c, const attachment_options& what,
                                                     const std::filesystem::path& file,
                                                     const call_options& options = {});

/// Reads attachment `id`'s content, decoded from the response buffer
/// straight into the returned bytes (empty for an attachment without
/// content). Errors: odoo_errc::missing_error (no attachment `id`, or not
/// readable); protocol_errc::unexpected_type (`datas` is not base64, e.g. a
/// size because the context holds `bin_size`); as `client::execute_kw`.
[[nodiscard]] result<std::vector<std::byte>> download_attachment(client& c, std::int64_t id,
                                                                 const call_options& options = {});

/// As above, writing the content to `file` (created or truncated) piece by
/// piece; returns the number of bytes written. Errors: as above, plus
/// std::errc::io_error naming the file.
[[nodiscard]] result<std::size_t> download_attachment(client& c, std::int64_t id, const std::filesystem::path& file,
                                                      const call_options& options = {});

/// Reads attachment `id`'s facts without its content: `datas` is read with
/// the context key `bin_size` set, so the server sends its size instead.
/// Errors: odoo_errc::missing_error; as `client::execute_kw`.
[[nodiscard]] result<attachment_info> read_attachment_info(client& c, std::int64_t id,
                                                           const call_options& options = {});

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
