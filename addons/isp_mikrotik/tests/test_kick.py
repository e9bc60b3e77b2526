# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Kicks (end a session through the API), the fallback of an unconfirmed
RADIUS disconnect, and the online customers list."""
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from .common import MikrotikCase


@at_install(False)
@post_install(True)
class TestKick(MikrotikCase):

    def kicks(self, sub=None):
        domain = [("kind", "=", "kick")]
        if sub is not None:
            domain.append(("subscription_id", "=", sub.id))
        return self.env["isp.network.action"].search(domain)

    def test_end_session_button(self):
        sub = self.new_sub(username="online.ali")
        self.ros.add_row("/ppp/active", name="online.ali", address="100.64.0.9",
                         session_id="0x81A00009")
        self.ros.add_row("/ppp/active", name="online.other")
        sub.sudo(self.technician).action_mikrotik_kick()
        self.assertEqual([r["name"] for r in self.ros.table("/ppp/active")], ["online.other"])
        kick = self.kicks(sub)
        self.assertEqual((kick.state, kick.framed_ip, kick.acct_session_id),
                         ("done", "100.64.0.9", "0x81A00009"))
        with self.assertRaisesRegex(UserError, "online.ali is not online on Test NAS"):
            sub.action_mikrotik_kick()

    def test_hotspot_kick(self):
        sub = self.new_sub(username="hs.kicked", connection_type="hotspot",
                           plan_id=self.plan_daily.id, billing_profile_id=False)
        self.ros.add_row("/ip/hotspot/active", user="hs.kicked", address="100.64.0.50",
                         mac_address="AA:BB:CC:DD:EE:02")
        sub.action_mikrotik_kick()
        self.assertEqual(self.ros.table("/ip/hotspot/active"), [])
        self.assertEqual(self.kicks(sub).framed_ip, "100.64.0.50")

    def test_kick_needs_network_permission_and_a_reachable_router(self):
        sub = self.new_sub(username="guarded")
        self.ros.add_row("/ppp/active", name="guarded")
        with self.assertRaises(AccessError):
            sub.sudo(self.helpdesk).action_mikrotik_kick()
        self.ros.stop()
        with self.assertRaisesRegex(UserError, "refused the connection"):
            sub.action_mikrotik_kick()

    def test_fallback_of_an_unconfirmed_radius_disconnect(self):
        sub = self.new_sub(username="radius.stuck")
        self.ros.add_row("/ppp/active", name="radius.stuck", address="100.64.0.31")
        action = self.env["isp.network.action"].create({
            "subscription_id": sub.id, "router_id": self.router.id,
            "username": "radius.stuck", "kind": "disconnect", "state": "failed",
            "acct_session_id": "81a0001f"})
        self.assertIs(action._hand_over_to_router(), True)
        self.assertEqual(self.ros.table("/ppp/active"), [])
        kick = self.kicks(sub)
        self.assertEqual((kick.state, kick.router_id, kick.framed_ip),
                         ("done", self.router, "100.64.0.31"))
        self.assertIn("Fallback of network action %d" % action.id, kick.last_error)
        # offline already: nothing to end, the goal is reached
        self.assertIs(action._hand_over_to_router(), True)
        self.assertEqual(len(self.kicks(sub)), 2)
        # router down: the fallback fails, in words
        self.ros.stop()
        self.assertIs(action._hand_over_to_router(), False)
        failed = self.kicks(sub).filtered(lambda k: k.state == "failed")
        self.assertIn("refused the connection", failed.last_error)

    def test_fallback_without_api_access(self):
        self.router.api_user = False
        action = self.env["isp.network.action"].create({
            "router_id": self.router.id, "username": "x", "kind": "disconnect"})
        self.assertIs(action._hand_over_to_router(), False)
        self.assertFalse(self.kicks())

    def test_online_customers_of_every_router(self):
        sub = self.new_sub(username="surfer")
        self.ros.add_row("/ppp/active", name="surfer", address="100.64.0.2",
                         caller_id="AA:00:00:00:00:01", uptime="2h")
        self.ros.add_row("/ip/hotspot/active", user="stranger", address="100.64.0.3")
        down = self.new_router("T NAS down")
        self.start_server(down).stop()
        action = self.env["isp.mikrotik.session"].sudo(self.helpdesk).load(
            self.router | down)
        self.assertIn("not reachable: T NAS down", action["name"])
        sessions = self.env["isp.mikrotik.session"].search(action["domain"], order="username")
        self.assertEqual([(s.kind, s.username, s.subscription_id, s.address) for s in sessions],
                         [("hotspot", "stranger", self.Sub, "100.64.0.3"),
                          ("pppoe", "surfer", sub, "100.64.0.2")])
        with self.assertRaises(AccessError):
            sessions.sudo(self.helpdesk).action_kick()
        action = self.env["isp.mikrotik.session"].sudo(self.technician).load(self.router)
        self.env["isp.mikrotik.session"].sudo(self.technician).search(
            action["domain"]).action_kick()
        self.assertEqual(self.ros.table("/ppp/active"), [])
        self.assertEqual(self.ros.table("/ip/hotspot/active"), [])
        self.assertEqual(len(self.kicks()), 2)
        # one router only, unreachable: a clear error
        with self.assertRaisesRegex(UserError, "refused the connection"):
            self.env["isp.mikrotik.session"].load(down)

    def test_online_customers_menu_opens_when_no_router_answers(self):
        """ISP > Network > Online customers (router API), every router down:
        the (empty) list opens and names the router, no error dialog."""
        self.ros.stop()
        action = self.env.ref("isp_mikrotik.isp_mikrotik_online_action").sudo(
            self.helpdesk).run()
        self.assertEqual(action["res_model"], "isp.mikrotik.session")
        self.assertIn("not reachable: Test NAS", action["name"])
        self.assertIn("refused the connection", action["name"])
        self.assertFalse(self.env["isp.mikrotik.session"].search(action["domain"]))
