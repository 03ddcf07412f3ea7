#pragma once
/// @file
/// `models::sale_order`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/sale_order.hpp.
#include "odoolink/models/v18/sale_order.hpp"
