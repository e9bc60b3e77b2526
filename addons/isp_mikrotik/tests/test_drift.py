# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Drift per router (missing, extra, different profile, enabled but cut off)
found and repaired, one router at a time."""
from odoo.tests.common import at_install, post_install

from .common import MikrotikCase


@at_install(False)
@post_install(True)
class TestDrift(MikrotikCase):

    def setUp(self):
        super().setUp()
        self.ok = self.activate(username="d.ok")
        self.gone = self.activate(username="d.gone")
        self.late = self.activate(username="d.late")
        self.slow = self.activate(username="d.slow")
        self.corp = self.activate(username="d.corp", connection_type="static")
        self.late.action_suspend(reason="unpaid")
        self.corp.action_suspend(reason="unpaid")
        self.run_jobs()
        self.ros.clear_log()

    def tamper(self):
        """What staff do on a router behind billing's back."""
        ros = self.ros
        ros.tables["/ppp/secret"][:] = [r for r in ros.tables["/ppp/secret"]
                                        if r["name"] != "d.gone"]
        for row in ros.tables["/ppp/secret"]:
            if row["name"] == "d.late":
                row["disabled"] = "false"
            if row["name"] == "d.slow":
                row["profile"] = "default"
            if row["name"] == "d.ok":
                row["password"] = "changed-on-router"
        ros.tables["/ip/firewall/address-list"][:] = []
        ros.add_row("/ppp/secret", name="freeloader", password="x", profile="default",
                    service="pppoe", comment="added by hand")
        ros.add_row("/ppp/secret", name="vpn-branch", password="x", service="l2tp")
        ros.add_row("/ppp/secret", name="old.customer", password="x", profile="t-10M",
                    comment="isp:C999999", disabled="true")
        ros.add_row("/ip/firewall/address-list", list="blocked-by-noc", address="192.0.2.9")

    def test_in_step_router_has_no_drift(self):
        report = self.env["isp.mikrotik.drift"].create({"router_id": self.router.id})
        report.action_refresh()
        self.assertFalse(report.line_ids, report.line_ids.mapped("name"))
        self.assertEqual(self.router.drift_count, 0)
        self.assertEqual(self.ros.writes(), [], "a drift check writes nothing")

    def test_drift_found_and_repaired(self):
        self.tamper()
        action = self.router.action_check_drift()
        report = self.env["isp.mikrotik.drift"].browse(action["res_id"])
        found = sorted((ln.kind, ln.name, ln.subscription_id.username or "", ln.repair)
                       for ln in report.line_ids)
        self.assertEqual(found, [
            ("different", "d.ok", "d.ok", "set"),
            ("enabled_suspended", "d.late", "d.late", "set"),
            ("extra", "freeloader", "", "set"),
            ("extra", "old.customer", "", "remove"),
            ("extra", "vpn-branch", "", "report"),
            ("missing", "d.gone", "d.gone", "add"),
            ("missing", "suspended / 198.51.100.2", "", "add"),
            ("profile", "d.slow", "d.slow", "set"),
        ])
        self.assertEqual((report.missing_count, report.extra_count, report.profile_count,
                          report.enabled_suspended_count, report.different_count),
                         (2, 3, 1, 1, 1))
        line = report.line_ids.filtered(lambda ln: ln.name == "d.slow")
        self.assertEqual((line.billing, line.router), ("profile=t-10M", "profile=default"))
        self.assertEqual(self.router.drift_count, 8)
        self.assertEqual(self.ros.writes(), [])

        report.action_repair()
        self.assertEqual(report.repaired, 7)
        secrets = {r["name"]: r for r in self.ros.table("/ppp/secret")}
        self.assertEqual(secrets["d.gone"]["disabled"], "false")
        self.assertEqual(secrets["d.late"]["disabled"], "true")
        self.assertEqual(secrets["d.slow"]["profile"], "t-10M")
        self.assertEqual(secrets["d.ok"]["password"], "s3cret-pw")
        self.assertEqual(secrets["freeloader"]["disabled"], "true",
                         "someone else's account is disabled, kept for an import")
        self.assertNotIn("old.customer", secrets, "our own leftover is removed")
        self.assertEqual(secrets["vpn-branch"]["disabled"], "false", "a VPN link is left alone")
        self.assertEqual([(r["list"], r["address"]) for r in
                          self.ros.table("/ip/firewall/address-list")],
                         [("blocked-by-noc", "192.0.2.9"), ("suspended", "198.51.100.2")])
        # what is left: what is not ours, reported only
        self.assertEqual([(ln.kind, ln.name, ln.repair) for ln in report.line_ids],
                         [("extra", "freeloader", "report"), ("extra", "vpn-branch", "report")])
        self.assertEqual(self.router.drift_count, 2)

    def test_repair_one_router_while_another_is_down(self):
        down = self.new_router("T NAS down")
        self.start_server(down).stop()
        self.tamper()
        report_down = self.env["isp.mikrotik.drift"].create({"router_id": down.id})
        report_down.action_repair()
        self.assertIn("refused the connection", report_down.error)
        self.assertEqual(down.api_state, "error")
        report = self.env["isp.mikrotik.drift"].create({"router_id": self.router.id})
        report.action_repair()
        self.assertFalse(report.error)
        self.assertEqual(len(report.line_ids), 2)
