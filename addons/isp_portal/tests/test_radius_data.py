# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""With isp_radius installed, the customer's account page shows what the
network knows: online now with the IP, usage by day and by month (kept by
isp_radius's accounting triggers) - its own, never another customer's."""
import re

from odoo.tests.common import at_install, post_install

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
