#pragma once
/// @file
/// `models::account_payment`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/account_payment.hpp.
#include "odoolink/models/v18/account_payment.hpp"
