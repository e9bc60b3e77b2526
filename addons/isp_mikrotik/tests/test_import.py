# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import from a router: a preview with counts (nothing written), then
pools -> IPAM, profiles -> master packages, secrets -> subscriptions."""
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .common import MikrotikCase


@at_install(False)
@post_install(True)
class TestImport(MikrotikCase):

    def setUp(self):
        super().setUp()
        ros = self.ros
        ros.add_row("/ip/pool", name="imp-pool", ranges="10.77.0.2-10.77.0.254")
        ros.add_row("/ip/pool", name="t-dynamic", ranges="100.64.0.1-100.64.0.254")
        ros.add_row("/ip/pool", name="overlapping", ranges="100.64.0.10-100.64.0.20")
        ros.add_row("/ppp/profile", name="Home-5M", rate_limit="2M/5M",
                    remote_address="imp-pool", local_address="10.77.0.1")
        ros.add_row("/ppp/profile", name="t-10M", rate_limit="5M/10M")
        ros.add_row("/ppp/profile", name="noSpeed")
        secrets = [
            dict(name="rahim", password="p-rahim", profile="Home-5M", comment="Rahim Uddin"),
            dict(name="karim", password="p-karim", profile="t-10M", disabled="true"),
            dict(name="corp1", password="p-corp", profile="t-10M",
                 remote_address="198.51.100.5"),
            dict(name="coded", password="p-coded", profile="t-10M",
                 comment="isp:%s" % self.partner.isp_customer_code),
            dict(name="bad name!", password="x", profile="t-10M"),
            dict(name="exists1", password="x", profile="t-10M"),
            dict(name="elsewhere", password="x", profile="t-10M"),
            dict(name="nospeed.user", password="x", profile="noSpeed"),
            dict(name="site-link", password="x", profile="t-10M", service="l2tp"),
        ]
        for secret in secrets:
            ros.add_row("/ppp/secret", **dict({"service": "pppoe"}, **secret))
        self.existing = self.new_sub(username="exists1")
        self.other_router = self.new_router("T NAS 2", api_user=False)
        self.elsewhere = self.new_sub(username="elsewhere", router_id=self.other_router.id)
        self.ros.clear_log()

    def counts(self):
        return (self.env["isp.ip.pool"].search_count([]),
                self.env["isp.master.package"].search_count([]),
                self.env["isp.service.plan"].search_count([]),
                self.Sub.search_count([]), self.env["res.partner"].search_count([]))

    def test_preview_then_import(self):
        before = self.counts()
        action = self.router.action_import()
        wizard = self.env["isp.mikrotik.import"].browse(action["res_id"])
        self.assertEqual(wizard.billing_profile_id, self.company.isp_default_billing_profile_id)
        wizard.billing_profile_id = self.profile
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual((wizard.pool_create_count, wizard.pool_exist_count,
                          wizard.package_create_count, wizard.package_exist_count,
                          wizard.customer_create_count, wizard.customer_match_count,
                          wizard.skip_count), (1, 1, 1, 1, 4, 1, 6))
        skipped = {ln.name: ln.reason for ln in wizard.line_ids if ln.action == "skip"}
        self.assertEqual(set(skipped), {"overlapping", "noSpeed", "bad name!", "elsewhere",
                                        "nospeed.user", "site-link"})
        self.assertEqual(skipped["site-link"], "service l2tp: not a PPPoE customer")
        self.assertEqual(wizard.line_ids.filtered(lambda ln: ln.name == "imp-pool").reason,
                         "10.77.0.0/24, reserved 10.77.0.1")
        self.assertIn("overlaps the pool t-dynamic", skipped["overlapping"])
        self.assertIn("not allowed", skipped["bad name!"])
        self.assertIn("already exists on router T NAS 2", skipped["elsewhere"])
        self.assertIn("choose a package for other profiles", skipped["nospeed.user"])
        corp = wizard.line_ids.filtered(lambda ln: ln.name == "corp1")
        self.assertEqual(corp.reason, "enabled, profile t-10M, static IP 198.51.100.5")
        self.assertEqual(self.counts(), before, "a preview writes nothing")
        self.assertEqual(self.ros.writes(), [])

        wizard.action_import()
        self.assertEqual((wizard.state, wizard.done_count, wizard.failed_count),
                         ("done", 7, 0))
        pool = self.env["isp.ip.pool"].search([("name", "=", "imp-pool")])
        self.assertEqual((pool.network, pool.reserved, pool.purpose, pool.router_id),
                         ("10.77.0.0/24", "10.77.0.1", "dynamic", self.router))
        self.assertEqual(self.router.ppp_local_address, "10.77.0.1")
        master = self.env["isp.master.package"].search([("name", "=", "Home-5M")])
        self.assertEqual((master.download_kbps, master.upload_kbps, master.ppp_profile,
                          master.ip_pool_id, master.speed_controller, master.rate_limit),
                         (5120, 2048, "Home-5M", pool, "router", "2M/5M"))
        plan = master.plan_ids
        self.assertEqual((plan.name, plan.billing_type, plan.customer_price, plan.visibility),
                         ("Home-5M", "monthly", 0.0, "private"))
        subs = {s.username: s for s in self.Sub.search([("router_id", "=", self.router.id)])}
        rahim, karim, corp1, coded = (subs[n] for n in ("rahim", "karim", "corp1", "coded"))
        self.assertEqual((rahim.state, rahim.plan_id, rahim.partner_id.name,
                          rahim.sudo().password, rahim.billing_profile_id),
                         ("active", plan, "Rahim Uddin", "p-rahim", self.profile))
        self.assertEqual((karim.state, karim.plan_id, karim.partner_id.name),
                         ("disabled", self.plan_monthly, "karim"))
        self.assertEqual(karim.state_log_ids[0].reason,
                         "Imported from router Test NAS (disabled there)")
        self.assertEqual(corp1.static_ipv4, "198.51.100.5")
        self.assertEqual(coded.partner_id, self.partner)
        self.assertEqual(self.existing.state, "draft")
        self.assertEqual(wizard.line_ids.filtered(lambda ln: ln.name == "exists1")
                         .subscription_id, self.existing)
        self.assertEqual(self.ros.writes(), [], "the import itself writes nothing to the router")

        # the created customers get our comment on the router
        self.run_jobs()
        for name, sub, password in (("rahim", rahim, "p-rahim"), ("karim", karim, "p-karim"),
                                    ("corp1", corp1, "p-corp")):
            secret = self.secret(name)
            self.assertEqual((secret["comment"], secret["password"]),
                             ("isp:%s" % sub.customer_code, password), name)
        self.assertEqual(self.secret("karim")["disabled"], "true")
        self.assertEqual(self.secret("rahim")["profile"], "Home-5M")
        drifted = {line.key[0] for line in self.router._mikrotik_drift()}
        self.assertFalse(drifted & {"rahim", "karim", "corp1", "coded", "imp-pool",
                                    "Home-5M"}, drifted)
        # what the router had is what billing now writes
        self.assertEqual(self.ros.find("/ip/pool", name="imp-pool")[0]["ranges"],
                         "10.77.0.2-10.77.0.254")
        home = self.ros.find("/ppp/profile", name="Home-5M")[0]
        self.assertEqual((home["local-address"], home["remote-address"], home["rate-limit"]),
                         ("10.77.0.1", "imp-pool", "2M/5M"))

        # importing again: everything is known
        again = self.env["isp.mikrotik.import"].create({"router_id": self.router.id,
                                                        "billing_profile_id": self.profile.id})
        again.action_preview()
        self.assertEqual((again.pool_create_count, again.package_create_count,
                          again.customer_create_count, again.customer_match_count),
                         (0, 0, 0, 5))

    def test_default_package_for_other_profiles(self):
        wizard = self.env["isp.mikrotik.import"].create({
            "router_id": self.router.id, "billing_profile_id": self.profile.id,
            "default_plan_id": self.plan_monthly_b.id})
        wizard.action_preview()
        line = wizard.line_ids.filtered(lambda ln: ln.name == "nospeed.user")
        self.assertEqual(line.action, "create")
        wizard.action_import()
        sub = self.Sub.search([("username", "=", "nospeed.user")])
        self.assertEqual((sub.plan_id, sub.state), (self.plan_monthly_b, "active"))

    def test_import_needs_a_preview_and_a_reachable_router(self):
        wizard = self.env["isp.mikrotik.import"].create({"router_id": self.router.id})
        with self.assertRaisesRegex(UserError, "Preview the import first"):
            wizard.action_import()
        self.ros.refuse_logins = True
        with self.assertRaisesRegex(UserError, "login refused"):
            wizard.action_preview()

    def test_a_failing_line_is_not_half_written(self):
        wizard = self.env["isp.mikrotik.import"].create({
            "router_id": self.router.id, "billing_profile_id": self.profile.id})
        wizard.action_preview()
        # meanwhile someone takes the static address of corp1
        self.new_sub(username="squatter", static_ipv4="198.51.100.5")
        wizard.action_import()
        line = wizard.line_ids.filtered(lambda ln: ln.name == "corp1")
        self.assertEqual(line.result, "failed")
        self.assertIn("198.51.100.5 is already given to squatter", line.error)
        self.assertFalse(self.Sub.search([("username", "=", "corp1")]))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "corp1")]))
        self.assertEqual(wizard.failed_count, 1)
        self.assertEqual(self.Sub.search([("username", "=", "rahim")]).state, "active")
