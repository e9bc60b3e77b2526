# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class IspOperatorCharge(models.Model):
    """What the operators of a chain were charged (or credited back) for one
    account: minutes of validity granted to a daily account, or a billing
    period of a monthly one. Its journal entry debits each operator its
    purchase price and credits its parent (the ISP's income for the top
    reseller)."""

    _name = "isp.operator.charge"
    _description = "Reseller charge"
    _order = "date desc, id desc"

    subscription_id = fields.Many2one("isp.subscription", required=True, index=True,
                                      ondelete="restrict", readonly=True)
    operator_id = fields.Many2one(related="subscription_id.operator_id", store=True,
                                  readonly=True, string="Operator")
    company_id = fields.Many2one(related="subscription_id.company_id", store=True,
                                 readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    kind = fields.Selection([("minutes", "Minutes granted"), ("refund", "Minutes given back"),
                             ("period", "Billing period")], required=True, readonly=True)
    date_from = fields.Datetime(readonly=True)
    date_to = fields.Datetime(readonly=True)
    minutes = fields.Integer(readonly=True)
    period_start = fields.Date(readonly=True)
    period_key = fields.Char(readonly=True, copy=False,
                             help="subscription:period start: a period is charged once.")
    amount = fields.Monetary(readonly=True, help="Charged to the account's operator.")
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    move_id = fields.Many2one("account.move", readonly=True, ondelete="restrict")
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.uid)

    _sql_constraints = [
        ("period_once", "unique(period_key)", "This billing period was already charged."),
    ]

    @api.model
    def post_chain(self, sub, levels, label, date=None):
        """Post one entry for `levels` [(operator, parent or empty, amount)]:
        Dr operator / Cr parent (or the ISP's income). Negative amounts give
        back. Returns the posted move (or an empty one when all are zero)."""
        company = sub.company_id
        account = company.isp_operator_account_id
        income = company.isp_operator_income_account_id
        lines = []
        for operator, parent, amount in levels:
            if not amount:
                continue
            debit, credit = (amount, 0.0) if amount > 0 else (0.0, -amount)
            lines.append((0, 0, {"name": label, "account_id": account.id,
                                 "partner_id": operator.id, "debit": debit,
                                 "credit": credit}))
            if parent._isp_is_reseller():
                lines.append((0, 0, {"name": label, "account_id": account.id,
                                     "partner_id": parent.id, "debit": credit,
                                     "credit": debit}))
            else:
                lines.append((0, 0, {"name": label, "account_id": income.id,
                                     "partner_id": operator.id, "debit": credit,
                                     "credit": debit}))
        if not lines:
            return self.env["account.move"]
        move = self.env["account.move"].sudo().create({
            "journal_id": company.isp_operator_journal_id.id,
            "date": date or fields.Date.context_today(self),
            "ref": _("%s: %s") % (sub.name, label),
            "line_ids": lines,
        })
        move.post()
        return move
