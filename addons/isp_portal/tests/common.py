# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures of the portal's HTTP tests: two portal customers with accounts
and bills, bKash and the SMS gateway as local stand-ins, the hosted
gateway's secret."""
import re

from odoo.addons.isp_base.tests.common import IspHttpCase

from .standins import BkashStandin, SmsStandin

HOSTED_SECRET = "hosted-secret"


class PortalHttpCase(IspHttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bkash = BkashStandin().start()
        cls.sms = SmsStandin().start()

    @classmethod
    def tearDownClass(cls):
        cls.bkash.stop()
        cls.sms.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        env = self.env = self.env(context=dict(self.env.context, no_reset_password=True,
                                               tracking_disable=True))
        self.company = env.user.company_id
        self.company.partner_id.country_id = env.ref("base.bd")
        # links and callbacks point at the test server
        env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        self.sms.messages.clear()
        self.bkash.payments.clear()
        self.bkash.calls.clear()
        self.bkash.tamper_amount = None
        self.bkash.fail_execute = False
        env["isp.sms.provider"].search([]).write({"active": False})
        env["isp.sms.provider"].create({
            "name": "SMS stand-in", "url": self.sms.url + "/send", "method": "post",
            "balance": 1000, "company_id": self.company.id})
        env["payment.acquirer"].search([("provider", "in", ("bkash", "isp_hosted"))]).write(
            {"website_published": False})
        self.acq_bkash = env.ref("isp_portal.payment_acquirer_bkash")
        self.acq_bkash.write({
            "bkash_base_url": self.bkash.url, "bkash_username": "merchant",
            "bkash_password": "pw", "bkash_app_key": "key", "bkash_app_secret": "secret",
            "bkash_token": False, "bkash_token_expiry": False, "bkash_refresh_token": False,
            "website_published": True, "company_id": self.company.id})
        self.acq_hosted = env.ref("isp_portal.payment_acquirer_hosted")
        self.acq_hosted.write({
            "hosted_url": "http://127.0.0.1:9/gateway", "hosted_merchant": "M1",
            "hosted_secret": HOSTED_SECRET, "website_published": True,
            "company_id": self.company.id})
        master = env["isp.master.package"].create({
            "name": "P 10M", "download_kbps": 10240, "upload_kbps": 5120,
            "speed_controller": "radius"})
        Plan = env["isp.service.plan"]
        self.plan_daily = Plan.create({
            "name": "P 7 days", "master_package_id": master.id, "billing_type": "daily",
            "validity_value": 7, "customer_price": 250.0, "allow_hotspot": True})
        self.plan_hours = Plan.create({
            "name": "P 3 hours", "master_package_id": master.id, "billing_type": "daily",
            "validity_value": 3, "validity_unit": "hours", "customer_price": 10.0,
            "allow_pppoe": False, "allow_hotspot": True})
        self.plan_private = Plan.create({
            "name": "P staff only", "master_package_id": master.id, "billing_type": "daily",
            "validity_value": 30, "customer_price": 1.0, "visibility": "private",
            "allow_hotspot": True})
        self.plan_monthly = Plan.create({
            "name": "P monthly", "master_package_id": master.id, "billing_type": "monthly",
            "customer_price": 900.0})
        self.profile = env["isp.billing.profile"].create({
            "name": "P monthly", "auto_bill": True, "auto_suspend": True, "billing_day": 1,
            "cycle_ends_with_month": True, "due_days": 7, "grace_days": 2})
        self.partner_a, self.user_a = self.new_customer("Customer A", "01711000201", "cust.a")
        self.partner_b, self.user_b = self.new_customer("Customer B", "01811000202", "cust.b")
        Sub = env["isp.subscription"]
        self.sub_a_daily = Sub.create({
            "partner_id": self.partner_a.id, "connection_type": "pppoe",
            "billing_type": "daily", "username": "cust-a-daily", "password": "old-pass"})
        self.sub_a_monthly = Sub.create({
            "partner_id": self.partner_a.id, "connection_type": "pppoe",
            "plan_id": self.plan_monthly.id, "billing_profile_id": self.profile.id,
            "username": "cust-a-monthly", "password": "pw-a-m"})
        self.sub_a_monthly.action_activate()
        self.bill_a = self.sub_a_monthly.invoice_ids.filtered(lambda i: i.state == "open")
        self.sub_b = Sub.create({
            "partner_id": self.partner_b.id, "connection_type": "pppoe",
            "plan_id": self.plan_monthly.id, "billing_profile_id": self.profile.id,
            "username": "cust-b-monthly", "password": "pw-b-m"})
        self.sub_b.action_activate()
        self.bill_b = self.sub_b.invoice_ids.filtered(lambda i: i.state == "open")

    def new_prepaid_reseller(self, key):
        """A prepaid reseller under the ISP ("Reseller <KEY>", 1000 added to
        its wallet in cash) with a 7-day package (customer price 300, its
        cost 200) and its login reseller.<key> (password reseller.<key>-pw):
        (operator, package, user)."""
        env = self.env
        cash = env["account.payment"].isp_default_journal(self.company, "cash")
        op = env["res.partner"].create({
            "name": "Reseller %s" % key.upper(), "is_company": True, "isp_is_operator": True,
            "isp_parent_operator_id": self.company.partner_id.id,
            "isp_reseller_mode": "prepaid"})
        env["isp.operator.money.wizard"].create({
            "operator_id": op.id, "amount": 1000.0, "journal_id": cash.id}).action_apply()
        plan = env["isp.service.plan"].create({
            "name": "%s 7 days" % op.name, "operator_id": op.id,
            "master_package_id": self.plan_daily.master_package_id.id,
            "billing_type": "daily", "validity_value": 7, "customer_price": 300.0,
            "operator_price": 200.0, "allow_hotspot": True})
        user = env["res.users"].create({
            "name": "reseller.%s" % key, "login": "reseller.%s" % key,
            "password": "reseller.%s-pw" % key, "email": "r%s@example.com" % key,
            "isp_operator_id": op.id,
            "groups_id": [(6, 0, [env.ref("isp_base.group_isp_reseller").id])]})
        return op, plan, user

    def new_customer(self, name, mobile, login):
        partner = self.env["res.partner"].create({
            "name": name, "mobile": mobile, "isp_is_subscriber": True,
            "email": "%s@example.com" % login})
        user = self.env["res.users"].create({
            "name": name, "login": login, "password": login + "-pw",
            "partner_id": partner.id,
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})
        return partner, user

    # HTTP helpers ------------------------------------------------------------------

    def login(self, user):
        resp = self.web_login(user.login, user.login + "-pw")
        self.assertEqual(resp.status_code, 200)

    def csrf(self, path="/my/home"):
        page = self.url_open(path)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _before_request(self):
        """Make what the test wrote visible to the server (IspHttpCase), and
        warm the decimal precision cache: cold, Odoo's Float.digits opens a
        LazyCursor, which in HttpCase mode is the shared test cursor, whose
        "commit" then releases every savepoint of the request (in production
        it is a cursor of its own)."""
        Precision = self.env["decimal.precision"]
        for name in Precision.search([]).mapped("name"):
            Precision.precision_get(name)
        self.env.cr.commit()  # pylint: disable=invalid-commit

    def url_open(self, url, data=None, timeout=60):
        self._before_request()
        return super().url_open(url, data=data, timeout=timeout)

    def get(self, path, follow=True):
        self._before_request()
        resp = self.opener.get(self.base_url() + path, timeout=60, allow_redirects=follow)
        self.env.clear()
        return resp

    def post(self, path, data, follow=False, csrf=True, csrf_path="/my/home"):
        data = dict(data)
        if csrf:
            data["csrf_token"] = self.csrf(csrf_path)
        self._before_request()
        resp = self.opener.post(self.base_url() + path, data=data, timeout=60,
                                allow_redirects=follow)
        self.env.clear()
        return resp

    def pay_with_bkash_standin(self, redirect, status="success"):
        """Follow the redirect to bKash: the payer answers `status`, then
        comes back to our callback (the stand-in's redirect)."""
        self.assertIn(redirect.status_code, (302, 303))
        location = redirect.headers["Location"]
        self.assertTrue(location.startswith(self.bkash.url + "/checkout?paymentID="), location)
        payment_id = location.split("paymentID=")[1]
        answer = self.opener.get(self.bkash.url + "/checkout/answer?paymentID=%s&action=%s"
                                 % (payment_id, status), allow_redirects=False, timeout=30)
        callback = answer.headers["Location"]
        self.assertTrue(callback.startswith(self.base_url() + "/isp/payment/bkash/callback"))
        return payment_id, self.get(callback[len(self.base_url()):], follow=False)
