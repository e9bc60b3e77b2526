# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .common import CardsCase


@at_install(False)
@post_install(True)
class TestCardAccounting(CardsCase):

    def test_isp_cards_handover_money_redemption(self):
        income = self.plan_daily.product_id.property_account_income_id or \
            self.plan_daily.product_id.categ_id.property_account_income_categ_id
        income_before = self.balance(income)
        cash_account = self.cash.default_debit_account_id
        cash_before = self.balance(cash_account)
        batch = self.batch(self.D, quantity=4, commission=10.0)   # 4 x 250
        # handover: D owes 960, commission 40, 1000 of cards not used yet
        self.assertEqual(self.balance(self.acc_receivable, self.D), 960.0)
        self.assertEqual(self.balance(self.acc_commission), 40.0)
        self.assertEqual(self.balance(self.acc_deferred), -1000.0)
        self.assertEqual((self.D.isp_card_balance, self.D.isp_card_commission), (960.0, 40.0))
        # money received from the distributor
        move = self.D.action_isp_card_money(500.0, journal=self.cash, reference="R-1")
        self.assertEqual(move.journal_id, self.cash)
        self.assertEqual(self.balance(cash_account) - cash_before, 500.0)
        self.assertEqual(self.balance(self.acc_receivable, self.D), 460.0)
        with self.assertRaisesRegex(UserError, "positive"):
            self.D.action_isp_card_money(0.0)
        # redemption: the recharge bill is paid from the deferred revenue
        sub = self.isp_sub()
        card = batch.card_ids[0]
        self.Card.redeem(card.pin, sub)
        self.assertEqual(self.balance(self.acc_deferred), -750.0)
        self.assertEqual(self.balance(income) - income_before, -250.0)  # income once
        receivable = sub.partner_id.property_account_receivable_id
        self.assertEqual(self.balance(receivable, sub.partner_id), 0.0)
        # the card paid: a payment of the "recharge card" method, no cash
        payment = self.env["account.payment"].search([("partner_id", "=", sub.partner_id.id)])
        self.assertEqual((payment.isp_payment_method, payment.isp_reference, payment.amount),
                         ("card", card.serial, 250.0))
        self.assertEqual(self.balance(cash_account) - cash_before, 500.0)
        # cancelling the rest gives the handover back
        batch.action_cancel()
        self.assertEqual(batch.state, "cancelled")
        self.assertEqual(sorted(batch.card_ids.mapped("state")),
                         ["cancelled", "cancelled", "cancelled", "redeemed"])
        self.assertEqual(self.balance(self.acc_deferred), 0.0)
        self.assertEqual(self.balance(self.acc_commission), 10.0)
        self.assertEqual(self.balance(self.acc_receivable, self.D), 460.0 - 720.0)

    def test_reseller_cards_money_goes_to_the_reseller(self):
        """DR sells R's cards: R pays DR's commission, takes DR's cash, is
        credited the customer's price when a card is used and charged its
        own purchase price (isp_reseller's chain)."""
        soon = fields.Date.to_string(datetime.date.today() + datetime.timedelta(days=10))
        batch = self.batch(self.DR, plan=self.plan_R, quantity=2, commission=10.0,
                           expiry_date=soon)  # 2 x 300
        self.assertEqual(self.balance(self.acc_operator, self.R), 20.0)
        self.assertEqual(self.balance(self.acc_receivable, self.DR), 580.0)
        self.assertEqual(self.balance(self.acc_deferred), -600.0)
        self.assertEqual(self.balance(self.acc_commission), 0.0)  # not the ISP's expense
        # the ISP received DR's money (for R: R is credited when the cards are used)
        self.DR.action_isp_card_money(580.0, journal=self.cash)
        self.assertEqual(self.balance(self.cash.default_debit_account_id), 580.0)
        self.assertEqual(self.balance(self.acc_receivable, self.DR), 0.0)
        self.assertEqual(self.balance(self.acc_operator, self.R), 20.0)
        sub = self.reseller_sub(self.R, self.plan_R)
        isp_income = self.company.isp_operator_income_account_id
        self.Card.redeem(batch.card_ids[0].pin, sub)
        self.assertEqual(sub.state, "active")
        # R: +20 (commission) - 300 (its customer's card) + 200 (bought 7 days):
        # its prepaid wallet holds 80
        self.assertEqual(self.balance(self.acc_operator, self.R), -80.0)
        self.assertEqual(self.balance(isp_income), -200.0)
        self.assertEqual(self.balance(self.acc_deferred), -300.0)
        self.assertEqual(self.balance(self.company.isp_operator_sales_account_id), 0.0)
        # the other card expires unused: R keeps its money
        with self.assertRaises(UserError):
            self.Card.redeem(batch.card_ids[0].pin, sub)
        later = fields.Date.from_string(batch.expiry_date) + datetime.timedelta(days=1)
        self.assertEqual(self.Card.cron_expire(today=fields.Date.to_string(later)), 1)
        self.assertEqual(self.balance(self.acc_deferred), 0.0)
        # R gets the whole 580 the ISP received, less what it bought
        self.assertEqual(self.balance(self.acc_operator, self.R), -380.0)

    def test_reseller_took_its_distributors_money(self):
        """Entered by the reseller's login: the reseller holds the money (its
        ledger owes it) until its customers use the cards."""
        self.top_up(self.R, 200.0)
        batch = self.batch(self.DR, plan=self.plan_R, quantity=1, commission=10.0)
        self.DR.sudo(self.user_R).action_isp_card_money(290.0)
        self.assertEqual(self.balance(self.acc_receivable, self.DR), 0.0)
        self.assertEqual(self.balance(self.acc_operator, self.R), -200.0 + 10.0 + 290.0)
        self.Card.redeem(batch.card_ids.pin, self.reseller_sub(self.R, self.plan_R))
        # R owes nothing for the card it sold; it paid 200 for the 7 days
        self.assertEqual(self.balance(self.acc_operator, self.R), 0.0)
        with self.assertRaisesRegex(UserError, "works for the ISP"):
            self.D.action_isp_card_money(10.0, received_by="operator")

    def test_isp_cards_expire_as_income(self):
        soon = fields.Date.to_string(datetime.date.today() + datetime.timedelta(days=10))
        batch = self.batch(self.D, quantity=2, commission=0.0, expiry_date=soon)
        later = fields.Date.from_string(batch.expiry_date) + datetime.timedelta(days=1)
        self.assertEqual(self.Card.cron_expire(today=fields.Date.to_string(later)), 2)
        self.assertEqual(set(batch.card_ids.mapped("state")), {"expired"})
        self.assertEqual(self.balance(self.acc_deferred), 0.0)
        self.assertEqual(self.balance(self.acc_breakage), -500.0)
        self.assertEqual(self.Card.cron_expire(today=fields.Date.to_string(later)), 0)

    def test_sub_reseller_cards_follow_the_chain(self):
        """A card shop of sub-reseller S (under R): S pays the commission and
        is credited its customer's card; S is charged 240 by R, R 200 by
        the ISP (isp_reseller's chain)."""
        DS = self.env["res.partner"].create({
            "name": "Shop DS", "isp_is_card_distributor": True, "isp_operator_id": self.S.id})
        self.top_up(self.R, 200.0)
        batch = self.batch(DS, plan=self.plan_S, quantity=1, commission=15.0)  # 350
        self.assertEqual(self.balance(self.acc_operator, self.S), 15.0)
        self.assertEqual(self.balance(self.acc_deferred), -350.0)
        sub = self.reseller_sub(self.S, self.plan_S)
        self.Card.redeem(batch.card_ids.pin, sub)
        self.assertEqual(sub.state, "active")
        self.assertEqual(self.balance(self.acc_operator, self.S), 15.0 - 350.0 + 240.0)
        self.assertEqual(self.balance(self.acc_operator, self.R), -200.0 - 240.0 + 200.0)
        self.assertEqual(self.balance(self.company.isp_operator_income_account_id), -200.0)
        self.assertEqual(self.balance(self.acc_deferred), 0.0)
        self.assertEqual((DS.isp_card_stock, DS.isp_card_sold, DS.isp_card_commission,
                          DS.isp_card_balance), (0, 1, 15.0, 335.0))
