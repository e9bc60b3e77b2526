# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CONNECTION_TYPES = [
    ("pppoe", "PPPoE"),
    ("hotspot", "Hotspot (Wi-Fi zone)"),
    ("static", "Static IP"),
    ("other", "Other (cable TV...)"),
]


class IspZone(models.Model):
    """An area of the network and its blocks (seed 003's quarters and blocks),
    with the services that are technically available in each block."""

    _name = "isp.zone"
    _description = "ISP zone (area or block)"
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
    offers_pppoe = fields.Boolean("PPPoE available", default=True)
    offers_hotspot = fields.Boolean("Hotspot available", default=True)
    offers_static = fields.Boolean("Static IP available", default=True)
    offers_other = fields.Boolean("Cable TV / other available", default=False)
    note = fields.Text()

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

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if not self._check_recursion():
            raise ValidationError(_("A zone cannot be inside itself."))

    @api.multi
    def name_get(self):
        return [(zone.id, zone.complete_name) for zone in self]

    @api.multi
    def offers(self, connection_type):
        """Whether this block offers `connection_type` (pppoe, hotspot...)."""
        self.ensure_one()
        return bool(self["offers_%s" % connection_type])
