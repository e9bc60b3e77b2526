# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hotspot: the login page MikroTik redirects to, self-registration with a
one-time code (read from the SMS stand-in), its expiry, tries and rate
limits per number and per client address."""
import datetime
import logging
from unittest import mock

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from ..lib import otp as otp_lib
from .common import PortalHttpCase

VISITOR = "01911000303"
VISITOR_E164 = "+8801911000303"


@at_install(False)
@post_install(True)
class TestHotspot(PortalHttpCase):

    def setUp(self):
        super().setUp()
        # the router whose hotspot login page is at 10.5.50.1 (MikroTik's default)
        self.router = self.env["isp.router"].create({
            "name": "P hotspot", "host": "192.0.2.77", "hotspot_host": "10.5.50.1"})

    def register(self, mobile=VISITOR):
        return self.post("/hotspot/register", {"mobile": mobile}, csrf_path="/hotspot/register")

    def verify(self, code, password="visitor-pw", confirm=None):
        return self.post("/hotspot/verify", {
            "code": code, "password": password, "confirm": confirm or password,
            "name": "Visitor"}, csrf_path="/hotspot/verify")

    def test_login_page_keeps_mikrotik_variables(self):
        page = self.get("/hotspot/login?mac=AA:BB:CC:00:11:22&ip=10.5.50.9"
                        "&link-login-only=http%3A%2F%2F10.5.50.1%2Flogin"
                        "&link-orig=http%3A%2F%2Fexample.com%2F")
        self.assertEqual(page.status_code, 200)
        self.assertIn('action="http://10.5.50.1/login"', page.text)
        self.assertIn('name="dst" value="http://example.com/"', page.text)
        self.assertIn("/hotspot/register", page.text)
        evil = self.get("/hotspot/login?link-login-only=javascript%3Aalert(1)")
        self.assertNotIn("javascript:alert", evil.text)
        hosts = self.get("/hotspot/walled-garden").text.split()
        self.assertIn("127.0.0.1", hosts)      # the portal and the bKash stand-in

    def test_register_with_code_then_buy_and_get_in(self):
        self.get("/hotspot/login?mac=AA:BB:CC:00:11:22&ip=10.5.50.9"
                 "&link-login-only=http%3A%2F%2F10.5.50.1%2Flogin")
        resp = self.register()
        self.assertEqual(resp.status_code, 303 if resp.status_code == 303 else 302)
        self.assertTrue(resp.headers["Location"].endswith("/hotspot/verify"))
        code = self.sms.last_code(VISITOR_E164)
        self.assertTrue(code)
        notice = self.env["isp.notice"].search([("event", "=", "otp")], limit=1)
        self.assertEqual((notice.state, notice.recipient), ("sent", VISITOR_E164))
        otp = self.env["isp.portal.otp"].search([("mobile", "=", VISITOR_E164)])
        self.assertNotIn(code, otp.code_hash)
        # a wrong code first
        wrong = "000000" if code != "000000" else "111111"
        page = self.verify(wrong)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Wrong code (4 tries left)", page.text)
        resp = self.verify(code)
        self.assertEqual(resp.status_code, 302)
        self.assertTrue(resp.headers["Location"].endswith("/my/isp"))
        user = self.env["res.users"].search([("login", "=", VISITOR_E164)])
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        sub = self.env["isp.subscription"].search([("partner_id", "=", user.partner_id.id)])
        self.assertEqual((sub.connection_type, sub.billing_type, sub.username, sub.state),
                         ("hotspot", "daily", "8801911000303", "draft"))
        self.assertEqual(sub.sudo().password, "visitor-pw")
        self.assertEqual(user.partner_id.mobile, VISITOR_E164)
        # logged in: the account page offers the hotspot packages
        page = self.get("/my/isp/%d" % sub.id)
        self.assertIn("P 3 hours", page.text)
        self.pay_with_bkash_standin(self.post(
            "/my/isp/%d/buy" % sub.id, {"plan_id": self.plan_hours.id,
                                        "acquirer_id": self.acq_bkash.id}))
        self.assertEqual(sub.state, "active")
        page = self.get("/my/isp/%d" % sub.id)
        # ... and the button that logs the device in at the router
        self.assertIn('action="http://10.5.50.1/login"', page.text)
        self.assertIn('name="username" value="8801911000303"', page.text)
        # the code worked once
        self.opener.cookies.clear()
        self.register()
        self.assertEqual(len(self.env["isp.portal.otp"].search(
            [("mobile", "=", VISITOR_E164)])), 2)

    def test_code_expires_and_tries_are_limited(self):
        self.register()
        otp = self.env["isp.portal.otp"].search([("mobile", "=", VISITOR_E164)])
        code = self.sms.last_code(VISITOR_E164)
        otp.expires = fields.Datetime.to_string(
            datetime.datetime.utcnow() - datetime.timedelta(seconds=1))
        self.assertIn("This code has expired", self.verify(code).text)
        self.assertFalse(self.env["res.users"].search([("login", "=", VISITOR_E164)]))
        # a new code; five wrong tries lock it, the right one then fails too
        self.env["ir.config_parameter"].set_param("isp_portal.otp_per_number", "10")
        self.register()
        code = self.sms.last_code(VISITOR_E164)
        wrong = "000000" if code != "000000" else "111111"
        for _i in range(4):
            self.verify(wrong)
        self.assertIn("too many times", self.verify(wrong).text)
        self.assertIn("No code is waiting", self.verify(code).text)
        self.assertFalse(self.env["res.users"].search([("login", "=", VISITOR_E164)]))

    def test_rate_limits_per_number_and_per_address(self):
        for _i in range(3):
            self.assertEqual(self.register().status_code, 302)
        refused = self.register()
        self.assertEqual(refused.status_code, 200)
        self.assertIn("Too many attempts", refused.text)
        self.assertEqual(len(self.sms.messages), 3)
        # other numbers from the same address (the refused try counts too)
        self.env["ir.config_parameter"].set_param("isp_portal.otp_per_address", "5")
        sent = [self.register("0171100030%d" % i).status_code for i in range(3)]
        self.assertEqual(sent, [302, 200, 200])
        self.assertEqual(len(self.sms.messages), 4)
        self.assertEqual(self.sms.messages[-1]["to"], "+8801711000300")

    def test_invalid_number_and_password_rules(self):
        page = self.register("12345")
        self.assertIn("not a valid phone number", page.text)
        self.assertFalse(self.sms.messages)
        self.register()
        code = self.sms.last_code(VISITOR_E164)
        self.assertIn("The two passwords differ", self.verify(code, "abcdef1", "abcdef2").text)
        self.assertIn("at least 6", self.verify(code, "abc").text)
        # those did not use up the code
        self.assertEqual(self.verify(code).status_code, 302)

    def test_existing_number_resets_its_portal_password(self):
        """A customer who forgot its password proves its number again."""
        self.register("01711000201")
        code = self.sms.last_code("+8801711000201")
        self.verify(code, "brand-new-pw")
        self.assertEqual(self.env["res.users"].search_count([("partner_id", "=",
                                                              self.partner_a.id)]), 1)
        self.opener.cookies.clear()
        self.assertEqual(self.web_login("cust.a", "brand-new-pw").status_code, 200)
        self.assertIn("cust-a-daily", self.get("/my/isp").text)


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@at_install(False)
@post_install(True)
class TestSecretsOutOfTheDatabase(PortalHttpCase):
    """A sign-up code is in the SMS only: the notice staff read shows it
    masked, and no row (notice, mail, chatter, job, audit log) nor log line
    holds it."""

    def setUp(self):
        super().setUp()
        self.start = fields.Datetime.now()
        cr = self.env.cr
        cr.execute("""SELECT c.table_name, bool_or(c.column_name = 'write_date')
                        FROM information_schema.columns c
                        JOIN information_schema.tables t ON t.table_name = c.table_name
                                                        AND t.table_schema = c.table_schema
                       WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                         AND c.column_name IN ('id', 'write_date')
                    GROUP BY c.table_name HAVING bool_or(c.column_name = 'id')""")
        self.tables = dict(cr.fetchall())
        self.max_ids = {}
        for table in self.tables:
            cr.execute('SELECT max(id) FROM "%s"' % table)
            self.max_ids[table] = cr.fetchone()[0] or 0

    def rows_with(self, text):
        """The tables with a row written since setUp that holds `text`."""
        self.env.cr.commit()  # pylint: disable=invalid-commit
        found = []
        for table, dated in sorted(self.tables.items()):
            where = "t.id > %s" + (" OR t.write_date >= %s" if dated else "")
            args = [self.max_ids[table]] + ([self.start] if dated else [])
            self.env.cr.execute('SELECT count(*) FROM "%s" t WHERE (%s) AND t::text LIKE %%s'
                                % (table, where), args + ["%" + text + "%"])
            if self.env.cr.fetchone()[0]:
                found.append(table)
        return found

    def register_capturing_logs(self, mobile="01911000303"):
        handler = _Records()
        root = logging.getLogger()
        loud = [logging.getLogger(name) for name in ("urllib3", "requests")]
        levels = [logger.level for logger in loud]
        root.addHandler(handler)
        for logger in loud:
            logger.setLevel(logging.DEBUG)
        try:
            resp = self.post("/hotspot/register", {"mobile": mobile},
                             csrf_path="/hotspot/register")
        finally:
            root.removeHandler(handler)
            for logger, level in zip(loud, levels, strict=True):
                logger.setLevel(level)
        return resp, [r.getMessage() for r in handler.records]

    def test_sign_up_code_only_in_the_sms(self):
        resp, logged = self.register_capturing_logs()
        self.assertEqual(resp.status_code, 302)
        code = self.sms.last_code("+8801911000303")
        self.assertTrue(code)    # the provider received it
        self.assertEqual(self.rows_with(code), [])
        self.assertFalse([line for line in logged if code in line])
        notice = self.env["isp.notice"].search([("event", "=", "otp")], limit=1)
        self.assertEqual((notice.state, notice.recipient, notice.carries_secret),
                         ("sent", "+8801911000303", True))
        self.assertTrue(notice.body.startswith("****** is your"), notice.body)
        # what ISP staff read of it
        manager = self.env["res.users"].create({
            "name": "P manager", "login": "p.manager", "password": "p.manager-pw",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("isp_base.group_isp_admin").id])]})
        read = self.env["isp.notice"].sudo(manager).search_read(
            [("event", "=", "otp")], ["body", "response", "error"])
        self.assertTrue(read)
        self.assertFalse([r for r in read if code in str(r)])
        # the code still works for whoever has the phone
        resp = self.post("/hotspot/verify", {
            "code": code, "password": "visitor-pw", "confirm": "visitor-pw"},
            csrf_path="/hotspot/verify")
        self.assertEqual(resp.status_code, 302)
        self.assertTrue(resp.headers["Location"].endswith("/my/isp"))

    def test_unsent_code_is_neither_kept_nor_usable(self):
        self.env["isp.sms.provider"].search([]).write({"url": "http://127.0.0.1:9/send",
                                                       "method": "get"})
        with mock.patch.object(otp_lib, "generate_code", return_value="480317"):
            page, logged = self.register_capturing_logs()
        self.assertEqual(page.status_code, 200)
        self.assertIn("The code could not be sent by SMS just now", page.text)
        self.assertEqual(self.rows_with("480317"), [])
        self.assertFalse([line for line in logged if "480317" in line])
        notice = self.env["isp.notice"].search([("event", "=", "otp")], limit=1)
        self.assertEqual(notice.state, "failed")
        self.assertIn("Provider unreachable", notice.error)
        # never retried: its text is gone
        notice.next_attempt = fields.Datetime.now()
        self.env["isp.notice"].cron_send()
        self.assertFalse(self.sms.messages)
        otp = self.env["isp.portal.otp"].search([("mobile", "=", "+8801911000303")])
        self.assertEqual(otp.state, "locked")


@at_install(False)
@post_install(True)
class TestHotspotLoginAddress(PortalHttpCase):
    """The hotspot login form posts the visitor's password only to a
    registered router's hotspot address."""

    def setUp(self):
        super().setUp()
        self.router = self.env["isp.router"].create({
            "name": "P hotspot", "host": "192.0.2.77", "hotspot_host": "10.5.50.1"})

    def test_other_hosts_get_an_error_page(self):
        for link in ("http://evil.example/login", "http://10.5.50.1@evil.example/login",
                     "http://evil.example%5C@10.5.50.1/login", "http://10.5.50.10/login",
                     "https://10.5.50.1.evil.example/login"):
            page = self.get("/hotspot/login?mac=AA:BB:CC:00:11:22&link-login-only=" + link)
            self.assertEqual(page.status_code, 400, link)
            self.assertIn("This is not one of our Wi-Fi login pages", page.text)
            self.assertNotIn('name="password"', page.text, link)
            self.assertNotIn("isp_hotspot_login", page.text, link)
        # nothing of it was kept for the account page's Connect form
        page = self.get("/hotspot/login")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("evil.example", page.text)
        self.assertIn("Connect to our Wi-Fi to log in.", page.text)

    def test_registered_addresses(self):
        page = self.get("/hotspot/login?link-login-only=http%3A%2F%2F10.5.50.1%3A8080%2Flogin")
        self.assertIn('action="http://10.5.50.1:8080/login"', page.text)
        self.router.hotspot_host = "Login.Wifi.Example.NET"
        page = self.get("/hotspot/login?link-login-only=https://login.wifi.example.net/login")
        self.assertEqual(page.status_code, 200)
        self.assertIn('action="https://login.wifi.example.net/login"', page.text)
        # ... of this company's active routers only
        self.router.active = False
        self.assertEqual(self.get(
            "/hotspot/login?link-login-only=https://login.wifi.example.net/login").status_code,
            400)

    def test_hotspot_address_is_a_host(self):
        for bad in ("http://10.5.50.1/login", "10.5.50.1/login", "evil example", "a:b"):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.router.hotspot_host = bad
        self.assertEqual(self.router.hotspot_host, "10.5.50.1")
