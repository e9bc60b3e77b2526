# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Seed 000's rule, through the every-minute job: a monthly account is
suspended when its validity has ended AND a bill is unpaid after its due
date (+ grace); no bill, no suspension; daily accounts expire."""
import datetime

from odoo import fields
from odoo.tests.common import at_install, post_install

from .common import BillingCase


@at_install(False)
@post_install(True)
class TestSuspension(BillingCase):

    def setUp(self):
        super().setUp()
        self.real_today = fields.Date.from_string(fields.Date.today())

    def monthly_billed_long_ago(self, **vals):
        """Activated 40 days ago: its first bill is overdue, its validity over."""
        sub = self.monthly_sub(**vals)
        with self.today(self.real_today - datetime.timedelta(days=40)):
            sub.action_activate()
        return sub

    def past(self, days=1):
        return fields.Datetime.to_string(datetime.datetime.utcnow()
                                         - datetime.timedelta(days=days))

    def run_job(self):
        self.Sub.cron_suspend_expired()

    def test_validity_ended_and_bill_overdue_suspends(self):
        sub = self.monthly_billed_long_ago()
        self.assertTrue(sub.validity_end < fields.Datetime.now())
        self.assertIn("is unpaid", sub.suspension_status)
        self.run_job()
        self.assertEqual((sub.state, sub.suspend_reason), ("suspended", "non_payment"))
        self.assertEqual(sub.state_log_ids[0].user_id.id, self.env.uid)
        self.assertTrue(self.env["isp.notice"].search([("subscription_id", "=", sub.id),
                                                       ("event", "=", "suspend")]))

    def test_faq_1_the_bill_payment_date_has_not_passed(self):
        sub = self.monthly_billed_long_ago()
        bill = self.bills(sub)
        wizard = self.env["isp.due.date.wizard"].sudo(self.cashier).with_context(
            active_id=bill.id).create({"date_due": fields.Date.to_string(
                self.real_today + datetime.timedelta(days=3)), "reason": "promised to pay"})
        wizard.action_apply()  # way 3: edit the bill's due date
        self.assertEqual(bill.move_id.line_ids.filtered(
            lambda ln: ln.account_id == bill.account_id).date_maturity, bill.date_due)
        self.assertIn("has not passed", sub.suspension_status)
        self.run_job()
        self.assertEqual(sub.state, "active")

    def test_grace_days_count(self):
        profile = self.profile_bill.copy({"name": "grace", "grace_days": 60})
        sub = self.monthly_billed_long_ago(billing_profile_id=profile.id)
        self.run_job()
        self.assertEqual(sub.state, "active")

    def test_faq_2_no_bill_no_suspension(self):
        profile = self.profile_bill.copy({"name": "no auto bill", "auto_bill": False})
        sub = self.monthly_sub(billing_profile_id=profile.id)
        sub.action_activate()
        sub.with_context(isp_no_network_event=True).validity_end = self.past()
        self.assertIn("no unpaid bill", sub.suspension_status)
        self.run_job()
        self.assertEqual(sub.state, "active")

    def test_way_1_profile_without_automatic_suspend(self):
        profile = self.profile_bill.copy({"name": "never suspend", "auto_suspend": False})
        sub = self.monthly_billed_long_ago(billing_profile_id=profile.id)
        self.run_job()
        self.assertEqual(sub.state, "active")

    def test_way_2_edit_the_suspend_date(self):
        sub = self.monthly_billed_long_ago()
        sub.validity_end = fields.Datetime.to_string(datetime.datetime.utcnow()
                                                     + datetime.timedelta(days=5))
        self.run_job()
        self.assertEqual(sub.state, "active")

    def test_paid_account_is_not_suspended(self):
        sub = self.monthly_billed_long_ago()
        self.pay(self.bills(sub))
        self.run_job()
        self.assertEqual(sub.state, "active")

    def test_daily_accounts_expire_with_their_validity(self):
        sub = self.daily_sub()
        sub.action_recharge(self.plan_daily)
        self.run_job()
        self.assertEqual(sub.state, "active")
        sub.with_context(isp_no_network_event=True).validity_end = self.past(0.01)
        self.run_job()
        self.assertEqual(sub.state, "expired")
        self.assertEqual(sub.state_log_ids[0].event, "expire")

    def test_other_services_are_never_locked(self):
        sub = self.monthly_billed_long_ago(connection_type="other", username=False)
        self.run_job()
        self.assertEqual(sub.state, "active")

    def test_suspended_then_paid_is_back_at_once(self):
        sub = self.monthly_billed_long_ago()
        self.run_job()
        self.assertEqual(sub.state, "suspended")
        # the overdue first bill paid: valid until its period end, which is
        # over: the customer needs the current bill paid as well
        self.pay(self.bills(sub))
        self.assertEqual(sub.state, "suspended")
        bills = self.Sub.browse(sub.id)
        bills.action_generate_bill()
        self.pay(self.bills(sub)[-1])
        self.assertEqual(sub.state, "active")
        self.assertTrue(sub.validity_end > fields.Datetime.now())
