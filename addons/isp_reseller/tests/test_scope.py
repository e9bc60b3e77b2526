# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What each kind of user sees and may do, tested as that user."""
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import ResellerCase


@at_install(False)
@post_install(True)
class TestResellerScope(ResellerCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for op, amount in ((cls.R, 2000.0), (cls.Q, 1000.0)):
            cls.env["isp.operator.money.wizard"].create({
                "operator_id": op.id, "amount": amount,
                "journal_id": cls.cash.id}).action_apply()
        cls.env["isp.operator.money.wizard"].create({"operator_id": cls.S.id,
                                                     "amount": 500.0}).action_apply()
        cls.sub_R = cls.reseller_sub_cls(cls.R, cls.plan_R)
        cls.sub_S = cls.reseller_sub_cls(cls.S, cls.plan_S)
        cls.sub_Q = cls.reseller_sub_cls(cls.Q, cls.plan_Q)
        cls.sub_isp = cls.Sub.create({
            "partner_id": cls.partner.id, "plan_id": cls.plan_daily.id,
            "billing_type": "daily", "username": "isp-direct", "password": "pw"})
        (cls.sub_R | cls.sub_S | cls.sub_Q | cls.sub_isp).action_activate()
        cls.all_subs = cls.sub_R | cls.sub_S | cls.sub_Q | cls.sub_isp

    @classmethod
    def reseller_sub_cls(cls, op, plan):
        partner = cls.env["res.partner"].create({
            "name": "Customer of %s" % op.name, "isp_is_subscriber": True,
            "isp_operator_id": op.id, "mobile": "+88017140%05d" % op.id})
        return cls.Sub.create({"partner_id": partner.id, "operator_id": op.id,
                               "plan_id": plan.id, "billing_type": "daily",
                               "username": "scope-%d" % op.id, "password": "pw"})

    def visible(self, user, model="isp.subscription", records=None):
        records = records if records is not None else self.all_subs
        return self.env[model].sudo(user).search([("id", "in", records.ids)])

    def test_reseller_sees_its_subtree_not_its_sibling(self):
        self.assertEqual(self.visible(self.user_R), self.sub_R | self.sub_S)
        with self.assertRaises(AccessError):
            self.sub_Q.sudo(self.user_R).read(["username"])
        with self.assertRaises(AccessError):
            self.sub_isp.sudo(self.user_R).read(["username"])

    def test_sub_reseller_sees_only_its_own(self):
        self.assertEqual(self.visible(self.user_S), self.sub_S)
        with self.assertRaises(AccessError):
            self.sub_R.sudo(self.user_S).read(["username"])

    def test_sibling_sees_only_its_own(self):
        self.assertEqual(self.visible(self.user_Q), self.sub_Q)

    def test_reseller_acts_on_its_subtree_only(self):
        self.sub_S.sudo(self.user_R).action_suspend("S asked R")
        self.assertEqual(self.sub_S.state, "suspended")
        with self.assertRaises(AccessError):
            self.sub_Q.sudo(self.user_R).action_suspend("not mine")
        self.assertEqual(self.sub_Q.state, "active")

    def test_customers_bills_payments_and_ledgers_are_scoped(self):
        invoices = self.env["account.invoice"].search(
            [("isp_subscription_id", "in", self.all_subs.ids)])
        self.sub_S.action_recharge(self.plan_S)
        self.sub_Q.action_recharge(self.plan_Q)
        invoices = self.env["account.invoice"].search(
            [("isp_subscription_id", "in", self.all_subs.ids)])
        mine = self.visible(self.user_R, "account.invoice", invoices)
        self.assertEqual(mine.mapped("isp_subscription_id"), self.sub_S)
        self.assertFalse(self.visible(self.user_S, "account.invoice",
                                      invoices.filtered(lambda i: i.isp_subscription_id
                                                        == self.sub_Q)))
        customers = self.all_subs.mapped("partner_id")
        self.assertEqual(self.visible(self.user_R, "res.partner", customers),
                         (self.sub_R | self.sub_S).mapped("partner_id"))
        with self.assertRaises(AccessError):
            self.sub_Q.partner_id.sudo(self.user_R).read(["mobile"])
        payments = self.env["account.payment"].search([("partner_id", "in", customers.ids)])
        self.assertEqual(self.visible(self.user_R, "account.payment", payments).mapped(
            "partner_id"), self.sub_S.partner_id)
        charges = self.env["isp.operator.charge"].search(
            [("subscription_id", "in", self.all_subs.ids)])
        self.assertEqual(self.visible(self.user_S, "isp.operator.charge", charges)
                         .mapped("subscription_id"), self.sub_S)
        # operators: its sub-resellers and its parents, not a sibling
        operators = self.R | self.S | self.Q | self.root
        self.assertEqual(self.visible(self.user_R, "res.partner", operators),
                         self.R | self.S | self.root)
        with self.assertRaises(AccessError):
            self.env["isp.operator.statement"].sudo(self.user_R).create(
                {"operator_id": self.Q.id}).statement()

    def test_operators_see_only_their_packages(self):
        plans = self.plan_R | self.plan_S | self.plan_Q | self.plan_P | self.plan_daily
        self.assertEqual(self.visible(self.user_R, "isp.service.plan", plans),
                         self.plan_R | self.plan_S)
        self.assertEqual(self.visible(self.user_S, "isp.service.plan", plans), self.plan_S)

    def test_reseller_manager_sees_the_employer_scope_and_its_permissions(self):
        # R's cashier: R's subtree; records payments, cannot change packages
        self.assertEqual(self.visible(self.cashier_R), self.sub_R | self.sub_S)
        with self.assertRaisesRegex(AccessError, "network actions"):
            self.sub_R.sudo(self.cashier_R).action_change_plan(self.plan_R_monthly)
        bill = self.sub_R.action_recharge(self.plan_R, pay=False)
        self.env["isp.bill.payment.wizard"].sudo(self.cashier_R).with_context(
            active_ids=bill.ids).create({}).action_pay()
        self.assertEqual(bill.state, "paid")
        q_bill = self.sub_Q.action_recharge(self.plan_Q, pay=False)
        with self.assertRaises(AccessError):
            self.env["isp.bill.payment.wizard"].sudo(self.cashier_R).with_context(
                active_ids=q_bill.ids).create({}).action_pay()

    def test_reseller_staff_dashboard_counts_its_subtree_only(self):
        """ISP > Dashboard reads its figures in SQL: a reseller's manager
        sees its employer's subtree, never the ISP's or a sibling's."""
        manager_R = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "t.dash.r", "login": "t.dash.r", "password": "t.dash.r",
            "isp_operator_id": self.R.id, "groups_id": [(6, 0, [
                self.env.ref("isp_base.group_isp_manager").id,
                self.env.ref("isp_base.group_isp_perm_billing").id])]})
        Dashboard = self.env["isp.dashboard"]
        everything = Dashboard.create({}).figures()
        mine = Dashboard.sudo(manager_R).create({})
        self.assertEqual(mine.operator_id, self.R)
        figures = mine.figures()
        self.assertEqual(figures["active_count"], 2)       # sub_R and sub_S
        self.assertGreater(everything["active_count"], figures["active_count"])
        self.assertEqual(figures["operator_balance"], self.balance(self.R))
        # emptied, the operator field still means the employer's subtree
        mine.operator_id = False
        self.assertEqual(mine.figures()["active_count"], 2)
        self.assertEqual(mine._open_chart("isp_billing.isp_customer_analysis_action")["domain"],
                         [("operator_id", "in", (self.R | self.S).ids)])
        with self.assertRaises(AccessError):
            Dashboard.sudo(manager_R).create({"operator_id": self.Q.id}).figures()
        # the ISP's own staff choose any operator: its subtree
        self.assertEqual(Dashboard.sudo(self.manager).create(
            {"operator_id": self.R.id}).figures()["active_count"], 2)
        self.assertEqual(Dashboard.sudo(self.manager).create({}).figures()["active_count"],
                         everything["active_count"])

    def test_isp_staff_see_everything(self):
        self.assertEqual(self.visible(self.manager), self.all_subs)
        self.assertEqual(self.visible(self.helpdesk), self.all_subs)

    def test_reseller_creates_customers_but_not_for_a_sibling(self):
        Sub = self.Sub.sudo(self.user_R)
        partner = self.env["res.partner"].sudo(self.user_R).create({
            "name": "New customer of R", "isp_is_subscriber": True,
            "isp_operator_id": self.R.id})
        sub = Sub.create({"partner_id": partner.id, "plan_id": self.plan_R.id,
                          "billing_type": "daily", "username": "r-new",
                          "new_password": "pw"})
        self.assertEqual(sub.operator_id, self.R)  # its own by default
        log = self.env["auditlog.log"].search([("model_id.model", "=", "isp.subscription"),
                                               ("res_id", "=", sub.id),
                                               ("method", "=", "create")])
        self.assertEqual(log.user_id, self.user_R)  # the reseller, not the superuser
        with self.assertRaises(AccessError):
            Sub.create({"partner_id": partner.id, "plan_id": self.plan_Q.id,
                        "operator_id": self.Q.id, "billing_type": "daily",
                        "username": "r-for-q", "new_password": "pw"})

    def test_reseller_charges_tab_is_for_managers_and_auditors(self):
        """The subscription form of an account a reseller was charged for:
        managers and auditors see the charges, the helpdesk opens the form
        without them (no access to money between the ISP and resellers)."""
        self.assertTrue(self.sub_R.isp_charge_ids)
        for user in (self.manager, self.technician, self.auditor):
            self.assertIn("isp_charge_ids", self.read_screen(self.sub_R, user), user.login)
        self.assertNotIn("isp_charge_ids", self.read_screen(self.sub_R, self.helpdesk))
        with self.assertRaises(AccessError):
            self.sub_R.isp_charge_ids.sudo(self.helpdesk).read(["amount"])
