# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Card distributor panel, over HTTP as the distributor's own login."""
import re

from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from odoo.addons.isp_cards.lib import cards as card_lib

from .common import PortalHttpCase


@at_install(False)
@post_install(True)
class TestDistributorPanel(PortalHttpCase):
    """Two card shops of the ISP (D1, D2), each with its login; D1 has
    package cards of two packages and cards of a face value, and paid
    300 once."""

    def setUp(self):
        super().setUp()
        env = self.env
        self.root = self.company.partner_id
        self.d1, self.user_d1 = self.new_distributor("Shop One", "shop.one", self.root)
        self.d2, self.user_d2 = self.new_distributor("Shop Two", "shop.two", self.root)
        self.daily_d1 = self.batch(self.d1, self.plan_daily, 3, 20.0)
        self.hours_d1 = self.batch(self.d1, self.plan_hours, 1, 1.0)
        self.value_d1 = self.batch(self.d1, None, 1, 5.0, value=100.0)
        self.daily_d2 = self.batch(self.d2, self.plan_daily, 2, 20.0)
        self.d1.action_isp_card_money(300.0, reference="cash slip 17")
        self.Card = env["isp.card"]

    def new_distributor(self, name, login, operator):
        partner = self.env["res.partner"].create({
            "name": name, "is_company": True, "isp_is_card_distributor": True,
            "isp_operator_id": operator.id})
        user = self.env["res.users"].create({
            "name": name, "login": login, "password": login + "-pw", "partner_id": partner.id,
            "groups_id": [(6, 0, [self.env.ref("isp_base.group_isp_card_distributor").id])]})
        return partner, user

    def batch(self, distributor, plan, quantity, commission, value=None):
        batch = self.env["isp.card.batch"].create({
            "operator_id": distributor.isp_operator_id.id, "distributor_id": distributor.id,
            "plan_id": plan.id if plan else False,
            "value": value if value is not None else plan.customer_price,
            "commission": commission, "quantity": quantity})
        batch.action_generate()
        return batch

    @staticmethod
    def cell(page, css):
        """The text of the table cell of class `css`."""
        match = re.search(r'class="[^"]*\b%s\b[^"]*">(.*?)</td>' % css, page.text, re.S)
        return match and re.sub(r"<[^>]+>", "", match.group(1)).strip()

    @staticmethod
    def stock_count(page, key):
        match = re.search(r'data-stock="%s">.*?isp_stock_count">(\d+)<' % re.escape(key),
                          page.text, re.S)
        return match and int(match.group(1))

    def sell(self, key, mobile, csrf=True):
        return self.post("/my/cards/sell", {"stock": key, "mobile": mobile}, csrf=csrf,
                         csrf_path="/my/cards")

    def sold(self, batch):
        return batch.card_ids.filtered(lambda c: c.state == "sold")

    # the panel --------------------------------------------------------------------

    def test_panel_shows_stock_figures_and_payments(self):
        self.login(self.user_d1)
        page = self.get("/my/cards")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(self.stock_count(page, "p%d" % self.plan_daily.id), 3)
        self.assertEqual(self.stock_count(page, "p%d" % self.plan_hours.id), 1)
        self.assertEqual(self.stock_count(page, "v100.00"), 1)
        self.assertEqual(self.cell(page, "isp_n_stock"), "5")
        self.assertEqual((self.cell(page, "isp_n_sold"), self.cell(page, "isp_n_redeemed")),
                         ("0", "0"))
        # commission 3 x 20 + 1 + 5; owes (250-20) x 3 + (10-1) + (100-5) - 300 paid
        self.assertIn("66.00", self.cell(page, "isp_commission"))
        self.assertIn("300.00", self.cell(page, "isp_paid"))
        self.assertIn("494.00", self.cell(page, "isp_balance"))
        self.assertIn("cash slip 17", page.text)
        # D2's figures are its own: 2 cards, nothing paid
        self.login(self.user_d2)
        page = self.get("/my/cards")
        self.assertEqual(self.cell(page, "isp_n_stock"), "2")
        self.assertIsNone(self.stock_count(page, "p%d" % self.plan_hours.id))
        self.assertIn("460.00", self.cell(page, "isp_balance"))
        self.assertNotIn("cash slip 17", page.text)

    def test_sell_a_card_by_sms(self):
        pins = {c.id: c.sudo().pin for c in self.daily_d1.card_ids | self.value_d1.card_ids}
        self.login(self.user_d1)
        resp = self.sell("p%d" % self.plan_daily.id, "01711-000777")
        self.assertIn(resp.status_code, (302, 303))
        self.assertTrue(resp.headers["Location"].endswith("/my/cards"))
        card = self.sold(self.daily_d1)
        self.assertEqual(len(card), 1)
        self.assertEqual(card.sold_to, "+8801711000777")
        self.assertEqual(len(self.sms.messages), 1)
        self.assertEqual(self.sms.messages[0]["to"], "+8801711000777")
        self.assertIn(card_lib.format_pin(pins[card.id]), self.sms.messages[0]["message"])
        self.assertFalse(card.sudo().pin)   # in the SMS only
        page = self.get("/my/cards")
        self.assertIn("Card %s sold to +8801711000777" % card.serial, page.text)
        self.assertEqual(self.stock_count(page, "p%d" % self.plan_daily.id), 2)
        self.assertEqual(self.cell(page, "isp_n_sold"), "1")
        self.assertIn('data-card="%d"' % card.id, page.text)   # recent sales
        detail = self.get("/my/cards/card/%d" % card.id)
        self.assertEqual(detail.status_code, 200)
        self.assertIn("+8801711000777", detail.text)
        self.assertNotIn(pins[card.id], detail.text)
        self.assertNotIn(card_lib.format_pin(pins[card.id]), detail.text)
        # a card of a face value (no package)
        self.sell("v100.00", "+8801811000778")
        value_card = self.value_d1.card_ids
        self.assertEqual((value_card.state, value_card.sold_to), ("sold", "+8801811000778"))
        self.assertIn(card_lib.format_pin(pins[value_card.id]),
                      self.sms.last_to("+8801811000778"))
        self.assertIsNone(self.stock_count(self.get("/my/cards"), "v100.00"))

    def test_sale_errors_are_clear_and_change_nothing(self):
        self.login(self.user_d1)
        key = "p%d" % self.plan_hours.id
        self.sell(key, "12345")
        page = self.get("/my/cards")
        self.assertIn("not a valid phone number", page.text)
        self.assertFalse(self.sold(self.hours_d1))
        self.sell(key, "  ")
        self.assertIn("Enter the buyer", self.get("/my/cards").text)
        self.sell(key, "+8801711000779")          # the last card of the package
        self.assertEqual(len(self.sold(self.hours_d1)), 1)
        self.sell(key, "+8801711000780")          # none left
        self.assertIn("Choose a package you have cards of in stock", self.get("/my/cards").text)
        self.sell("p%d" % self.plan_private.id, "+8801711000781")   # never had any
        self.assertIn("Choose a package you have cards of in stock", self.get("/my/cards").text)
        self.assertEqual([m["to"] for m in self.sms.messages], ["+8801711000779"])
        # a form without its CSRF token is refused
        resp = self.sell("p%d" % self.plan_daily.id, "+8801711000782", csrf=False)
        self.assertEqual(resp.status_code, 400)
        self.assertFalse(self.sold(self.daily_d1))

    def test_sales_are_rate_limited(self):
        Param = self.env["ir.config_parameter"]
        Param.set_param("isp_portal.card_sell_per_number", "1")
        Param.set_param("isp_portal.card_sell_per_distributor", "3")
        self.login(self.user_d1)
        key = "p%d" % self.plan_daily.id
        self.sell(key, "+8801711000790")
        self.sell(key, "01711-000790")             # the same number again
        self.assertIn("Too many attempts", self.get("/my/cards").text)
        self.assertEqual(len(self.sold(self.daily_d1)), 1)
        self.sell(key, "+8801711000791")
        self.sell(key, "+8801711000792")           # 4th sale of the shop in the hour
        self.assertIn("Too many attempts", self.get("/my/cards").text)
        self.assertEqual(len(self.sold(self.daily_d1)), 2)
        self.assertEqual([m["to"] for m in self.sms.messages],
                         ["+8801711000790", "+8801711000791"])
        # another shop has its own limit
        self.login(self.user_d2)
        self.sell(key, "+8801711000793")
        self.assertEqual(len(self.sold(self.daily_d2)), 1)

    # who sees what ------------------------------------------------------------------

    def test_a_distributor_sees_its_own_cards_only(self):
        d2_card = self.daily_d2.card_ids[0]
        own = self.daily_d1.card_ids[0]
        self.d2.sudo(self.user_d2).sell_digital(self.plan_daily, "+8801711000795")
        self.login(self.user_d1)
        page = self.get("/my/cards")
        self.assertNotIn("+8801711000795", page.text)
        for card in self.daily_d2.card_ids:
            self.assertNotIn(card.serial, page.text)
            self.assertEqual(self.get("/my/cards/card/%d" % card.id).status_code, 404)
        self.assertEqual(self.get("/my/cards/card/999999999").status_code, 404)
        self.assertEqual(self.get("/my/cards/card/%d" % own.id).status_code, 200)
        # D1 selling: its own card, never D2's
        self.sell("p%d" % self.plan_daily.id, "+8801711000796")
        self.assertEqual(len(self.sold(self.daily_d2)), 1)
        self.assertEqual(len(self.sold(self.daily_d1)), 1)
        self.assertEqual(d2_card.distributor_id, self.d2)

    def test_customers_and_resellers_have_no_card_panel(self):
        reseller = self.env["res.partner"].create({
            "name": "Reseller X", "is_company": True, "isp_is_operator": True,
            "isp_parent_operator_id": self.root.id, "isp_reseller_mode": "prepaid"})
        user_r = self.env["res.users"].create({
            "name": "reseller.x", "login": "reseller.x", "password": "reseller.x-pw",
            "isp_operator_id": reseller.id,
            "groups_id": [(6, 0, [self.env.ref("isp_base.group_isp_reseller").id])]})
        for user in (self.user_a, user_r):
            self.login(user)
            self.assertEqual(self.get("/my/cards").status_code, 404)
            card = self.daily_d1.card_ids[0]
            self.assertEqual(self.get("/my/cards/card/%d" % card.id).status_code, 404)
            resp = self.post("/my/cards/sell", {"stock": "p%d" % self.plan_daily.id,
                                                "mobile": "+8801711000797"})
            self.assertEqual(resp.status_code, 404)
            self.assertNotIn("/my/cards", self.get("/my/home").text)
        self.assertFalse(self.sold(self.daily_d1))
        self.assertFalse(self.sms.messages)
        # the distributor's home has its entry
        self.login(self.user_d1)
        home = self.get("/my/home")
        self.assertIn('href="/my/cards"', home.text)
        self.assertNotIn("/my/reseller/distributors", home.text)
        self.assertEqual(self.get("/my/reseller/distributors").status_code, 404)


