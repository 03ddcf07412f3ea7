#pragma once
/// @file
/// `models::stock_move_line`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/stock_move_line.hpp.
#include "odoolink/models/v18/stock_move_line.hpp"
