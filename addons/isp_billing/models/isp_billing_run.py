# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class IspBillingRun(models.Model):
    """One run of the monthly billing: what it billed and what failed."""

    _name = "isp.billing.run"
    _description = "Monthly billing run"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    subscription_count = fields.Integer("Accounts to bill", readonly=True)
    invoice_ids = fields.One2many("account.invoice", "isp_run_id", readonly=True)
    invoice_count = fields.Integer(compute="_compute_counts")
    error_ids = fields.One2many("isp.billing.error", "run_id", readonly=True)
    error_count = fields.Integer(compute="_compute_counts")

    @api.depends("invoice_ids", "error_ids")
    def _compute_counts(self):
        for run in self:
            run.invoice_count = len(run.invoice_ids)
            run.error_count = len(run.error_ids)


class IspBillingError(models.Model):
    """An account the monthly run could not bill (the others were billed)."""

    _name = "isp.billing.error"
    _description = "Monthly billing error"
    _order = "id desc"

    run_id = fields.Many2one("isp.billing.run", required=True, ondelete="cascade",
                             index=True, readonly=True)
    subscription_id = fields.Many2one("isp.subscription", readonly=True, ondelete="cascade")
    message = fields.Text(readonly=True)

