# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import unittest

from ..lib import commission


class TestCommissionSplit(unittest.TestCase):

    def test_parts_sum_to_what_the_customer_paid(self):
        cases = [
            # customer amount, chain prices [closest .. top], ratio, expected parts
            (900.0, [], 1.0, [900.0]),                          # direct sale
            (900.0, [600.0], 1.0, [300.0, 600.0]),             # resell
            (350.0, [240.0, 200.0], 1.0, [110.0, 40.0, 200.0]),  # sub-resell
            (333.33, [222.22, 111.11], 1.0, [111.11, 111.11, 111.11]),
            (290.32, [600.0], 10 / 31.0, [96.77, 193.55]),     # a prorated first bill
            (100.0, [66.67, 33.33], 1 / 3.0, [77.78, 11.11, 11.11]),
            (0.05, [0.03, 0.01], 0.5, [0.03, 0.01, 0.01]),
            (1000.0, [1100.0], 1.0, [-100.0, 1100.0]),         # sold below cost: a loss
        ]
        for amount, chain, ratio, expected in cases:
            parts = commission.split(amount, chain, ratio=ratio)
            self.assertEqual(parts, expected, (amount, chain, ratio))
            self.assertEqual(round(sum(parts), 2), round(amount, 2), (amount, chain, ratio))

    def test_awkward_amounts_always_sum_exactly(self):
        for cents in range(1, 5000, 37):
            amount = cents / 100.0 + 100
            for ratio in (1.0, 1 / 3.0, 7 / 31.0, 29 / 30.0):
                parts = commission.split(amount, [amount * 0.7, amount * 0.55], ratio=ratio)
                self.assertEqual(round(sum(parts), 2), round(amount, 2))
                for rounding in (1.0, 0.05):
                    rounded = commission.split(round(amount), [amount * 0.7], ratio=ratio,
                                               rounding=rounding)
                    self.assertAlmostEqual(sum(rounded), round(amount), places=6)

    def test_chain_charges_and_minutes(self):
        self.assertEqual(commission.chain_charges([240.0, 200.0], ratio=0.5), [120.0, 100.0])
        self.assertEqual(commission.minutes_ratio(5040, 10080), 0.5)
        with self.assertRaises(ValueError):
            commission.minutes_ratio(10, 0)

    def test_wallet_rules(self):
        # prepaid: spends what it holds (a negative balance)
        self.assertTrue(commission.wallet_allows(-300.0, 300.0, "prepaid", 0))
        self.assertFalse(commission.wallet_allows(-299.99, 300.0, "prepaid", 0))
        self.assertFalse(commission.wallet_allows(0.0, 0.01, "prepaid", 5000))
        # postpaid: may owe up to its credit limit
        self.assertTrue(commission.wallet_allows(800.0, 200.0, "postpaid", 1000.0))
        self.assertFalse(commission.wallet_allows(800.01, 200.0, "postpaid", 1000.0))
        self.assertFalse(commission.wallet_allows(0.0, 1.0, "postpaid", 0.0))
