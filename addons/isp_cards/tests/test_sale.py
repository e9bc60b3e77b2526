# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from odoo.addons.isp_billing.tests.test_notices import FakeGateway

from ..lib import cards as lib
from .common import CardsCase


@at_install(False)
@post_install(True)
class TestDigitalSale(CardsCase):
    """A distributor sells a card to a mobile number: one SMS with the PIN,
    through the HTTP SMS provider (a local stand-in records the requests)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = FakeGateway()
        cls.env["isp.sms.provider"].search([]).write({"active": False})
        cls.provider = cls.env["isp.sms.provider"].create({
            "name": "Test gateway", "url": cls.gateway.url, "method": "post",
            "parameters": "to={to}\nmsg={message}", "success_pattern": '"status": "SUCCESS"',
            "balance": 10})

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.gateway.requests.clear()

    def test_sale_sends_one_sms_with_the_pin(self):
        batch = self.batch(self.D, quantity=2)
        shop = self.D.sudo(self.user_D)
        card = shop.sell_digital(self.plan_daily, "01711-000555")
        self.assertEqual(card.state, "sold")
        self.assertEqual(card.sold_to, "+8801711000555")
        self.assertEqual(len(self.gateway.requests), 1)
        sms = self.gateway.requests[0]
        self.assertEqual(sms["to"], "+8801711000555")
        self.assertIn(lib.format_pin(card.sudo().pin), sms["msg"])
        self.assertIn(card.serial, sms["msg"])
        notice = self.env["isp.notice"].search([("event", "=", "card_sold")])
        self.assertEqual((len(notice), notice.state), (1, "sent"))
        self.assertNotIn(lib.format_pin(card.sudo().pin), notice.body)  # kept masked
        self.assertIn(card.serial, notice.body)
        self.assertEqual(self.provider.balance, 10 - notice.segments)
        # the next sale takes the other card; then the stock is empty
        second = shop.sell_digital(self.plan_daily, "+8801711000556")
        self.assertEqual(second, batch.card_ids - card)
        self.assertEqual(len(self.gateway.requests), 2)
        with self.assertRaisesRegex(UserError, "no T 7 days card in stock"):
            shop.sell_digital(self.plan_daily, "+8801711000557")
        # a sold card is still used once, by its PIN
        sub = self.isp_sub()
        self.Card.redeem(card.sudo().pin, sub)
        self.assertEqual(card.state, "redeemed")

    def test_sale_refusals(self):
        batch = self.batch(self.D, quantity=1)
        shop = self.D.sudo(self.user_D)
        with self.assertRaisesRegex(UserError, "not a valid phone number"):
            shop.sell_digital(self.plan_daily, "12")
        with self.assertRaises(AccessError):
            self.DR.sudo(self.user_D).sell_digital(self.plan_R, "+8801711000555")
        # without cards generated for it, a distributor has nothing to sell
        with self.assertRaisesRegex(UserError, "no Reseller R daily card in stock"):
            self.DR.sudo(self.user_DR).sell_digital(self.plan_R, "+8801711000555")
        card = batch.card_ids
        shop.sell_digital(card, "+8801711000555")
        with self.assertRaisesRegex(UserError, "cannot be sold: it is Sold"):
            shop.sell_digital(card, "+8801711000555")
        self.assertEqual(len(self.gateway.requests), 1)
