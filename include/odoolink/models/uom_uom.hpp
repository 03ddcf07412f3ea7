#pragma once
/// @file
/// `models::uom_uom`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/uom_uom.hpp.
#include "odoolink/models/v18/uom_uom.hpp"
