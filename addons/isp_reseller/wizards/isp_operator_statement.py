# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import _, api, fields, models

from odoo.addons.isp_billing.lib import xlsx


class IspOperatorStatement(models.TransientModel):
    """How much an operator owes and why (seed 000): its ledger entries with
    a running balance, as PDF or Excel."""

    _name = "isp.operator.statement"
    _description = "Reseller statement"

    operator_id = fields.Many2one(
        "res.partner", required=True, domain=[("isp_parent_operator_id", "!=", False)],
        default=lambda self: self.env.context.get("active_id")
        if self.env.context.get("active_model") == "res.partner" else False)
    date_from = fields.Date(required=True,
                            default=lambda self: fields.Date.context_today(self)[:8] + "01")
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    file_data = fields.Binary("File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.multi
    def statement(self):
        """(opening balance, [(date, ref, label, debit, credit, balance)],
        closing balance) of the operator's ledger (a debit balance: it owes)."""
        self.ensure_one()
        operator = self.operator_id
        operator.check_access_rule("read")
        account = self.env.user.company_id.isp_operator_account_id
        cr = self.env.cr
        cr.execute("""
            SELECT coalesce(sum(l.debit - l.credit), 0) FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
             WHERE l.account_id = %s AND l.partner_id = %s AND l.date < %s""",
                   (account.id, operator.id, self.date_from))
        opening = cr.fetchone()[0]
        cr.execute("""
            SELECT l.date, m.ref, l.name, l.debit, l.credit FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
             WHERE l.account_id = %s AND l.partner_id = %s AND l.date BETWEEN %s AND %s
             ORDER BY l.date, l.id""", (account.id, operator.id, self.date_from, self.date_to))
        balance = opening
        rows = []
        for date, ref, label, debit, credit in cr.fetchall():
            balance += debit - credit
            rows.append((date, ref or "", label or "", debit, credit, round(balance, 2)))
        return opening, rows, balance

    @api.multi
    def action_excel(self):
        self.ensure_one()
        opening, rows, _closing = self.statement()
        header = [_("Date"), _("Reference"), _("Label"), _("Debit"), _("Credit"),
                  _("Balance")]
        body = [[_("Opening balance"), "", "", 0.0, 0.0, round(opening, 2)]]
        # dates as date cells (Odoo's cursor reads them as text)
        body += [[fields.Date.from_string(r[0])] + list(r[1:]) for r in rows]
        date_format, datetime_format = self.env.user.partner_id._isp_excel_formats()
        data = xlsx.workbook_bytes([(self.operator_id.name, header, body, [3, 4])],
                                   date_format, datetime_format)
        self.write({"file_data": base64.b64encode(data),
                    "file_name": "statement_%s_%s_%s.xlsx" % (
                        self.operator_id.id, self.date_from, self.date_to)})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new"}

    @api.multi
    def action_pdf(self):
        self.ensure_one()
        return self.env.ref("isp_reseller.report_operator_statement").report_action(self)
