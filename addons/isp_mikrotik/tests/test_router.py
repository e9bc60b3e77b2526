# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Routers: test connection (health) with errors in words, TLS, configure
for RADIUS, and who may see or do what."""
import tempfile

from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from .common import API_PASSWORD, MikrotikCase
from .routeros_server import self_signed_tls


@at_install(False)
@post_install(True)
class TestRouter(MikrotikCase):

    def test_connection_shows_version_uptime_cpu_board(self):
        self.ros.tables["/system/identity"][0]["name"] = "Gulshan-CCR"
        self.router.action_test_connection()
        r = self.router
        self.assertEqual((r.api_state, r.api_error, r.ros_identity, r.ros_version,
                          r.ros_uptime, r.ros_cpu_load, r.ros_board),
                         ("ok", False, "Gulshan-CCR", "7.18.2 (stable)", "3d4h5m6s", 7,
                          "CCR2004-16G-2S+"))
        self.assertTrue(r.api_checked)
        self.assertEqual([c.word for c in self.ros.commands()],
                         ["/login", "/system/resource/print", "/system/identity/print"])

    def test_connection_errors_in_words(self):
        port = self.router.api_port
        cases = [
            ("refuse_logins", True, "login refused: invalid user name or password (6) "
                                    "(check the API user and password"),
            ("delay", 3, "no answer from 127.0.0.1:%d within 2 s (router down, or the API "
                         "port filtered)" % port),
        ]
        for switch, value, words in cases:
            setattr(self.ros, switch, value)
            self.router.action_test_connection()
            self.assertEqual(self.router.api_state, "error", switch)
            self.assertIn(words, self.router.api_error, switch)
            setattr(self.ros, switch, type(value)())
        self.ros.fatal_next = "too many sessions"
        self.router.action_test_connection()
        self.assertIn("too many sessions", self.router.api_error)
        self.ros.fatal_next = None
        self.ros.stop()
        self.router.action_test_connection()
        self.assertEqual(self.router.api_error,
                         "127.0.0.1:%d refused the connection (is the RouterOS API service "
                         "enabled on port %d? /ip service)" % (port, port))
        self.ros.start()
        self.router.action_test_connection()
        self.assertEqual((self.router.api_state, self.router.api_error), ("ok", False))

    def test_wrong_password_in_the_router_form(self):
        self.router.api_password = "not-the-password"
        self.router.action_test_connection()
        self.assertIn("login refused", self.router.api_error)
        self.router.api_password = API_PASSWORD
        self.router.action_test_connection()
        self.assertEqual(self.router.api_state, "ok")

    def test_tls_with_and_without_certificate_check(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        context, cert_path = self_signed_tls(tmp.name)
        tls_ros = self.start_server(self.router, tls_context=context)
        self.router.write({"api_tls": True, "api_tls_verify": False})
        self.router.action_test_connection()
        self.assertEqual(self.router.api_state, "ok", self.router.api_error)
        # checked against the system's authorities: refused, in words
        self.router.api_tls_verify = True
        self.router.action_test_connection()
        self.assertIn("TLS failure: the certificate of 127.0.0.1:%d could not be verified"
                      % tls_ros.port, self.router.api_error)
        # checked against the router's own CA: accepted
        with open(cert_path) as fh:
            self.router.api_ca_cert = fh.read()
        self.router.action_test_connection()
        self.assertEqual(self.router.api_state, "ok", self.router.api_error)
        # a plain client on the TLS port
        self.router.api_tls = False
        self.router.action_test_connection()
        self.assertEqual(self.router.api_state, "error")

    def test_configure_for_radius(self):
        self.router.write({"radius_secret": "nas-s3cret", "coa_port": 3799,
                           "interim_update": "5m"})
        self.env["ir.config_parameter"].set_param("isp_radius.server_host", "10.0.0.5")
        self.router.action_configure_radius()
        (radius,) = self.ros.table("/radius")
        self.assertEqual({k: radius[k] for k in ("address", "secret", "service",
                                                  "authentication-port", "accounting-port",
                                                  "disabled")},
                         {"address": "10.0.0.5", "secret": "nas-s3cret",
                          "service": "ppp,hotspot", "authentication-port": "1812",
                          "accounting-port": "1813", "disabled": "false"})
        self.assertEqual(self.ros.table("/radius/incoming"), [{"accept": "true",
                                                               "port": "3799"}])
        aaa = self.ros.table("/ppp/aaa")[0]
        self.assertEqual((aaa["use-radius"], aaa["accounting"], aaa["interim-update"]),
                         ("true", "true", "5m"))
        (hotspot,) = self.ros.table("/ip/hotspot/profile")
        self.assertEqual((hotspot["use-radius"], hotspot["radius-interim-update"]),
                         ("true", "5m"))
        # again: the radius entry is found by address, not added twice
        self.router.radius_secret = "rotated"
        self.router.action_configure_radius()
        (radius,) = self.ros.table("/radius")
        self.assertEqual(radius["secret"], "rotated")

    def test_configure_for_radius_needs_a_secret(self):
        self.router.radius_secret = False
        with self.assertRaisesRegex(UserError, "set the RADIUS secret"):
            self.router.action_configure_radius()
        self.assertEqual(self.ros.writes(), [])

    def test_configure_for_radius_unreachable_router(self):
        self.router.radius_secret = "x"
        self.ros.stop()
        with self.assertRaisesRegex(UserError, "refused the connection"):
            self.router.action_configure_radius()


@at_install(False)
@post_install(True)
class TestRouterAccess(MikrotikCase):

    def test_only_isp_admins_see_credentials(self):
        admin_view = self.router.sudo(self.admin_user).read(["api_user", "api_password"])[0]
        self.assertEqual((admin_view["api_user"], admin_view["api_password"]),
                         ("billing", API_PASSWORD))
        for user in (self.helpdesk, self.manager, self.technician, self.auditor):
            router = self.router.sudo(user)
            self.assertEqual(router.read(["name", "api_state"])[0]["name"], "Test NAS")
            for field in ("api_user", "api_password", "api_ca_cert"):
                with self.assertRaises(AccessError, msg="%s %s" % (user.login, field)):
                    router.read([field])
            arch = router.fields_view_get(view_type="form")["arch"]
            self.assertNotIn('name="api_password"', arch, user.login)
            self.assertIn('name="api_state"', arch, user.login)

    def test_resellers_never_see_routers(self):
        with self.assertRaises(AccessError):
            self.router.sudo(self.reseller).read(["name"])
        with self.assertRaises(AccessError):
            self.env["isp.router"].sudo(self.reseller).search([])

    def test_only_isp_admins_add_routers_and_run_router_actions(self):
        with self.assertRaises(AccessError):
            self.env["isp.router"].sudo(self.manager).create({"name": "x", "host": "1.2.3.4"})
        for method in ("action_test_connection", "action_check_drift", "action_repair",
                       "action_import", "action_configure_radius", "action_sync_all"):
            with self.assertRaises(AccessError, msg=method):
                getattr(self.router.sudo(self.manager), method)()
        with self.assertRaises(AccessError):
            self.env["isp.mikrotik.drift"].sudo(self.manager).create(
                {"router_id": self.router.id})
        router = self.env["isp.router"].sudo(self.admin_user).create({
            "name": "New POP", "host": "127.0.0.1", "api_user": "billing",
            "api_password": API_PASSWORD, "api_port": self.ros.port})
        self.assertTrue(router.api_configured)
        router.action_test_connection()
        self.assertEqual(router.api_state, "ok")
