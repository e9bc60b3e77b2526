# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which packages a customer of an operator may have.

A package belongs to the operator that sells it ("Sold by"): its name, its
customer price, the price its parent charges it. A reseller's customer, at
any depth of the chain, buys that reseller's own packages, so that the chain
is charged along the reseller's parents; a sub-reseller's customer is sold
the sub-reseller's packages, never its parent's. The ISP's own customers are
not limited by this rule.
"""


def sellable(plan_operator_id, customer_operator_id, customer_operator_is_reseller):
    """True when a package sold by `plan_operator_id` may be the package of
    a customer of `customer_operator_id` (ids of operators)."""
    if not customer_operator_is_reseller:
        return True
    return bool(plan_operator_id) and plan_operator_id == customer_operator_id
