# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install

from odoo.addons.isp_base.tests.common import dt, now

from .common import ResellerCase

D = datetime.date


@at_install(False)
@post_install(True)
class TestResellerMoney(ResellerCase):

    def test_price_chain(self):
        self.assertEqual(self.plan_S._isp_chain_plans(), self.plan_S | self.plan_R)
        self.assertEqual(self.plan_R._isp_chain_plans(), self.plan_R)
        sub = self.reseller_sub(self.S, self.plan_S)
        levels = sub._isp_chain_levels(minutes=10080)
        self.assertEqual([(op, parent, amount) for op, parent, amount in levels],
                         [(self.S, self.R, 240.0), (self.R, self.root, 200.0)])
        # a package the parent does not sell cannot be sold below it
        other = self.env["isp.service.plan"].create({
            "name": "S other", "operator_id": self.S.id, "master_package_id": self.master_b.id,
            "billing_type": "daily", "validity_value": 7, "customer_price": 400,
            "operator_price": 300})
        with self.assertRaisesRegex(UserError, "does not sell T 20M"):
            other._isp_chain_plans()

    def test_prepaid_activation_spends_the_wallet(self):
        self.top_up(self.R, 500.0)
        self.assertEqual(self.balance(self.R), -500.0)
        self.assertEqual(self.R.isp_wallet, 500.0)
        sub = self.reseller_sub(self.R, self.plan_R)
        sub.sudo(self.user_R).action_activate()
        self.assertEqual(sub.state, "active")
        self.assertEqual(self.balance(self.R), -300.0)  # 500 - 200 for 7 days
        charge = sub.isp_charge_ids
        self.assertEqual((charge.kind, charge.minutes, charge.amount), ("minutes", 10080, 200.0))
        # the ISP's income got the top reseller's price
        income = charge.move_id.line_ids.filtered(
            lambda ln: ln.account_id == self.company.isp_operator_income_account_id)
        self.assertEqual(income.credit, 200.0)

    def test_prepaid_without_balance_is_refused_and_nothing_changes(self):
        self.top_up(self.R, 150.0)
        sub = self.reseller_sub(self.R, self.plan_R)
        with self.assertRaisesRegex(UserError, r"has 150.00 .* this costs 200.00"):
            with self.env.cr.savepoint():
                sub.sudo(self.user_R).action_activate()
        sub.invalidate_cache()
        self.assertEqual(sub.state, "draft")
        self.assertFalse(sub.isp_charge_ids)
        self.assertEqual(self.balance(self.R), -150.0)

    def test_sub_reseller_chain_is_charged_at_each_level(self):
        self.top_up(self.R, 1000.0)
        self.top_up(self.S, 300.0)  # S paid R 300: R holds it
        self.assertEqual((self.balance(self.R), self.balance(self.S)), (-700.0, -300.0))
        sub = self.reseller_sub(self.S, self.plan_S)
        sub.sudo(self.user_S).action_activate()
        # S pays R 240, R pays the ISP 200
        self.assertEqual((self.balance(self.S), self.balance(self.R)), (-60.0, -740.0))
        # both levels must afford it
        self.assertEqual(self.S.isp_wallet, 60.0)
        with self.assertRaisesRegex(UserError, "Sub-reseller S has 60.00"):
            with self.env.cr.savepoint():
                self.reseller_sub(self.S, self.plan_S).sudo(self.user_S).action_activate()

    def test_postpaid_credit_limit(self):
        subs = [self.reseller_sub(self.P, self.plan_P) for _i in range(6)]
        for sub in subs[:5]:
            sub.sudo(self.user_P).action_activate()
        self.assertEqual(self.balance(self.P), 1000.0)  # 5 x 200: the limit
        self.assertEqual(self.P.isp_wallet, 0.0)
        with self.assertRaisesRegex(UserError, "pass its credit limit of 1000.00"):
            with self.env.cr.savepoint():
                subs[5].sudo(self.user_P).action_activate()
        subs[5].invalidate_cache()  # the refused transaction is gone
        self.assertEqual(subs[5].state, "draft")
        # "entry cash received" brings it down
        self.top_up(self.P, 400.0)
        subs[5].sudo(self.user_P).action_activate()
        self.assertEqual(self.balance(self.P), 800.0)

    def test_per_minute_charge_and_refund(self):
        self.top_up(self.R, 1000.0)
        sub = self.reseller_sub(self.R, self.plan_R)
        sub.action_activate()
        # used half: suspended early gives back the unused half
        half = fields.Datetime.to_string(now() + datetime.timedelta(minutes=5040))
        sub.sudo().with_context(isp_no_network_event=True).write(
            {"validity_end": half, "isp_charged_until": half})
        sub.action_suspend("asked by the customer")
        refund = sub.isp_charge_ids.filtered(lambda c: c.kind == "refund")
        self.assertAlmostEqual(refund.minutes, -5040, delta=2)
        self.assertAlmostEqual(self.balance(self.R), -1000.0 + 200.0 - 100.0, delta=0.1)
        self.assertAlmostEqual(dt(sub.isp_charged_until), now(), delta=datetime.timedelta(
            minutes=2))
        # resumed: the rest of the validity is charged again
        sub.action_resume()
        self.assertAlmostEqual(self.balance(self.R), -800.0, delta=0.1)
        # disabled: given back again; expired accounts cost nothing more
        sub.action_disable("left")
        self.assertAlmostEqual(self.balance(self.R), -900.0, delta=0.1)

    def test_recharge_charges_the_new_minutes(self):
        self.top_up(self.R, 1000.0)
        sub = self.reseller_sub(self.R, self.plan_R)
        sub.sudo(self.user_R).action_recharge(self.plan_R, journal=self.cash)
        sub.sudo(self.user_R).action_recharge(self.plan_R, journal=self.cash)
        self.assertEqual(len(sub.isp_charge_ids), 2)
        self.assertEqual(sub.isp_charged_until, sub.validity_end)
        # the ISP collected the customer's 2 x 300 for R; R paid 2 x 200
        self.assertEqual(self.balance(self.R), -1000.0 - 600.0 + 400.0)

    def test_a_customer_paying_cash_needs_no_wallet(self):
        """A prepaid reseller with an empty wallet: its customer pays the
        recharge in cash at the ISP's counter; the customer's 300 reach the
        reseller before it is charged 200, so nothing is refused."""
        self.assertEqual(self.balance(self.R), 0.0)
        sub = self.reseller_sub(self.R, self.plan_R)
        sub.action_recharge(self.plan_R, journal=self.cash)
        self.assertEqual(sub.state, "active")
        self.assertEqual(self.balance(self.R), -100.0)

    def test_customer_money_reaches_the_operator_and_parts_sum_to_the_price(self):
        self.top_up(self.R, 1000.0)
        self.top_up(self.S, 500.0)
        sub = self.reseller_sub(self.S, self.plan_S)
        before = {op: self.balance(op) for op in (self.S, self.R)}
        invoice = sub.action_recharge(self.plan_S, pay=False)
        self.assertEqual(invoice.invoice_line_ids.account_id,
                         self.company.isp_operator_sales_account_id)
        self.pay(invoice)  # the customer paid the ISP (online, say) 350
        after = {op: self.balance(op) for op in (self.S, self.R)}
        margin_S = before[self.S] - after[self.S]   # credit = what S earned
        margin_R = before[self.R] - after[self.R]
        self.assertEqual((round(margin_S, 2), round(margin_R, 2)), (110.0, 40.0))
        isp_share = sum(sub.isp_charge_ids.move_id.line_ids.filtered(
            lambda ln: ln.account_id == self.company.isp_operator_income_account_id)
            .mapped("credit"))
        self.assertEqual(isp_share, 200.0)
        self.assertEqual(round(margin_S + margin_R + isp_share, 2), 350.0)
        self.assertTrue(invoice.isp_operator_credited)

    def test_operator_collected_cash(self):
        self.top_up(self.R, 500.0)
        sub = self.reseller_sub(self.R, self.plan_R)
        invoice = sub.action_recharge(self.plan_R, pay=False)
        sub.sudo(self.user_R).action_collect(invoice)
        self.assertEqual((invoice.state, sub.state), ("paid", "active"))
        # R holds the customer's 300 (debit), was credited it, and paid 200
        self.assertEqual(self.balance(self.R), -500.0 + 200.0)

    def test_monthly_reseller_customer(self):
        self.top_up(self.R, 1000.0)
        sub = self.reseller_sub(self.R, self.plan_R_monthly)
        with self.today(D(2031, 3, 1)):
            sub.action_activate()  # the whole of March: R pays 600 now
        self.assertEqual(self.balance(self.R), -400.0)
        bill = self.bills(sub)
        self.assertEqual(bill.amount_total, 900.0)
        self.run_billing("2031-04-01", sub)
        april = self.bills(sub)[-1]
        self.assertEqual(self.balance(self.R), -400.0)  # April is charged when paid
        self.pay(april)
        self.assertEqual(self.balance(self.R), -400.0 - 900.0 + 600.0)
        self.pay(bill)  # March: charged at activation, not again
        self.assertEqual(self.balance(self.R), -400.0 - 900.0 + 600.0 - 900.0)
        self.assertEqual(len(sub.isp_charge_ids), 2)

    def test_static_ip_is_refused_for_resellers(self):
        self.plan_R_monthly.allow_static = True
        with self.assertRaisesRegex(ValidationError, "Static IP customers belong to the ISP"):
            self.reseller_sub(self.R, self.plan_R_monthly, connection_type="static")

    def test_a_reseller_sells_its_own_packages(self):
        with self.assertRaisesRegex(ValidationError, "sells its own packages"):
            self.reseller_sub(self.R, self.plan_S)

    def test_prices_are_set_by_the_parent(self):
        plan = self.plan_R.sudo(self.user_R)
        plan.write({"customer_price": 320.0, "name": "R's best"})
        with self.assertRaisesRegex(AccessError, "set by your parent"):
            plan.write({"operator_price": 1.0})
        # R gives S a package at its price; S cannot give itself one
        self.env["isp.service.plan"].sudo(self.user_R).create({
            "name": "for S", "operator_id": self.S.id, "master_package_id": self.master.id,
            "billing_type": "daily", "validity_value": 1, "customer_price": 60,
            "operator_price": 40})
        with self.assertRaisesRegex(AccessError, "come from its parent"):
            self.env["isp.service.plan"].sudo(self.user_S).create({
                "name": "cheap", "operator_id": self.S.id, "master_package_id": self.master.id,
                "billing_type": "daily", "validity_value": 1, "customer_price": 60,
                "operator_price": 1})

    def test_money_between_operators(self):
        self.top_up(self.R, 100.0)
        self.top_up(self.S, 70.0)  # R received 70 from S
        self.assertEqual((self.balance(self.R), self.balance(self.S)), (-30.0, -70.0))
        # R's own login may record what S paid it, not what Q paid the ISP
        self.env["isp.operator.money.wizard"].sudo(self.user_R).create({
            "operator_id": self.S.id, "amount": 30.0}).action_apply()
        self.assertEqual(self.balance(self.S), -100.0)
        with self.assertRaises(AccessError):
            self.env["isp.operator.money.wizard"].sudo(self.user_R).create({
                "operator_id": self.Q.id, "amount": 30.0,
                "journal_id": self.cash.id}).action_apply()
        # the ISP pays out what a reseller holds
        self.env["isp.operator.money.wizard"].create({
            "operator_id": self.R.id, "amount": 40.0, "direction": "pay",
            "journal_id": self.cash.id}).action_apply()
        self.assertEqual(self.balance(self.R), 40.0)  # it held nothing: now it owes 40

    def test_statement_on_known_data(self):
        # wallet entries are dated in the login's time zone (Dhaka's day is
        # ahead of UTC's after 18:00 UTC), as the statement's default dates
        today = fields.Date.context_today(self.env["isp.operator.statement"])
        self.top_up(self.R, 500.0)
        sub = self.reseller_sub(self.R, self.plan_R)
        sub.action_activate()
        statement = self.env["isp.operator.statement"].create({
            "operator_id": self.R.id, "date_from": today, "date_to": today})
        opening, rows, closing = statement.statement()
        self.assertEqual(opening, 0.0)
        self.assertEqual([(r[3], r[4], r[5]) for r in rows],
                         [(0.0, 500.0, -500.0), (200.0, 0.0, -300.0)])
        self.assertEqual(closing, -300.0)
        statement.action_excel()
        self.assertTrue(statement.file_name.endswith(".xlsx"))

    def test_dashboard_for_an_operator(self):
        self.top_up(self.R, 1000.0)
        self.top_up(self.S, 300.0)
        sub = self.reseller_sub(self.S, self.plan_S)
        sub.action_recharge(self.plan_S)  # the customer paid the ISP 350 in cash
        fig_R = self.env["isp.dashboard"].create({"operator_id": self.R.id}).figures()
        self.assertEqual(fig_R["operator_balance"], self.balance(self.R))
        self.assertEqual(fig_R["commission_month"], 40.0)   # 240 - 200
        fig_S = self.env["isp.dashboard"].create({"operator_id": self.S.id}).figures()
        self.assertEqual(fig_S["commission_month"], 110.0)  # 350 - 240
        self.assertEqual(fig_S["active_count"], 1)
        everybody = self.env["isp.dashboard"].create({}).figures()
        self.assertGreaterEqual(everybody["reseller_payable"], -self.balance(self.R)
                                - self.balance(self.S))
