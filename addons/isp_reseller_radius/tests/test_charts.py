# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The charts of ISP > Reporting as the graph views ask for them
(read_group, lazy=False), as an ISP manager and as a reseller's manager, on
known data: online versus offline per operator, paid versus billed, due
versus payment; and the dashboard's buttons open them."""
import itertools

from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from odoo.addons.isp_reseller.tests.common import ResellerCase

SESSION_IDS = itertools.count(1)


@at_install(False)
@post_install(True)
class TestCharts(ResellerCase):
    """R: 3 active accounts (2 online), 1 suspended (online: not counted);
    its sub-reseller S: 1 active, offline; the sibling Q: 1 active, online.
    Each was sold its operator's 7 days, paid in cash."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # S's money is cash R took from it: R gets enough for both
        for op, amount in ((cls.R, 10000.0), (cls.S, 2000.0), (cls.Q, 5000.0)):
            cls.top_up(cls, op, amount)
        cls.isp_manager = cls.manager                    # the ISP's own staff
        cls.manager_R = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "t.manager.r", "login": "t.manager.r", "password": "t.manager.r",
            "email": "t.manager.r@example.com", "isp_operator_id": cls.R.id,
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref("isp_base.group_isp_manager").id])]})

    def setUp(self):
        super().setUp()
        self.r1 = self.active(self.R, self.plan_R)
        self.r2 = self.active(self.R, self.plan_R)
        self.r3 = self.active(self.R, self.plan_R, connection_type="hotspot")
        self.r4 = self.active(self.R, self.plan_R)
        self.r4.action_suspend(reason="test")
        self.s1 = self.active(self.S, self.plan_S)
        self.q1 = self.active(self.Q, self.plan_Q)
        for sub in (self.r1, self.r3, self.q1, self.r4):   # r4: suspended, still online
            self.open_session(sub)
        self.closed = self.open_session(self.r2)
        self.env.cr.execute("UPDATE radius.radacct SET acctstoptime = now() "
                            "WHERE radacctid = %s", (self.closed,))
        self.ops = [self.R.id, self.S.id, self.Q.id]

    def active(self, op, plan, **vals):
        """An account of `op` sold `plan`, paid in cash: active, its bill paid."""
        sub = self.reseller_sub(op, plan, **vals)
        sub.action_recharge(plan, journal=self.cash)
        self.assertEqual(sub.state, "active")
        return sub

    def open_session(self, sub):
        """A radacct row of an open session, as FreeRADIUS writes it (the
        table's trigger finds the account by its username)."""
        number = next(SESSION_IDS)
        self.env.cr.execute("""
            INSERT INTO radius.radacct (acctsessionid, acctuniqueid, username, nasipaddress,
                   acctstarttime, acctupdatetime, acctsessiontime, acctinputoctets,
                   acctoutputoctets)
            VALUES (%s, %s, %s, '127.0.0.61', now() - interval '1 hour', now(), 3600, 0, 0)
            RETURNING radacctid""", ("chart%d" % number, "chart-%d" % number, sub.username))
        return self.env.cr.fetchone()[0]

    def chart(self, user, model, groupby, measure=None, domain=None):
        """{(group values...): value} as the graph view reads it."""
        fields = [g.split(":")[0] for g in groupby] + ([measure] if measure else [])
        groups = self.env[model].sudo(user).read_group(
            domain or [], fields, groupby, lazy=False)
        result = {}
        for group in groups:
            key = tuple(group[g][0] if isinstance(group[g], (list, tuple)) else group[g]
                        for g in groupby)
            result[key] = group[measure] if measure else group["__count"]
        return result

    def test_online_versus_offline_per_operator(self):
        mine = [("operator_id", "in", self.ops)]
        R, S, Q = self.R.id, self.S.id, self.Q.id
        self.assertEqual(self.chart(self.isp_manager, "isp.online.analysis",
                                    ["operator_id", "status"], domain=mine),
                         {(R, "online"): 2, (R, "offline"): 1, (S, "offline"): 1,
                          (Q, "online"): 1})
        # a reseller's manager: its employer's subtree, nothing of Q's
        self.assertEqual(self.chart(self.manager_R, "isp.online.analysis",
                                    ["operator_id", "status"]),
                         {(R, "online"): 2, (R, "offline"): 1, (S, "offline"): 1})
        # the session ends: offline
        self.env.cr.execute("UPDATE radius.radacct SET acctstoptime = now() "
                            "WHERE acctstoptime IS NULL AND username = %s", (self.q1.username,))
        self.assertEqual(self.chart(self.isp_manager, "isp.online.analysis", ["status"],
                                    domain=[("operator_id", "=", Q)]), {("offline",): 1})

    def test_paid_versus_billed_and_due_versus_payment_as_a_resellers_manager(self):
        # one of R's customers has an open bill: a recharge it did not pay
        bill = self.r2.action_recharge(self.plan_R, pay=False)
        R, S = self.R.id, self.S.id
        self.assertEqual(self.chart(self.manager_R, "isp.customer.analysis",
                                    ["operator_id", "bill_status"]),
                         {(R, "paid"): 3, (R, "billed"): 1, (S, "paid"): 1})
        amounts = self.chart(self.manager_R, "isp.bill.analysis", ["operator_id", "amount_type"],
                             measure="amount")
        # R's customers: 4 activations of 300 paid, 300 due; S's: 1 of 350 paid
        self.assertEqual(amounts, {(R, "paid"): 1200.0, (R, "due"): bill.amount_total,
                                   (S, "paid"): 350.0, (S, "due"): 0.0})
        self.assertEqual(self.chart(self.isp_manager, "isp.bill.analysis", ["amount_type"],
                                    measure="amount", domain=[("operator_id", "=", self.Q.id)]),
                         {("paid",): 300.0, ("due",): 0.0})

    def test_the_dashboard_opens_each_chart(self):
        dash = self.env["isp.dashboard"].sudo(self.isp_manager).create(
            {"operator_id": self.R.id})
        for method, model in (("action_chart_paid_billed", "isp.customer.analysis"),
                              ("action_chart_due_payment", "isp.bill.analysis"),
                              ("action_chart_registrations", "isp.registration.analysis"),
                              ("action_chart_online", "isp.online.analysis")):
            action = getattr(dash, method)()
            # an operator's charts count its sub-resellers' customers too
            self.assertEqual((action["res_model"], action["domain"]),
                             (model, [("operator_id", "in", [self.R.id, self.S.id])]),
                             method)
            self.assertTrue(action["view_mode"].startswith("graph"), method)
        # and the dashboard counts what the chart shows
        figures = dash.figures()
        chart = self.chart(self.isp_manager, "isp.customer.analysis", ["bill_status"],
                           domain=[("operator_id", "in", [self.R.id, self.S.id])])
        self.assertEqual((figures["paid_customers"], figures["billed_customers"]),
                         (chart.get(("paid",), 0), chart.get(("billed",), 0)))

    def test_who_reads_the_charts(self):
        for model in ("isp.online.analysis", "isp.customer.analysis", "isp.bill.analysis",
                      "isp.registration.analysis"):
            for user in (self.isp_manager, self.manager_R, self.auditor):
                self.env[model].sudo(user).read_group([], ["operator_id"], ["operator_id"])
            for user in (self.helpdesk, self.user_R):
                with self.assertRaises(AccessError, msg="%s %s" % (model, user.login)):
                    self.env[model].sudo(user).read_group([], ["operator_id"], ["operator_id"])
