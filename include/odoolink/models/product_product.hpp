#pragma once
/// @file
/// `models::product_product`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/product_product.hpp.
#include "odoolink/models/v18/product_product.hpp"
