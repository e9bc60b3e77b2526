# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""With isp_radius installed, the customer's account page shows what the
network knows: online now with the IP, usage by day and by month (kept by
isp_radius's accounting triggers) - its own, never another customer's."""
import datetime
import re

from odoo import fields
from odoo.tests.common import at_install, post_install

from ..lib import usage_chart
from .common import PortalHttpCase

MIB = 1048576


@at_install(False)
@post_install(True)
class TestRadiusDataInThePortal(PortalHttpCase):

    def setUp(self):
        super().setUp()
        if "isp.radius.session" not in self.env.registry:
            self.skipTest("isp_radius is not installed")

    def accounting(self, sub, session_id, ip, download, upload, stopped=False):
        """A radacct row as FreeRADIUS writes it (the triggers add it to the
        usage of the day and month)."""
        self.env.cr.execute("""
            INSERT INTO radius.radacct (acctsessionid, acctuniqueid, username, nasipaddress,
                   acctstarttime, acctupdatetime, acctstoptime, acctsessiontime,
                   acctinputoctets, acctoutputoctets, framedipaddress, callingstationid)
            VALUES (%s, %s, %s, '127.0.0.41', now() - interval '1 hour', now(),
                    CASE WHEN %s THEN now() END, 3600, %s, %s, %s, 'AA:BB:CC:00:00:41')""",
                            (session_id, "portal-" + session_id, sub.username, stopped,
                             upload, download, ip))

    def test_a_customer_sees_its_own_session_and_usage_only(self):
        self.accounting(self.sub_a_monthly, "pa1", "100.66.0.7", 500 * MIB, 30 * MIB,
                        stopped=True)
        self.accounting(self.sub_a_monthly, "pa2", "100.66.0.8", 200 * MIB, 15 * MIB)
        self.accounting(self.sub_b, "pb1", "100.66.0.99", 900 * MIB, 90 * MIB)
        self.login(self.user_a)
        page = self.get("/my/isp/%d" % self.sub_a_monthly.id)
        self.assertEqual(page.status_code, 200)
        text = page.text
        # online now: the open session's address, not the closed one's
        online = text[text.index("Online now"):text.index("Internet usage")]
        self.assertIn("100.66.0.8", online)
        self.assertNotIn("100.66.0.7", online)
        # today: 700 MiB down + 45 up; this month: the same, split
        usage = text[text.index("Internet usage"):]
        self.assertRegex(usage, r">\s*745\s*<")
        self.assertRegex(usage, r">\s*700\s*</td>\s*<td[^>]*>\s*45\s*<")
        # nothing of customer B's
        self.assertNotIn("100.66.0.99", text)
        self.assertFalse(re.search(r">\s*(990|900)\s*<", usage))
        # and B's page stays closed to A
        self.assertEqual(self.get("/my/isp/%d" % self.sub_b.id).status_code, 404)

    def test_no_session_says_not_connected(self):
        self.login(self.user_a)
        text = self.get("/my/isp/%d" % self.sub_a_monthly.id).text
        self.assertIn("Not connected.", text)
        self.assertIn("No usage recorded in the last 31 days.", text)

    def usage_day(self, sub, day, download_mb, upload_mb):
        """A day of usage as isp_radius's accounting keeps it."""
        self.env.cr.execute("""
            INSERT INTO radius.usage_daily (day, username, subscription_id, upload_bytes,
                                            download_bytes, session_time, sessions)
            VALUES (%s, %s, %s, %s, %s, 3600, 1)""",
                            (day, sub.username, sub.id, upload_mb * MIB, download_mb * MIB))

    def test_the_daily_usage_chart(self):
        today = datetime.date.today()
        days = [today - datetime.timedelta(days=n) for n in (40, 10, 3, 0)]
        self.usage_day(self.sub_a_monthly, days[0], 999, 1)      # before the window
        self.usage_day(self.sub_a_monthly, days[1], 300, 20)
        self.usage_day(self.sub_a_monthly, days[2], 700, 45)
        self.usage_day(self.sub_a_monthly, days[3], 0, 0)        # online, nothing used
        self.usage_day(self.sub_b, days[2], 900, 90)             # another customer's
        self.login(self.user_a)
        text = self.get("/my/isp/%d" % self.sub_a_monthly.id).text
        chart = text[text.index('<figure class="isp_usage_chart"'):text.index("</figure>")]
        # beside the table (one row: the chart's column, then the table's)
        self.assertLess(text.index("isp_usage_chart_col"), text.index("isp_usage_daily"))
        # one bar per day with usage, with its date, total and split
        bars = re.findall(r'<g class="isp_usage_bar" data-date="([\d-]+)" data-mb="([\d.]+)">'
                          r'\s*<title>(.*?)</title>\s*<rect class="isp_usage_total"[^>]*'
                          r'height="([\d.]+)"', chart, re.S)
        self.assertEqual([(date, mb) for date, mb, _title, _h in bars], [
            (fields.Date.to_string(days[1]), "320.0"), (fields.Date.to_string(days[2]), "745.0")])
        self.assertEqual([re.sub(r"^.*?: ", "", title) for _d, _mb, title, _h in bars],
                         ["320 MB (300 down, 20 up)", "745 MB (700 down, 45 up)"])
        # the scale rounds the highest day (745) up to 800; heights follow
        plot_h = usage_chart.HEIGHT - usage_chart.TOP - usage_chart.BOTTOM
        self.assertEqual(re.findall(r"<text[^>]*>(\d+)</text>", chart[:chart.index(
            "isp_usage_bar")]), ["0", "400", "800"])
        self.assertEqual([float(h) for _d, _mb, _t, h in bars],
                         [round(plot_h * 320 / 800, 2), round(plot_h * 745 / 800, 2)])
        # the day of the month under the axis: the window's first day and today
        labels = re.findall(r"<text[^>]*>(\d+)</text>", chart[chart.index("isp_usage_days"):])
        self.assertEqual((labels[0], labels[-1]),
                         (str((today - datetime.timedelta(days=31)).day), str(today.day)))
