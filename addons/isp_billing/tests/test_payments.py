# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install

from odoo.addons.isp_base.tests.common import dt, now

from .common import D, BillingCase

Y = 2031


@at_install(False)
@post_install(True)
class TestPayments(BillingCase):

    def activated(self, day=None, **vals):
        sub = self.monthly_sub(**vals)
        with self.today(day or D(Y, 3, 1)):
            sub.action_activate()
        return sub

    def test_full_payment_extends_to_the_end_of_the_paid_period(self):
        sub = self.activated()
        self.run_billing("%d-04-01" % Y)
        march, april = self.bills(sub)
        self.pay(april)
        self.assertEqual(april.state, "paid")
        self.assertTrue(april.isp_validity_applied)
        self.assertEqual(sub.validity_end, "%d-04-30 23:59:59" % Y)
        # paying the older bill later never shortens it
        self.pay(march)
        self.assertEqual(sub.validity_end, "%d-04-30 23:59:59" % Y)

    def test_partial_payment_does_not_extend(self):
        # seed 000: "Partial payment is not allowed here"
        sub = self.activated()
        self.run_billing("%d-04-01" % Y)
        april = self.bills(sub)[-1]
        self.pay(april, amount=500.0)
        self.assertEqual((april.state, april.residual), ("open", 400.0))
        self.assertEqual(sub.validity_end, "%d-03-31 23:59:59" % Y)
        self.assertFalse(april.isp_validity_applied)
        self.pay(april)  # the rest
        self.assertEqual(sub.validity_end, "%d-04-30 23:59:59" % Y)

    def test_payment_resumes_an_account_suspended_for_its_bill(self):
        sub = self.activated()
        self.run_billing("%d-04-01" % Y)
        sub.action_suspend("unpaid", suspend_reason="non_payment")
        self.pay(self.bills(sub)[-1])
        self.assertEqual(sub.state, "active")
        log = sub.state_log_ids[0]
        self.assertEqual((log.from_state, log.to_state, log.event), ("suspended", "active",
                                                                    "payment"))

    def test_payment_does_not_resume_a_manual_suspension(self):
        sub = self.activated()
        sub.action_suspend("customer asked", suspend_reason="manual")
        self.pay(self.bills(sub))
        self.assertEqual(sub.state, "suspended")

    def test_advance_payment_pays_the_next_bills(self):
        sub = self.activated()
        self.pay(self.bills(sub))  # March paid
        sub.sudo(self.cashier)._isp_receive(2000.0, self.cash)  # money ahead
        self.assertEqual(self.partner.credit, -2000.0)
        self.run_billing("%d-04-01" % Y)
        april = self.bills(sub)[-1]
        self.assertEqual(april.state, "paid")
        self.assertEqual(sub.validity_end, "%d-04-30 23:59:59" % Y)
        self.run_billing("%d-05-01" % Y)
        may = self.bills(sub)[-1]
        self.assertEqual((may.state, may.residual), ("paid", 0.0))
        self.run_billing("%d-06-01" % Y)
        june = self.bills(sub)[-1]
        self.assertEqual((june.state, june.residual), ("open", 700.0))  # 2000 - 2 x 900 = 200
        self.assertEqual(sub.validity_end, "%d-05-31 23:59:59" % Y)

    def test_advance_payment_first_pays_what_is_open(self):
        sub = self.activated()
        sub._isp_receive(1000.0, self.cash)
        self.assertEqual(self.bills(sub).state, "paid")
        self.assertEqual(self.partner.credit, -100.0)

    def test_transaction_references_are_unique_per_method(self):
        sub = self.activated()
        self.run_billing("%d-05-01" % Y)
        march, april, may = self.bills(sub)
        self.pay(march, journal=self.bkash, isp_reference="8N7A6B5C4D")
        with self.assertRaisesRegex(ValidationError, "8n7a6b5c4d was already entered"):
            self.pay(april, journal=self.bkash, isp_reference="8n7a6b5c4d")
        self.assertEqual(april.state, "open")
        # the same text under another method is another transfer
        self.pay(april, journal=self.send_money, isp_reference="8N7A6B5C4D",
                 isp_sender_number="+8801711000555")
        with self.assertRaisesRegex(ValidationError, "needs the transaction reference"):
            self.pay(may, journal=self.bkash)
        with self.assertRaisesRegex(ValidationError, "sender's number"):
            self.pay(may, journal=self.send_money, isp_reference="XYZ1")

    def test_cash_paid_action_on_the_bills_list(self):
        # Bills and Payments / Bills / Action / Paid
        subs = self.activated() | self.activated()
        bills = self.Invoice.search([("isp_subscription_id", "in", subs.ids)])
        wizard = self.env["isp.bill.payment.wizard"].sudo(self.cashier).with_context(
            active_ids=bills.ids).create({})
        self.assertEqual((wizard.journal_id, wizard.amount), (self.cash, 1800.0))
        wizard.action_pay()
        self.assertEqual(bills.mapped("state"), ["paid", "paid"])
        payments = self.env["account.payment"].search([("invoice_ids", "in", bills.ids)])
        self.assertEqual(sorted(payments.mapped("amount")), [900.0, 900.0])
        self.assertEqual(payments.mapped("journal_id"), self.cash)

    def test_technician_cannot_take_payments(self):
        sub = self.activated()
        with self.assertRaises(AccessError):
            self.env["isp.bill.payment.wizard"].sudo(self.technician).with_context(
                active_ids=self.bills(sub).ids).create({}).action_pay()


