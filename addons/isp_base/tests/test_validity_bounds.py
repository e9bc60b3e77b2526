# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 16, finding 9: validities RADIUS can carry. A validity end is at
most 2100-12-31 23:59:59 UTC (RADIUS's Expiration and Session-Timeout are
32-bit counts of seconds, which end on 2106-02-07); a package is valid for
at most 10 years. Plain rules, then as the people who type them."""
import datetime
import unittest

from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from ..lib import validation
from .common import IspCase

DT = datetime.datetime


class TestValidityRules(unittest.TestCase):

    def test_validity_end_bound(self):
        for ok in (None, DT(2026, 3, 1), DT(2100, 12, 31, 23, 59, 59)):
            self.assertTrue(validation.validity_end_ok(ok), ok)
        for bad in (DT(2101, 1, 1), DT(2106, 2, 7, 6, 28, 16), DT(2107, 1, 1),
                    DT(9999, 12, 31, 23, 59, 59)):
            self.assertFalse(validation.validity_end_ok(bad), bad)
        # what RADIUS can say, with room to spare
        self.assertLess(validation.MAX_VALIDITY_END, DT(2106, 2, 7, 6, 28, 15))

    def test_package_validity_bound(self):
        self.assertEqual(validation.max_validity_value("days"), 3660)
        self.assertEqual(validation.max_validity_value("hours"), 87840)
        self.assertEqual(validation.max_validity_value("minutes"), 5270400)
        for value, unit in ((1, "minutes"), (3660, "days"), (87840, "hours"),
                            (5270400, "minutes")):
            self.assertTrue(validation.validity_value_ok(value, unit), (value, unit))
        for value, unit in ((0, "days"), (-1, "hours"), (3661, "days"), (87841, "hours"),
                            (10 ** 9, "minutes"), (10 ** 9, "days")):
            self.assertFalse(validation.validity_value_ok(value, unit), (value, unit))


@at_install(False)
@post_install(True)
class TestValidityBounds(IspCase):

    def test_validity_end_after_2100_is_refused(self):
        sub = self.new_sub(username="t.bound", plan_id=self.plan_daily.id,
                           billing_type="daily", billing_profile_id=False)
        sub.action_activate()
        as_manager = sub.sudo(self.manager)
        # the bound in the manager's language, e.g. 12/31/2100 (en_US)
        bound = self.manager.partner_id.isp_date_text(datetime.date(2100, 12, 31))
        self.assertIn("2100", bound)
        for bad in ("2101-01-01 00:00:00", "2106-02-08 00:00:00", "9999-12-31 23:59:59"):
            with self.assertRaises(ValidationError, msg=bad) as ctx:
                as_manager.write({"validity_end": bad})
            self.assertIn("Valid until", ctx.exception.name)
            self.assertIn(bound, ctx.exception.name)
        as_manager.write({"validity_end": "2100-12-31 23:59:59"})
        self.assertEqual(sub.validity_end, "2100-12-31 23:59:59")
        # a free extension past the bound says so too
        with self.assertRaises(ValidationError):
            as_manager.action_extend_days(30, "reward")
        with self.assertRaises(ValidationError):
            self.new_sub(username="t.bound2", validity_end="2200-01-01 00:00:00")

    def test_package_validity_at_most_ten_years(self):
        Plan = self.env["isp.service.plan"].sudo(self.admin_user)
        base = {"name": "T long", "master_package_id": self.master.id,
                "billing_type": "daily", "customer_price": 10.0}
        for value, unit in ((10 ** 9, "minutes"), (3661, "days"), (87841, "hours")):
            with self.assertRaises(ValidationError, msg=(value, unit)) as ctx:
                Plan.create(dict(base, validity_value=value, validity_unit=unit))
            self.assertIn("10 years", ctx.exception.name)
        plan = Plan.create(dict(base, validity_value=3660, validity_unit="days"))
        self.assertEqual(plan.validity_minutes, 3660 * 1440)
        with self.assertRaises(ValidationError):
            plan.write({"validity_unit": "minutes", "validity_value": 10 ** 9})
        with self.assertRaises(ValidationError):
            plan.write({"validity_value": 87841, "validity_unit": "hours"})
        plan.write({"validity_value": 87840, "validity_unit": "hours"})
        self.assertEqual(plan.validity_minutes, 87840 * 60)
