#pragma once
/// @file
/// What a model type needs: field descriptors, value types, selections and
/// typed record bindings. Generated model headers include this header only.

#include "odoolink/model/field.hpp"      // IWYU pragma: export
#include "odoolink/model/selection.hpp"  // IWYU pragma: export
#include "odoolink/model/types.hpp"      // IWYU pragma: export
#include "odoolink/model/view.hpp"       // IWYU pragma: export
