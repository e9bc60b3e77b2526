# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


def _default_journal(model, method="cash"):
    return model.env["account.journal"].search([
        ("company_id", "=", model.env.user.company_id.id),
        ("isp_payment_method", "=", method)], limit=1)


class IspBillPaymentWizard(models.TransientModel):
    """Bills and Payments / Bills / Action / Paid (seed 000): each selected
    open bill is paid in full."""

    _name = "isp.bill.payment.wizard"
    _description = "Pay bills"

    invoice_ids = fields.Many2many(
        "account.invoice", required=True, default=lambda self: self._default_invoices())
    journal_id = fields.Many2one("account.journal", required=True,
                                 domain=[("isp_payment_method", "!=", False)],
                                 default=lambda self: _default_journal(self))
    payment_method = fields.Selection(related="journal_id.isp_payment_method", readonly=True)

    @api.model
    def _default_invoices(self):
        # bills the user may not see are refused, not silently left out
        invoices = self.env["account.invoice"].browse(self.env.context.get("active_ids", []))
        invoices.check_access_rights("read")
        invoices.check_access_rule("read")
        return invoices
    reference = fields.Char("Transaction reference")
    sender_number = fields.Char()
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Float(compute="_compute_amount", string="Total to pay")

    @api.depends("invoice_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.invoice_ids.mapped("residual"))

    @api.multi
    def action_pay(self):
        self.ensure_one()
        subs = self.invoice_ids.mapped("isp_subscription_id")
        if subs:
            subs._isp_check_may("billing")
        not_open = self.invoice_ids.filtered(lambda i: i.state != "open")
        if not_open:
            raise UserError(_("Only open bills can be paid: %s")
                            % ", ".join(not_open.mapped(lambda i: i.number or "draft")))
        self.env["account.payment"].isp_pay_invoices(
            self.invoice_ids, journal=self.journal_id, reference=self.reference,
            sender_number=self.sender_number, date=self.date)
        return {"type": "ir.actions.act_window_close"}


class IspRechargeWizard(models.TransientModel):
    """Recharge a daily / hotspot account with a package of any validity."""

    _name = "isp.recharge.wizard"
    _description = "Recharge"

    subscription_id = fields.Many2one(
        "isp.subscription", required=True,
        default=lambda self: self.env.context.get("active_id"))
    plan_id = fields.Many2one("isp.service.plan", string="Package", required=True,
                              domain=[("billing_type", "=", "daily")])
    price = fields.Monetary(related="plan_id.customer_price", readonly=True)
    currency_id = fields.Many2one(related="plan_id.currency_id", readonly=True)
    journal_id = fields.Many2one("account.journal", required=True,
                                 domain=[("isp_payment_method", "!=", False)],
                                 default=lambda self: _default_journal(self))
    reference = fields.Char("Transaction reference")
    sender_number = fields.Char()

    @api.onchange("subscription_id")
    def _onchange_subscription_id(self):
        if self.subscription_id and self.subscription_id.plan_id.billing_type == "daily":
            self.plan_id = self.subscription_id.plan_id

    @api.multi
    def action_recharge(self):
        self.ensure_one()
        self.subscription_id.action_recharge(
            self.plan_id, journal=self.journal_id, reference=self.reference,
            sender_number=self.sender_number)
        return {"type": "ir.actions.act_window_close"}


class IspAdvancePaymentWizard(models.TransientModel):
    """Money received ahead: it pays the open bills and the rest stays as
    customer credit for the next bills."""

    _name = "isp.advance.payment.wizard"
    _description = "Advance payment"

    subscription_id = fields.Many2one(
        "isp.subscription", required=True,
        default=lambda self: self.env.context.get("active_id"))
    amount = fields.Float(required=True)
    journal_id = fields.Many2one("account.journal", required=True,
                                 domain=[("isp_payment_method", "!=", False)],
                                 default=lambda self: _default_journal(self))
    reference = fields.Char("Transaction reference")
    sender_number = fields.Char()
    date = fields.Date(required=True, default=fields.Date.context_today)

    @api.multi
    def action_pay(self):
        self.ensure_one()
        if self.amount <= 0:
            raise UserError(_("The amount received must be positive."))
        sub = self.subscription_id
        sub._isp_check_may("billing")
        sub.sudo()._isp_receive(self.amount, self.journal_id, reference=self.reference,
                                sender_number=self.sender_number, date=self.date)
        return {"type": "ir.actions.act_window_close"}


class IspDueDateWizard(models.TransientModel):
    """Edit a bill's due date (one of the three ways to stop a suspension)."""

    _name = "isp.due.date.wizard"
    _description = "Edit the due date of a bill"

    invoice_id = fields.Many2one("account.invoice", required=True,
                                 default=lambda self: self.env.context.get("active_id"))
    date_due = fields.Date("New due date", required=True)
    reason = fields.Char(required=True)

    @api.multi
    def action_apply(self):
        self.ensure_one()
        invoice = self.invoice_id
        invoice.isp_subscription_id._isp_check_may("billing")
        if invoice.state != "open":
            raise UserError(_("Only the due date of an open bill can change."))
        old = invoice.date_due
        invoice.sudo().write({"date_due": self.date_due})
        # the receivable line carries the maturity the ageing reports read
        invoice.move_id.line_ids.filtered(
            lambda ln: ln.account_id == invoice.account_id).sudo().write(
            {"date_maturity": self.date_due})
        writer = self.env.user.partner_id
        invoice.message_post(body=_("Due date moved from %s to %s: %s") % (
            writer.isp_date_text(old), writer.isp_date_text(self.date_due), self.reason))
        return {"type": "ir.actions.act_window_close"}


class IspSmsBalanceWizard(models.TransientModel):
    _name = "isp.sms.balance.wizard"
    _description = "Add SMS balance"

    provider_id = fields.Many2one("isp.sms.provider", required=True,
                                  default=lambda self: self.env.context.get("active_id"))
    parts = fields.Integer("SMS parts bought", required=True)

    @api.multi
    def action_apply(self):
        self.ensure_one()
        self.provider_id.add_balance(self.parts)
        return {"type": "ir.actions.act_window_close"}
