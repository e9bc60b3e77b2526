# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""API-mode provisioning through librouteros against the RouterOS test
server: each customer type, suspension and resume, plan change, renames,
moves, deletion, and only what differs is written."""
from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MikrotikCase


@at_install(False)
@post_install(True)
class TestProvisioning(MikrotikCase):

    def test_pppoe_activation_writes_pool_profile_and_secret(self):
        sub = self.activate(username="ali.pppoe", password="Secr3t-1")
        (job,) = self.jobs()
        self.assertIn(self.router.name, job.name)
        self.assertEqual(self.ros.writes(), [], "nothing is written before the job runs")
        ((_record, result),) = self.run_jobs()
        self.assertEqual(result, "3 changes, 0 sessions ended")
        self.assertEqual(self.ros.find("/ip/pool", name="t-dynamic")[0]["ranges"],
                         "100.64.0.1-100.64.0.254")
        profile = self.ros.find("/ppp/profile", name="t-10M")[0]
        self.assertEqual((profile["rate-limit"], profile["remote-address"],
                          profile["local-address"], profile["comment"]),
                         ("5M/10M", "t-dynamic", "t-dynamic", "isp:package"))
        secret = self.secret("ali.pppoe")
        self.assertEqual({k: secret.get(k) for k in (
            "password", "service", "profile", "disabled", "comment", "remote-address")}, {
            "password": "Secr3t-1", "service": "pppoe", "profile": "t-10M",
            "disabled": "false", "comment": "isp:%s" % sub.customer_code,
            "remote-address": None})
        self.assertTrue(sub.customer_code.startswith("C"))
        self.assertEqual(self.router.api_state, "ok")
        # the same job again: nothing left to write
        self.ros.clear_log()
        sub._mikrotik_enqueue()
        self.run_jobs()
        self.assertEqual(self.ros.writes(), [])
        self.assertEqual([c.verb for c in self.ros.commands()], ["login", "print", "print",
                                                                  "print"])

    def test_pppoe_with_static_ip_ipv6_and_mac(self):
        self.router.ppp_local_address = "100.64.0.1"
        sub = self.activate(username="corp.pppoe", mac_address="4c:5e:0c:12:34:56")
        sub.action_allocate_static_ipv4()
        sub.action_allocate_ipv6_prefix()
        self.run_jobs()
        secret = self.secret("corp.pppoe")
        self.assertEqual((secret["remote-address"], secret["remote-ipv6-prefix"],
                          secret["caller-id"]),
                         ("198.51.100.2", "2001:db8:aa00::/56", "4C:5E:0C:12:34:56"))
        self.assertEqual(self.ros.find("/ppp/profile", name="t-10M")[0]["local-address"],
                         "100.64.0.1")
        # the MAC binding removed: the caller id goes too
        sub.action_reset_mac()
        self.run_jobs()
        self.assertNotIn("caller-id", self.secret("corp.pppoe"))
        self.assertEqual([c.word for c in self.ros.writes()][-1], "/ppp/secret/unset")

    def test_hotspot_user_and_profile(self):
        self.master.write({"time_limit_minutes": 180, "volume_limit_mb": 1024})
        sub = self.activate(username="hs.guest", connection_type="hotspot",
                            plan_id=self.plan_hotspot_hours.id, billing_profile_id=False,
                            mac_address="AA:BB:CC:DD:EE:01")
        self.run_jobs()
        profile = self.ros.find("/ip/hotspot/user/profile", name="t-10M")[0]
        self.assertEqual((profile["rate-limit"], profile["shared-users"],
                          profile["address-pool"]), ("5M/10M", "1", "t-dynamic"))
        user = self.ros.find("/ip/hotspot/user", name="hs.guest")[0]
        self.assertEqual({k: user[k] for k in (
            "profile", "limit-uptime", "limit-bytes-total", "mac-address", "disabled",
            "comment")}, {"profile": "t-10M", "limit-uptime": "3h",
                          "limit-bytes-total": "1073741824",
                          "mac-address": "AA:BB:CC:DD:EE:01", "disabled": "false",
                          "comment": "isp:%s" % sub.customer_code})
        self.assertEqual(self.ros.find("/ppp/secret"), [])
        self.ros.add_row("/ip/hotspot/active", user="hs.guest", address="100.64.0.77")
        sub.action_expire()
        self.run_jobs()
        self.assertEqual(self.ros.find("/ip/hotspot/user", name="hs.guest")[0]["disabled"],
                         "true")
        self.assertEqual(self.ros.table("/ip/hotspot/active"), [], "the session was ended")

    def test_static_ip_queue_and_suspended_address_list(self):
        sub = self.activate(username="corp.static", connection_type="static")
        self.run_jobs()
        queue = self.ros.find("/queue/simple", name="corp.static")[0]
        self.assertEqual((queue["target"], queue["max-limit"], queue["disabled"]),
                         ("198.51.100.2/32", "5M/10M", "false"))
        self.assertEqual(self.ros.table("/ip/firewall/address-list"), [])
        sub.action_suspend(reason="unpaid")
        self.run_jobs()
        (entry,) = self.ros.table("/ip/firewall/address-list")
        self.assertEqual((entry["list"], entry["address"], entry["comment"]),
                         ("suspended", "198.51.100.2", "isp:%s" % sub.customer_code))
        self.assertEqual(len(self.ros.table("/queue/simple")), 1)
        sub.action_resume()
        self.run_jobs()
        self.assertEqual(self.ros.table("/ip/firewall/address-list"), [])
        self.assertEqual(self.ros.find("/queue/simple", name="corp.static")[0]["max-limit"],
                         "5M/10M")

    def test_suspension_cuts_off_and_kicks_then_resume(self):
        sub = self.activate(username="late.payer")
        self.run_jobs()
        self.ros.add_row("/ppp/active", name="late.payer", address="100.64.0.20",
                         session_id="0x81A00005")
        self.ros.add_row("/ppp/active", name="someone.else", address="100.64.0.21")
        sub.action_suspend(reason="unpaid bill")
        self.run_jobs()
        self.assertEqual(self.secret("late.payer")["disabled"], "true")
        self.assertEqual([r["name"] for r in self.ros.table("/ppp/active")], ["someone.else"])
        kick = self.env["isp.network.action"].search([("subscription_id", "=", sub.id)])
        self.assertEqual((kick.kind, kick.state, kick.username, kick.framed_ip,
                          kick.acct_session_id, kick.router_id),
                         ("kick", "done", "late.payer", "100.64.0.20", "0x81A00005",
                          self.router))
        sub.action_resume()
        self.run_jobs()
        self.assertEqual(self.secret("late.payer")["disabled"], "false")
        # a cut-off customer had no session: resuming kicks nobody
        self.assertEqual(len(self.env["isp.network.action"].search(
            [("subscription_id", "=", sub.id)])), 1)

    def test_suspension_into_the_suspended_pool(self):
        susp_pool = self.env["isp.ip.pool"].create({
            "name": "t-suspended", "network": "100.127.0.0/24", "purpose": "suspended"})
        self.profile.write({"suspend_action": "suspended_pool",
                            "suspended_pool_id": susp_pool.id,
                            "suspended_address_list": "unpaid"})
        sub = self.activate(username="pool.payer")
        self.run_jobs()
        self.ros.add_row("/ppp/active", name="pool.payer")
        sub.action_suspend(reason="unpaid")
        self.run_jobs()
        secret = self.secret("pool.payer")
        self.assertEqual((secret["disabled"], secret["profile"]),
                         ("false", "isp-suspended-t-suspended"))
        profile = self.ros.find("/ppp/profile", name="isp-suspended-t-suspended")[0]
        self.assertEqual((profile["remote-address"], profile["address-list"]),
                         ("t-suspended", "unpaid"))
        self.assertEqual(self.ros.find("/ip/pool", name="t-suspended")[0]["ranges"],
                         "100.127.0.1-100.127.0.254")
        self.assertEqual(self.ros.table("/ppp/active"), [])
        # resuming moves the customer back to its package (and out of the pool)
        self.ros.add_row("/ppp/active", name="pool.payer")
        sub.action_resume()
        self.run_jobs()
        self.assertEqual(self.secret("pool.payer")["profile"], "t-10M")
        self.assertEqual(self.ros.table("/ppp/active"), [])

    def test_plan_change(self):
        sub = self.activate(username="upgrader")
        self.run_jobs()
        self.ros.add_row("/ppp/active", name="upgrader")
        self.ros.clear_log()
        sub.action_change_plan(self.plan_monthly_b)
        self.run_jobs()
        self.assertEqual(self.secret("upgrader")["profile"], "T-20M")
        self.assertEqual(self.ros.find("/ppp/profile", name="T-20M")[0]["rate-limit"],
                         "10M/20M")
        self.assertEqual(self.ros.table("/ppp/active"), [], "reconnects with the new speed")
        self.assertEqual([(c.word, c.attrs.get("profile")) for c in self.ros.writes()], [
            ("/ppp/profile/add", None), ("/ppp/secret/set", "T-20M"),
            ("/ppp/active/remove", None)])

    def test_package_speed_change_reaches_the_profile(self):
        self.activate(username="speedy")
        self.run_jobs()
        self.master.write({"download_kbps": 20480})
        self.run_jobs()
        self.assertEqual(self.ros.find("/ppp/profile", name="t-10M")[0]["rate-limit"],
                         "5M/20M")

    def test_rename_and_move_leave_nothing_behind(self):
        sub = self.activate(username="old.name")
        self.run_jobs()
        sub.username = "new.name"
        self.run_jobs()
        self.assertEqual([r["name"] for r in self.ros.table("/ppp/secret")], ["new.name"])
        other = self.new_router("T NAS 2")
        other_ros = self.start_server(other)
        sub.router_id = other
        self.run_jobs()
        self.assertEqual(self.ros.table("/ppp/secret"), [])
        self.assertEqual(self.secret("new.name", other_ros)["profile"], "t-10M")

    def test_disabled_and_deleted(self):
        sub = self.activate(username="leaver")
        self.run_jobs()
        sub.action_disable(reason="moved away")
        self.run_jobs()
        self.assertEqual(self.secret("leaver")["disabled"], "true")
        sub.unlink()
        self.run_jobs()
        self.assertEqual(self.ros.table("/ppp/secret"), [])

    def test_password_change_reaches_the_secret(self):
        sub = self.activate(username="pw.changer")
        self.run_jobs()
        sub.sudo(self.manager).new_password = "Fresh-Pass-7"
        self.run_jobs()
        self.assertEqual(self.secret("pw.changer")["password"], "Fresh-Pass-7")

    def test_pool_change_and_writing_everything_again(self):
        pool = self.env["isp.ip.pool"].create({
            "name": "t-router-pool", "network": "100.65.0.0/29", "purpose": "dynamic",
            "router_id": self.router.id})
        self.run_jobs()
        self.assertEqual(self.ros.find("/ip/pool", name="t-router-pool")[0]["ranges"],
                         "100.65.0.1-100.65.0.6")
        pool.reserved = "100.65.0.1"
        self.run_jobs()
        self.assertEqual(self.ros.find("/ip/pool", name="t-router-pool")[0]["ranges"],
                         "100.65.0.2-100.65.0.6")
        self.activate(username="survivor")
        self.run_jobs()
        # the router was reset: write everything again
        for menu in ("/ppp/secret", "/ip/pool"):
            self.ros.tables[menu][:] = []
        self.ros.tables["/ppp/profile"][:] = [r for r in self.ros.tables["/ppp/profile"]
                                              if r["name"].startswith("default")]
        self.router.action_sync_all()
        self.run_jobs()
        self.assertEqual(sorted(r["name"] for r in self.ros.table("/ip/pool")),
                         ["t-dynamic", "t-router-pool"])
        self.assertEqual(self.secret("survivor")["profile"], "t-10M")

    def test_billing_profile_change_moves_suspended_customers(self):
        sub = self.activate(username="moved.to.pool")
        sub.action_suspend(reason="unpaid")
        self.run_jobs()
        self.assertEqual(self.secret("moved.to.pool")["disabled"], "true")
        susp_pool = self.env["isp.ip.pool"].create({
            "name": "t-susp2", "network": "100.126.0.0/24", "purpose": "suspended"})
        self.profile.write({"suspend_action": "suspended_pool",
                            "suspended_pool_id": susp_pool.id})
        self.run_jobs()
        secret = self.secret("moved.to.pool")
        self.assertEqual((secret["disabled"], secret["profile"]),
                         ("false", "isp-suspended-t-susp2"))

    def test_new_accounts_never_touch_the_router(self):
        """A new (draft) account named like someone else's secret: nothing
        is queued, and renaming or deleting it leaves that secret alone."""
        self.ros.add_row("/ppp/secret", name="taken", password="theirs", comment="by hand")
        sub = self.new_sub(username="taken")
        sub.action_mikrotik_sync()
        sub.username = "taken2"
        sub.unlink()
        self.assertFalse(self.jobs())
        # even a job asked for a foreign name only removes what is ours
        self.router._mikrotik_delay_sync(remove=[("/ppp/secret", ("taken",))])
        self.run_jobs()
        self.assertEqual(self.secret("taken")["password"], "theirs")

    def test_packages_need_a_router_profile_name(self):
        with self.assertRaisesRegex(ValidationError, "set the PPP profile"), \
                self.env.cr.savepoint():
            self.env["isp.master.package"].create({
                "name": "৫০ এমবিপিএস", "download_kbps": 51200, "upload_kbps": 51200})
        package = self.env["isp.master.package"].create({
            "name": "৫০ এমবিপিএস", "ppp_profile": "bn-50M", "download_kbps": 51200,
            "upload_kbps": 51200})
        self.assertEqual(package.ppp_profile, "bn-50M")

    def test_existing_item_is_found_by_name_not_added_twice(self):
        self.ros.add_row("/ppp/profile", name="t-10M", rate_limit="1M/1M")
        self.ros.add_row("/ppp/secret", name="known", password="old", profile="default")
        self.ros.add_row("/ip/pool", name="t-dynamic", ranges="100.64.0.1-100.64.0.254")
        self.activate(username="known", password="NewPass-9")
        self.run_jobs()
        self.assertEqual(len(self.ros.table("/ppp/secret")), 1)
        secret = self.secret("known")
        self.assertEqual((secret["password"], secret["profile"], secret["service"]),
                         ("NewPass-9", "t-10M", "pppoe"))
        self.assertEqual(sorted(c.word for c in self.ros.writes()),
                         ["/ip/pool/set", "/ppp/profile/set", "/ppp/secret/set"])

    def test_radius_router_keeps_only_static_customers(self):
        self.router.mode = "radius"
        self.activate(username="radius.user")
        self.assertFalse(self.jobs(), "FreeRADIUS answers for PPPoE customers")
        self.activate(username="radius.static", connection_type="static")
        self.run_jobs()
        self.assertEqual([r["name"] for r in self.ros.table("/queue/simple")],
                         ["radius.static"])
        self.assertEqual(self.ros.table("/ppp/secret"), [])

    def test_router_without_api_user_gets_no_job(self):
        self.router.api_user = False
        self.assertFalse(self.router.api_configured)
        self.activate(username="no.api")
        self.assertFalse(self.jobs())

    def test_refusal_by_the_router_fails_the_job_in_words(self):
        self.ros.menus["/ppp/secret"].readonly = True
        self.activate(username="refused")
        ((_record, error),) = self.run_jobs()
        self.assertIsInstance(error, UserError)
        self.assertIn("the router refused /ppp/secret/add: failure: /ppp/secret is "
                      "read-only here", error.name)
        (failed,) = self.jobs(("failed",))
        self.assertIn("the router refused /ppp/secret/add", failed.exc_info)
