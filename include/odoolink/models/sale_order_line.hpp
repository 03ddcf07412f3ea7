#pragma once
/// @file
/// `models::sale_order_line`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/sale_order_line.hpp.
#include "odoolink/models/v18/sale_order_line.hpp"
