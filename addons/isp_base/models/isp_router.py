# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IspRouter(models.Model):
    """A router / NAS of the network (MikroTik). isp_radius adds what
    FreeRADIUS needs (secret, CoA port), isp_mikrotik the RouterOS API."""

    _name = "isp.router"
    _description = "Router / NAS"
    _order = "name"

    name = fields.Char(required=True)
    host = fields.Char(required=True, help="IP address (or host name) of the router.")
    zone_id = fields.Many2one("isp.zone")
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    active = fields.Boolean(default=True)
    note = fields.Text()

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "Router names must be unique."),
    ]
