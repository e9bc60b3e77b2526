# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class IspOperatorMoneyWizard(models.TransientModel):
    """Money between an operator and its parent (seed 000): "Add balance" to
    a prepaid reseller, "Entry cash received" from a postpaid one (both: the
    parent received cash; the operator's ledger is credited), or a payout to
    an operator holding money."""

    _name = "isp.operator.money.wizard"
    _description = "Reseller money"

    operator_id = fields.Many2one(
        "res.partner", required=True, domain=[("isp_parent_operator_id", "!=", False)],
        default=lambda self: self.env.context.get("active_id")
        if self.env.context.get("active_model") == "res.partner" else False)
    direction = fields.Selection(
        [("receive", "Cash received from the operator (add balance / entry cash received)"),
         ("pay", "Money paid out to the operator")], required=True, default="receive")
    amount = fields.Monetary(required=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.user.company_id
                                  .currency_id, readonly=True)
    journal_id = fields.Many2one("account.journal", domain=[("type", "in", ("cash", "bank"))],
                                 help="Where the ISP received (or paid) the money.")
    reference = fields.Char()
    date = fields.Date(required=True, default=fields.Date.context_today)
    parent_id = fields.Many2one(related="operator_id.isp_parent_operator_id", readonly=True)

    @api.multi
    def action_apply(self):
        self.ensure_one()
        if self.amount <= 0:
            raise UserError(_("The amount must be positive."))
        operator = self.operator_id
        parent = operator.isp_parent_operator_id
        self._check_rights(parent)
        self.env["res.partner"].browse((operator | parent).ids)._isp_lock()
        if parent._isp_is_reseller():
            move = self._transfer_between(operator, parent)
        else:
            move = self._isp_payment(operator)
        operator.message_post(body=_("%s %.2f %s (%s)") % (
            dict(self._fields["direction"].selection)[self.direction], self.amount,
            self.currency_id.name, self.reference or "-"))
        return move

    def _check_rights(self, parent):
        user = self.env.user
        if user.has_group("isp_base.group_isp_admin") or user.has_group(
                "isp_base.group_isp_perm_billing") and not user._isp_is_reseller_side():
            return
        # a reseller (or its cashier) records what its own sub-resellers paid it
        if user._isp_scope_operator() == parent and (
                user.has_group("isp_base.group_isp_reseller")
                or user.has_group("isp_base.group_isp_perm_billing")):
            return
        raise AccessError(_("Only the parent operator records money received from %s.")
                          % self.operator_id.name)

    def _isp_payment(self, operator):
        """The ISP received (paid) cash: a customer payment of the operator
        (its receivable is the operator account)."""
        if not self.journal_id:
            raise UserError(_("Choose the journal the money went through."))
        payment = self.env["account.payment"].sudo().create({
            "payment_type": "inbound" if self.direction == "receive" else "outbound",
            "partner_type": "customer", "partner_id": operator.id, "amount": self.amount,
            "journal_id": self.journal_id.id, "payment_date": self.date,
            "communication": self.reference or _("Reseller %s") % operator.name,
            "payment_method_id": self.env.ref(
                "account.account_payment_method_manual_in"
                if self.direction == "receive" else
                "account.account_payment_method_manual_out").id,
        })
        payment.post()
        return payment.move_line_ids.mapped("move_id")

    def _transfer_between(self, operator, parent):
        """A reseller received cash from its sub-reseller: the sub-reseller's
        ledger is credited, the reseller now holds the money (debit)."""
        company = self.env.user.company_id
        account = company.isp_operator_account_id
        amount = self.amount if self.direction == "receive" else -self.amount
        label = _("Cash %s %s by %s") % (
            _("received from") if amount > 0 else _("paid to"), operator.name, parent.name)
        move = self.env["account.move"].sudo().create({
            "journal_id": company.isp_operator_journal_id.id, "date": self.date,
            "ref": self.reference or label,
            "line_ids": [
                (0, 0, {"name": label, "account_id": account.id, "partner_id": parent.id,
                        "debit": max(amount, 0), "credit": max(-amount, 0)}),
                (0, 0, {"name": label, "account_id": account.id, "partner_id": operator.id,
                        "debit": max(-amount, 0), "credit": max(amount, 0)}),
            ]})
        move.post()
        return move
