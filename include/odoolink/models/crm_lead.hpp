#pragma once
/// @file
/// `models::crm_lead`: the Odoo 18 model (`models::v18` is an inline namespace).
/// Other series: odoolink/models/v<series>/crm_lead.hpp.
#include "odoolink/models/v18/crm_lead.hpp"
