# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each route as the user who should not get through: another customer's
account, bill, PDF, payment, ticket by id or by wrong token; forms without
CSRF token; anonymous visitors."""
from odoo.tests.common import at_install, post_install

from .common import PortalHttpCase


@at_install(False)
@post_install(True)
class TestCustomerIsolation(PortalHttpCase):

    def test_accounts_of_another_customer_are_not_found(self):
        self.login(self.user_a)
        own = self.get("/my/isp/%d" % self.sub_a_monthly.id)
        self.assertEqual(own.status_code, 200)
        self.assertIn("cust-a-monthly", own.text)
        listing = self.get("/my/isp")
        self.assertIn("cust-a-daily", listing.text)
        self.assertNotIn("cust-b-monthly", listing.text)
        for path in ("/my/isp/%d" % self.sub_b.id, "/my/isp/987654321"):
            resp = self.get(path)
            self.assertEqual(resp.status_code, 404, path)
            self.assertNotIn("cust-b-monthly", resp.text)
        # forms on another customer's account: 404, nothing changes
        before = self.sub_b.sudo().password
        for path, data in [
            ("/my/isp/%d/password" % self.sub_b.id, {"password": "hijack1", "confirm": "hijack1"}),
            ("/my/isp/%d/buy" % self.sub_b.id, {"plan_id": self.plan_daily.id,
                                               "acquirer_id": self.acq_bkash.id}),
            ("/my/isp/%d/pay" % self.sub_b.id, {"invoice_id": self.bill_b.id,
                                               "acquirer_id": self.acq_bkash.id}),
        ]:
            self.assertEqual(self.post(path, data).status_code, 404, path)
        self.assertEqual(self.sub_b.sudo().password, before)
        self.assertFalse(self.env["payment.transaction"].search(
            [("isp_subscription_id", "=", self.sub_b.id)]))

    def test_bills_of_another_customer(self):
        self.login(self.user_a)
        own = self.get("/my/invoices/%d" % self.bill_a.id)
        self.assertIn(self.bill_a.number, own.text)
        listing = self.get("/my/invoices")
        self.assertIn(self.bill_a.number, listing.text)
        self.assertNotIn(self.bill_b.number, listing.text)
        # Odoo's invoice portal sends a refused reader back to /my
        for path in ("/my/invoices/%d" % self.bill_b.id, "/my/invoices/pdf/%d" % self.bill_b.id,
                     "/my/invoices/%d?access_token=wrong" % self.bill_b.id):
            resp = self.get(path, follow=False)
            self.assertEqual(resp.status_code, 302, path)
            self.assertTrue(resp.headers["Location"].endswith("/my"), path)
        pdf = self.get("/my/invoices/pdf/%d" % self.bill_a.id)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        # the pay page: own bill yes, another's only with its token
        self.assertEqual(self.get("/isp/pay/%d" % self.bill_a.id).status_code, 200)
        for path in ("/isp/pay/%d" % self.bill_b.id,
                     "/isp/pay/%d?access_token=wrong" % self.bill_b.id,
                     "/isp/pay/%d?access_token=%s" % (self.bill_b.id, self.bill_a.access_token),
                     "/isp/pay/987654321?access_token=x"):
            self.assertEqual(self.get(path).status_code, 404, path)

    def test_anonymous_visitors(self):
        resp = self.get("/my/isp/%d" % self.sub_a_monthly.id, follow=False)
        self.assertEqual(resp.status_code, 302)
        self.assertIn("/web/login", resp.headers["Location"])
        self.assertEqual(self.get("/isp/pay/%d" % self.bill_a.id).status_code, 404)
        ok = self.get("/isp/pay/%d?access_token=%s" % (self.bill_a.id, self.bill_a.access_token))
        self.assertEqual(ok.status_code, 200)
        self.assertIn(self.bill_a.number, ok.text)
        # a payment's result page needs its own token
        self.login(self.user_a)
        self.pay_with_bkash_standin(self.post("/my/isp/%d/buy" % self.sub_a_daily.id, {
            "plan_id": self.plan_daily.id, "acquirer_id": self.acq_bkash.id}))
        tx = self.env["payment.transaction"].search([("isp_subscription_id", "=",
                                                      self.sub_a_daily.id)])
        self.opener.cookies.clear()
        self.assertEqual(self.get("/isp/payment/result/%d?token=bad" % tx.id).status_code, 404)
        self.assertEqual(self.get("/isp/payment/result/%d" % tx.id).status_code, 404)
        self.assertEqual(self.get(tx.isp_result_url()).status_code, 200)

    def test_forms_need_the_csrf_token(self):
        self.login(self.user_a)
        before = self.sub_a_daily.sudo().password
        resp = self.post("/my/isp/%d/password" % self.sub_a_daily.id,
                         {"password": "newpass1", "confirm": "newpass1"}, csrf=False)
        self.assertEqual(resp.status_code, 400)
        resp = self.post("/my/isp/%d/buy" % self.sub_a_daily.id, {
            "plan_id": self.plan_daily.id, "acquirer_id": self.acq_bkash.id}, csrf=False)
        self.assertEqual(resp.status_code, 400)
        self.assertEqual(self.sub_a_daily.sudo().password, before)
        self.assertFalse(self.bkash.payments)

    def test_password_change(self):
        self.login(self.user_a)
        sub = self.sub_a_daily
        resp = self.post("/my/isp/%d/password" % sub.id,
                         {"password": "short", "confirm": "short"})
        self.assertEqual(resp.status_code, 302)
        self.assertEqual(sub.sudo().password, "old-pass")
        self.post("/my/isp/%d/password" % sub.id, {"password": "wifi-pass-9",
                                                   "confirm": "wifi-pass-9"})
        self.assertEqual(sub.sudo().password, "wifi-pass-9")
        # the ISP may forbid it
        self.company.isp_portal_password_change = False
        page = self.get("/my/isp/%d" % sub.id)
        self.assertNotIn("/my/isp/%d/password" % sub.id, page.text)
        self.post("/my/isp/%d/password" % sub.id, {"password": "other-pass",
                                                   "confirm": "other-pass"})
        self.assertEqual(sub.sudo().password, "wifi-pass-9")

    def test_payment_transactions_are_private(self):
        """Odoo 11 lets every user read every payment transaction: a customer
        reads only its own."""
        tx_b = self.env["payment.transaction"].isp_create(self.acq_bkash, self.sub_b,
                                                          invoice=self.bill_b)
        tx_a = self.env["payment.transaction"].isp_create(self.acq_bkash, self.sub_a_daily,
                                                          plan=self.plan_daily)
        visible = self.env["payment.transaction"].sudo(self.user_a).search([])
        self.assertEqual(visible, tx_a)
        self.assertNotIn(tx_b, visible)


@at_install(False)
@post_install(True)
class TestTickets(PortalHttpCase):

    def setUp(self):
        super().setUp()
        Ticket = self.env["helpdesk.ticket"]
        self.ticket_a = Ticket.create({"name": "A: no internet", "description": "down",
                                       "partner_id": self.partner_a.id})
        self.ticket_b = Ticket.create({"name": "B: slow speed", "description": "slow",
                                       "partner_id": self.partner_b.id})

    def test_customer_sees_only_own_tickets(self):
        self.login(self.user_a)
        listing = self.get("/my/tickets")
        self.assertIn("A: no internet", listing.text)
        self.assertNotIn("B: slow speed", listing.text)
        self.assertIn("A: no internet", self.get("/my/ticket/%d" % self.ticket_a.id).text)
        for path in ("/my/ticket/%d" % self.ticket_b.id, "/my/ticket/987654321"):
            resp = self.get(path)
            self.assertEqual(resp.status_code, 404, path)
            self.assertNotIn("B: slow speed", resp.text)
        self.assertEqual(self.env["helpdesk.ticket"].sudo(self.user_a).search([]),
                         self.ticket_a)

    def test_cannot_close_another_customers_ticket(self):
        self.login(self.user_a)
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        stage_b = self.ticket_b.stage_id
        resp = self.get("/ticket/close?ticket_id=%d&stage_id=%d" % (self.ticket_b.id, done.id))
        self.assertEqual(resp.status_code, 404)
        self.assertEqual(self.ticket_b.stage_id, stage_b)
        # its own, to a closing stage: yes
        self.get("/ticket/close?ticket_id=%d&stage_id=%d" % (self.ticket_a.id, done.id))
        self.assertEqual(self.ticket_a.stage_id, done)

    def test_new_ticket_is_always_the_customers_own(self):
        self.login(self.user_a)
        self.post("/submitted/ticket", {
            "subject": "Cable cut", "description": "since morning",
            "name": self.partner_b.name, "email": self.partner_b.email},
            csrf_path="/new/ticket")
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Cable cut")])
        self.assertEqual(ticket.partner_id, self.partner_a)
        self.assertIn("Cable cut", self.get("/my/tickets").text)
