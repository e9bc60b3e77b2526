# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request


def _result(card=None, error=None):
    if error:
        return {"ok": False, "error": error}
    sub = card.redeemed_subscription_id
    return {"ok": True, "serial": card.serial, "account": sub.username,
            "package": card.plan_id.name or False, "value": card.value,
            "valid_until": sub.validity_end,
            "message": _("Card %s used: %s is valid until %s.") % (
                card.serial, sub.username, sub.partner_id.isp_datetime_text(sub.validity_end))}


class IspCardController(http.Controller):
    """Card redemption for the captive portal (isp_portal adds the customer
    pages). The account is named by its username and password; wrong tries
    count towards the lockout of the account and of the client address.
    The attempt is kept even when the card is refused: the error is caught
    here and the request's transaction commits."""

    def _redeem(self, pin, username, password):
        ip = request.httprequest.remote_addr
        try:
            card = request.env["isp.card"].sudo().redeem_for_user(
                pin, username, password, client_ip=ip)
        except UserError as exc:
            return _result(error=exc.args[0])
        return _result(card)

    @http.route("/card/redeem", type="http", auth="public", methods=["GET", "POST"],
                csrf=True)
    def redeem_form(self, pin=None, username=None, password=None, **kw):
        """GET (the QR code): a form with the PIN filled in. POST (the form,
        with its CSRF token): the redemption; the answer as a page, or JSON
        when asked (Accept: application/json)."""
        values = {"pin": pin or "", "username": username or "", "result": None}
        if request.httprequest.method == "POST":
            values["result"] = self._redeem(pin, username, password)
            if "application/json" in (request.httprequest.headers.get("Accept") or ""):
                return request.make_response(
                    json.dumps(values["result"], default=str),
                    headers=[("Content-Type", "application/json")])
        return request.render("isp_cards.redeem_page", values)

    @http.route("/card/redeem/json", type="json", auth="public", methods=["POST"],
                csrf=False)
    def redeem_json(self, pin=None, username=None, password=None, **kw):
        """JSON-RPC (a JSON body cannot be sent cross-site by a plain form, so
        no CSRF token is needed): {"ok": true, ...} or {"ok": false, "error"}."""
        return self._redeem(pin, username, password)


class IspCardExportController(http.Controller):
    """The file of a card export (isp.card.export.wizard), downloaded once
    by the user who asked for it, with the link's token."""

    @http.route("/isp_cards/export/<int:wizard_id>", type="http", auth="user",
                methods=["GET"])
    def export_file(self, wizard_id, token=None, **kw):
        wizard = request.env["isp.card.export.wizard"].browse(wizard_id)
        try:
            if not wizard.exists() or wizard.sudo().create_uid != request.env.user:
                raise MissingError(_("No such export."))   # its creator's only
            name, mimetype, data = wizard._isp_export_file(token)
        except (AccessError, MissingError):
            return request.not_found()
        except UserError as exc:
            response = request.make_response(
                exc.name, headers=[("Content-Type", "text/plain; charset=utf-8")])
            response.status_code = 409
            return response
        return request.make_response(data, headers=[
            ("Content-Type", mimetype), ("Content-Disposition", content_disposition(name)),
            ("Cache-Control", "no-store")])
