#pragma once
/// @file
/// `models::pos_order_line`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/pos_order_line.hpp.
#include "odoolink/models/v18/pos_order_line.hpp"
