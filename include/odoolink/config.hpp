#pragma once
/// @file
/// Namespace and ABI macros shared by every odoolink header.

/// Everything lives in `odoolink::v0`, an inline namespace, so a future ABI
/// break can live next to this one in one process.
#define ODOOLINK_BEGIN_NAMESPACE inline namespace v0 {
#define ODOOLINK_END_NAMESPACE }
