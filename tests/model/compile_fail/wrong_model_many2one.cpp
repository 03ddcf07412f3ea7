// Compile-fail check: a many2one of one model is no value for a relation to
// another. Built twice by CTest: with ODOOLINK_EXPECT_COMPILE it must build
// (the control: the same code with the right model), without it the build
// must fail (the `wrong` lines).
#include "odoolink/model/values.hpp"
#include "odoolink/models/res_company.hpp"
#include "odoolink/models/res_partner.hpp"

namespace m = odoolink::model;
using odoolink::models::res_company;
using odoolink::models::res_partner;

int main() {
  const m::many2one<res_partner> parent{7, "Deco Addict"};
  auto right = m::values<res_partner>().set(res_partner::parent_id, parent);
  auto by_id = res_partner::parent_id == 7;
#if defined(ODOOLINK_EXPECT_COMPILE)
  auto where = res_partner::parent_id == parent;
  (void)where;
#else
  const m::many2one<res_company> company{1, "YourCompany"};
  auto wrong = m::values<res_partner>().set(res_partner::parent_id, company);  // parent_id relates to res.partner
  (void)wrong;
#endif
  (void)right;
  (void)by_id;
  return 0;
}
