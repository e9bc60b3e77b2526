# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import _, api, fields, models

from ..lib import xlsx

REPORTS = [
    ("bills", "Bills"),
    ("payments", "Payments (collections)"),
    ("revenue", "Revenue by package"),
    ("customers", "Customers by type, package and status"),
]


class IspBillingExport(models.TransientModel):
    """Excel downloads (seed 002's revenue, customer and service-plan
    reports)."""

    _name = "isp.billing.export"
    _description = "Billing Excel export"

    report = fields.Selection(REPORTS, required=True, default="bills")
    date_from = fields.Date(required=True,
                            default=lambda self: fields.Date.context_today(self)[:8] + "01")
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    operator_id = fields.Many2one("res.partner", domain=[("isp_is_operator", "=", True)])
    file_data = fields.Binary("File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.multi
    def action_export(self):
        self.ensure_one()
        sheets = getattr(self, "_sheets_%s" % self.report)()
        # dates in the reader's language's format
        date_format, datetime_format = self.env.user.partner_id._isp_excel_formats()
        content = xlsx.workbook_bytes(sheets, date_format, datetime_format)
        self.write({"file_data": base64.b64encode(content),
                    "file_name": "%s_%s_%s.xlsx" % (self.report, self.date_from, self.date_to)})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new"}

    def _operator_clause(self, column):
        return ("AND %s = %%(op)s" % column) if self.operator_id else ""

    def _params(self):
        return {"from": self.date_from, "to": self.date_to, "op": self.operator_id.id,
                "company": self.env.user.company_id.id}

    def _fetch(self, query, date_columns=()):
        """Rows of `query`; the `date_columns` as dates (Excel date cells:
        Odoo's cursor reads dates as text)."""
        self.env.cr.execute(query, self._params())
        rows = [list(row) for row in self.env.cr.fetchall()]
        for row in rows:
            for col in date_columns:
                row[col] = row[col] and fields.Date.from_string(row[col])
        return rows

    def _sheets_bills(self):
        rows = self._fetch("""
            SELECT i.number, i.date_invoice, i.date_due, rp.isp_customer_code, rp.name,
                   s.name, s.connection_type, pl.name, i.isp_kind, i.isp_period_start,
                   i.isp_period_end, op.name, i.state, i.amount_total_company_signed,
                   i.amount_total_company_signed - i.residual_company_signed,
                   i.residual_company_signed
              FROM account_invoice i
              JOIN res_partner rp ON rp.id = i.partner_id
              JOIN isp_subscription s ON s.id = i.isp_subscription_id
              LEFT JOIN isp_service_plan pl ON pl.id = i.isp_plan_id
              LEFT JOIN res_partner op ON op.id = i.isp_operator_id
             WHERE i.type = 'out_invoice' AND i.state IN ('open', 'paid')
               AND i.company_id = %(company)s
               AND i.date_invoice BETWEEN %(from)s AND %(to)s """
                           + self._operator_clause("i.isp_operator_id")
                           + " ORDER BY i.date_invoice, i.number", date_columns=(1, 2, 9, 10))
        header = [_("Number"), _("Date"), _("Due date"), _("Customer code"), _("Customer"),
                  _("Account"), _("Type"), _("Package"), _("Bill type"), _("Period from"),
                  _("Period to"), _("Operator"), _("State"), _("Amount"), _("Paid"),
                  _("Due")]
        return [(_("Bills"), header, rows, [13, 14, 15])]

    def _sheets_payments(self):
        rows = self._fetch("""
            SELECT p.payment_date, p.name, rp.isp_customer_code, rp.name,
                   CASE WHEN rp.is_company THEN 'organization' ELSE 'individual' END,
                   coalesce(j.isp_payment_method, j.type), j.name, op.name,
                   p.isp_reference, p.isp_sender_number, p.amount
              FROM account_payment p
              JOIN account_journal j ON j.id = p.journal_id
              JOIN res_partner rp ON rp.id = p.partner_id
              LEFT JOIN res_partner op ON op.id = rp.isp_operator_id
             WHERE p.payment_type = 'inbound' AND p.partner_type = 'customer'
               AND p.state IN ('posted', 'sent', 'reconciled') AND rp.isp_is_subscriber
               AND p.company_id = %(company)s
               AND p.payment_date BETWEEN %(from)s AND %(to)s """
                           + self._operator_clause("rp.isp_operator_id")
                           + " ORDER BY p.payment_date, p.name", date_columns=(0,))
        header = [_("Date"), _("Payment"), _("Customer code"), _("Customer"),
                  _("Customer type"), _("Method"), _("Journal"), _("Operator"),
                  _("Reference"), _("Sender number"), _("Amount")]
        by_method = {}
        for row in rows:
            by_method[row[5]] = by_method.get(row[5], 0.0) + row[10]
        summary = [[method, amount] for method, amount in sorted(by_method.items())]
        return [(_("Payments"), header, rows, [10]),
                (_("By method"), [_("Method"), _("Amount")], summary, [1])]

    def _sheets_revenue(self):
        rows = self._fetch("""
            SELECT pl.name, count(i.id), sum(i.amount_total_company_signed),
                   sum(i.amount_total_company_signed - i.residual_company_signed),
                   sum(i.residual_company_signed)
              FROM account_invoice i
              JOIN isp_service_plan pl ON pl.id = i.isp_plan_id
             WHERE i.type = 'out_invoice' AND i.state IN ('open', 'paid')
               AND i.company_id = %(company)s
               AND i.date_invoice BETWEEN %(from)s AND %(to)s """
                           + self._operator_clause("i.isp_operator_id")
                           + " GROUP BY pl.name ORDER BY pl.name")
        header = [_("Package"), _("Bills"), _("Billed"), _("Collected"), _("Due")]
        return [(_("Revenue by package"), header, rows, [2, 3, 4])]

    def _sheets_customers(self):
        rows = self._fetch("""
            SELECT s.connection_type, pl.name, s.state,
                   CASE WHEN rp.is_company THEN 'organization' ELSE 'individual' END,
                   count(*)
              FROM isp_subscription s
              JOIN res_partner rp ON rp.id = s.partner_id
              LEFT JOIN isp_service_plan pl ON pl.id = s.plan_id
             WHERE s.company_id = %(company)s """
                           + self._operator_clause("s.operator_id")
                           + " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4")
        header = [_("Type"), _("Package"), _("Status"), _("Customer type"), _("Accounts")]
        return [(_("Customers"), header, rows, [])]
