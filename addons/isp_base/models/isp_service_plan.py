# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import validation

VALIDITY_MINUTES = validation.VALIDITY_UNIT_MINUTES


class IspServicePlan(models.Model):
    """A package as sold: master package + name + validity + prices."""

    _name = "isp.service.plan"
    _description = "Package (service plan)"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    master_package_id = fields.Many2one("isp.master.package", required=True,
                                        ondelete="restrict", index=True)
    validity_value = fields.Integer("Validity", required=True, default=30)
    validity_unit = fields.Selection(
        [("days", "Days"), ("hours", "Hours"), ("minutes", "Minutes")],
        required=True, default="days")
    validity_minutes = fields.Integer(compute="_compute_validity_minutes", store=True)
    currency_id = fields.Many2one("res.currency", required=True,
                                  default=lambda self: self.env.user.company_id.currency_id)
    customer_price = fields.Monetary(
        required=True, help="What the end customer pays for this package.")
    operator_price = fields.Monetary(
        help="What a reseller pays the ISP for this package.")
    visibility = fields.Selection(
        [("public", "Public"), ("private", "Private")], required=True, default="public",
        help="Only public packages are offered in the customer portal.")
    billing_type = fields.Selection(
        [("daily", "Daily (prepaid)"), ("monthly", "Monthly (postpaid)")],
        required=True, default="monthly")
    allow_pppoe = fields.Boolean("PPPoE", default=True)
    allow_hotspot = fields.Boolean("Hotspot")
    allow_static = fields.Boolean("Static IP")
    allow_other = fields.Boolean("Other service")
    product_id = fields.Many2one(
        "product.product", string="Invoicing product", ondelete="restrict",
        help="Product of the invoice lines; created from the plan when left empty.")
    tax_ids = fields.Many2many("account.tax", string="Taxes",
                               domain=[("type_tax_use", "=", "sale")])
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("validity_positive", "CHECK(validity_value > 0)", "The validity must be positive."),
        ("prices_not_negative", "CHECK(customer_price >= 0 AND "
                                "coalesce(operator_price, 0) >= 0)",
         "Prices cannot be negative."),
    ]

    @api.depends("validity_value", "validity_unit")
    def _compute_validity_minutes(self):
        for plan in self:
            # (bounded: an out-of-range validity is refused by
            # _check_validity, not by an integer overflow of this column)
            plan.validity_minutes = min(
                plan.validity_value, validation.max_validity_value(plan.validity_unit or "days")
            ) * VALIDITY_MINUTES.get(plan.validity_unit, 0)

    @api.constrains("validity_value", "validity_unit")
    def _check_validity(self):
        """At most 10 years (issue 16, finding 9)."""
        for plan in self:
            if plan.validity_value > 0 and not validation.validity_value_ok(
                    plan.validity_value, plan.validity_unit):
                raise ValidationError(_(
                    "%s: a package is valid for at most 10 years (%d days, %d hours or "
                    "%d minutes).") % (plan.name, validation.max_validity_value("days"),
                                       validation.max_validity_value("hours"),
                                       validation.max_validity_value("minutes")))

    @api.constrains("allow_pppoe", "allow_hotspot", "allow_static", "allow_other",
                    "billing_type", "master_package_id")
    def _check_connection_types(self):
        for plan in self:
            if not plan.allowed_connection_types():
                raise ValidationError(_("%s: allow at least one connection type.")
                                      % plan.name)
            if plan.allow_static and plan.billing_type != "monthly":
                raise ValidationError(_("%s: static IP connections are billed monthly "
                                        "only.") % plan.name)
            if plan.allow_hotspot and plan.master_package_id.speed_controller != "radius":
                raise ValidationError(_(
                    "%s: a hotspot package needs a master package whose speed is set by "
                    "the RADIUS server.") % plan.name)

    @api.multi
    def allowed_connection_types(self):
        self.ensure_one()
        return [t for t in ("pppoe", "hotspot", "static", "other") if self["allow_%s" % t]]

    @api.model
    def create(self, vals):
        plan = super().create(vals)
        if not plan.product_id:
            plan.product_id = plan._isp_create_product()
        return plan

    def _isp_create_product(self):
        return self.env["product.product"].sudo().create({
            "name": self.name,
            "type": "service",
            "list_price": self.customer_price,
            "taxes_id": [(6, 0, self.tax_ids.ids)],
            "sale_ok": True,
            "purchase_ok": False,
            "company_id": self.company_id.id,
        })

    @api.multi
    def validity_label(self):
        self.ensure_one()
        units = dict(self._fields["validity_unit"].selection)
        return "%d %s" % (self.validity_value, units[self.validity_unit].lower())
