#pragma once
/// @file
/// `models::stock_warehouse`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/stock_warehouse.hpp.
#include "odoolink/models/v18/stock_warehouse.hpp"
