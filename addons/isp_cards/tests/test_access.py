# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from .common import CardsCase


@at_install(False)
@post_install(True)
class TestCardAccess(CardsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.isp_batch = cls.Batch.create({
            "operator_id": cls.root.id, "distributor_id": cls.D.id,
            "plan_id": cls.plan_daily.id, "value": 250.0, "commission": 10.0, "quantity": 3})
        cls.isp_batch.action_generate()
        cls.r_batch = cls.Batch.create({
            "operator_id": cls.R.id, "distributor_id": cls.DR.id, "plan_id": cls.plan_R.id,
            "value": 300.0, "commission": 10.0, "quantity": 2})
        cls.r_batch.action_generate()

    def test_distributor_sees_its_own_cards_and_pins(self):
        cards = self.Card.sudo(self.user_D).search([])
        self.assertEqual(cards, self.isp_batch.card_ids)
        self.assertEqual(len(cards.read(["serial", "state", "pin_released"])), 3)
        with self.assertRaises(AccessError):   # its PINs are on its cards, not here
            cards.read(["pin"])
        self.assertEqual(self.Card.sudo(self.user_DR).search([]), self.r_batch.card_ids)
        with self.assertRaises(AccessError):
            self.r_batch.card_ids[0].sudo(self.user_D).read(["serial"])
        self.assertEqual(self.Batch.sudo(self.user_D).search([]), self.isp_batch)
        # its figures, as its panel reads them
        stock = self.D.sudo(self.user_D).isp_card_stock_by_plan()
        self.assertEqual([(plan, count) for plan, _value, count in stock],
                         [(self.plan_daily, 3)])
        with self.assertRaises(AccessError):
            self.DR.sudo(self.user_D).isp_card_stock_by_plan()

    def test_cashier_without_card_rights_cannot_read_pins(self):
        card = self.isp_batch.card_ids[0]
        self.assertEqual(card.sudo(self.cashier).read(["serial"])[0]["serial"], card.serial)
        with self.assertRaises(AccessError):
            card.sudo(self.cashier).read(["pin"])
        with self.assertRaisesRegex(UserError, "is not kept"):
            card.sudo(self.cashier).pin_display()
        with self.assertRaises(AccessError):
            self.env.ref("isp_cards.isp_card_report").sudo(self.cashier).render_qweb_html(
                card.ids)
        self.assertTrue(card.sudo().pin)   # not printed
        # the card manager does not read it either (it prints it, once)
        with self.assertRaises(AccessError):
            card.sudo(self.card_manager).read(["pin"])

    def test_card_manager_adds_a_distributor(self):
        shop = self.env["res.partner"].sudo(self.card_manager).create({
            "name": "New shop", "is_company": True, "isp_is_card_distributor": True})
        self.assertEqual(shop.isp_operator_id, self.root)
        batch = self.Batch.sudo(self.card_manager).create({
            "operator_id": self.root.id, "distributor_id": shop.id,
            "plan_id": self.plan_daily.id, "value": 250.0, "commission": 5.0, "quantity": 2})
        batch.action_generate()
        self.assertEqual(shop.isp_card_stock, 2)
        # a cashier does not
        with self.assertRaises(AccessError):
            self.Batch.sudo(self.cashier).create({
                "operator_id": self.root.id, "plan_id": self.plan_daily.id, "value": 250.0,
                "quantity": 1})

    def test_reseller_sees_its_subtree_only(self):
        cards = self.Card.sudo(self.user_R).search([])
        self.assertEqual(cards, self.r_batch.card_ids)
        with self.assertRaises(AccessError):
            cards.read(["pin"])
        self.assertFalse(self.Card.sudo(self.user_Q).search([]))
        self.assertFalse(self.Card.sudo(self.user_S).search([]))
        # a reseller generates cards for its own distributor
        batch = self.Batch.sudo(self.user_R).create({
            "operator_id": self.R.id, "distributor_id": self.DR.id,
            "plan_id": self.plan_R.id, "value": 300.0, "commission": 20.0, "quantity": 2})
        batch.action_generate()
        self.assertEqual(len(self.Card.sudo(self.user_R).search([])), 4)

    def test_card_menus_of_each_role(self):
        """Staff see the cards; who may use one (billing, card managers) sees
        Use a card; the auditor reads cards, batches and attempts."""
        menus = {"batch": "isp_cards.isp_card_batch_menu", "card": "isp_cards.isp_card_menu",
                 "redeem": "isp_cards.isp_card_redeem_menu",
                 "attempt": "isp_cards.isp_card_attempt_menu",
                 "generate": "isp_cards.isp_card_generate_menu"}

        def visible(user):
            shown = self.menus_of(user)
            return {name for name, xmlid in menus.items() if xmlid in shown}
        everything = {"batch", "card", "redeem", "attempt", "generate"}
        self.assertEqual(visible(self.card_manager), everything)
        self.assertEqual(visible(self.cashier), everything - {"generate"})
        self.assertEqual(visible(self.technician), {"batch", "card", "attempt"})
        self.assertEqual(visible(self.auditor), {"batch", "card", "attempt"})
        self.assertEqual(visible(self.helpdesk), set())
        # each sees what its menus show
        self.read_screen(self.isp_batch, self.auditor)
        self.read_screen(self.isp_batch.card_ids, self.auditor, "tree")
