# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer portal: /my/isp (accounts, status, buy / renew, pay, password,
usage). Every route reads the account as the logged-in user (record rule
"portal customers see their own subscriptions"); another customer's id is
a 404."""
from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.account.controllers.portal import PortalAccount
from odoo.addons.portal.controllers.portal import CustomerPortal

from . import common


class IspPortalAccount(PortalAccount):

    def _prepare_portal_layout_values(self):
        # as helpdesk's counter (controllers/helpdesk.py): count the bills the
        # login may read, never raise for a login without access to them
        values = super(PortalAccount, self)._prepare_portal_layout_values()
        values["invoice_count"] = common.readable_count(
            "account.invoice", self._get_account_invoice_domain())
        return values


class IspCustomerPortal(CustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["isp_subscription_count"] = common.readable_count(
            "isp.subscription", self._isp_subscription_domain())
        return values

    def _isp_subscription_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", partner.id)]

    def _isp_subscription(self, sub_id):
        """The customer's own account, else NotFound."""
        sub = common.check_record("isp.subscription", sub_id)
        if sub.partner_id.commercial_partner_id != \
                request.env.user.partner_id.commercial_partner_id:
            raise common.NotFound()
        return sub

    @http.route(["/my/isp"], type="http", auth="user", website=True)
    def isp_accounts(self, **kw):
        subs = request.env["isp.subscription"].search(self._isp_subscription_domain())
        if len(subs) == 1:
            return request.redirect("/my/isp/%d" % subs.id)
        values = self._prepare_portal_layout_values()
        values.update({"subscriptions": subs.sudo(), "page_name": "isp_accounts"})
        return request.render("isp_portal.portal_my_isp_accounts", values)

    @http.route(["/my/isp/<int:sub_id>"], type="http", auth="user", website=True)
    def isp_account(self, sub_id, **kw):
        try:
            sub = self._isp_subscription(sub_id)
        except common.NotFound:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        error, message = common.pop_flash()
        radius = sub._isp_portal_radius()
        values.update({
            "sub": sub, "page_name": "isp_account", "error": error, "message": message,
            "plans": sub._isp_portal_plans(), "open_bills": sub._isp_portal_open_bills(),
            "acquirers": request.env["payment.acquirer"].isp_portal_acquirers(sub.company_id),
            "radius": radius,
            "cards": "isp.card" in request.env.registry,
            "may_change_password": sub.company_id.isp_portal_password_change
            and sub.connection_type in ("pppoe", "hotspot"),
            "hotspot": request.session.get("isp_hotspot") or {},
        })
        return request.render("isp_portal.portal_my_isp_account", values)

    def _back(self, sub_id, error=None, message=None):
        common.flash(error=error, message=message)
        return request.redirect("/my/isp/%d" % sub_id)

    @http.route(["/my/isp/<int:sub_id>/buy"], type="http", auth="user", website=True,
                methods=["POST"])
    def isp_buy(self, sub_id, plan_id=None, acquirer_id=None, **kw):
        """Buy / renew a package (daily and hotspot accounts)."""
        try:
            sub = self._isp_subscription(sub_id)
        except common.NotFound:
            return request.not_found()
        try:
            plan = sub._isp_portal_plans().filtered(lambda p: str(p.id) == str(plan_id))
            if not plan:
                raise UserError(_("Choose a package offered to this account."))
            acquirer = common.pick_acquirer(acquirer_id, sub.company_id)
            tx = request.env["payment.transaction"].isp_create(acquirer, sub, plan=plan)
            return common.redirect_to_provider(tx)
        except UserError as exc:
            return self._back(sub.id, error=exc.name)

    @http.route(["/my/isp/<int:sub_id>/pay"], type="http", auth="user", website=True,
                methods=["POST"])
    def isp_pay(self, sub_id, invoice_id=None, acquirer_id=None, **kw):
        """Pay an open bill of the account online."""
        try:
            sub = self._isp_subscription(sub_id)
        except common.NotFound:
            return request.not_found()
        invoice = sub._isp_portal_open_bills().filtered(lambda i: str(i.id) == str(invoice_id))
        if not invoice:
            return request.not_found()
        try:
            acquirer = common.pick_acquirer(acquirer_id, sub.company_id)
            tx = request.env["payment.transaction"].isp_create(acquirer, sub, invoice=invoice)
            return common.redirect_to_provider(tx)
        except UserError as exc:
            return self._back(sub.id, error=exc.name)

    @http.route(["/my/isp/<int:sub_id>/password"], type="http", auth="user", website=True,
                methods=["POST"])
    def isp_password(self, sub_id, password=None, confirm=None, **kw):
        try:
            sub = self._isp_subscription(sub_id)
        except common.NotFound:
            return request.not_found()
        try:
            if (password or "") != (confirm or ""):
                raise UserError(_("The two passwords differ."))
            sub._isp_portal_set_password(password)
        except UserError as exc:
            return self._back(sub.id, error=exc.name)
        return self._back(sub.id, message=_("Your password was changed."))

    @http.route(["/my/isp/<int:sub_id>/redeem"], type="http", auth="user", website=True,
                methods=["POST"])
    def isp_redeem(self, sub_id, pin=None, **kw):
        """Redeem a recharge card for the account (when isp_cards is
        installed: its `isp.card.redeem` checks the card, locks it, logs
        every try and locks out repeated wrong PINs per account and per
        client address; the log is kept, so the refusal is not re-raised)."""
        if "isp.card" not in request.env.registry:
            return request.not_found()
        try:
            sub = self._isp_subscription(sub_id)
        except common.NotFound:
            return request.not_found()
        try:
            card = request.env["isp.card"].sudo().redeem(
                pin or "", sub, client_ip=common.client_address())
        except UserError as exc:
            return self._back(sub.id, error=exc.name)
        return self._back(sub.id, message=_("Card %s used.") % card.serial)
