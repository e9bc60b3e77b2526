# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import unittest

from ..lib import packages

ISP, RESELLER, SUB = 1, 10, 20


class TestSellable(unittest.TestCase):

    def test_a_resellers_customer_buys_the_resellers_own_packages(self):
        cases = [
            # package sold by, customer of, that operator is a reseller, may have it
            (RESELLER, RESELLER, True, True),
            (SUB, SUB, True, True),
            (RESELLER, SUB, True, False),    # the parent's package, for its sub's customer
            (SUB, RESELLER, True, False),    # the sub's package, for its parent's customer
            (ISP, RESELLER, True, False),    # the ISP's package, for a reseller's customer
            (False, RESELLER, True, False),  # a package sold by nobody
            (ISP, ISP, False, True),         # the ISP's own customers
            (RESELLER, ISP, False, True),
        ]
        for plan_operator, customer_operator, is_reseller, expected in cases:
            self.assertIs(packages.sellable(plan_operator, customer_operator, is_reseller),
                          expected, (plan_operator, customer_operator, is_reseller))
