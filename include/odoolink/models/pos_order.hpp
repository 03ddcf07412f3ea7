#pragma once
/// @file
/// `models::pos_order`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/pos_order.hpp.
#include "odoolink/models/v18/pos_order.hpp"
