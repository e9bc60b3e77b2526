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

    def notices_with(self, text):
        self.env.cr.execute("SELECT count(*) FROM isp_notice WHERE body LIKE %s OR "
                            "response LIKE %s OR error LIKE %s", ("%%%s%%" % text,) * 3)
        return self.env.cr.fetchone()[0]

    def test_sale_sends_one_sms_with_the_pin(self):
        batch = self.batch(self.D, quantity=2)
        pins = dict(zip(batch.card_ids, self.pins(batch.card_ids), strict=True))
        shop = self.D.sudo(self.user_D)
        card = shop.sell_digital(self.plan_daily, "01711-000555")
        pin = pins[card]
        self.assertEqual(card.state, "sold")
        self.assertEqual(card.sold_to, "+8801711000555")
        self.assertEqual(len(self.gateway.requests), 1)
        sms = self.gateway.requests[0]
        self.assertEqual(sms["to"], "+8801711000555")
        self.assertIn(lib.format_pin(pin), sms["msg"])
        self.assertIn("pin=%s" % pin, sms["msg"])   # the redemption link
        self.assertIn(card.serial, sms["msg"])
        notice = self.env["isp.notice"].search([("event", "=", "card_sold")])
        self.assertEqual((len(notice), notice.state), (1, "sent"))
        self.assertTrue(notice.carries_secret)
        self.assertIn(card.serial, notice.body)
        self.assertIn(lib.mask(pin), notice.body)
        # the PIN is in the SMS only: not in the notice, not on the card
        self.assertEqual((self.notices_with(pin), self.notices_with(lib.format_pin(pin))),
                         (0, 0))
        self.assertFalse(card.sudo().pin)
        self.assertEqual((card.pin_released, card.pin_released_by), ("sent", self.user_D))
        self.assertEqual(self.provider.balance, 10 - notice.segments)
        # the next sale takes the other card; then the stock is empty
        second = shop.sell_digital(self.plan_daily, "+8801711000556")
        self.assertEqual(second, batch.card_ids - card)
        self.assertEqual(len(self.gateway.requests), 2)
        with self.assertRaisesRegex(UserError, "no T 7 days card in stock"):
            shop.sell_digital(self.plan_daily, "+8801711000557")
        # a sold card is still used once, by its PIN (its hash)
        sub = self.isp_sub()
        self.Card.redeem(pin, sub)
        self.assertEqual(card.state, "redeemed")

    def test_failed_sms_sells_nothing(self):
        batch = self.batch(self.D, quantity=1)
        card = batch.card_ids
        pin = card.sudo().pin
        shop = self.D.sudo(self.user_D)
        self.gateway.fail_next = 1
        with self.assertRaisesRegex(UserError, "could not be sent.*not sold, try again"):
            shop.sell_digital(self.plan_daily, "+8801711000560")
        self.assertEqual(len(self.gateway.requests), 1)   # it was tried
        self.assertEqual((card.state, card.sold_to, card.pin_released), ("new", False, False))
        self.assertEqual(card.sudo().pin, pin)   # still in stock, still sellable
        self.assertFalse(self.env["isp.notice"].search([("event", "=", "card_sold")]))
        self.assertEqual(self.notices_with(pin), 0)
        self.assertEqual(self.provider.balance, 10)
        shop.sell_digital(self.plan_daily, "+8801711000560")
        self.assertEqual((card.state, card.pin_released), ("sold", "sent"))
        self.assertIn(lib.format_pin(pin), self.gateway.requests[-1]["msg"])

    def test_printed_card_is_not_sold_by_sms(self):
        batch = self.batch(self.D, quantity=2)
        printed, other = batch.card_ids.sorted("serial")
        self.env.ref("isp_cards.isp_card_report").sudo(self.card_manager).render_qweb_html(
            printed.ids)
        shop = self.D.sudo(self.user_D)
        self.assertEqual([count for _plan, _value, count in shop.isp_card_stock_by_plan()],
                         [1])
        with self.assertRaisesRegex(UserError, "cannot be sold by SMS: its PIN was printed"):
            shop.sell_digital(printed, "+8801711000561")
        self.assertEqual(shop.sell_digital(self.plan_daily, "+8801711000561"), other)
        with self.assertRaisesRegex(UserError, "no T 7 days card in stock"):
            shop.sell_digital(self.plan_daily, "+8801711000562")
        self.assertEqual(len(self.gateway.requests), 1)

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
