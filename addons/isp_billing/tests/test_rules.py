# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import unittest

from ..lib import proration, sms

D = datetime.date


class TestProration(unittest.TestCase):

    def test_month_lengths(self):
        # 900 a month, 10 days left in February (28), leap February (29), April
        # (30) and January (31)
        cases = [(10, 28, 321.43), (10, 29, 310.34), (10, 30, 300.0), (10, 31, 290.32),
                 (28, 28, 900.0), (1, 31, 29.03), (0, 30, 0.0)]
        for days, month, expected in cases:
            self.assertEqual(proration.prorate(900, days, month), expected, (days, month))

    def test_rounding_of_the_currency(self):
        self.assertEqual(proration.prorate(1000, 10, 31, rounding=1.0), 323.0)
        self.assertEqual(proration.prorate(999.99, 1, 3), 333.33)
        self.assertEqual(proration.prorate(0.05, 1, 2), 0.03)  # half up
        self.assertEqual(proration.round_money(2.675), 2.68)   # not binary 2.67

    def test_refused(self):
        for days, month in ((32, 31), (-1, 30), (1, 0)):
            with self.assertRaises(ValueError):
                proration.prorate(900, days, month)

    def test_plan_change_in_the_middle_of_a_period(self):
        # March (31 days): from 900 to 1500 on the 21st -> 11 days left
        credit, charge, days = proration.plan_change(900, 1500, D(2026, 3, 21), D(2026, 3, 1),
                                                     D(2026, 3, 31))
        self.assertEqual((credit, charge, days), (319.35, 532.26, 11))
        # on the first day: the whole period moves
        self.assertEqual(proration.plan_change(900, 1500, D(2026, 4, 1), D(2026, 4, 1),
                                               D(2026, 4, 30)), (900.0, 1500.0, 30))
        with self.assertRaises(ValueError):
            proration.plan_change(900, 1500, D(2026, 5, 1), D(2026, 4, 1), D(2026, 4, 30))

    def test_period_label(self):
        self.assertEqual(proration.period_label(D(2026, 3, 1), D(2026, 3, 31)),
                         "01/03/2026 - 31/03/2026")


class TestSms(unittest.TestCase):

    def test_segments(self):
        self.assertEqual(sms.segments(""), 0)
        self.assertEqual(sms.segments("a" * 160), 1)
        self.assertEqual(sms.segments("a" * 161), 2)
        self.assertEqual(sms.segments("a" * 306), 2)
        self.assertEqual(sms.segments("a" * 307), 3)
        self.assertEqual(sms.segments("€" * 80), 1)    # extension characters count 2
        self.assertEqual(sms.segments("€" * 81), 2)
        self.assertEqual(sms.segments("বিল" * 23), 1)  # Bangla: UCS-2, 70 per part
        self.assertEqual(sms.segments("বিল" * 24), 2)

    def test_provider_answers(self):
        pattern = r'"status"\s*:\s*"SUCCESS"'
        self.assertTrue(sms.is_success(200, '{"status": "SUCCESS"}', pattern))
        self.assertFalse(sms.is_success(200, '{"status": "FAILED", "error": "balance"}',
                                        pattern))
        self.assertFalse(sms.is_success(500, '{"status": "SUCCESS"}', pattern))
        self.assertTrue(sms.is_success(202, "queued", None))

    def test_mask(self):
        text = "Card 1234-5678: PIN 4321-8765-1111, use PIN 4321-8765-1111 soon"
        self.assertEqual(sms.mask(text, ["4321-8765-1111"]),
                         "Card 1234-5678: PIN **************, use PIN ************** soon")
        self.assertEqual(sms.mask(text, {"4321-8765-1111": "****-****-1111"}),
                         "Card 1234-5678: PIN ****-****-1111, use PIN ****-****-1111 soon")
        # a secret inside a longer one: the longer is replaced whole
        self.assertEqual(sms.mask("code 123456, part 1234", ["1234", "123456"]),
                         "code ******, part ****")
        self.assertEqual(sms.mask("no secret", [""]), "no secret")
        self.assertIsNone(sms.mask(None, ["x"]))
