# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Accounting as FreeRADIUS writes it -> sessions, online now and usage in
Odoo; stale sessions; retention."""
from odoo.tests.common import at_install, post_install

from .common import NAS_IP, RadiusCase

MB = 1048576


@at_install(False)
@post_install(True)
class TestAccounting(RadiusCase):

    def setUp(self):
        super().setUp()
        self.sub = self.new_sub(username="acc.user")
        self.sub.action_activate()

    def test_start_interim_stop_fill_usage(self):
        cr = self.env.cr
        radacct_id = self.open_session(self.sub, upload=0, download=0)
        self.assertTrue(self.sub.radius_online)
        self.assertEqual((self.sub.radius_ip, self.sub.radius_mac, self.sub.radius_router_id),
                         ("100.64.0.10", "AA:BB:CC:00:00:01", self.router))
        self.assertIn(self.sub, self.Sub.search([("radius_online", "=", True)]))
        # two interim updates, then the stop: each adds its delta
        for up, down, secs in ((2 * MB, 10 * MB, 300), (3 * MB, 25 * MB, 600)):
            cr.execute("""UPDATE radius.radacct SET acctinputoctets = %s,
                          acctoutputoctets = %s, acctsessiontime = %s, acctupdatetime = now()
                          WHERE radacctid = %s""", (up, down, secs, radacct_id))
        cr.execute("""UPDATE radius.radacct SET acctinputoctets = %s, acctoutputoctets = %s,
                      acctsessiontime = 700, acctstoptime = now(), acctupdatetime = now(),
                      acctterminatecause = 'User-Request' WHERE radacctid = %s""",
                   (4 * MB, 30 * MB, radacct_id))
        self.sub.invalidate_cache()
        self.assertFalse(self.sub.radius_online)
        self.assertNotIn(self.sub, self.Sub.search([("radius_online", "=", True)]))
        daily = self.env["isp.radius.usage.daily"].search([("subscription_id", "=",
                                                             self.sub.id)])
        self.assertEqual(len(daily), 1)
        self.assertEqual((daily.upload_mb, daily.download_mb, daily.total_mb,
                          daily.session_time, daily.sessions), (4.0, 30.0, 34.0, 700, 1))
        # a second session the same day adds up
        second = self.open_session(self.sub, session_id="81000002", upload=MB,
                                   download=2 * MB, age_seconds=30)
        self.close_session(second)
        daily.invalidate_cache()
        self.assertEqual((daily.upload_mb, daily.download_mb, daily.sessions), (5.0, 32.0, 2))
        monthly = self.env["isp.radius.usage.monthly"].search([("subscription_id", "=",
                                                                 self.sub.id)])
        self.assertEqual((len(monthly), monthly.total_mb, monthly.sessions), (1, 37.0, 2))
        self.assertEqual(monthly.month[8:], "01")
        sessions = self.env["isp.radius.session"].search([("subscription_id", "=",
                                                           self.sub.id)])
        self.assertEqual(sessions.mapped("acct_session_id"), ["81000002", "81000001"])
        first = sessions[1]
        self.assertEqual((first.upload_mb, first.download_mb, first.router_id, first.online,
                          first.terminate_cause, first.framed_ip),
                         (4.0, 30.0, self.router, False, "User-Request", "100.64.0.10"))

    def test_renamed_account_keeps_its_history(self):
        radacct_id = self.open_session(self.sub, upload=MB)
        self.close_session(radacct_id)
        self.sub.username = "acc.renamed"
        usage = self.env["isp.radius.usage.daily"].search([("subscription_id", "=",
                                                             self.sub.id)])
        self.assertEqual(usage.upload_mb, 1.0)
        self.assertEqual(self.env["isp.radius.session"].search_count(
            [("subscription_id", "=", self.sub.id)]), 1)

    def test_stale_sessions_closed_by_cron(self):
        # interim 300 s, grace 120 s: stale after 720 s without an update
        stale = self.open_session(self.sub, session_id="old", age_seconds=3600,
                                  update_age_seconds=800)
        other = self.new_sub(username="acc.fresh")
        other.action_activate()
        fresh = self.open_session(other, session_id="fresh", age_seconds=3600,
                                  update_age_seconds=600)
        closed = self.Radius.cron_close_stale_sessions()
        self.assertIn(stale, closed)
        self.assertNotIn(fresh, closed)
        cause = self.session_row(stale)[1]
        self.assertEqual(cause, "Stale-Session")
        self.env.cr.execute("SELECT acctupdatetime = acctstoptime FROM radius.radacct "
                            "WHERE radacctid = %s", (stale,))
        self.assertEqual(self.env.cr.fetchone(), (True,), "stopped at its last update")
        self.assertEqual(self.session_row(fresh), (None, None))
        self.assertFalse(self.sub.radius_online)
        stale_list = self.env["isp.radius.session"].search([("terminate_cause", "=",
                                                             "Stale-Session")])
        self.assertIn(stale, stale_list.ids)
        self.assertNotIn(fresh, stale_list.ids)

    def test_accounting_on_closes_the_nas_sessions(self):
        """The accounting-on query of freeradius/mods/sql.conf (also run
        for real by tests/test_radius.py)."""
        on_nas = self.open_session(self.sub, session_id="a")
        other = self.new_sub(username="acc.elsewhere")
        elsewhere = self.open_session(other, session_id="b", nas_ip="127.0.0.12")
        self.env.cr.execute("""
            UPDATE radius.radacct SET acctstoptime = now(), acctterminatecause = 'NAS-Reboot'
             WHERE acctstoptime IS NULL AND nasipaddress = %s""", (NAS_IP,))
        self.assertEqual(self.session_row(on_nas)[1], "NAS-Reboot")
        self.assertEqual(self.session_row(elsewhere), (None, None))
        rebooted = self.env["isp.radius.session"].search([("terminate_cause", "=",
                                                           "NAS-Reboot")])
        self.assertEqual(rebooted.ids, [on_nas])

    def test_retention_removes_old_raw_rows_in_batches_keeps_usage(self):
        cr = self.env.cr
        self.env["ir.config_parameter"].sudo().set_param("isp_radius.retention_days", "365")
        old = []
        for i in range(5):
            radacct_id = self.open_session(self.sub, session_id="old%d" % i, upload=MB)
            self.close_session(radacct_id)
            old.append(radacct_id)
        recent = self.open_session(self.sub, session_id="recent", upload=MB)
        self.close_session(recent)
        still_open = self.open_session(self.sub, session_id="open-old")
        cr.execute("""UPDATE radius.radacct SET acctstarttime = now() - interval '400 days'
                      WHERE radacctid IN %s""", (tuple(old + [still_open]),))
        cr.execute("INSERT INTO radius.radpostauth (username, reply, authdate) VALUES "
                   "('acc.user', 'Access-Accept', now() - interval '400 days'), "
                   "('acc.user', 'Access-Accept', now())")
        cr.execute("SELECT sum(upload_bytes) FROM radius.usage_daily")
        usage_before = cr.fetchone()[0]
        removed = self.Radius.cron_purge_accounting(batch=2, max_batches=2)
        self.assertEqual(removed, 4, "two batches of two this run")
        removed = self.Radius.cron_purge_accounting(batch=2, max_batches=2)
        self.assertEqual(removed, 1, "the next run goes on")
        cr.execute("SELECT radacctid FROM radius.radacct WHERE subscription_id = %s "
                   "ORDER BY radacctid", (self.sub.id,))
        self.assertEqual([r[0] for r in cr.fetchall()], [recent, still_open])
        cr.execute("SELECT sum(upload_bytes) FROM radius.usage_daily")
        self.assertEqual(cr.fetchone()[0], usage_before, "aggregates are kept")
        cr.execute("SELECT count(*) FROM radius.radpostauth WHERE username = 'acc.user'")
        self.assertEqual(cr.fetchone(), (1,))
