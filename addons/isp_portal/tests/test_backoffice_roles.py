# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The back office of each staff role, tested as that user: complaints
(helpdesk_mgmt tickets) are answered by every ISP role and read by the
auditor, a reseller's staff see its own customers' only; the website is
its editors'; and every screen a role's menus open can be read by it."""
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from odoo.addons.isp_reseller.tests.common import ResellerCase


@at_install(False)
@post_install(True)
class TestBackofficeRoles(ResellerCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "T complaints"})
        cls.ticket_isp = cls.Ticket.create({
            "name": "T slow at night", "partner_id": cls.partner.id, "team_id": cls.team.id})
        customer_R = cls.env["res.partner"].create({
            "name": "Customer of R", "isp_is_subscriber": True, "isp_operator_id": cls.R.id})
        cls.ticket_R = cls.Ticket.create({
            "name": "T no link", "partner_id": customer_R.id, "team_id": cls.team.id})
        cls.tickets = cls.ticket_isp | cls.ticket_R

    def test_staff_answer_tickets_the_auditor_reads_them(self):
        for user in (self.helpdesk, self.technician, self.cashier, self.manager):
            tickets = self.Ticket.sudo(user).search([("id", "in", self.tickets.ids)])
            self.assertEqual(tickets, self.tickets, user.login)
            self.ticket_isp.sudo(user).write({"user_id": user.id})
            self.assertEqual(self.ticket_isp.user_id, user)
        self.Ticket.sudo(self.helpdesk).create({"name": "T by phone",
                                                "partner_id": self.partner.id})
        auditor = self.Ticket.sudo(self.auditor)
        self.assertEqual(auditor.search([("id", "in", self.tickets.ids)]), self.tickets)
        with self.assertRaises(AccessError):
            self.ticket_R.sudo(self.auditor).write({"name": "changed"})
        with self.assertRaises(AccessError):
            auditor.create({"name": "T audit"})

    def test_a_resellers_staff_sees_its_customers_tickets_only(self):
        tickets = self.Ticket.sudo(self.cashier_R).search([("id", "in", self.tickets.ids)])
        self.assertEqual(tickets, self.ticket_R)
        with self.assertRaises(AccessError):
            self.ticket_isp.sudo(self.cashier_R).read(["name"])
        # the team dashboard counts what the reader may see
        counts = {user: self.team.sudo(user).todo_ticket_count
                  for user in (self.cashier_R, self.helpdesk)}
        self.assertEqual(counts, {self.cashier_R: 1, self.helpdesk: 2})

    def test_helpdesk_screens_open_for_every_role(self):
        for user in (self.helpdesk, self.technician, self.cashier, self.cashier_R,
                     self.auditor):
            self.assertIn("helpdesk_mgmt.helpdesk_ticket_dashboard_menu", self.menus_of(user),
                          user.login)
            self.read_screen(self.team, user, "kanban")
            ticket = self.Ticket.sudo(user).search([("id", "in", self.tickets.ids)], limit=1)
            for view_type in ("tree", "kanban", "form"):
                self.read_screen(ticket, user, view_type)
        # configuring the helpdesk is the ISP admin's
        config = "helpdesk_mgmt.helpdesk_ticket_team_menu"
        self.assertIn(config, self.menus_of(self.admin_user))
        self.assertNotIn(config, self.menus_of(self.manager))

    def test_website_app_is_its_editors(self):
        website = "website.menu_website_configuration"
        for user in (self.admin_user, self.manager, self.cashier, self.helpdesk, self.auditor):
            self.assertNotIn(website, self.menus_of(user), user.login)
        editor = self.env.ref("base.user_root")
        self.assertTrue(editor.has_group("website.group_website_publisher"))
        self.assertIn(website, self.menus_of(editor))
