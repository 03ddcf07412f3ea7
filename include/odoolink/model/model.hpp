#pragma once
/// @file
/// The typed model layer: field descriptors and the domain DSL, typed
/// records and their decoder, values and x2many commands, load batches,
/// model proxies, paging and change feeds. Generated model types live in
/// `odoolink/models/<model>.hpp`.

#include "odoolink/model/change_feed.hpp"  // IWYU pragma: export
#include "odoolink/model/decode.hpp"       // IWYU pragma: export
#include "odoolink/model/domain.hpp"       // IWYU pragma: export
#include "odoolink/model/field.hpp"        // IWYU pragma: export
#include "odoolink/model/field_info.hpp"   // IWYU pragma: export
#include "odoolink/model/load.hpp"         // IWYU pragma: export
#include "odoolink/model/paging.hpp"       // IWYU pragma: export
#include "odoolink/model/proxy.hpp"        // IWYU pragma: export
#include "odoolink/model/record.hpp"       // IWYU pragma: export
#include "odoolink/model/selection.hpp"    // IWYU pragma: export
#include "odoolink/model/types.hpp"        // IWYU pragma: export
#include "odoolink/model/values.hpp"       // IWYU pragma: export
#include "odoolink/model/view.hpp"         // IWYU pragma: export
