# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Packages, pools and billing profiles that change on the billing side are
written again to the routers that use them (queued, per router)."""
from odoo import _, api, models
from odoo.exceptions import ValidationError

from ..lib import commands as cmd

#: fields of a master package the routers hold (profile name and speed,
#: pool, queue limits, hotspot limits)
MASTER_FIELDS = ("name", "ppp_profile", "rate_limit", "ip_pool_id", "download_kbps",
                 "upload_kbps", "burst_download_kbps", "burst_upload_kbps",
                 "burst_threshold_download_kbps", "burst_threshold_upload_kbps",
                 "burst_time", "priority", "volume_limit_mb", "time_limit_minutes")
POOL_FIELDS = ("name", "network", "reserved", "router_id", "purpose", "active")
PROFILE_FIELDS = ("suspend_action", "suspended_pool_id", "suspended_address_list")


def _resync(subscriptions):
    """Queue one job per router for these subscriptions."""
    subscriptions.sudo()._mikrotik_enqueue()


class IspMasterPackage(models.Model):
    _inherit = "isp.master.package"

    @api.constrains("name", "ppp_profile")
    def _check_router_profile_name(self):
        """Routers know a package by its profile name (Mikrotik-Group)."""
        for package in self:
            try:
                cmd.profile_name(package.name, package.ppp_profile)
            except ValueError:
                raise ValidationError(_(
                    "%s: set the PPP profile (the profile name on the routers, in "
                    "letters, digits, dot, dash or underscore).") % package.name)

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if set(vals) & set(MASTER_FIELDS):
            _resync(self.env["isp.subscription"].sudo().search([
                ("master_package_id", "in", self.ids), ("state", "!=", "draft"),
                ("router_id.api_configured", "=", True)]))
        return res


class IspServicePlan(models.Model):
    _inherit = "isp.service.plan"

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if "master_package_id" in vals:
            _resync(self.env["isp.subscription"].sudo().search([
                ("plan_id", "in", self.ids), ("state", "!=", "draft"),
                ("router_id.api_configured", "=", True)]))
        return res


class IspBillingProfile(models.Model):
    _inherit = "isp.billing.profile"

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if set(vals) & set(PROFILE_FIELDS):
            _resync(self.env["isp.subscription"].sudo().search([
                ("billing_profile_id", "in", self.ids),
                ("state", "in", ("suspended", "expired", "disabled")),
                ("router_id.api_configured", "=", True)]))
        return res


class IspIpPool(models.Model):
    _inherit = "isp.ip.pool"

    @api.multi
    def write(self, vals):
        routers = self.mapped("router_id")
        res = super().write(vals)
        if set(vals) & set(POOL_FIELDS):
            self._mikrotik_resync(routers | self.mapped("router_id"))
        return res

    @api.model
    def create(self, vals):
        pool = super().create(vals)
        if pool.router_id:
            pool._mikrotik_resync(pool.router_id)
        return pool

    def _mikrotik_resync(self, routers):
        """Pools of routers, and of the packages that hand them out."""
        masters = self.env["isp.master.package"].sudo().search([
            ("ip_pool_id", "in", self.ids)])
        profiles = self.env["isp.billing.profile"].sudo().search([
            ("suspended_pool_id", "in", self.ids)])
        users = self.env["isp.subscription"].sudo().search([
            ("router_id.api_configured", "=", True), ("state", "!=", "draft"),
            "|", ("master_package_id", "in", masters.ids),
            ("billing_profile_id", "in", profiles.ids)])
        for router in (routers | users.mapped("router_id")).sudo():
            if router.api_configured and router.active:
                router._mikrotik_delay_sync(packages=True)
