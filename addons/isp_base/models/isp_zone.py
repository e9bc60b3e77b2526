# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class IspZone(models.Model):
    """An area of the network, split into blocks (seed 003's "quarters")."""

    _name = "isp.zone"
    _description = "ISP zone"
    _parent_store = True
    _order = "complete_name"

    name = fields.Char(required=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True)
    parent_id = fields.Many2one("isp.zone", string="Area", ondelete="restrict", index=True)
    child_ids = fields.One2many("isp.zone", "parent_id", string="Blocks")
    parent_left = fields.Integer(index=True)
    parent_right = fields.Integer(index=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.user.company_id)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_parent_uniq", "unique(name, parent_id, company_id)",
         "A zone with this name already exists here."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for zone in self:
            if zone.parent_id:
                zone.complete_name = "%s / %s" % (zone.parent_id.complete_name, zone.name)
            else:
                zone.complete_name = zone.name
