# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.isp_billing.tests.common import BillingCase


class ResellerCase(BillingCase):
    """ISP -> R (prepaid, may have sub-resellers) -> S (prepaid);
    ISP -> P (postpaid, credit limit 1000); ISP -> Q (a sibling of R).
    All sell the test master package T 10M:

        ISP  -> R  at 200 / 7 days   R sells at 300 (and to S at 240)
        R    -> S  at 240 / 7 days   S sells at 350
        ISP  -> P  at 200 / 7 days   P sells at 290
        monthly: R buys T 10M at 600, sells at 900
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        root = cls.company.partner_id
        cls.root = root

        def operator(name, parent, **vals):
            return Partner.create(dict({"name": name, "is_company": True,
                                        "isp_is_operator": True,
                                        "isp_parent_operator_id": parent.id}, **vals))
        cls.R = operator("Reseller R", root, isp_reseller_mode="prepaid",
                         isp_may_create_subresellers=True)
        cls.S = operator("Sub-reseller S", cls.R, isp_reseller_mode="prepaid")
        cls.P = operator("Postpaid P", root, isp_reseller_mode="postpaid",
                         isp_credit_limit=1000.0)
        cls.Q = operator("Sibling Q", root, isp_reseller_mode="prepaid")
        Plan = cls.env["isp.service.plan"]

        def plan(op, price, cost, billing="daily", days=7, **vals):
            return Plan.create(dict({
                "name": "%s %s" % (op.name, billing), "operator_id": op.id,
                "master_package_id": cls.master.id, "billing_type": billing,
                "validity_value": days, "customer_price": price, "operator_price": cost,
                "allow_hotspot": billing == "daily"}, **vals))
        cls.plan_R = plan(cls.R, 300.0, 200.0)
        cls.plan_S = plan(cls.S, 350.0, 240.0)
        cls.plan_P = plan(cls.P, 290.0, 200.0)
        cls.plan_Q = plan(cls.Q, 300.0, 200.0)
        cls.plan_R_monthly = plan(cls.R, 900.0, 600.0, billing="monthly", days=30)
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        group = cls.env.ref

        def login(name, op, *groups):
            return Users.create({"name": name, "login": name, "password": name,
                                 "email": "%s@example.com" % name, "isp_operator_id": op.id,
                                 "groups_id": [(6, 0, [group(g).id for g in groups])]})
        cls.user_R = login("t.reseller.r", cls.R, "isp_base.group_isp_reseller")
        cls.user_S = login("t.subreseller.s", cls.S, "isp_base.group_isp_subreseller")
        cls.user_P = login("t.reseller.p", cls.P, "isp_base.group_isp_reseller")
        cls.user_Q = login("t.reseller.q", cls.Q, "isp_base.group_isp_reseller")
        cls.cashier_R = login("t.cashier.r", cls.R, "base.group_user",
                              "isp_base.group_isp_perm_billing")

    def customer(self, op, name="Customer", **vals):
        return self.env["res.partner"].create(dict({
            "name": "%s of %s" % (name, op.name), "isp_is_subscriber": True,
            "isp_operator_id": op.id}, **vals))

    def reseller_sub(self, op, plan, **vals):
        values = {"partner_id": self.customer(op).id, "operator_id": op.id,
                  "plan_id": plan.id, "billing_type": plan.billing_type,
                  "username": "rs%d" % (self.Sub.search_count([]) + 1), "password": "pw",
                  "billing_profile_id": self.profile_bill.id
                  if plan.billing_type == "monthly" else False}
        values.update(vals)
        return self.Sub.create(values)

    def balance(self, op):
        return op._isp_balances().get(op.id, 0.0)

    def top_up(self, op, amount):
        return self.env["isp.operator.money.wizard"].create({
            "operator_id": op.id, "amount": amount, "journal_id": self.cash.id}).action_apply()
