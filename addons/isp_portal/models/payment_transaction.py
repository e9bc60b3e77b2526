# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..lib import bkash, hosted

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    """An online payment of an ISP customer: an open bill, or a package bought
    by a daily / hotspot account. Paid = posted through isp_billing in the
    same request (bill paid, validity extended, account resumed); anything
    else changes nothing. The row is locked while an answer is handled, so
    duplicate callbacks post once (the unique transaction reference of
    isp_billing is the safety net)."""

    _inherit = "payment.transaction"

    isp_subscription_id = fields.Many2one("isp.subscription", string="Subscription",
                                          readonly=True, index=True, ondelete="restrict")
    isp_invoice_id = fields.Many2one("account.invoice", string="Bill", readonly=True,
                                     index=True, ondelete="restrict")
    isp_plan_id = fields.Many2one("isp.service.plan", string="Package bought", readonly=True,
                                  ondelete="restrict")
    isp_trx_id = fields.Char("Gateway transaction id", readonly=True, copy=False)
    isp_payment_id = fields.Many2one("account.payment", string="Posted payment",
                                     readonly=True, copy=False)
    isp_access_token = fields.Char(readonly=True, copy=False,
                                   default=lambda self: str(uuid.uuid4()))

    @api.model_cr
    def init(self):
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS payment_transaction_isp_trx_uniq
                ON payment_transaction (acquirer_id, isp_trx_id)
             WHERE isp_trx_id IS NOT NULL""")

    # creation ------------------------------------------------------------------

    @api.model
    def isp_amount_of_plan(self, sub, plan):
        """What a package costs the customer, taxes included."""
        taxes = plan.tax_ids.sudo().compute_all(
            plan.customer_price, plan.currency_id, 1.0, plan.product_id, sub.partner_id)
        return taxes["total_included"]

    @api.model
    def isp_create(self, acquirer, sub, invoice=None, plan=None):
        """A draft transaction to pay `invoice` (open) or buy `plan` for `sub`.
        The caller has checked the customer's right to do so."""
        sub = sub.sudo()
        if invoice:
            invoice = invoice.sudo()
            if invoice.state != "open" or invoice.type != "out_invoice":
                raise UserError(_("This bill has nothing left to pay."))
            amount, currency = invoice.residual, invoice.currency_id
            sub = invoice.isp_subscription_id or sub
        elif plan:
            if sub.billing_type != "daily":
                raise UserError(_("%s is billed monthly: pay its bill instead of buying a "
                                  "package.") % sub.name)
            if plan not in sub._isp_portal_plans():
                raise UserError(_("%s is not offered to this account.") % plan.name)
            amount, currency = self.isp_amount_of_plan(sub, plan), plan.currency_id
        else:
            raise UserError(_("Nothing to pay."))
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            raise UserError(_("Nothing to pay."))
        partner = sub.partner_id or invoice.partner_id
        company = sub.company_id or invoice.company_id
        reference = self.sudo()._get_next_reference(
            "%s-%s" % (partner.isp_customer_code or "ISP", fields.Datetime.now()[:10]
                       .replace("-", "")))
        return self.sudo().create({
            "acquirer_id": acquirer.id, "type": "form", "amount": amount,
            "currency_id": currency.id, "reference": reference, "partner_id": partner.id,
            "partner_country_id": (partner.country_id or company.country_id
                                   or self.env.ref("base.bd")).id,
            "isp_subscription_id": sub.id, "isp_invoice_id": invoice and invoice.id or False,
            "isp_plan_id": plan and plan.id or False,
        })

    def isp_result_url(self):
        self.ensure_one()
        return "/isp/payment/result/%d?token=%s" % (self.id, self.isp_access_token)

    # common -------------------------------------------------------------------

    def _isp_lock(self):
        """Lock this transaction's row (concurrent answers wait here) and read
        it again. The one that waited gets a serialization failure when the
        first has changed the row: Odoo retries its request in a new
        transaction, which then finds the payment done (not logged as a bad
        query: it is the expected path)."""
        self.env.cr.execute("SELECT id FROM payment_transaction WHERE id = %s FOR UPDATE",
                            (self.id,), log_exceptions=False)
        self.invalidate_cache()

    def _isp_fail(self, state, message):
        self.write({"state": state, "state_message": message})
        _logger.info("Payment %s: %s (%s)", self.reference, state, message)
        return False

    def _isp_post_payment(self, trx_id):
        """The gateway says paid: post it through isp_billing. An open bill is
        paid (validity extended, account resumed); a package is recharged; a
        bill paid meanwhile leaves the money as the customer's credit."""
        self.ensure_one()
        tx = self.sudo()
        journal = tx.acquirer_id.isp_journal()
        sub = tx.isp_subscription_id
        Payment = self.env["account.payment"].sudo()
        if tx.isp_plan_id:
            bill = sub.sudo().action_recharge(tx.isp_plan_id, journal=journal, reference=trx_id)
            if float_compare(bill.amount_total, tx.amount,
                             precision_rounding=tx.currency_id.rounding):
                raise UserError(_("The package now costs %.2f, %.2f was paid.")
                                % (bill.amount_total, tx.amount))
            payment = bill.payment_ids[:1]
        elif tx.isp_invoice_id.state == "open" and not float_compare(
                tx.isp_invoice_id.residual, tx.amount,
                precision_rounding=tx.currency_id.rounding):
            payment = Payment.isp_pay_invoices(tx.isp_invoice_id, journal=journal,
                                               reference=trx_id)
        else:
            payment = sub._isp_receive(tx.amount, journal, reference=trx_id)
        return payment

    def _isp_complete(self, trx_id):
        """Post (in a savepoint) and mark done; a posting that fails leaves
        nothing behind and the transaction in error (money to refund)."""
        try:
            with self.env.cr.savepoint():
                payment = self._isp_post_payment(trx_id)
        except Exception as exc:  # the payer must get an answer, the ISP the reason
            _logger.warning("Payment %s was paid (%s) but could not be posted: %s",
                            self.reference, trx_id, exc)
            self.env.clear()
            return self._isp_fail("error", _("Paid (%s) but not posted, refund or post by "
                                             "hand: %s") % (trx_id, exc))
        self.write({"state": "done", "isp_trx_id": trx_id, "acquirer_reference":
                    self.acquirer_reference or trx_id, "isp_payment_id": payment[:1].id,
                    "date_validate": fields.Datetime.now(), "state_message": False})
        return True

    # bKash ------------------------------------------------------------------------

    def isp_bkash_start(self, callback_url):
        """Create the bKash payment; the URL to send the payer to."""
        self.ensure_one()
        tx = self.sudo()
        if not bkash.takes_currency(tx.currency_id.name):
            # bKash refuses any other currency: it is not asked at all
            message = _("bKash takes payments in %(bkash)s only, and this one is in "
                        "%(currency)s: choose another payment method.") % {
                "bkash": bkash.CURRENCY, "currency": tx.currency_id.name}
            tx._isp_fail("error", message)
            raise UserError(message)
        try:
            answer = tx.acquirer_id._bkash_call("create", bkash.create_body(
                tx.amount, tx.currency_id.name, tx.reference, callback_url,
                tx.partner_id.mobile or tx.reference))
        except bkash.BkashError as exc:
            tx._isp_fail("error", str(exc))
            raise UserError(_("bKash is not available now: %s") % exc)
        if not answer.get("paymentID") or not answer.get("bkashURL"):
            tx._isp_fail("error", _("bKash gave no payment id"))
            raise UserError(_("bKash is not available now."))
        tx.write({"acquirer_reference": answer["paymentID"], "state": "pending"})
        return answer["bkashURL"]

    @api.model
    def isp_bkash_find(self, payment_id):
        return self.sudo().search([("acquirer_reference", "=", payment_id),
                                   ("provider", "=", "bkash")], limit=1) if payment_id \
            else self.sudo().browse()

    def isp_bkash_return(self, status):
        """The payer is back with `status`: never trusted alone, the payment
        is executed (or queried) and checked before anything is posted."""
        self.ensure_one()
        tx = self.sudo()
        tx._isp_lock()
        if tx.state in ("done", "error", "cancel"):
            return tx.state == "done"   # a duplicate callback: already handled
        if status == "cancel":
            return tx._isp_fail("cancel", _("Cancelled by the payer."))
        if status != "success":
            return tx._isp_fail("error", _("bKash says the payment failed (%s).") % status)
        acquirer = tx.acquirer_id
        try:
            answer = acquirer._bkash_call("execute", {"paymentID": tx.acquirer_reference})
        except bkash.BkashError as exc:
            # executed already, or an answer lost on the way: ask for the status
            try:
                answer = acquirer._bkash_call("query", {"paymentID": tx.acquirer_reference})
            except bkash.BkashError:
                return tx._isp_fail("error", str(exc))
        problems = bkash.completed_mismatches(answer, tx.amount, tx.currency_id.name,
                                              tx.reference)
        if problems:
            return tx._isp_fail("error", _("Not accepted: %s") % "; ".join(
                "%s is %s instead of %s" % p for p in problems))
        return tx._isp_complete(answer["trxID"])

    # hosted gateway ----------------------------------------------------------------

    @api.model
    def isp_hosted_answer(self, data):
        """A signed answer of the hosted gateway (payer back or notification)."""
        tx = self.sudo().search([("reference", "=", data.get("reference") or "-"),
                                 ("provider", "=", "isp_hosted")], limit=1)
        if not tx:
            return tx, False
        tx._isp_lock()
        if tx.state in ("done", "error", "cancel"):
            return tx, tx.state == "done"
        problems = hosted.answer_problems(tx.acquirer_id.hosted_secret, data, tx.amount,
                                          tx.currency_id.name, tx.reference)
        if problems:
            if problems[0][0] == "signature":
                return tx, False   # not from the gateway: ignored
            state = "cancel" if data.get("status") == "cancelled" else "error"
            return tx, tx._isp_fail(state, "; ".join("%s is %s instead of %s" % p
                                                     for p in problems))
        return tx, tx._isp_complete(data["txn_id"])
