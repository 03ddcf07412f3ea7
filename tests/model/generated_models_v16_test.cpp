// Every generated Odoo 16 model header (models::v16) compiles (all in one
// translation unit), and every full record decodes a response with every
// field of the Odoo 16 recording set and with every field empty.
#include <doctest/doctest.h>

#include <type_traits>

#include "generated_models.hpp"
#include "odoolink/models/v16/account_journal.hpp"
#include "odoolink/models/v16/account_move.hpp"
#include "odoolink/models/v16/account_move_line.hpp"
#include "odoolink/models/v16/account_payment.hpp"
#include "odoolink/models/v16/account_tax.hpp"
#include "odoolink/models/v16/crm_lead.hpp"
#include "odoolink/models/v16/pos_order.hpp"
#include "odoolink/models/v16/pos_order_line.hpp"
#include "odoolink/models/v16/product_category.hpp"
#include "odoolink/models/v16/product_product.hpp"
#include "odoolink/models/v16/product_template.hpp"
#include "odoolink/models/v16/purchase_order.hpp"
#include "odoolink/models/v16/purchase_order_line.hpp"
#include "odoolink/models/v16/res_company.hpp"
#include "odoolink/models/v16/res_currency.hpp"
#include "odoolink/models/v16/res_partner.hpp"
#include "odoolink/models/v16/res_users.hpp"
#include "odoolink/models/v16/sale_order.hpp"
#include "odoolink/models/v16/sale_order_line.hpp"
#include "odoolink/models/v16/stock_location.hpp"
#include "odoolink/models/v16/stock_lot.hpp"
#include "odoolink/models/v16/stock_move.hpp"
#include "odoolink/models/v16/stock_move_line.hpp"
#include "odoolink/models/v16/stock_picking.hpp"
#include "odoolink/models/v16/stock_quant.hpp"
#include "odoolink/models/v16/stock_warehouse.hpp"
#include "odoolink/models/v16/uom_uom.hpp"

namespace ol = odoolink;

TEST_CASE("every generated Odoo 16 record decodes a full and an empty response") {
  generated_models::check_all(16, static_cast<ODOOLINK_TEST_ALL_MODELS(ol::models::v16)*>(nullptr));
  // Relations stay inside the series.
  static_assert(std::is_same_v<decltype(ol::models::v16::res_partner::record::parent_id),
                               ol::model::many2one<ol::models::v16::res_partner>>);
}
