# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import packages


class IspServicePlan(models.Model):
    """A package as one operator sells it. The ISP's packages belong to its
    company partner; a reseller sells the same master package under its own
    name and customer price, and buys it at the operator price its parent
    set (a child's purchase price is its parent's selling price to it)."""

    _inherit = "isp.service.plan"

    operator_id = fields.Many2one(
        "res.partner", string="Sold by", required=True, index=True, ondelete="restrict",
        domain=[("isp_is_operator", "=", True)],
        default=lambda self: self.env.user._isp_scope_operator())

    @api.constrains("operator_id", "operator_price", "master_package_id")
    def _check_operator_plan(self):
        for plan in self.filtered(lambda p: p.operator_id._isp_is_reseller()):
            if plan.operator_price <= 0:
                raise ValidationError(_("%s: a reseller's package needs the price it buys "
                                        "it at (operator price).") % plan.name)

    @api.model
    def create(self, vals):
        user = self.env.user
        if self.env.uid != SUPERUSER_ID and user._isp_is_reseller_side():
            operator = self.env["res.partner"].browse(vals.get("operator_id"))
            mine = user.isp_operator_id
            if operator == mine or not (operator.isp_operator_path or "").startswith(
                    mine.isp_operator_path or "/none/"):
                raise AccessError(_("A reseller gives packages to its sub-resellers; its "
                                    "own come from its parent operator."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        user = self.env.user
        if self.env.uid != SUPERUSER_ID and user._isp_is_reseller_side():
            own = self.filtered(lambda p: p.operator_id == user.isp_operator_id)
            if own and ("operator_price" in vals or "master_package_id" in vals
                        or "operator_id" in vals):
                raise AccessError(_("The price you buy a package at is set by your parent "
                                    "operator."))
        return super().write(vals)

    def _isp_sellable_to(self, operator):
        """The packages of self a customer of `operator` may have (the rule
        of lib/packages.py: a reseller's customers buy its own packages).
        The subscription constraint and the reseller panel both ask here."""
        is_reseller = operator._isp_is_reseller()
        return self.filtered(lambda plan: packages.sellable(
            plan.operator_id.id, operator.id, is_reseller))

    def _isp_parent_plan(self):
        """The package the parent operator sells this one's master package at
        (same validity preferred)."""
        parent = self.operator_id.isp_parent_operator_id
        if not parent:
            return self.browse()
        plans = self.sudo().search([("operator_id", "=", parent.id),
                                    ("master_package_id", "=", self.master_package_id.id),
                                    ("billing_type", "=", self.billing_type)])
        same = plans.filtered(lambda p: p.validity_minutes == self.validity_minutes)
        return (same or plans)[:1]

    def _isp_chain_plans(self):
        """[this plan, its parent operator's, ...] up to the top reseller's
        (the ISP's own package is not part of it: what the top reseller pays
        is its own plan's operator price)."""
        chain = self.sudo().browse()
        plan = self.sudo()
        while plan and plan.operator_id._isp_is_reseller():
            chain |= plan
            parent_plan = plan._isp_parent_plan()
            if not parent_plan and plan.operator_id.isp_parent_operator_id._isp_is_reseller():
                raise UserError(_(
                    "%s does not sell %s: it cannot be charged for the package of its "
                    "sub-reseller %s.") % (plan.operator_id.isp_parent_operator_id.name,
                                          plan.master_package_id.name, plan.operator_id.name))
            plan = parent_plan
        return chain
