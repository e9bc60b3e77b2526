# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ISP's day and the reader's zone and format in billing: the
suspension job in Dhaka, SMS texts, the Excel download, the bill's
period."""
import base64
import datetime
import io
import zipfile
from unittest.mock import patch

import xlrd

from odoo import fields
from odoo.tests.common import at_install, post_install

from .common import D, BillingCase

DHAKA = "Asia/Dhaka"


def at(utc_text):
    """Run with Odoo's clock (fields.Datetime.now) at `utc_text`."""
    return patch.object(fields.Datetime, "now", staticmethod(lambda *a: utc_text))


@at_install(False)
@post_install(True)
class TestIspDayAndReaders(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"].load_lang("en_GB")
        cls.company.partner_id.tz = DHAKA
        # subscribers without a zone of their own read the company's
        (cls.partner | cls.partner2).write({"tz": False, "lang": "en_GB"})
        cls.cashier.partner_id.write({"tz": DHAKA, "lang": "en_GB"})
        cls.no_grace = cls.profile_bill.copy({"name": "no grace", "grace_days": 0})

    def overdue_on(self, due):
        """A monthly account whose validity ended long ago, with one open
        bill due on `due` (a day of the ISP)."""
        sub = self.monthly_sub(billing_profile_id=self.no_grace.id)
        with self.today(D(2030, 3, 1)):
            sub.action_activate()
        bill = self.bills(sub)
        bill.sudo().date_due = fields.Date.to_string(due)
        sub.with_context(isp_no_network_event=True).validity_end = "2030-03-01 00:00:00"
        return sub

    def test_suspended_just_after_midnight_in_dhaka(self):
        sub = self.overdue_on(D(2030, 3, 8))
        with at("2030-03-08 17:30:00"):  # 23:30 on the due date in Dhaka
            self.Sub.cron_suspend_expired()
            sub.invalidate_cache()
            self.assertEqual(sub.state, "active")
            self.assertIn("has not passed", sub.suspension_status)
        with at("2030-03-08 18:30:00"):  # 00:30 on the next day in Dhaka (UTC: still the 8th)
            sub.invalidate_cache()
            self.assertIn("is unpaid", sub.suspension_status)
            self.Sub.cron_suspend_expired()
        self.assertEqual((sub.state, sub.suspend_reason), ("suspended", "non_payment"))

    def test_suspension_reason_in_the_readers_format(self):
        sub = self.overdue_on(D(2030, 3, 8))
        with at("2030-03-09 06:00:00"):
            status = sub.sudo(self.cashier).suspension_status
        self.assertEqual(status, "Validity ended and the bill due on 08/03/2030 is unpaid.")

    def test_dashboard_counts_the_isp_day(self):
        # valid until 23:59:59 of today in Dhaka, due yesterday: cut off
        # before the ISP's day ends; 00:30 of tomorrow in Dhaka (18:30 UTC,
        # still today in UTC) is not today
        today = self.Sub._isp_today()
        sub = self.overdue_on(today - datetime.timedelta(days=1))
        dash = self.env["isp.dashboard"].create({"operator_id": self.operator.id})
        end = fields.Datetime.from_string(self.Sub._isp_end_of_day(today))
        sub.with_context(isp_no_network_event=True).validity_end = fields.Datetime.to_string(end)
        self.assertEqual(dash.figures()["suspended_today"], 1)
        sub.with_context(isp_no_network_event=True).validity_end = fields.Datetime.to_string(
            end + datetime.timedelta(minutes=31))
        self.assertEqual(dash.figures()["suspended_today"], 0)

    def test_sms_texts_in_the_subscribers_zone_and_format(self):
        sub = self.monthly_sub()
        with self.today(D(2031, 3, 1)):
            sub.action_activate()
        bill_sms = self.env["isp.notice"].search([
            ("subscription_id", "=", sub.id), ("event", "=", "bill"), ("channel", "=", "sms")])
        self.assertIn("is due on 08/03/2031.", bill_sms.body)
        mail = self.env["isp.notice"].search([
            ("subscription_id", "=", sub.id), ("event", "=", "bill"), ("channel", "=", "email")])
        self.assertIn("(01/03/2031 - 31/03/2031)", mail.body)
        self.assertIn("due on 08/03/2031.", mail.body)
        # the account ends at 23:59:59 on 31 March in Dhaka (17:59:59 UTC)
        self.assertEqual(sub.validity_end, "2031-03-31 17:59:59")
        warning = sub._isp_notify("expiry_warning", sub)
        self.assertIn("is valid until 31/03/2031 23:59.", warning.body)
        self.assertNotIn("UTC", warning.body)
        # the bill's line and period are written in the customer's format
        bill = self.bills(sub)
        self.assertIn("01/03/2031 - 31/03/2031", bill.invoice_line_ids.name)
        self.partner.lang = "en_US"
        self.assertEqual(bill.isp_period_text(), "03/01/2031 - 03/31/2031")

    def test_excel_dates_in_the_readers_format(self):
        sub = self.monthly_sub()
        sub.action_activate()
        bill = self.bills(sub)
        today = fields.Date.from_string(bill.date_invoice)
        wizard = self.env["isp.billing.export"].sudo(self.cashier).create({
            "report": "bills", "operator_id": self.operator.id,
            "date_from": fields.Date.to_string(today - datetime.timedelta(days=1)),
            "date_to": fields.Date.to_string(today)})
        wizard.action_export()
        content = base64.b64decode(wizard.file_data)
        book = xlrd.open_workbook(file_contents=content)
        sheet = book.sheet_by_index(0)
        row = [r for r in range(1, sheet.nrows) if sheet.cell_value(r, 0) == bill.number][0]
        cell = sheet.cell(row, 1)
        self.assertEqual(cell.ctype, xlrd.XL_CELL_DATE)
        self.assertEqual(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).date(),
                         today)
        styles = zipfile.ZipFile(io.BytesIO(content)).read("xl/styles.xml").decode()
        self.assertIn('formatCode="dd/mm/yyyy"', styles)
        self.assertNotIn("yyyy-mm-dd", styles)
