# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import logging

import qrcode

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import proration

_logger = logging.getLogger(__name__)

ISP_KINDS = [
    ("first", "First bill"),
    ("period", "Monthly bill"),
    ("recharge", "Recharge"),
    ("plan_change", "Package change"),
    ("charge", "Other charges"),
]

#: invoice kinds that cover a billing period of a monthly account
PERIOD_KINDS = ("first", "period")


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    isp_subscription_id = fields.Many2one("isp.subscription", string="Subscription",
                                          index=True, ondelete="restrict", readonly=True,
                                          copy=False)
    isp_kind = fields.Selection(ISP_KINDS, string="ISP bill type", readonly=True, copy=False)
    isp_period_start = fields.Date("Period from", readonly=True, copy=False)
    isp_period_end = fields.Date("Period to", readonly=True, copy=False)
    isp_plan_id = fields.Many2one("isp.service.plan", string="Package", readonly=True,
                                  copy=False)
    isp_validity_applied = fields.Boolean(
        readonly=True, copy=False,
        help="The payment of this bill has already extended the subscription.")
    isp_customer_code = fields.Char(related="partner_id.isp_customer_code", readonly=True)
    isp_operator_id = fields.Many2one(related="isp_subscription_id.operator_id", store=True,
                                      readonly=True, string="Operator")
    isp_amount_words = fields.Char("Amount in words", compute="_compute_isp_amount_words")
    isp_run_id = fields.Many2one("isp.billing.run", string="Billing run", readonly=True,
                                 copy=False, index=True, ondelete="set null")

    @api.model_cr
    def init(self):
        # one bill per subscription and period, whatever runs twice or crashes
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS account_invoice_isp_period_uniq
                ON account_invoice (isp_subscription_id, isp_period_start)
             WHERE isp_kind IN ('first', 'period') AND state != 'cancel'
               AND type = 'out_invoice'""")
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS account_invoice_isp_open_due_idx
                ON account_invoice (isp_subscription_id, date_due)
             WHERE state = 'open' AND isp_subscription_id IS NOT NULL""")

    @api.depends("amount_total", "currency_id", "partner_id.lang")
    def _compute_isp_amount_words(self):
        for invoice in self:
            invoice.isp_amount_words = amount_in_words(
                invoice.amount_total, invoice.currency_id, invoice.partner_id.lang)

    # posting many bills ----------------------------------------------------

    @api.multi
    def _isp_post(self):
        """Post draft bills like `action_invoice_open` does, the same journal
        entries, with the per-bill work that can be shared done once: the
        moves of all bills are posted (validated, numbered) in one call and
        the bills opened in one write. Bills with a payment term or in a
        foreign currency go through Odoo's own `action_invoice_open`."""
        drafts = self.filtered(lambda inv: inv.state == "draft")
        if not drafts:
            return self.browse()
        simple = drafts.filtered(
            lambda inv: inv.type == "out_invoice" and not inv.payment_term_id
            and not inv.move_id
            and inv.currency_id == inv.company_id.currency_id and inv.invoice_line_ids
            and inv.journal_id.sequence_id and inv.date_invoice and inv.date_due)
        if drafts - simple:
            (drafts - simple).action_invoice_open()
        if not simple:
            return drafts
        negative = simple.filtered(lambda inv: inv.currency_id.compare_amounts(
            inv.amount_total, 0.0) < 0)
        if negative:
            raise UserError(_("You cannot validate an invoice with a negative total amount. "
                              "You should create a credit note instead."))
        Move = self.env["account.move"]
        Partner = self.env["res.partner"]
        moves = Move
        for inv in simple:
            iml = inv.invoice_line_move_line_get() + inv.tax_line_move_line_get()
            total, _total_currency, iml = inv.compute_invoice_totals(
                inv.company_id.currency_id, iml)
            iml.append({"type": "dest", "name": inv.name or "/", "price": total,
                        "account_id": inv.account_id.id, "date_maturity": inv.date_due,
                        "amount_currency": False, "currency_id": False, "invoice_id": inv.id})
            part = Partner._find_accounting_partner(inv.partner_id)
            lines = [(0, 0, inv.line_get_convert(line, part.id)) for line in iml]
            lines = inv.finalize_invoice_move_lines(inv.group_lines(iml, lines))
            moves |= Move.with_context(company_id=inv.company_id.id, invoice=inv).create({
                "ref": inv.reference, "line_ids": lines, "journal_id": inv.journal_id.id,
                "date": inv.date or inv.date_invoice, "narration": inv.comment})
        moves.post()
        # Odoo's per-invoice hooks (`_write` reads `reconciled`,
        # `invoice_validate` reads the followers) compute their fields for
        # the whole prefetch set at each access: on a batch that is n^2.
        # Each bill is written and opened in a prefetch set of its own.
        for inv, move in zip(simple, moves, strict=True):
            single = self.browse(inv.id)
            single.write({"move_id": move.id, "date": move.date, "move_name": move.name})
            single.invoice_validate()
        return drafts

    # payment -> network --------------------------------------------------

    @api.multi
    def action_invoice_paid(self):
        res = super().action_invoice_paid()
        paid = self.filtered(lambda inv: inv.state == "paid" and inv.isp_subscription_id
                             and inv.type == "out_invoice" and not inv.isp_validity_applied)
        if paid:
            paid._isp_apply_payment()
        return res

    def _isp_apply_payment(self):
        """A fully paid bill: a period bill extends the validity to the end of
        its period (and resumes an account suspended for an unpaid bill); a
        recharge extends it by the package's validity. Once per bill."""
        self.sudo().write({"isp_validity_applied": True})
        for invoice in self.sorted(lambda i: (i.isp_period_end or "", i.id)):
            sub = invoice.isp_subscription_id.sudo()
            if invoice.isp_kind in PERIOD_KINDS:
                sub._isp_paid_until(invoice.isp_period_end)
            elif invoice.isp_kind == "recharge":
                sub._isp_recharged(invoice.isp_plan_id)

    @api.multi
    def action_invoice_re_open(self):
        res = super().action_invoice_re_open()
        for invoice in self.filtered("isp_validity_applied"):
            invoice.isp_subscription_id.message_post(body=_(
                "The payment of %s was undone: check the validity of this account "
                "(it was extended when the bill was paid).") % invoice.number)
        return res

    # documents -------------------------------------------------------------

    @api.multi
    def isp_payment_reference(self):
        self.ensure_one()
        return self.reference or self.number or ""

    @api.multi
    def isp_qr_payload(self):
        """What the QR code on the bill carries: who pays what for which bill."""
        self.ensure_one()
        return "ISP-PAY|%s|%s|%s|%.2f %s" % (
            self.isp_payment_reference(), self.number or "", self.isp_customer_code or "",
            self.residual if self.state == "open" else self.amount_total,
            self.currency_id.name)

    @api.multi
    def isp_qr_data_uri(self):
        self.ensure_one()
        image = qrcode.make(self.isp_qr_payload(), box_size=4, border=2)
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()

    @api.multi
    def isp_period_text(self):
        self.ensure_one()
        if not self.isp_period_start:
            return ""
        return proration.period_label(fields.Date.from_string(self.isp_period_start),
                                      fields.Date.from_string(self.isp_period_end),
                                      self.partner_id._isp_lang().date_format)


def amount_in_words(amount, currency, lang):
    """'One Thousand Two Hundred Taka' in the partner's language when
    num2words knows it (Bangla since 0.5.14: 'এক হাজার দুইশত'), else English."""
    if not currency:
        return ""
    return currency.with_context(lang=lang or "en_US").amount_to_text(amount)