@at_install(False)
@post_install(True)
class TestResellerDistributors(PortalHttpCase):
    """Two sibling resellers, each with a card shop: each sees its own."""

    def setUp(self):
        super().setUp()
        env = self.env
        root = self.company.partner_id
        Partner = env["res.partner"]
        self.ops, self.users, self.shops = {}, {}, {}
        for key, count in (("r", 2), ("q", 3)):
            op, plan, self.users[key] = self.new_prepaid_reseller(key)
            shop = Partner.create({"name": "Card shop of %s" % key.upper(), "is_company": True,
                                   "isp_is_card_distributor": True, "isp_operator_id": op.id})
            env["isp.card.batch"].create({
                "operator_id": op.id, "distributor_id": shop.id, "plan_id": plan.id,
                "value": 300.0, "commission": 30.0, "quantity": count}).action_generate()
            self.ops[key], self.shops[key] = op, shop
        self.isp_shop = Partner.create({"name": "Card shop of the ISP", "is_company": True,
                                        "isp_is_card_distributor": True,
                                        "isp_operator_id": root.id})

    def row(self, page, shop):
        match = re.search(r'data-distributor="%d">(.*?)</tr>' % shop.id, page.text, re.S)
        return match and match.group(1)

    def test_a_reseller_sees_the_distributors_of_its_subtree_only(self):
        self.login(self.users["r"])
        page = self.get("/my/reseller/distributors")
        self.assertEqual(page.status_code, 200)
        row = self.row(page, self.shops["r"])
        self.assertTrue(row, page.text[-2000:])
        self.assertRegex(row, r'isp_d_stock">2<')
        self.assertRegex(row, r'isp_d_sold">0<')
        # 2 x (300 - 30), in the currency's format
        self.assertRegex(row, r'isp_d_balance"><span[^>]*>[^<]*'
                              r'<span class="oe_currency_value">540\.00<')
        self.assertNotIn(self.shops["q"].name, page.text)    # a sibling's
        self.assertNotIn(self.isp_shop.name, page.text)      # the ISP's
        self.assertIn('href="/my/reseller/distributors"', self.get("/my/home").text)
        self.login(self.users["q"])
        page = self.get("/my/reseller/distributors")
        self.assertRegex(self.row(page, self.shops["q"]), r'isp_d_balance"><span[^>]*>[^<]*'
                         r'<span class="oe_currency_value">810\.00<')
        self.assertNotIn(self.shops["r"].name, page.text)
        # not a reseller: 404
        self.login(self.user_a)
        self.assertEqual(self.get("/my/reseller/distributors").status_code, 404)

    def test_a_siblings_shop_is_not_read_through_the_orm(self):
        """A reseller reads its own shop's figures; a sibling's shop is not
        readable at all (issue 16: no partner outside its tree)."""
        own = self.shops["r"].sudo(self.users["r"])
        self.assertEqual((own.isp_card_stock, own.isp_card_commission, own.isp_card_balance),
                         (2, 60.0, 540.0))
        sibling = self.shops["q"].sudo(self.users["r"])
        with self.assertRaises(AccessError):
            sibling.read(["name", "isp_card_balance"])
        self.assertFalse(self.env["res.partner"].sudo(self.users["r"]).search(
            [("id", "=", self.shops["q"].id)]))
        self.assertEqual(self.shops["q"].isp_card_balance, 810.0)   # the ISP's view
        # the ISP's card managers see what a shop without cards owes
        self.isp_shop.action_isp_card_money(100.0)
        self.assertEqual(self.isp_shop.isp_card_balance, -100.0)
