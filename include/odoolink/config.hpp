#pragma once
/// @file
/// Namespace and ABI macros shared by every odoolink header.

/// Symbol visibility of the public API. odoolink is compiled with hidden
/// visibility by default (-fvisibility=hidden -fvisibility-inlines-hidden),
/// so a shared library exports only what is declared inside
/// `ODOOLINK_BEGIN_NAMESPACE`: the `odoolink::v0` namespace carries this
/// attribute, which makes every public declaration visible from one place.
/// Third-party code compiled into the library (simdjson's inline functions,
/// for instance) and the library's internal-linkage helpers stay hidden.
/// Empty where the compiler has no such attribute.
#if defined(__GNUC__) || defined(__clang__)
#define ODOOLINK_VISIBLE __attribute__((visibility("default")))
#else
#define ODOOLINK_VISIBLE
#endif

/// Everything lives in `odoolink::v0`, an inline namespace, so a future ABI
/// break can live next to this one in one process. The namespace is visible
/// (`ODOOLINK_VISIBLE`): it is the shared library's exported API.
#define ODOOLINK_BEGIN_NAMESPACE inline namespace v0 ODOOLINK_VISIBLE {
#define ODOOLINK_END_NAMESPACE }

/// Forces inlining of the record decoder's per-byte helpers (header-only
/// code that runs in the includer's translation unit). An implementation
/// detail of `odoolink::model`; plain `inline` where the compiler has no
/// such attribute.
#if defined(__GNUC__) || defined(__clang__)
#define ODOOLINK_DETAIL_HOT_INLINE [[gnu::always_inline]] inline
#elif defined(_MSC_VER)
#define ODOOLINK_DETAIL_HOT_INLINE __forceinline
#else
#define ODOOLINK_DETAIL_HOT_INLINE inline
#endif
