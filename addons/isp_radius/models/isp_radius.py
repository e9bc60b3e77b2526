# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import secrets

import pytz

from odoo import _, api, models
from odoo.exceptions import ValidationError

from ..lib import schema

_logger = logging.getLogger(__name__)

#: system parameters of the bridge and their defaults
PARAMS = {
    "server_host": "127.0.0.1",
    "auth_port": "1812",
    "acct_port": "1813",
    "interim_interval": "300",
    "stale_grace": "120",
    "retention_days": "365",
    "usage_timezone": "UTC",
    "coa_timeout": "2",
    "coa_tries": "2",
    "disconnect_attempts": "3",
    "retry_delay": "30",
    "verify_seconds": "15",
}
#: parameters the SQL of the radius schema is made with
SCHEMA_PARAMS = ("interim_interval", "usage_timezone")

#: SQL views Odoo reads (models isp.radius.session, isp.radius.usage.*)
ODOO_VIEWS = """
CREATE VIEW public.isp_radius_session AS
SELECT a.radacctid::integer AS id, a.subscription_id, s.company_id, s.partner_id,
       a.username, r.id AS router_id, host(a.nasipaddress) AS nas_ip,
       a.acctsessionid AS acct_session_id,
       a.acctstarttime AT TIME ZONE 'UTC' AS start_time,
       a.acctupdatetime AT TIME ZONE 'UTC' AS update_time,
       a.acctstoptime AT TIME ZONE 'UTC' AS stop_time,
       a.acctsessiontime AS session_time,
       round(COALESCE(a.acctinputoctets, 0) / 1048576.0, 2)::float8 AS upload_mb,
       round(COALESCE(a.acctoutputoctets, 0) / 1048576.0, 2)::float8 AS download_mb,
       host(a.framedipaddress) AS framed_ip,
       a.delegatedipv6prefix::text AS ipv6_prefix,
       a.callingstationid AS mac_address,
       a.acctterminatecause AS terminate_cause,
       a.acctstoptime IS NULL AS online
  FROM radius.radacct a
  LEFT JOIN public.isp_subscription s ON s.id = a.subscription_id
  LEFT JOIN (SELECT DISTINCT ON (rr.host) rr.host, rr.id FROM public.isp_router rr
              ORDER BY rr.host, rr.active DESC, rr.id) r ON r.host = host(a.nasipaddress);

CREATE VIEW public.isp_radius_usage_daily AS
SELECT u.id::integer AS id, u.subscription_id, s.company_id, s.partner_id, u.username,
       u.day AS date,
       round(u.upload_bytes / 1048576.0, 2)::float8 AS upload_mb,
       round(u.download_bytes / 1048576.0, 2)::float8 AS download_mb,
       round((u.upload_bytes + u.download_bytes) / 1048576.0, 2)::float8 AS total_mb,
       u.session_time, u.sessions
  FROM radius.usage_daily u
  LEFT JOIN public.isp_subscription s ON s.id = u.subscription_id;

CREATE VIEW public.isp_radius_usage_monthly AS
SELECT u.id::integer AS id, u.subscription_id, s.company_id, s.partner_id, u.username,
       u.month,
       round(u.upload_bytes / 1048576.0, 2)::float8 AS upload_mb,
       round(u.download_bytes / 1048576.0, 2)::float8 AS download_mb,
       round((u.upload_bytes + u.download_bytes) / 1048576.0, 2)::float8 AS total_mb,
       u.session_time, u.sessions
  FROM radius.usage_monthly u
  LEFT JOIN public.isp_subscription s ON s.id = u.subscription_id
"""


