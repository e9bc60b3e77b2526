# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

PAYMENT_METHODS = [
    ("cash", "Cash"),
    ("online", "Online gateway"),
    ("bkash", "bKash"),
    ("send_money", "Send money (mobile transfer)"),
    ("card", "Recharge card"),
]

#: methods whose payments carry the payer's transaction reference
NEEDS_REFERENCE = ("online", "bkash", "send_money", "card")


#: (method, journal name, code) of the payment journals every company gets
PAYMENT_JOURNALS = [
    ("bkash", "bKash", "BKSH"),
    ("send_money", "Send money", "SMNY"),
    ("online", "Online gateway", "ONLN"),
]


class AccountJournal(models.Model):
    _inherit = "account.journal"

    isp_payment_method = fields.Selection(
        PAYMENT_METHODS, string="ISP payment method",
        help="How subscribers pay through this journal; a transaction reference is "
             "unique per method.")

    @api.model
    def isp_setup_payment_journals(self):
        """Cash, bKash, send money and online gateway journals of every company
        that has a chart of accounts (idempotent)."""
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            if not self.env["account.account"].search_count([("company_id", "=", company.id)]):
                continue
            cash = self.search([("company_id", "=", company.id), ("type", "=", "cash")],
                               limit=1)
            if cash and not self.search([("company_id", "=", company.id),
                                         ("isp_payment_method", "=", "cash")]):
                cash.isp_payment_method = "cash"
            for method, name, code in PAYMENT_JOURNALS:
                if not self.search([("company_id", "=", company.id),
                                    ("isp_payment_method", "=", method)]):
                    self.create({"name": name, "code": code, "type": "bank",
                                 "company_id": company.id, "isp_payment_method": method})
        return True


class AccountPayment(models.Model):
    _inherit = "account.payment"

    isp_payment_method = fields.Selection(
        related="journal_id.isp_payment_method", store=True, readonly=True)
    isp_reference = fields.Char(
        "Transaction reference", copy=False, readonly=True,
        states={"draft": [("readonly", False)]},
        help="bKash trxID, mobile transfer reference, gateway transaction id: one "
             "transfer can be entered only once.")
    isp_sender_number = fields.Char(
        "Sender number", copy=False, readonly=True, states={"draft": [("readonly", False)]},
        help="Mobile number the money was sent from (send money).")

    @api.model_cr
    def init(self):
        # the same transfer cannot be entered twice (per payment method)
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS account_payment_isp_reference_uniq
                ON account_payment (isp_payment_method, upper(isp_reference))
             WHERE isp_reference IS NOT NULL AND state != 'cancelled'""")

    @api.constrains("amount")
    def _check_isp_amount(self):
        # Odoo refuses a negative amount only; a 0 payment was saved as a
        # draft and failed at posting with "already reconciled"
        for payment in self:
            currency = payment.currency_id or payment.company_id.currency_id
            if float_compare(payment.amount, 0.0,
                             precision_rounding=currency.rounding or 0.01) <= 0:
                raise ValidationError(_(
                    "Enter the amount received: a payment must be more than 0 "
                    "(%s was entered).") % payment.amount)

    @api.constrains("isp_reference", "journal_id", "isp_sender_number")
    def _check_isp_reference(self):
        for payment in self.filtered(lambda p: p.payment_type == "inbound"
                                     and p.partner_type == "customer"):
            method = payment.journal_id.isp_payment_method
            if method in NEEDS_REFERENCE and not payment.isp_reference:
                raise ValidationError(_("A %s payment needs the transaction reference.")
                                      % dict(PAYMENT_METHODS)[method])
            if method == "send_money" and not payment.isp_sender_number:
                raise ValidationError(_("A mobile transfer needs the sender's number."))

    @api.model
    def _isp_check_reference_free(self, journal, reference):
        if not reference:
            return
        self.env.cr.execute("""
            SELECT p.name FROM account_payment p JOIN account_journal j ON j.id = p.journal_id
             WHERE j.isp_payment_method = %s AND upper(p.isp_reference) = upper(%s)
               AND p.state != 'cancelled'""", (journal.isp_payment_method, reference))
        row = self.env.cr.fetchone()
        if row:
            raise ValidationError(_("The %s transaction %s was already entered (%s).") % (
                dict(PAYMENT_METHODS).get(journal.isp_payment_method, journal.name),
                reference, row[0] or _("draft payment")))

    @api.model
    def create(self, vals):
        if vals.get("isp_reference"):
            vals["isp_reference"] = vals["isp_reference"].strip()
            journal = self.env["account.journal"].browse(vals.get("journal_id"))
            if journal.isp_payment_method:
                self._isp_check_reference_free(journal, vals["isp_reference"])
        return super().create(vals)

    @api.multi
    def post(self):
        res = super().post()
        for payment in self.filtered(lambda p: p.payment_type == "inbound"
                                     and p.partner_type == "customer"
                                     and p.partner_id.isp_is_subscriber):
            sub = payment.invoice_ids.mapped("isp_subscription_id")[:1] or \
                payment.partner_id.isp_subscription_ids[:1]
            if sub:
                sub._isp_notify("payment", payment)
        return res

    @api.model
    def isp_default_journal(self, company=None, method="cash"):
        company = company or self.env.user.company_id
        journal = self.env["account.journal"].search([
            ("company_id", "=", company.id), ("isp_payment_method", "=", method)], limit=1)
        if not journal:
            raise UserError(_("There is no journal for %s payments: set the ISP payment "
                              "method of one.") % dict(PAYMENT_METHODS)[method])
        return journal

    @api.model
    def isp_pay_invoices(self, invoices, journal=None, reference=None, sender_number=None,
                         date=None):
        """Pay each open bill in full through `journal` (cash by default): one
        posted payment per bill, reconciled with it."""
        payments = self.browse()
        for invoice in invoices:
            if invoice.state != "open":
                raise UserError(_("%s is not open (nothing to pay).")
                                % (invoice.number or invoice.id))
            pay_journal = journal or self.isp_default_journal(invoice.company_id)
            method = self.env.ref("account.account_payment_method_manual_in")
            payment = self.sudo().create({
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": invoice.commercial_partner_id.id,
                "amount": invoice.residual,
                "currency_id": invoice.currency_id.id,
                "journal_id": pay_journal.id,
                "payment_method_id": method.id,
                # money is dated by the ISP's day, as its bills and the
                # dashboard are (not by a time zone the login may lack)
                "payment_date": date or fields.Date.to_string(
                    self.env["isp.subscription"]._isp_today()),
                "communication": invoice.reference or invoice.number,
                "invoice_ids": [(6, 0, invoice.ids)],
                "isp_reference": reference and (reference if len(invoices) == 1 else
                                                "%s/%s" % (reference, invoice.number)),
                "isp_sender_number": sender_number,
            })
            payment.post()
            payments |= payment
        return payments
