# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Notices through an HTTP SMS gateway: a local HTTP server stands in for
the provider and records every request."""
import datetime
import http.server
import json
import threading
import urllib.parse

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .common import D, BillingCase

Y = 2031


class FakeGateway(http.server.ThreadingHTTPServer):
    """Answers like the usual bulk-SMS APIs; `fail_next` answers go wrong."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), GatewayHandler)
        self.requests = []
        self.fail_next = 0
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/api/send" % self.server_address[1]

    def stop(self):
        self.shutdown()
        self.server_close()


class GatewayHandler(http.server.BaseHTTPRequestHandler):

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        self.server.requests.append({k: v[0] for k, v in form.items()})
        if self.server.fail_next:
            self.server.fail_next -= 1
            body = {"status": "FAILED", "error": "gateway busy"}
        else:
            body = {"status": "SUCCESS", "id": len(self.server.requests)}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@at_install(False)
@post_install(True)
class TestNotices(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = FakeGateway()
        cls.env["isp.sms.provider"].search([]).write({"active": False})
        cls.provider = cls.env["isp.sms.provider"].create({
            "name": "Test gateway", "url": cls.gateway.url, "method": "post",
            "parameters": "to={to}\nmsg={message}\nuser={username}\nkey={api_key}",
            "username": "isp", "api_key": "k3y", "success_pattern": '"status": "SUCCESS"',
            "balance": 10})

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.gateway.requests.clear()
        self.gateway.fail_next = 0
        # only this test's notices are sent
        self.env["isp.notice"].search([("state", "!=", "sent")]).write({"state": "sent"})

    def notices(self, sub, event):
        return self.env["isp.notice"].search([("subscription_id", "=", sub.id),
                                              ("event", "=", event)])

    def billed(self):
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        return sub

    def test_bill_sms_sent_once(self):
        sub = self.billed()
        bill = self.bills(sub)
        sms = self.notices(sub, "bill").filtered(lambda n: n.channel == "sms")
        self.assertEqual((sms.state, sms.recipient), ("queued", "+8801711000101"))
        self.assertIn(bill.number, sms.body)
        self.env["isp.notice"].cron_send()
        self.assertEqual(len(self.gateway.requests), 1)
        request = self.gateway.requests[0]
        self.assertEqual((request["to"], request["user"], request["key"]),
                         ("+8801711000101", "isp", "k3y"))
        self.assertIn("Dear Test Subscriber, your bill %s of 900.0" % bill.number,
                      request["msg"])
        self.assertEqual((sms.state, sms.attempts), ("sent", 1))
        self.assertIn("SUCCESS", sms.response)
        self.assertEqual(self.provider.balance, 9)
        # the same event again queues nothing, the job sends nothing more
        sub._isp_notify("bill", bill)
        self.env["isp.notice"].cron_send()
        self.assertEqual(len(self.notices(sub, "bill").filtered(
            lambda n: n.channel == "sms")), 1)
        self.assertEqual(len(self.gateway.requests), 1)

    def test_bill_email(self):
        sub = self.billed()
        mail_notice = self.notices(sub, "bill").filtered(lambda n: n.channel == "email")
        self.env["isp.notice"].cron_send()
        self.assertEqual(mail_notice.mail_id.email_to, self.partner.email)
        self.assertIn(self.bills(sub).number, mail_notice.mail_id.subject)

    def test_failures_are_retried_and_logged(self):
        sub = self.billed()
        sms = self.notices(sub, "bill").filtered(lambda n: n.channel == "sms")
        self.gateway.fail_next = 1
        self.env["isp.notice"].cron_send()
        self.assertEqual((sms.state, sms.attempts, sms.error),
                         ("failed", 1, "The provider refused the message."))
        self.assertIn("gateway busy", sms.response)
        self.assertEqual(self.provider.balance, 10)  # not charged
        self.assertTrue(sms.next_attempt > fields.Datetime.now())
        self.env["isp.notice"].cron_send()
        self.assertEqual(len(self.gateway.requests), 1)  # not before its retry time
        sms.next_attempt = fields.Datetime.now()
        self.env["isp.notice"].cron_send()
        self.assertEqual((sms.state, sms.attempts), ("sent", 2))

    def test_unreachable_provider(self):
        sub = self.billed()
        sms = self.notices(sub, "bill").filtered(lambda n: n.channel == "sms")
        self.provider.url = "http://127.0.0.1:9/nothing"
        self.env["isp.notice"].cron_send()
        self.assertEqual(sms.state, "failed")
        self.assertIn("Provider unreachable", sms.error)

    def test_no_sms_without_balance(self):
        sub = self.billed()
        self.provider.balance = 0
        self.env["isp.notice"].cron_send()
        sms = self.notices(sub, "bill").filtered(lambda n: n.channel == "sms")
        self.assertEqual((sms.state, sms.attempts), ("queued", 0))
        self.assertIn("No SMS balance", sms.error)
        self.assertFalse(self.gateway.requests)
        self.provider.add_balance(5)
        self.env["isp.notice"].cron_send()
        self.assertEqual(sms.state, "sent")

    def secret_notice(self, secrets=("482913",), body="482913 is your code"):
        template = self.env["isp.notice.template"].search([("channel", "=", "sms")], limit=1)
        return self.env["isp.notice"].send_secret({
            "template_id": template.id, "event": template.event, "event_key": "secret:1",
            "company_id": self.env.user.company_id.id, "recipient": "+8801711000101",
            "body": body}, list(secrets))

    def test_secret_goes_to_the_provider_only(self):
        notice = self.secret_notice()
        self.assertEqual(self.gateway.requests[0]["msg"], "482913 is your code")
        self.assertEqual((notice.state, notice.body, notice.carries_secret, notice.segments),
                         ("sent", "****** is your code", True, 1))
        self.assertNotIn("482913", notice.response)
        self.env.cr.execute("SELECT count(*) FROM isp_notice WHERE body LIKE %s "
                            "OR response LIKE %s", ("%482913%", "%482913%"))
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_failed_secret_is_not_retried(self):
        self.gateway.fail_next = 1
        notice = self.secret_notice()
        self.assertEqual((notice.state, notice.body), ("failed", "****** is your code"))
        self.assertIn("gateway busy", notice.response)
        notice.next_attempt = fields.Datetime.now()
        self.env["isp.notice"].cron_send()
        notice.send()
        self.assertEqual(len(self.gateway.requests), 1)
        self.assertEqual(notice.state, "failed")
        self.assertIn("ask for a new one", notice.error)

    def test_unreachable_provider_does_not_record_the_secret(self):
        """A GET provider puts the message in the URL, which the connection
        error repeats."""
        self.provider.write({"url": "http://127.0.0.1:9/send", "method": "get"})
        notice = self.secret_notice()
        self.assertEqual(notice.state, "failed")
        self.assertIn("Provider unreachable", notice.error)
        self.assertNotIn("482913", notice.error)
        self.assertIn("******", notice.error)

    def test_secret_by_email_is_refused(self):
        template = self.env["isp.notice.template"].search([("channel", "=", "email")], limit=1)
        with self.assertRaises(UserError):
            self.env["isp.notice"].send_secret({
                "template_id": template.id, "channel": "email", "event": template.event,
                "event_key": "secret:2", "recipient": "a@example.com", "body": "pw 1"}, ["1"])

    def test_payment_notice(self):
        sub = self.billed()
        payment = self.pay(self.bills(sub))
        sms = self.notices(sub, "payment").filtered(lambda n: n.channel == "sms")
        self.assertEqual(sms.event_key, "payment:account.payment:%d" % payment.id)
        self.assertIn("we received 900.0", sms.body)

    def test_expiry_warning_once_per_validity(self):
        sub = self.daily_sub()
        sub.action_recharge(self.plan_daily)

        def ends_in(delta):
            sub.with_context(isp_no_network_event=True).validity_end = \
                fields.Datetime.to_string(datetime.datetime.utcnow() + delta)
        ends_in(datetime.timedelta(hours=5))  # within the 1-day warning
        self.Sub.cron_expiry_warnings()
        self.Sub.cron_expiry_warnings()
        self.assertEqual(len(self.notices(sub, "expiry_warning")), 1)
        ends_in(datetime.timedelta(days=3))  # extended: not yet
        self.Sub.cron_expiry_warnings()
        self.assertEqual(len(self.notices(sub, "expiry_warning")), 1)
        ends_in(datetime.timedelta(hours=7))  # a new end comes near: warned again
        self.Sub.cron_expiry_warnings()
        self.assertEqual(len(self.notices(sub, "expiry_warning")), 2)

    def test_notice_in_the_subscribers_language(self):
        self.env["res.lang"].load_lang("bn_BD")
        template = self.env.ref("isp_billing.notice_payment_sms")
        template.with_context(lang="bn_BD").body = \
            "প্রিয় ${object.partner_id.name}, আমরা ${ctx['isp_record'].amount} পেয়েছি।"
        self.partner.lang = "bn_BD"
        sub = self.billed()
        self.pay(self.bills(sub))
        sms = self.notices(sub, "payment").filtered(lambda n: n.channel == "sms")
        self.assertEqual(sms.body, "প্রিয় Test Subscriber, আমরা 900.0 পেয়েছি।")
        self.assertEqual(sms.segments, 1)
        self.partner2.lang = "en_US"
        other = self.monthly_sub(partner_id=self.partner2.id)
        with self.today(D(Y, 3, 1)):
            other.action_activate()
        self.pay(self.bills(other))
        self.assertIn("we received", self.notices(other, "payment").filtered(
            lambda n: n.channel == "sms").body)
