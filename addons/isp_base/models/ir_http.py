# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import http, models
from odoo.http import request

_logger = logging.getLogger(__name__)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _authenticate(cls, auth_method="user"):
        """A session opened from an allowed network stops working when it is
        used from elsewhere (stolen cookie, laptop moved)."""
        uid = request.session.uid
        if uid:
            user = request.env["res.users"].sudo().browse(uid)
            address = request.httprequest.remote_addr
            if user.exists() and not user._isp_address_allowed(address):
                request.registry["isp.login.refusal"].log_apart(
                    request.registry, user.login, address, reason="session")
                request.session.logout(keep_db=True)
                raise http.SessionExpiredException(
                    "Session not allowed from %s" % address)
        return super()._authenticate(auth_method=auth_method)
