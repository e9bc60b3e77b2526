# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import rate_limit


class IspMasterPackage(models.Model):
    """The technical side of a package: speeds, limits, router profile. The
    same master package is sold under different names and prices (plans)."""

    _name = "isp.master.package"
    _description = "Master package"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    download_kbps = fields.Integer("Download (kbit/s)", required=True)
    upload_kbps = fields.Integer("Upload (kbit/s)", required=True)
    burst_download_kbps = fields.Integer("Burst download (kbit/s)")
    burst_upload_kbps = fields.Integer("Burst upload (kbit/s)")
    burst_threshold_download_kbps = fields.Integer("Burst threshold download (kbit/s)")
    burst_threshold_upload_kbps = fields.Integer("Burst threshold upload (kbit/s)")
    burst_time = fields.Integer("Burst time (s)")
    priority = fields.Integer(help="Queue priority 1 (highest) to 8; 0 = router default.")
    volume_limit_mb = fields.Integer("Volume limit (MB)", help="0 = unlimited.")
    time_limit_minutes = fields.Integer("Time limit (minutes)", help="0 = unlimited.")
    ppp_profile = fields.Char(
        "PPP profile / Mikrotik-Group",
        help="Name of the PPP profile (PPPoE) or hotspot user profile on the router; "
             "sent as Mikrotik-Group. Must be the same name in the router.")
    ip_pool_id = fields.Many2one("isp.ip.pool", string="IP pool",
                                 domain=[("purpose", "=", "dynamic")],
                                 help="Dynamic pool customers get addresses from "
                                      "(Framed-Pool).")
    speed_controller = fields.Selection(
        [("router", "Router (PPP profile)"), ("radius", "RADIUS server")],
        required=True, default="radius",
        help="Who sets the speed: the router's PPP profile, or the RADIUS server "
             "(Mikrotik-Rate-Limit). Hotspot packages need the RADIUS server.")
    rate_limit = fields.Char(compute="_compute_rate_limit", store=True,
                             help="MikroTik rate-limit string of this package.")
    plan_ids = fields.One2many("isp.service.plan", "master_package_id", string="Plans")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)",
         "A master package with this name already exists."),
        ("speeds_positive", "CHECK(download_kbps > 0 AND upload_kbps > 0)",
         "Download and upload speeds must be above zero."),
    ]

    @api.depends("download_kbps", "upload_kbps", "burst_download_kbps", "burst_upload_kbps",
                 "burst_threshold_download_kbps", "burst_threshold_upload_kbps",
                 "burst_time", "priority")
    def _compute_rate_limit(self):
        for package in self:
            try:
                package.rate_limit = package._isp_rate_limit()
            except ValueError:
                package.rate_limit = False

    def _isp_rate_limit(self):
        return rate_limit.rate_limit(
            self.download_kbps, self.upload_kbps,
            burst_download_kbps=self.burst_download_kbps,
            burst_upload_kbps=self.burst_upload_kbps,
            threshold_download_kbps=self.burst_threshold_download_kbps,
            threshold_upload_kbps=self.burst_threshold_upload_kbps,
            burst_time=self.burst_time, priority=self.priority)

    @api.constrains("download_kbps", "upload_kbps", "burst_download_kbps",
                    "burst_upload_kbps", "burst_threshold_download_kbps",
                    "burst_threshold_upload_kbps", "burst_time", "priority")
    def _check_rates(self):
        for package in self:
            if package.priority and not 1 <= package.priority <= 8:
                raise ValidationError(_("The priority goes from 1 (highest) to 8."))
            try:
                package._isp_rate_limit()
            except ValueError as exc:
                raise ValidationError(_("%s: %s") % (package.name, exc))

    @api.constrains("speed_controller")
    def _check_hotspot_speed_controller(self):
        for package in self.filtered(lambda p: p.speed_controller == "router"):
            if package.plan_ids.filtered("allow_hotspot"):
                raise ValidationError(_(
                    "%s is sold as a hotspot package: hotspot speeds are set by the "
                    "RADIUS server, not by the router.") % package.name)
