# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bills and payments in the back office, role by role: ISP staff work in
ISP > Bills and Payments, Odoo's Invoicing app is the accountants', and
every role that reads bills and payments can open their forms."""
from odoo.tests.common import at_install, post_install

from .common import D, BillingCase


@at_install(False)
@post_install(True)
class TestBillingRoles(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "T accountant", "login": "t.accountant", "email": "t.acc@example.com",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref("account.group_account_manager").id,
                                  cls.env.ref("isp_base.group_isp_auditor").id])]})

    def test_invoicing_app_is_the_accountants(self):
        invoicing = "account.menu_finance"
        for user in (self.admin_user, self.manager, self.cashier, self.technician,
                     self.helpdesk, self.auditor):
            self.assertNotIn(invoicing, self.menus_of(user), user.login)
        self.assertIn("account.menu_action_invoice_tree2", self.menus_of(self.accountant))
        # the cashier keeps Odoo's invoicing rights and takes payments in the ISP app
        self.assertTrue(self.cashier.has_group("account.group_account_invoice"))
        self.assertIn("isp_billing.isp_payment_menu", self.menus_of(self.cashier))

    def test_every_reader_of_bills_opens_a_bill_and_a_payment(self):
        sub = self.monthly_sub()
        with self.today(D(2031, 3, 1)):
            sub.action_activate()
        bill = self.bills(sub)
        payment = self.pay(bill)
        for user in (self.helpdesk, self.technician, self.cashier, self.auditor,
                     self.accountant):
            for records in (bill, payment):
                for view_type in ("tree", "form"):
                    fields = self.read_screen(records, user, view_type)
                    self.assertIn("partner_id", fields)
        self.assertEqual(payment.sudo(self.helpdesk).move_reconciled, True)
