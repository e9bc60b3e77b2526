# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.isp_billing.models.account_invoice import PERIOD_KINDS


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    isp_operator_credited = fields.Boolean(
        readonly=True, copy=False,
        help="The customer paid: the reseller's part of this bill is on its ledger.")
    isp_operator_credit_move_id = fields.Many2one(
        "account.move", string="Reseller credit entry", readonly=True, copy=False)

    @api.multi
    def action_invoice_paid(self):
        # the customer's money reaches its operator first, so that a prepaid
        # operator is never refused the charge of what its customer just paid
        self.filtered(lambda i: i.state == "open" and i.reconciled
                      and not i.isp_operator_credited)._isp_credit_operator()
        res = super().action_invoice_paid()
        for invoice in self.filtered(lambda i: i.isp_kind in PERIOD_KINDS
                                     and i.type == "out_invoice"):
            invoice.isp_subscription_id.sudo()._isp_charge_period(invoice, check=False)
        return res

    def _isp_credit_operator(self):
        """Move the reseller's sales of paid bills from the holding account to
        its ledger (credit notes the other way)."""
        for invoice in self.filtered("isp_subscription_id"):
            company = invoice.company_id
            holding = company.isp_operator_sales_account_id
            lines = invoice.invoice_line_ids.filtered(lambda ln, h=holding: ln.account_id == h)
            amount = sum(lines.mapped("price_subtotal"))
            operator = invoice.isp_subscription_id.operator_id
            # not an ORM write: account.invoice._write would call
            # action_invoice_paid again (the bill is reconciled, still open)
            # and the operator would be charged before this credit exists
            self.env.cr.execute("UPDATE account_invoice SET isp_operator_credited = true "
                                "WHERE id = %s", (invoice.id,))
            invoice.invalidate_cache(["isp_operator_credited"], [invoice.id])
            if not lines or not amount:
                continue
            sign = 1 if invoice.type == "out_invoice" else -1
            debit, credit = (amount, 0.0) if sign > 0 else (0.0, amount)
            label = _("Customer %s paid %s") % (invoice.partner_id.name, invoice.number)
            move = self.env["account.move"].sudo().create({
                "journal_id": company.isp_operator_journal_id.id,
                "date": fields.Date.context_today(self),
                "ref": invoice.number,
                "line_ids": [
                    (0, 0, {"name": label, "account_id": holding.id,
                            "partner_id": invoice.commercial_partner_id.id,
                            "debit": debit, "credit": credit}),
                    (0, 0, {"name": label, "account_id": company.isp_operator_account_id.id,
                            "partner_id": operator.id, "debit": credit, "credit": debit}),
                ]})
            move.post()
            invoice.sudo().isp_operator_credit_move_id = move

    @api.multi
    def _isp_collect_by_operator(self, operator):
        """`operator` took the customer's cash for this bill: it holds the money
        (debit on its ledger) and the bill is paid."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(_("%s is not open.") % (self.number or self.id))
        if not operator.isp_is_operator:
            raise UserError(_("%s is not an operator.") % operator.name)
        company = self.company_id
        amount = self.residual
        label = _("Cash collected by %s") % operator.name
        move = self.env["account.move"].sudo().create({
            "journal_id": company.isp_operator_journal_id.id,
            "date": fields.Date.context_today(self),
            "ref": self.number,
            "line_ids": [
                (0, 0, {"name": label, "account_id": company.isp_operator_account_id.id,
                        "partner_id": operator.id, "debit": amount, "credit": 0.0}),
                (0, 0, {"name": label, "account_id": self.account_id.id,
                        "partner_id": self.commercial_partner_id.id, "debit": 0.0,
                        "credit": amount}),
            ]})
        move.post()
        credit_line = move.line_ids.filtered(lambda ln: ln.account_id == self.account_id)
        self.sudo().register_payment(credit_line)
        return move
