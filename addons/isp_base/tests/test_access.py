# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Access rules, tested as the restricted users themselves."""
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import IspCase


@at_install(False)
@post_install(True)
class TestAccess(IspCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub = cls.Sub.create({
            "partner_id": cls.partner.id, "plan_id": cls.plan_monthly.id,
            "billing_profile_id": cls.profile.id, "username": "acc-own", "password": "pw"})
        cls.other = cls.Sub.create({
            "partner_id": cls.partner2.id, "plan_id": cls.plan_monthly.id,
            "billing_profile_id": cls.profile.id, "username": "acc-other", "password": "pw"})
        cls.portal_user = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Portal Sub", "login": "t.portal", "password": "t.portal",
            "partner_id": cls.partner.id,
            "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])]})

    def test_portal_customer_sees_only_its_own_subscriptions(self):
        Sub = self.Sub.sudo(self.portal_user)
        self.assertEqual(Sub.search([("username", "like", "acc-")]), self.sub)
        self.assertEqual(Sub.browse(self.sub.id).plan_id, self.plan_monthly)
        with self.assertRaises(AccessError):
            Sub.browse(self.other.id).read(["username"])
        with self.assertRaises(AccessError):
            Sub.browse(self.sub.id).write({"note": "mine"})
        with self.assertRaises(AccessError):
            self.sub.sudo(self.portal_user).action_suspend("x")

    def test_helpdesk_reads_but_changes_nothing(self):
        Sub = self.Sub.sudo(self.helpdesk)
        self.assertEqual(Sub.browse(self.other.id).username, "acc-other")
        with self.assertRaises(AccessError):
            Sub.browse(self.other.id).write({"note": "x"})
        with self.assertRaises(AccessError):
            Sub.browse(self.other.id).action_activate()
        with self.assertRaises(AccessError):
            Sub.create({"partner_id": self.partner.id, "username": "hd-new",
                        "plan_id": self.plan_monthly.id})
        with self.assertRaises(AccessError):
            self.plan_monthly.sudo(self.helpdesk).customer_price = 1

    def test_cashier_cannot_do_network_actions(self):
        sub = self.sub.sudo(self.cashier)
        self.assertEqual(sub.state, "draft")
        with self.assertRaisesRegex(AccessError, "network actions"):
            sub.action_activate()
        with self.assertRaisesRegex(AccessError, "network actions"):
            sub.action_change_plan(self.plan_monthly_b)
        self.assertEqual(self.sub.state, "draft")

    def test_technician_runs_network_actions_but_cannot_create_customers(self):
        self.sub.sudo(self.technician).action_activate()
        self.assertEqual(self.sub.state, "active")
        self.sub.sudo(self.technician).action_suspend("line cut")
        self.assertEqual(self.sub.state_log_ids[0].user_id, self.technician)
        with self.assertRaises(AccessError):
            self.Sub.sudo(self.technician).create({
                "partner_id": self.partner.id, "username": "tech-new",
                "plan_id": self.plan_monthly.id})

    def test_a_login_without_email_still_acts(self):
        """Panel logins rarely have an e-mail: the chatter trace of what they
        do is sent in their name from the company's address."""
        self.technician.email = False
        self.company.email = "noc@isp.example"
        before = self.sub.message_ids
        self.sub.sudo(self.technician).action_activate()
        self.assertEqual(self.sub.state, "active")
        traces = self.sub.message_ids - before
        self.assertTrue(traces)
        self.assertEqual(set(traces.mapped("email_from")), {'"T.Technician" <noc@isp.example>'})

    def test_manager_creates_and_sets_password_without_reading_it(self):
        sub = self.Sub.sudo(self.manager).create({
            "partner_id": self.partner.id, "username": "mgr-new",
            "plan_id": self.plan_monthly.id, "new_password": "chosen-pw"})
        self.assertEqual(sub.sudo().password, "chosen-pw")
        with self.assertRaises(AccessError):
            sub.read(["password"])
        sub.write({"new_password": "changed-pw"})  # what the form does
        self.assertEqual(sub.sudo().password, "changed-pw")
        self.assertFalse(sub.new_password)

    def test_only_admins_configure(self):
        for user in (self.manager, self.auditor, self.helpdesk):
            with self.assertRaises(AccessError):
                self.env["isp.ip.pool"].sudo(user).create({"name": "x",
                                                           "network": "10.99.0.0/24"})
            with self.assertRaises(AccessError):
                self.router.sudo(user).host = "192.0.2.9"
        self.env["isp.ip.pool"].sudo(self.admin_user).create({"name": "x",
                                                              "network": "10.99.0.0/24"})

    def test_auditor_reads_audit_log_and_history(self):
        self.sub.action_activate()
        self.assertTrue(self.env["isp.subscription.state.log"].sudo(self.auditor).search(
            [("subscription_id", "=", self.sub.id)]))
        logs = self.env["auditlog.log"].sudo(self.auditor).search(
            [("model_id.model", "=", "isp.subscription"), ("res_id", "=", self.sub.id)])
        self.assertTrue(logs)
        with self.assertRaises(AccessError):
            self.Sub.sudo(self.auditor).browse(self.sub.id).write({"note": "x"})

    def test_other_company_is_invisible(self):
        company2 = self.env["res.company"].create({"name": "ISP 2"})
        partner = self.env["res.partner"].create({"name": "C2 sub", "company_id": company2.id})
        plan = self.plan_monthly.copy({"company_id": company2.id, "name": "C2 plan"})
        sub = self.Sub.create({"partner_id": partner.id, "plan_id": plan.id,
                               "company_id": company2.id, "username": "c2-user",
                               "password": "pw",
                               "operator_id": company2.partner_id.id})
        company2.partner_id.isp_is_operator = True
        self.assertFalse(self.Sub.sudo(self.manager).search([("id", "=", sub.id)]))
        with self.assertRaises(AccessError):
            self.Sub.sudo(self.manager).browse(sub.id).read(["username"])
