#pragma once
/// @file
/// `models::stock_location`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/stock_location.hpp.
#include "odoolink/models/v18/stock_location.hpp"
