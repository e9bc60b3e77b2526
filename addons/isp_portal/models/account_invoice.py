# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    def isp_payment_url(self, absolute=True):
        """The shareable page to pay this bill online (access token)."""
        self.ensure_one()
        invoice = self.sudo()
        if not invoice.access_token:
            invoice._generate_access_token()
        path = "/isp/pay/%d?access_token=%s" % (invoice.id, invoice.access_token)
        if not absolute:
            return path
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        return base.rstrip("/") + path

    @api.multi
    def action_isp_send_payment_link(self):
        """Send Payment Link (seed 000): the pay-online page of each open bill
        by SMS to its subscriber."""
        notices = self.env["isp.notice"]
        for invoice in self:
            sub = invoice.isp_subscription_id
            if not sub:
                raise UserError(_("%s is not a subscriber's bill.") % (invoice.number or ""))
            sub._isp_check_may("billing")
            if invoice.state != "open" or invoice.type != "out_invoice":
                raise UserError(_("%s has nothing left to pay.") % (invoice.number or ""))
            mobile = invoice.partner_id.mobile or sub.partner_id.mobile
            if not mobile:
                raise UserError(_("%s has no mobile number.") % invoice.partner_id.name)
            values = {"url": invoice.isp_payment_url(), "amount": "%.2f" % invoice.residual,
                      "currency": invoice.currency_id.name, "number": invoice.number or "",
                      "company": invoice.company_id.name}
            notice = self.env["isp.notice"].isp_portal_send(
                "payment_link", invoice.company_id, mobile, values,
                "payment_link:%d:%s" % (invoice.id, fields.Datetime.now()),
                sub=sub, partner=sub.partner_id)
            invoice.message_post(body=_("Payment link sent by SMS to %s (%s).")
                                 % (mobile, dict(notice._fields["state"].selection)
                                    [notice.state]))
            notices |= notice
        return notices

