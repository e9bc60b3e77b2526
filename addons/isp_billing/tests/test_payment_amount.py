# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A payment of 0 (or less) is refused when it is entered, in the cashier's
words, not later at posting with Odoo's "already reconciled"."""
from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from .common import D, BillingCase

Y = 2031


@at_install(False)
@post_install(True)
class TestPaymentAmount(BillingCase):

    def setUp(self):
        super().setUp()
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        self.run_billing("%d-04-01" % Y)
        self.bill = self.bills(sub)[-1]

    def payment_vals(self, amount):
        return {
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": self.bill.commercial_partner_id.id, "amount": amount,
            "currency_id": self.bill.currency_id.id, "journal_id": self.cash.id,
            "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
            "payment_date": fields.Date.today(), "invoice_ids": [(6, 0, self.bill.ids)]}

    def test_zero_payment_is_refused_at_entry_by_a_cashier(self):
        Payment = self.env["account.payment"].sudo(self.cashier)
        before = self.env["account.payment"].search_count([])
        for amount in (0.0, 0.001):
            # a savepoint, as the request's transaction: the refusal leaves nothing
            with self.assertRaisesRegex(ValidationError, "a payment must be more than 0"), \
                    self.env.cr.savepoint():
                Payment.create(self.payment_vals(amount))
        self.assertEqual(self.env["account.payment"].search_count([]), before)
        self.assertEqual(self.bill.state, "open")

    def test_an_entered_payment_cannot_become_zero(self):
        payment = self.env["account.payment"].sudo(self.cashier).create(
            self.payment_vals(100.0))
        with self.assertRaisesRegex(ValidationError, "a payment must be more than 0"):
            payment.write({"amount": 0.0})

    def test_negative_payment_stays_refused(self):
        with self.assertRaises(ValidationError):
            self.env["account.payment"].sudo(self.cashier).create(self.payment_vals(-5.0))

    def test_a_positive_payment_still_pays_the_bill(self):
        payment = self.env["account.payment"].sudo(self.cashier).create(
            self.payment_vals(self.bill.residual))
        payment.sudo().post()
        self.assertEqual((payment.state, self.bill.state), ("posted", "paid"))
