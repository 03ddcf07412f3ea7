#pragma once
/// @file
/// Options shared by every protocol decoder.

#include <cstddef>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol {

/// Limits for decoding untrusted response bodies.
struct decode_options {
  /// Larger bodies fail with protocol_errc::response_too_large before parsing.
  std::size_t max_bytes = std::size_t{512} << 20U;
  /// Deeper nesting fails with protocol_errc::nesting_too_deep.
  std::size_t max_depth = 512;
};

}  // namespace protocol
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
