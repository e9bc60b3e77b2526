# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import request

from odoo.addons.website.controllers.main import Website


class IspPortalLogin(Website):

    @http.route()
    def web_login(self, redirect=None, *args, **kw):
        """Portal logins (customers, resellers, card distributors) land on
        their account page, not on the website's home page (the website
        sends every login that is not staff to /)."""
        response = super().web_login(*args, redirect=redirect, **kw)
        if not redirect and request.params.get("login_success") and request.uid \
                and not request.env["res.users"].sudo().browse(request.uid).has_group(
                    "base.group_user"):
            return http.redirect_with_hash("/my")
        return response
