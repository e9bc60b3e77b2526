# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Online payments over HTTP against the bKash stand-in: a package bought,
a bill paid, failure, cancellation, duplicate callback, tampered amount; the
hosted gateway; payment links sent by SMS."""
import datetime
import hashlib
import hmac
from urllib.parse import parse_qs, urlencode, urlsplit

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install

from ..lib import hosted
from .common import HOSTED_SECRET, PortalHttpCase


@at_install(False)
@post_install(True)
class TestBkashPayments(PortalHttpCase):

    def buy(self, sub, plan, acquirer=None):
        return self.post("/my/isp/%d/buy" % sub.id, {
            "plan_id": plan.id, "acquirer_id": (acquirer or self.acq_bkash).id})

    def payments_of(self, partner):
        return self.env["account.payment"].search([("partner_id", "=", partner.id)])

    def test_buy_package_with_bkash(self):
        self.login(self.user_a)
        sub = self.sub_a_daily
        self.assertEqual(sub.state, "draft")
        page = self.get("/my/isp/%d" % sub.id)
        self.assertIn("P 7 days", page.text)
        self.assertNotIn("P 3 hours", page.text)           # not sold for PPPoE
        self.assertNotIn("P staff only", page.text)        # private package
        payment_id, back = self.pay_with_bkash_standin(self.buy(sub, self.plan_daily))
        tx = self.env["payment.transaction"].search([("acquirer_reference", "=", payment_id)])
        self.assertEqual(tx.state, "done", tx.state_message)
        self.assertEqual(back.headers["Location"], self.base_url() + tx.isp_result_url())
        # what bKash was asked for
        create = [c for c in self.bkash.calls if c[0].endswith("/create")][0][2]
        self.assertEqual((create["amount"], create["currency"], create["merchantInvoiceNumber"],
                          create["intent"]), ("250.00", self.plan_daily.currency_id.name,
                                              tx.reference, "sale"))
        # posted through isp_billing: recharge bill paid with the bKash trxID
        trx = self.bkash.payments[payment_id]["trxID"]
        self.assertEqual(tx.isp_trx_id, trx)
        bill = sub.invoice_ids
        self.assertEqual((bill.isp_kind, bill.state, bill.amount_total), ("recharge", "paid",
                                                                          250.0))
        payment = tx.isp_payment_id
        self.assertEqual((payment.isp_reference, payment.isp_payment_method, payment.amount),
                         (trx, "bkash", 250.0))
        self.assertEqual((sub.state, sub.plan_id), ("active", self.plan_daily))
        left = fields.Datetime.from_string(sub.validity_end) - datetime.datetime.utcnow()
        self.assertGreater(left, datetime.timedelta(days=6, hours=23))
        self.assertLessEqual(left, datetime.timedelta(days=7))
        # the result page, then the status page say so
        result = self.get(tx.isp_result_url())
        self.assertIn('data-state="done"', result.text)
        status = self.get("/my/isp/%d" % sub.id)
        self.assertIn('data-state="active"', status.text)

        # a renewal while it runs: 7 days more from the current end, and the
        # bKash token granted for the first payment is used again
        end = fields.Datetime.from_string(sub.validity_end)
        self.pay_with_bkash_standin(self.buy(sub, self.plan_daily))
        self.assertEqual(fields.Datetime.from_string(sub.validity_end),
                         end + datetime.timedelta(days=7))
        self.assertEqual(len(self.bkash.grants()), 1)
        self.assertEqual(len(sub.invoice_ids.filtered(lambda i: i.state == "paid")), 2)
        # a package not sold for PPPoE cannot be bought for this account
        self.buy(sub, self.plan_hours)
        self.assertEqual(len(self.env["payment.transaction"].search(
            [("isp_subscription_id", "=", sub.id)])), 2)

    def test_failed_and_cancelled_payments_change_nothing(self):
        self.login(self.user_a)
        sub = self.sub_a_daily
        for status, state in (("failure", "error"), ("cancel", "cancel")):
            payment_id, back = self.pay_with_bkash_standin(self.buy(sub, self.plan_daily),
                                                           status=status)
            tx = self.env["payment.transaction"].search(
                [("acquirer_reference", "=", payment_id)])
            self.assertEqual(tx.state, state)
            self.assertFalse(self.bkash.executes())        # never executed
            self.assertEqual(back.status_code, 302)
            self.assertIn('data-state="%s"' % state, self.get(tx.isp_result_url()).text)
        self.assertFalse(sub.invoice_ids)
        self.assertFalse(self.payments_of(self.partner_a))
        self.assertEqual((sub.state, sub.validity_end), ("draft", False))

    def test_success_claimed_but_not_paid(self):
        """The payer's return says success but bKash refuses execute (and its
        status query says Initiated): nothing is posted."""
        self.login(self.user_a)
        self.bkash.fail_execute = True
        payment_id, _back = self.pay_with_bkash_standin(self.buy(self.sub_a_daily,
                                                                 self.plan_daily))
        tx = self.env["payment.transaction"].search([("acquirer_reference", "=", payment_id)])
        self.assertEqual(tx.state, "error")
        self.assertIn("transactionStatus is Initiated", tx.state_message)
        self.assertFalse(self.sub_a_daily.invoice_ids)

    def test_duplicate_callback_posts_once(self):
        self.login(self.user_a)
        payment_id, back = self.pay_with_bkash_standin(self.buy(self.sub_a_daily,
                                                                self.plan_daily))
        again = self.get("/isp/payment/bkash/callback?paymentID=%s&status=success"
                         % payment_id, follow=False)
        self.assertEqual(again.headers["Location"], back.headers["Location"])
        self.assertEqual(len(self.bkash.executes()), 1)
        self.assertEqual(len(self.payments_of(self.partner_a)), 1)
        self.assertEqual(len(self.sub_a_daily.invoice_ids), 1)
        # an unknown payment id is a 404
        self.assertEqual(self.get("/isp/payment/bkash/callback?paymentID=NOPE&status=success",
                                  follow=False).status_code, 404)

    def test_tampered_amount_is_refused(self):
        self.login(self.user_a)
        self.bkash.tamper_amount = "2.50"
        payment_id, _back = self.pay_with_bkash_standin(self.buy(self.sub_a_daily,
                                                                 self.plan_daily))
        tx = self.env["payment.transaction"].search([("acquirer_reference", "=", payment_id)])
        self.assertEqual(tx.state, "error")
        self.assertIn("amount is 2.50 instead of 250.00", tx.state_message)
        self.assertFalse(self.payments_of(self.partner_a))
        self.assertEqual(self.sub_a_daily.state, "draft")

    def test_monthly_account_pays_its_bill_and_is_resumed(self):
        sub = self.sub_a_monthly
        sub._transition("suspend", "test", values={"suspend_reason": "non_payment"})
        self.login(self.user_a)
        page = self.get("/my/isp/%d" % sub.id)
        self.assertNotIn("/my/isp/%d/buy" % sub.id, page.text)   # no packages to buy
        self.assertIn(self.bill_a.number, page.text)
        # buying a package is refused for a monthly account
        refused = self.buy(sub, self.plan_daily)
        self.assertEqual(refused.status_code, 302)
        self.assertFalse(self.env["payment.transaction"].search(
            [("isp_subscription_id", "=", sub.id)]))
        self.assertIn("isp_error", self.get("/my/isp/%d" % sub.id).text)
        # paying the bill
        redirect = self.post("/my/isp/%d/pay" % sub.id, {
            "invoice_id": self.bill_a.id, "acquirer_id": self.acq_bkash.id})
        payment_id, _back = self.pay_with_bkash_standin(redirect)
        tx = self.env["payment.transaction"].search([("acquirer_reference", "=", payment_id)])
        self.assertEqual(tx.state, "done", tx.state_message)
        self.assertEqual(self.bill_a.state, "paid")
        self.assertEqual(tx.isp_payment_id.isp_reference, tx.isp_trx_id)
        self.assertEqual((sub.state, sub.suspend_reason), ("active", False))
        # someone else's bill through one's own account: 404
        other = self.post("/my/isp/%d/pay" % sub.id, {
            "invoice_id": self.bill_b.id, "acquirer_id": self.acq_bkash.id})
        self.assertEqual(other.status_code, 404)


@at_install(False)
@post_install(True)
class TestPaymentLinks(PortalHttpCase):

    def test_staff_sends_link_anyone_with_it_pays(self):
        cashier = self.env["res.users"].create({
            "name": "P cashier", "login": "p.cashier", "password": "p.cashier",
            "email": "p.cashier@example.com",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("isp_base.group_isp_perm_billing").id])]})
        notice = self.bill_b.sudo(cashier).action_isp_send_payment_link()
        self.assertEqual((notice.state, notice.event, notice.recipient),
                         ("sent", "payment_link", "+8801811000202"))
        text = self.sms.last_to("+8801811000202")
        url = text.split("Pay online: ")[1]
        self.assertTrue(url.startswith("http"))
        path = urlsplit(url).path + "?" + urlsplit(url).query
        self.assertEqual(path, "/isp/pay/%d?access_token=%s"
                         % (self.bill_b.id, self.bill_b.access_token))
        # anonymous visitor with the link
        page = self.get(path)
        self.assertEqual(page.status_code, 200)
        due = "%.2f" % self.bill_b.residual
        self.assertIn('<span class="oe_currency_value">%s</span>' % due, page.text)
        # ... pays through the hosted gateway
        redirect = self.post("/isp/pay/%d/start" % self.bill_b.id, {
            "access_token": self.bill_b.access_token, "acquirer_id": self.acq_hosted.id},
            csrf_path=path)
        self.assertEqual(redirect.status_code, 303)
        target = urlsplit(redirect.headers["Location"])
        self.assertEqual("%s://%s%s" % target[:3], "http://127.0.0.1:9/gateway")
        sent = {k: v[0] for k, v in parse_qs(target.query).items()}
        self.assertEqual(sent["signature"], hosted.sign(HOSTED_SECRET, sent,
                                                        hosted.REQUEST_FIELDS))
        self.assertEqual((sent["amount"], sent["merchant"]), (due, "M1"))
        answer = {"reference": sent["reference"], "amount": due,
                  "currency": self.bill_b.currency_id.name, "status": "paid", "txn_id": "GW-123"}
        # a forged answer (bad signature) is ignored
        forged = dict(answer, signature="0" * 64)
        resp = self.post("/isp/payment/hosted/notify", forged, csrf=False)
        self.assertEqual(resp.text, "NOT PAID")
        self.assertEqual(self.bill_b.state, "open")
        answer["signature"] = hosted.sign(HOSTED_SECRET, answer, hosted.ANSWER_FIELDS)
        back = self.get("/isp/payment/hosted/return?" + "&".join(
            "%s=%s" % kv for kv in answer.items()), follow=False)
        self.assertEqual(back.status_code, 302)
        self.assertEqual(self.bill_b.state, "paid")
        payment = self.bill_b.payment_ids
        self.assertEqual((payment.isp_reference, payment.isp_payment_method), ("GW-123",
                                                                               "online"))
        # the gateway's own notification afterwards: already done, posts nothing more
        again = self.post("/isp/payment/hosted/notify", answer, csrf=False)
        self.assertEqual(again.text, "OK")
        self.assertEqual(len(self.env["account.payment"].search(
            [("isp_reference", "=", "GW-123")])), 1)

    def test_link_needs_billing_right_and_an_open_bill(self):
        helpdesk = self.env["res.users"].create({
            "name": "P helpdesk", "login": "p.helpdesk", "password": "p.helpdesk",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("isp_base.group_isp_helpdesk").id])]})
        with self.assertRaises(AccessError):
            self.bill_b.sudo(helpdesk).action_isp_send_payment_link()
        self.env["account.payment"].isp_pay_invoices(self.bill_b)
        with self.assertRaises(UserError):
            self.bill_b.action_isp_send_payment_link()
        self.assertFalse(self.sms.last_to("+8801811000202"))


@at_install(False)
@post_install(True)
class TestGatewaySecrets(PortalHttpCase):
    """A gateway without its secret is not published, and its callbacks are
    never taken as signed."""

    def test_unsigned_notification_without_secret_pays_nothing(self):
        tx = self.env["payment.transaction"].isp_create(self.acq_hosted, self.sub_b,
                                                        invoice=self.bill_b)
        self.acq_hosted.write({"website_published": False, "hosted_secret": False})
        answer = {"reference": tx.reference, "amount": "%.2f" % tx.amount,
                  "currency": tx.currency_id.name, "status": "paid", "txn_id": "GW-FORGED"}
        # what anybody can compute: the HMAC with an empty key
        message = "|".join(answer[f] for f in hosted.ANSWER_FIELDS).encode()
        answer["signature"] = hmac.new(b"", message, hashlib.sha256).hexdigest()
        resp = self.post("/isp/payment/hosted/notify", answer, csrf=False)
        self.assertEqual(resp.text, "NOT PAID")
        back = self.get("/isp/payment/hosted/return?" + urlencode(answer), follow=False)
        self.assertEqual(back.status_code, 302)
        self.assertEqual((tx.state, self.bill_b.state), ("draft", "open"))
        self.assertFalse(self.env["account.payment"].search(
            [("isp_reference", "=", "GW-FORGED")]))

    def test_no_publishing_without_credentials(self):
        admin_env = self.env
        with self.assertRaisesRegex(ValidationError, "Signing secret"), \
                admin_env.cr.savepoint():
            self.acq_hosted.write({"hosted_secret": False})
        with self.assertRaisesRegex(ValidationError, "Signing secret"), \
                admin_env.cr.savepoint():
            self.acq_hosted.write({"hosted_secret": "   "})
        self.acq_hosted.write({"website_published": False, "hosted_secret": False})
        with self.assertRaisesRegex(ValidationError, "cannot be published without: Signing "
                                                     "secret"), admin_env.cr.savepoint():
            self.acq_hosted.website_published = True
        with self.assertRaisesRegex(ValidationError, "bKash app secret, bKash password"), \
                admin_env.cr.savepoint():
            self.acq_bkash.write({"bkash_app_secret": False, "bkash_password": ""})
        # unpublished, it may be incomplete; with its secret it is published
        self.acq_hosted.write({"hosted_secret": "another-secret", "website_published": True})
        self.assertTrue(self.acq_hosted.website_published)
        # an unpublished gateway without secret is not offered nor signs anything
        self.acq_hosted.write({"website_published": False, "hosted_secret": False})
        self.assertNotIn(self.acq_hosted,
                         self.env["payment.acquirer"].isp_portal_acquirers(self.company))
        tx = self.env["payment.transaction"].isp_create(self.acq_hosted, self.sub_b,
                                                        invoice=self.bill_b)
        with self.assertRaisesRegex(UserError, "no signing secret"):
            self.acq_hosted._hosted_request(tx, self.base_url() + "/isp/payment/hosted/return")
