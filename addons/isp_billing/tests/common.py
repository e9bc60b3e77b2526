# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import datetime
from unittest.mock import patch

from odoo import fields

from odoo.addons.isp_base.tests.common import IspCase

D = datetime.date


class BillingCase(IspCase):
    """IspCase + an operator of its own (the dashboard and reports can be
    read for it alone), a billing profile that bills, and 'today' under the
    test's control."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.operator = cls.env["res.partner"].create({
            "name": "Test operator", "isp_is_operator": True, "is_company": True})
        for partner in (cls.partner, cls.partner2):
            partner.write({"isp_operator_id": cls.operator.id,
                           "email": "%s@example.com" % partner.id})
        cls.profile_bill = cls.env["isp.billing.profile"].create({
            "name": "Bills on the 1st", "auto_bill": True, "auto_suspend": True,
            "billing_day": 1, "cycle_ends_with_month": True, "due_days": 7, "grace_days": 2})
        cls.profile_own_cycle = cls.env["isp.billing.profile"].create({
            "name": "Own cycle", "auto_bill": True, "auto_suspend": True, "billing_day": 1,
            "cycle_ends_with_month": False, "due_days": 5, "grace_days": 0})
        Payment = cls.env["account.payment"]
        cls.cash = Payment.isp_default_journal(method="cash")
        cls.bkash = Payment.isp_default_journal(method="bkash")
        cls.send_money = Payment.isp_default_journal(method="send_money")
        cls.Invoice = cls.env["account.invoice"]

    def monthly_sub(self, **vals):
        values = {"operator_id": self.operator.id, "billing_profile_id": self.profile_bill.id}
        values.update(vals)
        return self.new_sub(**values)

    def daily_sub(self, **vals):
        values = {"operator_id": self.operator.id, "billing_type": "daily",
                  "plan_id": self.plan_daily.id, "billing_profile_id": False}
        values.update(vals)
        return self.new_sub(**values)

    @contextlib.contextmanager
    def today(self, day):
        """Run with the ISP's local date set to `day`."""
        with patch.object(type(self.Sub), "_isp_today", lambda self: day):
            yield

    def run_billing(self, today, subs=None):
        """The monthly run (in this transaction) over this test's accounts."""
        subs = subs or self.Sub.search([("operator_id", "=", self.operator.id)])
        return subs._isp_run_billing(today=today, sync=True)

    def bills(self, sub, kinds=("first", "period")):
        return self.Invoice.search([("isp_subscription_id", "=", sub.id),
                                    ("isp_kind", "in", kinds)], order="isp_period_start, id")

    def pay(self, invoice, amount=None, journal=None, **kw):
        """A customer payment through `journal` for `amount` (the whole bill
        by default), reconciled with `invoice`."""
        payment = self.env["account.payment"].create(dict({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": invoice.commercial_partner_id.id,
            "amount": invoice.residual if amount is None else amount,
            "currency_id": invoice.currency_id.id, "journal_id": (journal or self.cash).id,
            "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
            "payment_date": fields.Date.today(), "invoice_ids": [(6, 0, invoice.ids)]}, **kw))
        payment.post()
        return payment
