# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hotspot: the login page MikroTik's captive portal redirects to (its
variables mac, ip, link-login-only, link-orig) and self-registration by
mobile number with a one-time code sent by SMS."""
from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

from ..lib import hotspot
from . import common


class IspHotspot(http.Controller):

    def _context(self):
        return request.session.get("isp_hotspot") or {}

    def _render(self, template, values):
        values = dict(values, hotspot=self._context(), company=common.company())
        return request.render(template, values)

    @http.route(["/hotspot/login"], type="http", auth="public", website=True,
                methods=["GET", "POST"], csrf=False)
    def hotspot_login(self, **kw):
        """The page MikroTik's hotspot redirects to (set it as the hotspot's
        login page; see README). GET/POST without CSRF: the router sends the
        visitor here; nothing is written but the session's hotspot context.
        A login address that is not one of the ISP's routers' hotspot
        addresses gets an error page: the form would post the visitor's
        password to whoever wrote the link."""
        company = common.company()
        login_hosts = request.env["isp.router"].isp_hotspot_hosts(company)
        link = hotspot.login_link(kw)
        if link and not hotspot.login_url_allowed(link, login_hosts):
            response = self._render("isp_portal.hotspot_refused", {
                "host": hotspot.host_of(hotspot.safe_url(link))})
            response.status_code = 400
            return response
        ctx = hotspot.login_context(kw, login_hosts)
        if any(ctx.values()):
            request.session["isp_hotspot"] = ctx
        ctx = self._context()
        subs = request.env["isp.subscription"]
        if not request.env.user._is_public():
            subs = subs.search([("connection_type", "=", "hotspot"), (
                "partner_id", "child_of",
                request.env.user.partner_id.commercial_partner_id.id)])
        return self._render("isp_portal.hotspot_login", {
            "subs": subs.sudo(), "error": (kw.get("error") or "")[:200],
            "signup": common.company().isp_portal_signup})

    @http.route(["/hotspot/register"], type="http", auth="public", website=True,
                methods=["GET", "POST"])
    def hotspot_register(self, mobile=None, **kw):
        company = common.company()
        if not company.isp_portal_signup:
            return request.not_found()
        error = None
        if request.httprequest.method == "POST":
            try:
                number = request.env["isp.portal.otp"].sudo().request_code(
                    mobile, common.client_address(), company)
                request.session["isp_signup_mobile"] = number
                return request.redirect("/hotspot/verify")
            except UserError as exc:
                error = exc.name
        return self._render("isp_portal.hotspot_register",
                            {"mobile": mobile or "", "error": error})

    @http.route(["/hotspot/verify"], type="http", auth="public", website=True,
                methods=["GET", "POST"])
    def hotspot_verify(self, code=None, password=None, confirm=None, name=None, **kw):
        company = common.company()
        mobile = request.session.get("isp_signup_mobile")
        if not company.isp_portal_signup or not mobile:
            return request.redirect("/hotspot/register")
        error = None
        if request.httprequest.method == "POST":
            try:
                if (password or "") != (confirm or ""):
                    raise UserError(_("The two passwords differ."))
                if len(password or "") < 6:
                    raise UserError(_("Choose a password of at least 6 characters."))
                Otp = request.env["isp.portal.otp"].sudo()
                Otp.verify_code(mobile, code, common.client_address(), company)
                user = Otp.signup(mobile, password, name, company)
                login = user.login
                request.session.pop("isp_signup_mobile", None)
                # the portal login is open from now on (the code proved the number)
                request.env.cr.commit()  # pylint: disable=invalid-commit
                request.session.authenticate(request.db, login, password)
                return request.redirect("/my/isp")
            except UserError as exc:
                error = exc.name
        return self._render("isp_portal.hotspot_verify",
                            {"mobile": mobile, "error": error, "name": name or ""})

    @http.route(["/hotspot/walled-garden"], type="http", auth="public")
    def hotspot_walled_garden(self, **kw):
        """The hosts to allow before login (/ip hotspot walled-garden)."""
        company = common.company()
        hosts = hotspot.walled_garden_hosts(
            common.base_url(),
            request.env["payment.acquirer"].isp_portal_acquirers(company).isp_payment_hosts())
        return request.make_response("\n".join(hosts) + "\n",
                                     headers=[("Content-Type", "text/plain")])
