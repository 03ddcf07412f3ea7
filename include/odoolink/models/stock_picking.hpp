#pragma once
/// @file
/// `models::stock_picking`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/stock_picking.hpp.
#include "odoolink/models/v18/stock_picking.hpp"
