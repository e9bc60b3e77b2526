# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import odoo
from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.main import Home

from ..models.res_users import IspLoginRefusedError


class IspHome(Home):

    @http.route()
    def web_login(self, redirect=None, **kw):
        """Tell a user refused for its address why (not "wrong password")."""
        try:
            return super().web_login(redirect=redirect, **kw)
        except IspLoginRefusedError as exc:
            values = request.params.copy()
            values["error"] = exc.args[0]
            values["databases"] = None
            if not odoo.tools.config["list_db"]:
                values["disable_database_manager"] = True
            response = request.render("web.login", values)
            response.headers["X-Frame-Options"] = "DENY"
            return response
