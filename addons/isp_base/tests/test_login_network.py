# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Per-user allowed networks, over real HTTP (the test server's client
address is 127.0.0.1)."""
from odoo.tests.common import at_install, post_install

from .common import IspHttpCase


@at_install(False)
@post_install(True)
class TestLoginNetworks(IspHttpCase):

    def setUp(self):
        super().setUp()
        self.user = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Remote Staff", "login": "t.remote", "password": "t.remote-pw",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("isp_base.group_isp_helpdesk").id])]})

    def login(self, password="t.remote-pw"):
        return self.web_login("t.remote", password)

    def session_uid(self):
        """The user of the test's browser session; None when not logged in."""
        resp = self.json_rpc("/web/session/get_session_info", {})
        if "error" in resp:
            self.assertEqual(resp["error"]["data"]["name"], "odoo.http.SessionExpiredException")
            return None
        return resp["result"]["uid"]

    def test_login_from_outside_the_allowed_networks_is_refused_and_logged(self):
        self.user.isp_allowed_networks = "10.0.0.0/8, 192.168.1.5"
        resp = self.login()
        self.assertEqual(resp.status_code, 200)
        self.assertIn("You cannot log in from this address (127.0.0.1)", resp.text)
        self.assertNotIn("Wrong login/password", resp.text)
        self.assertFalse(self.session_uid())
        refusal = self.env["isp.login.refusal"].search([("login", "=", "t.remote")])
        self.assertEqual((refusal.user_id, refusal.remote_addr, refusal.reason),
                         (self.user, "127.0.0.1", "login"))

    def test_wrong_password_is_still_a_wrong_password(self):
        self.user.isp_allowed_networks = "10.0.0.0/8"
        resp = self.login(password="nope")
        self.assertIn("Wrong login/password", resp.text)
        self.assertFalse(self.env["isp.login.refusal"].search([("login", "=", "t.remote")]))

    def test_login_from_an_allowed_network_works(self):
        self.user.isp_allowed_networks = "127.0.0.0/8"
        self.login()
        self.assertEqual(self.session_uid(), self.user.id)

    def test_empty_list_allows_every_address(self):
        self.login()
        self.assertEqual(self.session_uid(), self.user.id)

    def test_open_session_stops_when_the_network_is_no_longer_allowed(self):
        self.login()
        self.assertEqual(self.session_uid(), self.user.id)
        self.user.isp_allowed_networks = "10.0.0.0/8"
        resp = self.json_rpc("/web/dataset/call_kw", {
            "model": "res.partner", "method": "search_count", "args": [[]], "kwargs": {}})
        self.assertEqual(resp["error"]["data"]["name"], "odoo.http.SessionExpiredException")
        self.assertFalse(self.session_uid())
        self.assertTrue(self.env["isp.login.refusal"].search(
            [("login", "=", "t.remote"), ("reason", "=", "session")]))

    def test_bad_network_refused(self):
        from odoo.exceptions import ValidationError
        with self.assertRaisesRegex(ValidationError, "Allowed networks"):
            self.user.isp_allowed_networks = "10.0.0.0/33"


@at_install(False)
@post_install(True)
class TestAuditFromAddress(IspHttpCase):

    def test_change_over_http_is_logged_with_the_client_address(self):
        user = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Audit Admin", "login": "t.audit", "password": "t.audit-pw",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("isp_base.group_isp_admin").id])]})
        master = self.env["isp.master.package"].create({
            "name": "Audit 1M", "download_kbps": 1024, "upload_kbps": 1024})
        self.web_login("t.audit", "t.audit-pw")
        resp = self.json_rpc("/web/dataset/call_kw", {
            "model": "isp.master.package", "method": "write",
            "args": [[master.id], {"download_kbps": 2048}], "kwargs": {}})
        self.assertTrue(resp.get("result"), resp)
        log = self.env["auditlog.log"].search([
            ("model_id.model", "=", "isp.master.package"), ("res_id", "=", master.id),
            ("method", "=", "write")])
        self.assertEqual(len(log), 1)
        self.assertEqual((log.user_id, log.remote_addr), (user, "127.0.0.1"))
        line = log.line_ids.filtered(lambda ln: ln.field_id.name == "download_kbps")
        self.assertEqual((line.old_value, line.new_value), ("1024", "2048"))