class IspRadius(models.AbstractModel):
    """The FreeRADIUS bridge's database side and its scheduled jobs.

    On install and upgrade, :meth:`init` makes the ``radius`` schema (see
    lib/schema.py): views FreeRADIUS reads, accounting tables it writes,
    the usage trigger, and the views Odoo reads sessions and usage from.
    Declared last in the addon so that every column it reads exists.
    """

    _name = "isp.radius"
    _description = "FreeRADIUS bridge"

    @api.model_cr
    def init(self):
        self._radius_make_schema()

    # parameters ----------------------------------------------------------

    @api.model
    def _param(self, key):
        value = self.env["ir.config_parameter"].sudo().get_param("isp_radius." + key)
        return value if value not in (None, False, "") else PARAMS.get(key)

    @api.model
    def _int_param(self, key):
        try:
            return int(self._param(key))
        except (TypeError, ValueError):
            return int(PARAMS[key])

    @api.model
    def _default_timezone(self):
        """Days of usage are counted in the company's time zone (isp_base's
        `isp_tz`), else in the one of the ISP's country (the company's phone
        region, BD: Asia/Dhaka)."""
        company = self.env.user.company_id
        if company.sudo().partner_id.tz:
            return company._isp_tz_name()
        region = (company.isp_phone_region or "").upper()
        zones = pytz.country_timezones.get(region) if region else None
        return zones[0] if zones else "UTC"

    @api.model
    def _check_timezone(self, name):
        if name not in pytz.all_timezones_set:
            raise ValidationError(_("%s is not a time zone (e.g. Asia/Dhaka, UTC).") % name)
        self.env.cr.execute("SELECT 1 FROM pg_timezone_names WHERE name = %s", (name,))
        if not self.env.cr.fetchone():
            raise ValidationError(_("PostgreSQL does not know the time zone %s.") % name)
        return name

    # schema ----------------------------------------------------------------

    @api.model
    def _radius_make_schema(self):
        """Create or refresh the radius schema (idempotent: tables and data
        kept, functions replaced, columns and views made again only when
        they changed, so that FreeRADIUS's lookups go on meanwhile) and the
        Odoo views."""
        cr = self.env.cr
        params = self.env["ir.config_parameter"].sudo().with_context(
            isp_radius_no_refresh=True)
        if not params.get_param("isp_radius.db_password"):
            params.set_param("isp_radius.db_password", secrets.token_urlsafe(24))
        if not params.get_param("isp_radius.usage_timezone"):
            params.set_param("isp_radius.usage_timezone", self._default_timezone())
        interim = self._int_param("interim_interval")
        usage_tz = self._check_timezone(self._param("usage_timezone"))
        schema.make_schema(cr, interim, usage_tz)
        cr.execute("DROP VIEW IF EXISTS public.isp_radius_session, "
                   "public.isp_radius_usage_daily, public.isp_radius_usage_monthly")
        for statement in ODOO_VIEWS.split(";\n"):
            cr.execute(statement)
        schema.regrant_if_role_exists(cr, cr.dbname)
        _logger.info("radius schema ready (interim %ss, usage days in %s)", interim, usage_tz)

    @api.model
    def _radius_ensure_role(self):
        """Create or update this database's FreeRADIUS role (scripts/radius.py
        does it before starting FreeRADIUS); returns (role, password)."""
        password = self._param("db_password")
        role = schema.ensure_role(self.env.cr, self.env.cr.dbname, password)
        return role, password

    # demo -------------------------------------------------------------------

    @api.model
    def _demo_accounting(self, usernames, days=14):
        """Demo data: a fortnight of (closed) sessions of some accounts, so
        that usage, sessions and the Excel history have something to show.
        Written as FreeRADIUS writes radacct; the trigger makes the usage."""
        subs = self.env["isp.subscription"].search([("username", "in", usernames)])
        for sub in subs:
            nas = sub.router_id.host or "192.0.2.1"
            for day in range(days, 0, -1):
                seed = sub.id * 31 + day * 17
                up_mb, down_mb = 40 + seed % 260, 300 + (seed * 7) % 2700
                hours = 2 + seed % 9
                self.env.cr.execute("""
                    INSERT INTO radius.radacct (acctsessionid, acctuniqueid, username,
                           nasipaddress, acctstarttime, acctupdatetime, acctstoptime,
                           acctsessiontime, acctinputoctets, acctoutputoctets,
                           framedipaddress, callingstationid, acctterminatecause)
                    VALUES (%(sid)s, md5(%(sid)s || %(user)s), %(user)s, %(nas)s,
                            date_trunc('day', now()) - make_interval(days => %(day)s)
                              + interval '18 hours',
                            date_trunc('day', now()) - make_interval(days => %(day)s)
                              + interval '18 hours' + make_interval(hours => %(hours)s),
                            date_trunc('day', now()) - make_interval(days => %(day)s)
                              + interval '18 hours' + make_interval(hours => %(hours)s),
                            %(hours)s * 3600, %(up)s, %(down)s, %(ip)s, %(mac)s,
                            'User-Request')
                    ON CONFLICT (acctuniqueid) DO NOTHING""", {
                    "sid": "demo%05d%02d" % (sub.id, day), "user": sub.username,
                    "nas": nas, "day": day, "hours": hours, "up": up_mb * 1048576,
                    "down": down_mb * 1048576,
                    "ip": sub.static_ipv4 or "10.10.%d.%d" % (sub.id % 250, day + 10),
                    "mac": sub.mac_address or "4C:5E:0C:00:%02X:%02X" % (sub.id % 256, day)})
        return True

    # accounting housekeeping ------------------------------------------------

    @api.model
    def cron_close_stale_sessions(self):
        """Close open sessions with no accounting update for longer than two
        interim intervals + grace (a NAS that died without Accounting-Off, a
        lost Stop): they would block Simultaneous-Use. Marked Stale-Session,
        stopped at their last update; an Interim-Update that still arrives
        opens the session again."""
        limit = 2 * self._int_param("interim_interval") + self._int_param("stale_grace")
        self.env.cr.execute("""
            UPDATE radius.radacct
               SET acctstoptime = COALESCE(acctupdatetime, acctstarttime),
                   acctterminatecause = 'Stale-Session'
             WHERE acctstoptime IS NULL
               AND COALESCE(acctupdatetime, acctstarttime)
                   < now() - make_interval(secs => %s)
         RETURNING radacctid""", (limit,))
        closed = [r[0] for r in self.env.cr.fetchall()]
        if closed:
            _logger.info("closed %d stale RADIUS sessions (no update for %d s)",
                         len(closed), limit)
        return closed

    @api.model
    def cron_purge_accounting(self, batch=10000, max_batches=50):
        """Remove raw accounting older than the retention (default one year,
        seed 000) in batches; the daily usage made from it is kept. Closed
        sessions only (their totals are in usage_daily since their Stop).
        Returns the number of rows removed; the next run goes on."""
        days = self._int_param("retention_days")
        if days <= 0:
            return 0
        cr = self.env.cr
        removed = 0
        for _i in range(max_batches):
            cr.execute("""
                DELETE FROM radius.radacct WHERE radacctid IN (
                    SELECT radacctid FROM radius.radacct
                     WHERE (acctstarttime AT TIME ZONE 'UTC')
                           < (now() AT TIME ZONE 'UTC') - make_interval(days => %s)
                       AND acctstoptime IS NOT NULL
                     LIMIT %s)""", (days, batch))
            removed += cr.rowcount
            if cr.rowcount < batch:
                break
        cr.execute("""DELETE FROM radius.radpostauth
                       WHERE authdate < now() - make_interval(days => %s)""", (days,))
        if removed:
            _logger.info("removed %d accounting rows older than %d days", removed, days)
        return removed
