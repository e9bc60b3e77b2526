# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures of the isp_radius tests: isp_base's small ISP plus a router
with a RADIUS secret, a suspended pool and profile, and helpers to write
accounting rows as FreeRADIUS does."""
import contextlib

import psycopg2
from psycopg2 import sql

from odoo.tools import mute_logger

from odoo.addons.isp_base.tests.common import IspCase

from ..lib import schema

NAS_IP = "127.0.0.11"


class RadiusCase(IspCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Radius = cls.env["isp.radius"]
        cls.Action = cls.env["isp.network.action"]
        cls.router.write({"host": NAS_IP, "radius_secret": "coa-secret", "coa_port": 3799})
        cls.pool_suspended = cls.env["isp.ip.pool"].create({
            "name": "t-suspended", "network": "100.65.0.0/24", "purpose": "suspended"})
        cls.profile_pool = cls.env["isp.billing.profile"].create({
            "name": "T suspended pool", "suspend_action": "suspended_pool",
            "suspended_pool_id": cls.pool_suspended.id,
            "suspended_address_list": "unpaid"})
        cls.master_fast = cls.env["isp.master.package"].create({
            "name": "T 10M burst", "download_kbps": 10240, "upload_kbps": 5120,
            "burst_download_kbps": 20480, "burst_upload_kbps": 10240,
            "burst_threshold_download_kbps": 7680, "burst_threshold_upload_kbps": 3840,
            "burst_time": 10, "ppp_profile": "t-10M", "ip_pool_id": cls.pool_dyn.id})
        cls.plan_fast = cls.env["isp.service.plan"].create({
            "name": "T monthly 10M burst", "master_package_id": cls.master_fast.id,
            "billing_type": "monthly", "customer_price": 1000.0})
        cls.env["ir.config_parameter"].sudo().set_param("isp_radius.retry_delay", "5")

    # accounting rows, as FreeRADIUS's queries write them ---------------------

    def open_session(self, sub, session_id="81000001", framed_ip="100.64.0.10",
                     nas_ip=NAS_IP, mac="AA:BB:CC:00:00:01", age_seconds=60,
                     update_age_seconds=None, upload=0, download=0):
        """A radacct row for an open session of `sub` (started `age_seconds`
        ago); returns its radacctid."""
        self.env.cr.execute("""
            INSERT INTO radius.radacct (acctsessionid, acctuniqueid, username, nasipaddress,
                   acctstarttime, acctupdatetime, acctsessiontime, acctinputoctets,
                   acctoutputoctets, callingstationid, framedipaddress)
            VALUES (%s, md5(%s || %s || random()::text), %s, %s,
                    now() - make_interval(secs => %s), now() - make_interval(secs => %s),
                    %s, %s, %s, %s, %s)
            RETURNING radacctid""", (
            session_id, sub.username, session_id, sub.username, nas_ip, age_seconds,
            age_seconds if update_age_seconds is None else update_age_seconds,
            0, upload, download, mac, framed_ip))
        return self.env.cr.fetchone()[0]

    def close_session(self, radacct_id, cause="User-Request"):
        self.env.cr.execute("""UPDATE radius.radacct SET acctstoptime = now(),
                               acctterminatecause = %s WHERE radacctid = %s""",
                            (cause, radacct_id))

    def session_row(self, radacct_id):
        self.env.cr.execute("SELECT acctstoptime, acctterminatecause FROM radius.radacct "
                            "WHERE radacctid = %s", (radacct_id,))
        return self.env.cr.fetchone()

    def view_rows(self, view, username):
        """(attribute, op, value) rows of radcheck / radreply, as rlm_sql's
        query reads them."""
        self.env.cr.execute(sql.SQL(
            "SELECT attribute, op, value FROM radius.{} WHERE username = lower(%s) "
            "ORDER BY id").format(sql.Identifier(view)), (username,))
        return [tuple(r) for r in self.env.cr.fetchall()]

    @contextlib.contextmanager
    def as_radius_role(self):
        """Run statements as this database's FreeRADIUS role (created in the
        test transaction, rolled back with it)."""
        cr = self.env.cr
        role = schema.ensure_role(cr, cr.dbname, "test-password")
        cr.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(role)))
        cr.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        try:
            yield role
        finally:
            cr.execute("RESET ROLE")

    def assertRefused(self, statement, params=None):
        """The statement fails for lack of privilege (and the transaction
        goes on)."""
        cr = self.env.cr
        with self.assertRaises(psycopg2.ProgrammingError) as caught, \
                mute_logger("odoo.sql_db"), cr.savepoint():
            cr.execute(statement, params)
        self.assertEqual(caught.exception.pgcode, "42501", caught.exception)

    # queue_job: run what was queued ---------------------------------------------

    def jobs(self, action, method):
        return self.env["queue.job"].search([
            ("model_name", "=", "isp.network.action"), ("method_name", "=", method),
            ("state", "=", "pending")]).filtered(lambda j: j.record_ids == [action.id])

    def run_job(self, action, method="_job_send"):
        """Perform the pending job `method` of `action` as the job runner
        would (returns its result); the job is marked done."""
        from odoo.addons.queue_job.job import Job
        jobs = self.jobs(action, method)
        self.assertEqual(len(jobs), 1, "one pending %s job for action %s" % (method, action.id))
        job = Job.load(self.env, jobs.uuid)
        result = job.perform()
        job.set_done(result=result)
        job.store()
        action.invalidate_cache()
        return result
