// The default record of the 27 shipped models against a real Odoo 16.
#include "live/models_live.hpp"

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

TEST_CASE("live: the default record of every shipped Odoo 16 model reads on every protocol") {
  models_live::check_series<ODOOLINK_TEST_ALL_MODELS(odoolink::models::v16)>(16);
}
