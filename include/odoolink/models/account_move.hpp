#pragma once
/// @file
/// `models::account_move`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/account_move.hpp.
#include "odoolink/models/v18/account_move.hpp"
