#pragma once
/// @file
/// `models::res_partner`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/res_partner.hpp.
#include "odoolink/models/v18/res_partner.hpp"
