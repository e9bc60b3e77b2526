# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reseller panel as two sibling resellers: each sees and acts on its
own customers only, through the backend's methods and rules."""
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import PortalHttpCase


class ResellerCase(PortalHttpCase):
    """Two sibling prepaid resellers R and Q (1000 added, one active
    customer each, 200 of it spent), each with its login and a 7-day
    package (customer price 300, its cost 200)."""

    def setUp(self):
        super().setUp()
        env = self.env
        Partner = env["res.partner"]
        self.ops, self.users, self.subs, self.plans = {}, {}, {}, {}
        for key, mobile in (("r", "01711000611"), ("q", "01711000622")):
            op, self.plans[key], self.users[key] = self.new_prepaid_reseller(key)
            customer = Partner.create({"name": "Client of %s" % key.upper(), "mobile": mobile,
                                       "isp_is_subscriber": True, "isp_operator_id": op.id})
            sub = env["isp.subscription"].create({
                "partner_id": customer.id, "operator_id": op.id,
                "plan_id": self.plans[key].id, "billing_type": "daily",
                "username": "client-%s" % key, "password": "pw",
                "mac_address": "AA:BB:CC:00:00:0%d" % len(self.subs)})
            sub.action_activate()
            self.ops[key], self.subs[key] = op, sub

    def wallet(self, key):
        self.ops[key].invalidate_cache()
        return self.ops[key].isp_wallet


@at_install(False)
@post_install(True)
class TestResellerPanel(ResellerCase):

    def test_reseller_sees_and_acts_on_its_own_customers_only(self):
        self.login(self.users["r"])
        page = self.get("/my/reseller")
        self.assertEqual(page.status_code, 200)
        self.assertIn("client-r", page.text)
        self.assertNotIn("client-q", page.text)
        self.assertNotIn("cust-a-daily", page.text)          # the ISP's own customers
        self.assertIn("client-r", self.get("/my/reseller?search=Client").text)
        # a sibling's customer: 404, nothing changes
        sub_q = self.subs["q"]
        for action in ("suspend", "reset_mac", "recharge"):
            resp = self.post("/my/reseller/sub/%d/%s" % (sub_q.id, action),
                             {"plan_id": self.plans["r"].id}, csrf_path="/my/reseller")
            self.assertEqual(resp.status_code, 404, action)
        self.assertEqual((sub_q.state, sub_q.mac_address), ("active", "AA:BB:CC:00:00:01"))
        # its own: suspend, resume, MAC binding removed
        sub_r = self.subs["r"]
        self.post("/my/reseller/sub/%d/suspend" % sub_r.id, {}, csrf_path="/my/reseller")
        self.assertEqual(sub_r.state, "suspended")
        self.assertEqual(sub_r.state_log_ids[:1].user_id, self.users["r"])
        self.post("/my/reseller/sub/%d/resume" % sub_r.id, {}, csrf_path="/my/reseller")
        self.assertEqual(sub_r.state, "active")
        self.post("/my/reseller/sub/%d/reset_mac" % sub_r.id, {}, csrf_path="/my/reseller")
        self.assertFalse(sub_r.mac_address)

    def test_recharge_from_the_wallet(self):
        self.login(self.users["r"])
        sub_r = self.subs["r"]
        before = self.wallet("r")
        end = sub_r.validity_end
        # a sibling's package is not one of its own
        self.post("/my/reseller/sub/%d/recharge" % sub_r.id, {"plan_id": self.plans["q"].id},
                  csrf_path="/my/reseller")
        self.assertEqual(sub_r.validity_end, end)
        self.assertIn("Choose one of the packages of Reseller R", self.get("/my/reseller").text)
        self.post("/my/reseller/sub/%d/recharge" % sub_r.id, {"plan_id": self.plans["r"].id},
                  csrf_path="/my/reseller")
        page = self.get("/my/reseller")
        self.assertIn("isp_message", page.text, page.text[page.text.find("alert"):][:300])
        self.assertGreater(sub_r.validity_end, end)
        self.assertAlmostEqual(before - self.wallet("r"), 200.0, places=2)
        self.assertEqual(self.wallet("q"), 1000.0 - 200.0)   # its own activation only

    def test_recharge_model_as_the_reseller_login(self):
        """isp_billing's action_recharge run by the reseller's own (portal)
        login: its package is enough (no sudo from the caller); a sibling's
        package is refused by the rules before anything is read past them."""
        user = self.users["r"]
        sub = self.subs["r"].sudo(user)
        bills = len(self.subs["r"].invoice_ids)
        bill = sub.action_recharge(self.plans["r"].sudo(user), pay=False)
        self.assertEqual((bill.isp_kind, bill.state, bill.amount_total),
                         ("recharge", "open", 300.0))
        with self.assertRaises(AccessError):
            sub.action_recharge(self.plans["q"].sudo(user), pay=False)
        self.subs["r"].invalidate_cache()
        self.assertEqual(len(self.subs["r"].invoice_ids), bills + 1)

    def test_customers_and_other_panels_are_refused(self):
        self.login(self.user_a)
        self.assertEqual(self.get("/my/reseller").status_code, 404)
        resp = self.post("/my/reseller/sub/%d/suspend" % self.sub_a_monthly.id, {})
        self.assertEqual(resp.status_code, 404)
        self.assertEqual(self.sub_a_monthly.state, "active")
