#pragma once
/// @file
/// `models::res_currency`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/res_currency.hpp.
#include "odoolink/models/v18/res_currency.hpp"
