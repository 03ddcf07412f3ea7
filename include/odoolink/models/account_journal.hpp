#pragma once
/// @file
/// `models::account_journal`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/account_journal.hpp.
#include "odoolink/models/v18/account_journal.hpp"
