# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    isp_operator_id = fields.Many2one(
        "res.partner", string="Works for operator", domain=[("isp_is_operator", "=", True)],
        index=True, ondelete="restrict",
        help="The operator this login belongs to: a reseller's own login, or a manager "
             "employed by the ISP or a reseller. Empty for the ISP's own staff.")

    @api.constrains("isp_operator_id", "groups_id")
    def _check_isp_operator_id(self):
        reseller = self.env.ref("isp_base.group_isp_reseller")
        for user in self:
            if reseller in user.groups_id and not user.isp_operator_id:
                raise ValidationError(_("%s: a reseller login needs its operator.")
                                      % user.name)

    def _isp_scope_operator(self):
        """The operator whose subtree this user works in (the ISP's own staff:
        the company's partner, the root)."""
        return self.isp_operator_id or self.company_id.partner_id

    def _isp_is_reseller_side(self):
        """Works for a reseller (not for the ISP itself)."""
        return bool(self.isp_operator_id.isp_parent_operator_id)
