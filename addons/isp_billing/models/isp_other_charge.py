# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class IspOtherCharge(models.Model):
    """A one-off charge (installation, equipment, reconnection fee), billed
    with the next monthly bill or at once (seed 000: "Other Payment")."""

    _name = "isp.other.charge"
    _description = "Other charge"
    _order = "id desc"

    subscription_id = fields.Many2one("isp.subscription", required=True, index=True,
                                      ondelete="cascade")
    partner_id = fields.Many2one(related="subscription_id.partner_id", readonly=True,
                                 store=True)
    company_id = fields.Many2one(related="subscription_id.company_id", readonly=True,
                                 store=True)
    product_id = fields.Many2one("product.product", required=True,
                                 domain=[("sale_ok", "=", True)])
    name = fields.Char("Description", required=True)
    currency_id = fields.Many2one(related="subscription_id.currency_id", readonly=True)
    amount = fields.Monetary(required=True)
    bill_with = fields.Selection([("next", "With the next bill"), ("now", "At once")],
                                 required=True, default="next")
    state = fields.Selection([("pending", "To bill"), ("billed", "Billed"),
                              ("cancelled", "Cancelled")], default="pending",
                             required=True, readonly=True)
    invoice_id = fields.Many2one("account.invoice", readonly=True, ondelete="set null")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A charge must be positive."),
    ]

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.name = self.product_id.display_name
            self.amount = self.product_id.lst_price

    def _invoice_line_vals(self):
        return self.subscription_id._isp_invoice_line_vals(
            self.product_id, self.name, self.amount, self.product_id.taxes_id)

    @api.model
    def create(self, vals):
        charge = super().create(vals)
        charge.subscription_id._isp_check_may("billing")
        if charge.bill_with == "now":
            charge.action_bill_now()
        return charge

    @api.multi
    def action_bill_now(self):
        for charge in self.filtered(lambda c: c.state == "pending"):
            sub = charge.subscription_id.sudo()
            invoice = sub._isp_create_invoice("charge", [charge._invoice_line_vals()])
            charge.sudo().write({"state": "billed", "invoice_id": invoice.id})
            invoice.action_invoice_open()
            sub._isp_after_bills(invoice)
        return True

    @api.multi
    def action_cancel(self):
        if self.filtered(lambda c: c.state == "billed"):
            raise UserError(_("A billed charge is undone with a credit note on its bill."))
        return self.write({"state": "cancelled"})
