# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class IspDashboard(models.TransientModel):
    """Adds the operators' money: an operator's wallet or debt and the
    commission it earned this month; for the ISP, what resellers owe
    (receivable) and what they hold (payable, advances)."""

    _inherit = "isp.dashboard"

    operator_balance = fields.Monetary(
        "Owes (+) / holds (-)", compute="_compute_figures",
        help="The operator's balance with its parent.")
    commission_month = fields.Monetary("Commission earned this month",
                                       compute="_compute_figures")
    reseller_receivable = fields.Monetary("Resellers owe", compute="_compute_figures")
    reseller_payable = fields.Monetary("Resellers hold (advances)",
                                       compute="_compute_figures")

    operator_id = fields.Many2one(default=lambda self: self._isp_default_operator())

    def _isp_default_operator(self):
        """A reseller's staff see their employer's figures."""
        user = self.env.user
        return user.isp_operator_id if user._isp_is_reseller_side() else False

    def _isp_dashboard_operator(self):
        """The operator whose subtree the figures count (empty: the whole
        company, for the ISP's own staff only). A reseller's staff stay in
        its subtree, whatever operator the form was given."""
        user = self.env.user
        chosen = self.operator_id.sudo()
        if not user._isp_is_reseller_side():
            return chosen
        scope = user.isp_operator_id.sudo()
        if chosen and not (chosen.isp_operator_path or "").startswith(scope.isp_operator_path):
            raise AccessError(_("The dashboard of %s is not yours to read.") % chosen.name)
        return chosen or scope

    def _isp_operator_ids(self):
        operator = self._isp_dashboard_operator()
        if not operator:
            return None
        return self.env["res.partner"].sudo().with_context(active_test=False).search(
            [("isp_operator_path", "=like", operator.isp_operator_path + "%")],
            order="id").ids

    @api.multi
    def figures(self, today=None, now=None):
        res = super().figures(today=today, now=now)
        today = today or fields.Date.context_today(self)
        company = self.env.user.company_id
        account = company.isp_operator_account_id
        op = self._isp_dashboard_operator()
        cr = self.env.cr
        res["operator_balance"] = op._isp_balances().get(op.id, 0.0) if op else 0.0
        res["commission_month"] = self._commission(op, today[:8] + "01", today) if op else 0.0
        path = op.isp_operator_path if op else None
        cr.execute("""
            SELECT coalesce(sum(greatest(bal, 0)), 0), coalesce(sum(greatest(-bal, 0)), 0)
              FROM (SELECT l.partner_id, sum(l.debit - l.credit) AS bal
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
                      JOIN res_partner p ON p.id = l.partner_id
                     WHERE l.account_id = %s AND p.isp_parent_operator_id IS NOT NULL
                       AND (%s IS NULL OR p.isp_operator_path LIKE %s)
                       AND (%s IS NULL OR p.id != %s)
                     GROUP BY l.partner_id) b""",
                   (account.id or 0, path, (path or "") + "%", op.id or None, op.id or None))
        res["reseller_receivable"], res["reseller_payable"] = cr.fetchone()
        return res

    def _commission(self, operator, date_from, date_to):
        """The operator's margins: its customers' payments credited to it and
        what its sub-resellers paid it, minus its own purchases."""
        account = self.env.user.company_id.isp_operator_account_id
        journal = self.env.user.company_id.isp_operator_journal_id
        self.env.cr.execute("""
            SELECT coalesce(sum(l.credit - l.debit), 0) FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
             WHERE l.account_id = %s AND l.partner_id = %s AND m.journal_id = %s
               AND l.date BETWEEN %s AND %s
               AND (m.id IN (SELECT move_id FROM isp_operator_charge WHERE move_id IS NOT NULL)
                    OR m.id IN (SELECT isp_operator_credit_move_id FROM account_invoice
                                WHERE isp_operator_credit_move_id IS NOT NULL))""",
                            (account.id, operator.id, journal.id, date_from, date_to))
        return self.env.cr.fetchone()[0]
