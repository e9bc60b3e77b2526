# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.isp_reseller.tests.common import ResellerCase


class CardsCase(ResellerCase):
    """ResellerCase + a card shop of the ISP (D) with its login, a card shop
    of reseller R (DR) with its login, and helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.D = Partner.create({"name": "Shop D", "is_company": True,
                                "isp_is_card_distributor": True,
                                "isp_operator_id": cls.root.id})
        cls.DR = Partner.create({"name": "Shop DR", "is_company": True,
                                 "isp_is_card_distributor": True,
                                 "isp_operator_id": cls.R.id})
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        group = cls.env.ref("isp_base.group_isp_card_distributor")

        def login(name, partner):
            return Users.create({"name": partner.name, "login": name, "password": name,
                                 "partner_id": partner.id,
                                 "groups_id": [(6, 0, [group.id])]})
        cls.user_D = login("t.shop.d", cls.D)
        cls.user_DR = login("t.shop.dr", cls.DR)
        cls.card_manager = Users.create({
            "name": "t.cards", "login": "t.cards", "password": "t.cards",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref("isp_cards.group_isp_card_manager").id])]})
        cls.Card = cls.env["isp.card"]
        cls.Batch = cls.env["isp.card.batch"]
        company = cls.company
        cls.acc_receivable = company.isp_card_receivable_account_id
        cls.acc_deferred = company.isp_card_deferred_account_id
        cls.acc_commission = company.isp_card_commission_account_id
        cls.acc_breakage = company.isp_card_breakage_account_id
        cls.acc_operator = company.isp_operator_account_id

    def batch(self, distributor=None, plan=None, quantity=4, commission=10.0, value=None,
              **vals):
        plan = plan if plan is not None else self.plan_daily
        operator = distributor.isp_operator_id if distributor else (
            plan.operator_id if plan else self.root)
        batch = self.Batch.create(dict({
            "operator_id": operator.id, "distributor_id": distributor and distributor.id,
            "plan_id": plan.id if plan else False,
            "value": value if value is not None else plan.customer_price,
            "commission": commission, "quantity": quantity}, **vals))
        batch.action_generate()
        return batch

    def isp_sub(self, **vals):
        return self.daily_sub(**dict({"operator_id": self.root.id}, **vals))

    def setUp(self):
        super().setUp()
        self._baseline = self._sums()

    def _sums(self):
        self.env.cr.execute("""
            SELECT l.account_id, l.partner_id, sum(l.debit - l.credit) FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
             GROUP BY l.account_id, l.partner_id""")
        return {(a, p): s for a, p, s in self.env.cr.fetchall()}

    def balance(self, account, partner=None):
        """What this test added to debit - credit of posted lines on
        `account` (of `partner`): the demo data's entries do not count."""
        now = self._sums()
        total = 0.0
        for (acc, pid), value in now.items():
            if acc == account.id and (partner is None or pid == partner.id):
                total += value - self._baseline.get((acc, pid), 0.0)
        return round(total, 2)

    def pins(self, cards):
        return [c.pin for c in cards.sudo()]
