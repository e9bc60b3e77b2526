# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IspRadiusSession(models.Model):
    """One RADIUS accounting session (a row of radius.radacct, read
    through the view public.isp_radius_session made by isp.radius)."""

    _name = "isp.radius.session"
    _description = "RADIUS session"
    _auto = False
    _order = "start_time desc"
    _rec_name = "acct_session_id"

    subscription_id = fields.Many2one("isp.subscription", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Subscriber", readonly=True)
    username = fields.Char(readonly=True)
    router_id = fields.Many2one("isp.router", string="Router / NAS", readonly=True)
    nas_ip = fields.Char("NAS address", readonly=True)
    acct_session_id = fields.Char("Acct-Session-Id", readonly=True)
    start_time = fields.Datetime("Since", readonly=True)
    update_time = fields.Datetime("Last update", readonly=True)
    stop_time = fields.Datetime("Until", readonly=True)
    session_time = fields.Integer("Time (s)", readonly=True)
    upload_mb = fields.Float("Upload (MB)", digits=(16, 2), readonly=True)
    download_mb = fields.Float("Download (MB)", digits=(16, 2), readonly=True)
    framed_ip = fields.Char("IP address", readonly=True)
    ipv6_prefix = fields.Char("IPv6 prefix", readonly=True)
    mac_address = fields.Char("MAC address", readonly=True)
    terminate_cause = fields.Char(
        readonly=True, help="Why the session ended: as the router said (User-Request, "
                            "Admin-Reset, Session-Timeout...), NAS-Reboot (Accounting-On/Off "
                            "from the router) or Stale-Session (closed by the billing: no "
                            "accounting update for too long).")
    online = fields.Boolean(readonly=True)


class IspRadiusUsageDaily(models.Model):
    """Upload/download per subscription and day, kept up to date by the
    radacct trigger (no scan of radacct)."""

    _name = "isp.radius.usage.daily"
    _description = "Internet usage by day"
    _auto = False
    _order = "date desc"
    _rec_name = "date"

    subscription_id = fields.Many2one("isp.subscription", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Subscriber", readonly=True)
    username = fields.Char(readonly=True)
    date = fields.Date(readonly=True)
    upload_mb = fields.Float("Upload (MB)", digits=(16, 2), readonly=True)
    download_mb = fields.Float("Download (MB)", digits=(16, 2), readonly=True)
    total_mb = fields.Float("Total (MB)", digits=(16, 2), readonly=True)
    session_time = fields.Integer("Time online (s)", readonly=True)
    sessions = fields.Integer("Sessions started", readonly=True)


class IspRadiusUsageMonthly(models.Model):
    """Upload/download per subscription and month (the same trigger keeps
    it)."""

    _name = "isp.radius.usage.monthly"
    _description = "Internet usage by month"
    _auto = False
    _order = "month desc"
    _rec_name = "month"

    subscription_id = fields.Many2one("isp.subscription", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Subscriber", readonly=True)
    username = fields.Char(readonly=True)
    month = fields.Date(readonly=True)
    upload_mb = fields.Float("Upload (MB)", digits=(16, 2), readonly=True)
    download_mb = fields.Float("Download (MB)", digits=(16, 2), readonly=True)
    total_mb = fields.Float("Total (MB)", digits=(16, 2), readonly=True)
    session_time = fields.Integer("Time online (s)", readonly=True)
    sessions = fields.Integer("Sessions started", readonly=True)
