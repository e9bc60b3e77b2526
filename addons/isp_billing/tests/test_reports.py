# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dashboard figures and Excel downloads on known data (one operator of the
test's own, so demo data does not count)."""
import base64
import datetime

import xlrd

from odoo import fields
from odoo.tests.common import at_install, post_install

from .common import BillingCase


@at_install(False)
@post_install(True)
class TestReports(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the ISP's day (Dhaka is a day ahead of UTC after 18:00 UTC)
        cls.today_date = cls.env["isp.subscription"]._isp_today()
        cls.today_str = fields.Date.to_string(cls.today_date)
        Sub = cls.Sub

        def sub(**vals):
            values = {"partner_id": cls.partner.id, "operator_id": cls.operator.id,
                      "plan_id": cls.plan_monthly.id, "billing_profile_id": cls.profile_bill.id,
                      "username": "rep%d" % (Sub.search_count([]) + 1), "password": "pw",
                      "router_id": cls.router.id}
            values.update(vals)
            return Sub.create(values)
        # a: billed today (due in 7 days), paid in cash today
        cls.a = sub()
        # b: billed 7 days ago -> due today, unpaid
        cls.b = sub(partner_id=cls.partner2.id)
        # c: billed 40 days ago, unpaid, validity over -> suspended today
        cls.c = sub()
        cls.d = sub(connection_type="hotspot", billing_type="daily",
                    plan_id=cls.plan_daily.id, billing_profile_id=False)
        cls.e = sub()
        with cls.patched_today(cls.today_date):
            cls.a.action_activate()
        with cls.patched_today(cls.today_date - datetime.timedelta(days=7)):
            cls.b.action_activate()
        with cls.patched_today(cls.today_date - datetime.timedelta(days=40)):
            cls.c.action_activate()
        cls.d.action_recharge(cls.plan_daily, journal=cls.bkash, reference="REP-BK-1")
        cls.e.action_activate()
        cls.e.action_disable("moved")
        bill_a = cls.Invoice.search([("isp_subscription_id", "=", cls.a.id)])
        cls.env["account.payment"].isp_pay_invoices(bill_a, journal=cls.cash)
        cls.bill_a, cls.bill_b = bill_a, cls.Invoice.search([("isp_subscription_id", "=",
                                                              cls.b.id)])
        cls.bill_c = cls.Invoice.search([("isp_subscription_id", "=", cls.c.id)])
        cls.bill_e = cls.Invoice.search([("isp_subscription_id", "=", cls.e.id)])

    @classmethod
    def patched_today(cls, day):
        from unittest.mock import patch
        return patch.object(type(cls.Sub), "_isp_today", lambda self: day)

    def test_dashboard_figures(self):
        dash = self.env["isp.dashboard"].create({"operator_id": self.operator.id})
        fig = dash.figures()
        self.assertEqual((fig["active_count"], fig["suspended_count"], fig["disabled_count"]),
                         (4, 0, 1))
        # a, d paid; b, c have open bills (e is disabled)
        self.assertEqual((fig["paid_customers"], fig["billed_customers"]), (2, 2))
        residual_b, residual_c = self.bill_b.residual, self.bill_c.residual
        residual_e = self.bill_e.residual
        self.assertEqual(fig["to_collect_today"], residual_b)  # due today
        self.assertAlmostEqual(fig["total_due"], residual_b + residual_c + self.bill_e.residual,
                               places=2)
        self.assertEqual(fig["collected_today"], self.bill_a.amount_total + 250.0)
        self.assertEqual(fig["collected_month"], self.bill_a.amount_total + 250.0)
        # c: validity over, bill overdue -> cut off today
        self.assertEqual(fig["suspended_today"], 1)
        # receivables: partner2 owes b's bill; partner owes c + e
        self.assertAlmostEqual(fig["receivable"],
                               residual_b + residual_c + self.bill_e.residual, places=2)
        self.assertEqual(fig["payable"], 0.0)
        self.c.sudo()._isp_receive(5000.0, self.cash)  # pays c + e, the rest ahead
        fig = dash.figures()
        self.assertAlmostEqual(fig["payable"], 5000.0 - residual_c - residual_e, places=2)
        self.assertEqual((self.bill_c.state, self.bill_e.state), ("paid", "paid"))
        self.assertAlmostEqual(fig["receivable"], residual_b, places=2)

    def test_dashboard_title(self):
        dash = self.env["isp.dashboard"].create({})
        self.assertEqual(dash.display_name, "Dashboard")
        dash = self.env["isp.dashboard"].create({"operator_id": self.operator.id})
        self.assertEqual(dash.display_name, "Dashboard: %s" % self.operator.name)

    def test_dashboard_for_everybody_counts_more(self):
        everybody = self.env["isp.dashboard"].create({}).figures()
        mine = self.env["isp.dashboard"].create({"operator_id": self.operator.id}).figures()
        self.assertGreaterEqual(everybody["active_count"], mine["active_count"])

    def export(self, report):
        wizard = self.env["isp.billing.export"].create({
            "report": report, "operator_id": self.operator.id,
            "date_from": fields.Date.to_string(self.today_date - datetime.timedelta(days=60)),
            "date_to": self.today_str})
        wizard.action_export()
        book = xlrd.open_workbook(file_contents=base64.b64decode(wizard.file_data))
        return wizard, book

    def rows(self, sheet):
        return [sheet.row_values(r) for r in range(sheet.nrows)]

    def test_excel_bills(self):
        wizard, book = self.export("bills")
        self.assertTrue(wizard.file_name.startswith("bills_"))
        rows = self.rows(book.sheet_by_index(0))
        self.assertEqual(rows[0][:5], ["Number", "Date", "Due date", "Customer code",
                                       "Customer"])
        body = rows[1:-1]
        numbers = {r[0] for r in body}
        self.assertEqual(numbers, {self.bill_a.number, self.bill_b.number,
                                   self.bill_c.number, self.bill_e.number,
                                   self.d.invoice_ids.number})
        row_a = [r for r in body if r[0] == self.bill_a.number][0]
        self.assertEqual(row_a[12:16], ["paid", self.bill_a.amount_total,
                                        self.bill_a.amount_total, 0.0])
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][15], round(sum(r[15] for r in body), 2))

    def test_excel_payments_by_method(self):
        _wizard, book = self.export("payments")
        rows = self.rows(book.sheet_by_index(0))
        self.assertEqual(rows[0][5], "Method")
        methods = sorted((r[5], r[10]) for r in rows[1:-1])
        self.assertEqual(methods, [("bkash", 250.0), ("cash", self.bill_a.amount_total)])
        bkash = [r for r in rows[1:-1] if r[5] == "bkash"][0]
        self.assertEqual(bkash[8], "REP-BK-1")
        summary = self.rows(book.sheet_by_name("By method"))
        self.assertEqual(summary[1:3], [["bkash", 250.0], ["cash", self.bill_a.amount_total]])

    def test_excel_revenue_by_plan(self):
        _wizard, book = self.export("revenue")
        rows = self.rows(book.sheet_by_index(0))
        by_plan = {r[0]: r for r in rows[1:-1]}
        self.assertEqual(by_plan["T 7 days"][1:], [1, 250.0, 250.0, 0.0])
        monthly = by_plan["T monthly 10M"]
        self.assertEqual(monthly[1], 4)

    def test_excel_customers(self):
        _wizard, book = self.export("customers")
        rows = self.rows(book.sheet_by_index(0))
        self.assertEqual(rows[0], ["Type", "Package", "Status", "Customer type", "Accounts"])
        self.assertIn(["pppoe", "T monthly 10M", "active", "individual", 3.0], rows)
        self.assertIn(["pppoe", "T monthly 10M", "disabled", "individual", 1.0], rows)
        self.assertIn(["hotspot", "T 7 days", "active", "individual", 1.0], rows)
