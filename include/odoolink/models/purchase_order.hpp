#pragma once
/// @file
/// `models::purchase_order`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/purchase_order.hpp.
#include "odoolink/models/v18/purchase_order.hpp"
