# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Online payments: the shareable pay page of a bill (access token, like
Odoo's invoice portal), the provider callbacks and the result page."""
import logging

from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import consteq

from . import common

_logger = logging.getLogger(__name__)


class IspPayment(http.Controller):

    def _invoice(self, invoice_id, access_token):
        invoice = common.check_record("account.invoice", invoice_id, access_token)
        if not invoice.isp_subscription_id or invoice.type != "out_invoice":
            raise common.NotFound()
        return invoice

    @http.route(["/isp/pay/<int:invoice_id>"], type="http", auth="public", website=True)
    def isp_pay_page(self, invoice_id, access_token=None, **kw):
        try:
            invoice = self._invoice(invoice_id, access_token)
        except common.NotFound:
            return request.not_found()
        error, message = common.pop_flash()
        return request.render("isp_portal.pay_page", {
            "invoice": invoice, "access_token": access_token or "", "error": error,
            "message": message,
            "acquirers": request.env["payment.acquirer"].isp_portal_acquirers(
                invoice.company_id)})

    @http.route(["/isp/pay/<int:invoice_id>/start"], type="http", auth="public",
                website=True, methods=["POST"])
    def isp_pay_start(self, invoice_id, access_token=None, acquirer_id=None, **kw):
        try:
            invoice = self._invoice(invoice_id, access_token)
        except common.NotFound:
            return request.not_found()
        try:
            acquirer = common.pick_acquirer(acquirer_id, invoice.company_id)
            tx = request.env["payment.transaction"].isp_create(
                acquirer, invoice.isp_subscription_id, invoice=invoice)
            return common.redirect_to_provider(tx)
        except UserError as exc:
            common.flash(error=exc.name)
            return request.redirect(invoice.isp_payment_url(absolute=False))

    # provider answers -----------------------------------------------------------

    @http.route(["/isp/payment/bkash/callback"], type="http", auth="public", csrf=False,
                methods=["GET", "POST"], website=True)
    def isp_bkash_callback(self, paymentID=None, status=None, **kw):  # noqa: N803
        tx = request.env["payment.transaction"].isp_bkash_find(paymentID)
        if not tx:
            return request.not_found()
        tx.isp_bkash_return(status)
        return request.redirect(tx.isp_result_url())

    @http.route(["/isp/payment/hosted/return"], type="http", auth="public", csrf=False,
                methods=["GET", "POST"], website=True)
    def isp_hosted_return(self, **kw):
        tx, _ok = request.env["payment.transaction"].isp_hosted_answer(kw)
        if not tx:
            return request.not_found()
        return request.redirect(tx.isp_result_url())

    @http.route(["/isp/payment/hosted/notify"], type="http", auth="public", csrf=False,
                methods=["POST"])
    def isp_hosted_notify(self, **kw):
        tx, ok = request.env["payment.transaction"].isp_hosted_answer(kw)
        if not tx:
            return request.not_found()
        return request.make_response("OK" if ok else "NOT PAID",
                                     headers=[("Content-Type", "text/plain")])

    @http.route(["/isp/payment/result/<int:tx_id>"], type="http", auth="public",
                website=True)
    def isp_payment_result(self, tx_id, token=None, **kw):
        tx = request.env["payment.transaction"].sudo().browse(tx_id).exists()
        if not tx or not tx.isp_access_token or not token \
                or not consteq(tx.isp_access_token, token):
            return request.not_found()
        sub = tx.isp_subscription_id
        own = sub and not request.env.user._is_public() and \
            sub.partner_id.commercial_partner_id == \
            request.env.user.partner_id.commercial_partner_id
        return request.render("isp_portal.payment_result", {
            "tx": tx, "sub": sub, "own": own,
            "state_label": {"done": _("Paid"), "cancel": _("Cancelled"),
                            "error": _("Not paid")}.get(tx.state, _("Waiting")),
            "hotspot": request.session.get("isp_hotspot") or {}})
