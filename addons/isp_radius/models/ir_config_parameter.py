# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .isp_radius import SCHEMA_PARAMS

KEYS = {"isp_radius." + k for k in SCHEMA_PARAMS}
TIMEZONE_KEY = "isp_radius.usage_timezone"


class IrConfigParameter(models.Model):
    """The radius schema is made with the interim interval (a column of
    each subscription) and the usage time zone (the accounting trigger):
    refresh it when either changes (a bad time zone is refused before
    anything is written: the accounting trigger would fail with it)."""

    _inherit = "ir.config_parameter"

    def _isp_radius_refresh(self):
        if not self.env.context.get("isp_radius_no_refresh"):
            self.env["isp.radius"]._radius_make_schema()

    @api.model
    def create(self, vals):
        if vals.get("key") == TIMEZONE_KEY:
            self.env["isp.radius"]._check_timezone(vals.get("value"))
        record = super().create(vals)
        if vals.get("key") in KEYS:
            record._isp_radius_refresh()
        return record

    @api.multi
    def write(self, vals):
        keys = set(self.mapped("key")) | {vals.get("key")}
        if TIMEZONE_KEY in keys and "value" in vals:
            self.env["isp.radius"]._check_timezone(vals["value"])
        res = super().write(vals)
        if keys & KEYS:
            self._isp_radius_refresh()
        return res
