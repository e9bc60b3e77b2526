# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Excel download of a customer's internet history over real HTTP: staff,
the customer itself, and nobody else."""
import io
import zipfile

import xlrd

from odoo import fields
from odoo.tests.common import at_install, post_install

from odoo.addons.isp_base.tests.common import IspHttpCase

MB = 1048576


@at_install(False)
@post_install(True)
class TestUsageDownload(IspHttpCase):

    def setUp(self):
        super().setUp()
        env = self.env(context=dict(self.env.context, no_reset_password=True))
        pool = env["isp.ip.pool"].create({"name": "dl-dyn", "network": "100.66.0.0/24",
                                          "purpose": "dynamic"})
        master = env["isp.master.package"].create({
            "name": "DL 8M", "download_kbps": 8192, "upload_kbps": 4096,
            "ip_pool_id": pool.id})
        plan = env["isp.service.plan"].create({
            "name": "DL monthly", "master_package_id": master.id, "customer_price": 500})
        profile = env["isp.billing.profile"].create({"name": "DL profile"})
        Partner = env["res.partner"]
        self.partner = Partner.create({"name": "Download Customer", "mobile": "+8801711000301"})
        other = Partner.create({"name": "Other Customer", "mobile": "+8801711000302"})
        Sub = env["isp.subscription"]
        self.sub = Sub.create({"partner_id": self.partner.id, "username": "dl.user",
                               "plan_id": plan.id, "billing_profile_id": profile.id})
        self.other_sub = Sub.create({"partner_id": other.id, "username": "dl.other",
                                     "plan_id": plan.id, "billing_profile_id": profile.id})
        (self.sub | self.other_sub).action_activate()
        env["res.users"].create({
            "name": "Download Customer", "login": "dl.portal", "password": "dl.portal",
            "partner_id": self.partner.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
        env["res.users"].create({
            "name": "DL helpdesk", "login": "dl.helpdesk", "password": "dl.helpdesk",
            "groups_id": [(6, 0, [env.ref("base.group_user").id,
                                  env.ref("isp_base.group_isp_helpdesk").id])]})
        cr = env.cr
        for sid, up, down, stop in (("s1", 2 * MB, 20 * MB, "now() - interval '1 hour'"),
                                    ("s2", MB, 5 * MB, "NULL")):
            cr.execute("""
                INSERT INTO radius.radacct (acctsessionid, acctuniqueid, username,
                       nasipaddress, acctstarttime, acctupdatetime, acctstoptime,
                       acctsessiontime, acctinputoctets, acctoutputoctets,
                       framedipaddress, callingstationid, acctterminatecause)
                VALUES (%%s, %%s, 'dl.user', '127.0.0.11', now() - interval '2 hours',
                        now() - interval '1 hour', %s, 3600, %%s, %%s, '100.66.0.5',
                        'AA:BB:CC:00:00:05', %%s)""" % stop,
                (sid, "dl-" + sid, up, down, "User-Request" if stop != "NULL" else None))

    def url(self, sub):
        return "/isp_radius/usage/%d.xlsx" % sub.id

    def test_staff_downloads_history(self):
        self.web_login("dl.helpdesk", "dl.helpdesk")
        resp = self.url_open(self.url(self.sub))
        self.assertEqual(resp.status_code, 200)
        self.assertIn("spreadsheetml", resp.headers["Content-Type"])
        self.assertIn("internet-history-dl.user.xlsx", resp.headers["Content-Disposition"])
        book = xlrd.open_workbook(file_contents=resp.content)
        self.assertEqual(book.sheet_names(), ["Monthly", "Daily", "Sessions"])
        monthly = book.sheet_by_name("Monthly")
        self.assertIn("dl.user", monthly.cell_value(0, 0))
        self.assertEqual(monthly.row_values(2)[:4],
                         ["Month", "Download (MB)", "Upload (MB)", "Total (MB)"])
        self.assertEqual(monthly.row_values(3)[1:4], [25.0, 3.0, 28.0])
        sessions = book.sheet_by_name("Sessions")
        self.assertEqual(sessions.nrows, 5, "title, blank, header and two sessions")
        rows = sorted([sessions.row_values(r) for r in (3, 4)], key=lambda r: r[3])
        self.assertEqual(rows[0][1], "online")
        self.assertEqual(rows[1][3:6], [20.0, 2.0, "100.66.0.5"])
        self.assertEqual(rows[1][10], "User-Request")

    def test_times_and_dates_in_the_readers_zone_and_format(self):
        self.env["res.lang"].load_lang("en_GB")
        helpdesk = self.env["res.users"].search([("login", "=", "dl.helpdesk")])
        helpdesk.partner_id.write({"tz": "Asia/Dhaka", "lang": "en_GB"})
        self.web_login("dl.helpdesk", "dl.helpdesk")
        content = self.url_open(self.url(self.sub)).content
        book = xlrd.open_workbook(file_contents=content)
        sessions = book.sheet_by_name("Sessions")
        self.assertEqual(sessions.row_values(2)[:2], ["Start", "Stop"])
        self.env.cr.execute("SELECT (now() - interval '2 hours') AT TIME ZONE 'Asia/Dhaka'")
        started = fields.Datetime.from_string(self.env.cr.fetchone()[0])
        for r in (3, 4):
            cell = sessions.cell(r, 0)
            self.assertEqual(cell.ctype, xlrd.XL_CELL_DATE)
            start = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
            self.assertLess(abs((start - started).total_seconds()), 120)
        daily = book.sheet_by_name("Daily")
        self.assertEqual(daily.cell(3, 0).ctype, xlrd.XL_CELL_DATE)
        styles = zipfile.ZipFile(io.BytesIO(content)).read("xl/styles.xml").decode()
        self.assertIn('formatCode="dd/mm/yyyy hh:mm"', styles)
        self.assertIn('formatCode="dd/mm/yyyy"', styles)

    def test_customer_downloads_own_history_only(self):
        self.web_login("dl.portal", "dl.portal")
        resp = self.url_open(self.url(self.sub))
        self.assertEqual(resp.status_code, 200)
        book = xlrd.open_workbook(file_contents=resp.content)
        self.assertEqual(book.sheet_by_name("Daily").row_values(3)[3], 28.0)
        resp = self.url_open(self.url(self.other_sub))
        self.assertEqual(resp.status_code, 403)
        self.assertNotIn(b"dl.other", resp.content)

    def test_anonymous_is_sent_to_login(self):
        resp = self.url_open(self.url(self.sub))
        self.assertIn("/web/login", resp.url)