@at_install(False)
@post_install(True)
class TestRecharge(BillingCase):

    def test_recharge_an_expired_account_from_now(self):
        sub = self.daily_sub()
        invoice = sub.sudo(self.cashier).action_recharge(self.plan_daily)
        self.assertEqual((invoice.state, invoice.amount_total, invoice.isp_kind),
                         ("paid", 250.0, "recharge"))
        self.assertEqual(sub.state, "active")
        self.assertAlmostEqual((dt(sub.validity_end) - now()).total_seconds(), 7 * 86400,
                               delta=120)
        payment = self.env["account.payment"].search([("invoice_ids", "=", invoice.id)])
        self.assertEqual((payment.amount, payment.journal_id, payment.state),
                         (250.0, self.cash, "posted"))

    def test_recharge_an_active_account_from_its_end(self):
        sub = self.daily_sub()
        sub.action_recharge(self.plan_daily)
        end = dt(sub.validity_end)
        sub.action_recharge(self.plan_daily)
        self.assertEqual(dt(sub.validity_end), end + datetime.timedelta(days=7))
        self.assertEqual(len(sub.invoice_ids), 2)

    def test_recharge_by_the_hour_on_a_hotspot(self):
        sub = self.daily_sub(connection_type="hotspot", plan_id=self.plan_hotspot_hours.id)
        sub.action_recharge(self.plan_hotspot_hours, journal=self.bkash, reference="BK123")
        self.assertAlmostEqual((dt(sub.validity_end) - now()).total_seconds(), 3 * 3600,
                               delta=120)
        # another package changes the account's package
        sub.action_recharge(self.plan_daily, journal=self.bkash, reference="BK124")
        self.assertEqual(sub.plan_id, self.plan_daily)

    def test_recharge_is_refused_in_words(self):
        monthly = self.monthly_sub()
        with self.assertRaisesRegex(UserError, "billed monthly"):
            monthly.action_recharge(self.plan_daily)
        sub = self.daily_sub()
        with self.assertRaisesRegex(UserError, "cannot be sold"):
            sub.action_recharge(self.plan_monthly)
        sub.action_recharge(self.plan_daily)
        sub.action_disable("gone")
        with self.assertRaisesRegex(UserError, "is disabled"):
            sub.action_recharge(self.plan_daily)
        with self.assertRaises(AccessError):
            self.daily_sub().sudo(self.technician).action_recharge(self.plan_daily)

    def test_unpaid_recharge_does_nothing_until_paid(self):
        sub = self.daily_sub()
        invoice = sub.action_recharge(self.plan_daily, pay=False)
        self.assertEqual((invoice.state, sub.state), ("open", "draft"))
        self.pay(invoice, amount=100.0)
        self.assertEqual(sub.state, "draft")
        self.pay(invoice)
        self.assertEqual(sub.state, "active")
        self.assertTrue(fields.Datetime.from_string(sub.validity_end) > now())
