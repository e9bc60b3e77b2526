# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the reseller panel needs past isp_reseller's models: a wallet top-up
paid online (a payment transaction of an operator instead of an account) and
the operator's commissions per month."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# the reseller panel's top-up is kept apart from payment_transaction.py
# pylint: disable=consider-merging-classes-inherited


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    isp_operator_id = fields.Many2one(
        "res.partner", string="Reseller top-up", readonly=True, index=True,
        ondelete="restrict", help="The reseller whose wallet this payment adds balance to.")

    @api.model
    def isp_create_topup(self, acquirer, operator, amount):
        """A draft transaction adding `amount` to `operator`'s wallet. The
        caller has checked that its user is that operator's login."""
        operator = operator.sudo()
        if not operator._isp_is_reseller():
            raise UserError(_("Only a reseller adds balance online."))
        currency = operator.isp_company_currency_id
        try:
            amount = float(amount or 0.0)
        except (TypeError, ValueError):
            raise UserError(_("Enter the amount to add, e.g. 500."))
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            raise UserError(_("Enter the amount to add, e.g. 500."))
        company = self.env.user.company_id
        reference = self.sudo()._get_next_reference(
            "TOPUP-%d-%s" % (operator.id, fields.Datetime.now()[:10].replace("-", "")))
        return self.sudo().create({
            "acquirer_id": acquirer.id, "type": "form", "amount": currency.round(amount),
            "currency_id": currency.id, "reference": reference, "partner_id": operator.id,
            "partner_country_id": (operator.country_id or company.country_id
                                   or self.env.ref("base.bd")).id,
            "isp_operator_id": operator.id,
        })

    def _isp_post_payment(self, trx_id):
        """A paid top-up: the ISP received the money through its gateway, the
        operator's ledger is credited (isp_reseller's "add balance": a customer
        payment of the operator on its operator account)."""
        tx = self.sudo()
        if not tx.isp_operator_id:
            return super()._isp_post_payment(trx_id)
        operator = tx.isp_operator_id
        # the gateway's transaction id is the payment's reference (unique per
        # payment method in isp_billing: the same money cannot be entered twice)
        wizard = self.env["isp.operator.money.wizard"].sudo().with_context(
            default_isp_reference=trx_id).create({
            "operator_id": operator.id, "direction": "receive", "amount": tx.amount,
            "journal_id": tx.acquirer_id.isp_journal().id, "reference": trx_id})
        if operator.isp_parent_operator_id._isp_is_reseller():
            # a sub-reseller: the money reached the ISP, not its parent's
            # cash box (the wizard would record cash its parent received)
            operator._isp_lock()
            move = wizard._isp_payment(operator)
            operator.message_post(body=_("Balance added online: %.2f %s (%s)") % (
                tx.amount, tx.currency_id.name, trx_id))
        else:
            move = wizard.action_apply()
        return move.mapped("line_ids.payment_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _isp_portal_commissions(self, limit=12):
        """[{month, sales, cost, margin_own, margin_subs, total}] of this
        operator, newest month first: its customers' bills (without taxes:
        the tax collected is not the reseller's), what the chain
        charged it for them, and what its sub-resellers paid it above its own
        cost for theirs (the entries of isp_reseller's charges)."""
        self.ensure_one()
        self.check_access_rule("read")
        company = self.env.user.company_id
        account = company.isp_operator_account_id.id
        cr = self.env.cr
        months = {}

        def row(month):
            return months.setdefault(month, {"month": month, "sales": 0.0, "cost": 0.0,
                                             "margin_subs": 0.0})

        cr.execute("""
            SELECT to_char(date_invoice, 'YYYY-MM'),
                   sum(CASE WHEN type = 'out_refund' THEN -amount_untaxed ELSE amount_untaxed END)
              FROM account_invoice
             WHERE isp_operator_id = %s AND state IN ('open', 'paid')
               AND type IN ('out_invoice', 'out_refund')
             GROUP BY 1""", (self.id,))
        for month, amount in cr.fetchall():
            row(month)["sales"] += amount or 0.0
        cr.execute("""
            SELECT to_char(c.date, 'YYYY-MM'), c.operator_id = %s,
                   sum(l.debit), sum(l.credit)
              FROM isp_operator_charge c
              JOIN account_move_line l ON l.move_id = c.move_id
             WHERE l.partner_id = %s AND l.account_id = %s
             GROUP BY 1, 2""", (self.id, self.id, account))
        for month, own, debit, credit in cr.fetchall():
            if own:
                row(month)["cost"] += (debit or 0.0) - (credit or 0.0)
            else:
                row(month)["margin_subs"] += (credit or 0.0) - (debit or 0.0)
        rows = sorted(months.values(), key=lambda r: r["month"], reverse=True)[:limit]
        for r in rows:
            r["margin_own"] = round(r["sales"] - r["cost"], 2)
            r["total"] = round(r["margin_own"] + r["margin_subs"], 2)
        return rows
