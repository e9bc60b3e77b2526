# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may print a bill: whoever may read it, checked before rendering.

Odoo 11's report route (/report/<html|pdf>/account.report_invoice/<ids>)
renders the invoice template as the requesting user without checking the
documents first. The template reads models a portal customer has no right
to (the tax lines of `_get_tax_amount_by_group`, the payments of the
"with payments" version), so the invoice's own customer got a 500 (website
turns a QWeb error into a 403 only through a class Odoo 11 never raises)
and an ERROR traceback, and another customer's bill failed the same way.
Here the bills are checked as the user (they exist, access rights, record
rules) before anything is read from them: a refusal is an AccessError,
answered 403 with a warning; then they are rendered as superuser, as
Odoo's own /my/invoices/pdf does after its check."""
from odoo import _, api, models
from odoo.exceptions import AccessError

INVOICE_REPORTS = ("account.report_invoice", "account.report_invoice_with_payments")


def check_bills(env, ids):
    """AccessError unless the user of `env` may read every bill of `ids`."""
    invoices = env["account.invoice"].browse(ids)
    if len(invoices.sudo().exists()) != len(set(invoices.ids)):
        raise AccessError(_("There is no such bill, or it is not yours to print."))
    invoices.check_access_rights("read")
    invoices.check_access_rule("read")
    return invoices


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _isp_check_bills(self, res_ids):
        if self.report_name in INVOICE_REPORTS and res_ids:
            check_bills(self.env, res_ids)

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        # before Odoo looks for a saved copy (it reads the bill to name it)
        self._isp_check_bills(res_ids)
        return super().render_qweb_pdf(res_ids=res_ids, data=data)

    @api.model
    def render_qweb_html(self, docids, data=None):
        self._isp_check_bills(docids)
        return super().render_qweb_html(docids, data=data)


class ReportInvoice(models.AbstractModel):
    _name = "report.account.report_invoice"
    _description = "Bill (printed by whoever may read it)"

    @api.model
    def get_report_values(self, docids, data=None):
        invoices = check_bills(self.env, docids or [])
        return {"doc_ids": invoices.ids, "doc_model": "account.invoice",
                "docs": invoices.sudo(), "data": data}


class ReportInvoiceWithPayments(models.AbstractModel):
    _name = "report.account.report_invoice_with_payments"
    _inherit = "report.account.report_invoice"
    _description = "Bill with payments (printed by whoever may read it)"
