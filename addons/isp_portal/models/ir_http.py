# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from urllib.parse import urlsplit

from odoo import models
from odoo.http import request

from ..lib import urls

_logger = logging.getLogger(__name__)

#: (path prefix, parameter): where a page sends the browser next; "" = every page
REDIRECT_PARAMS = (("", "redirect"), ("/website/lang/", "r"))


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls):
        """Same-site redirects only: a `redirect` parameter that leads to
        another site (Odoo 11's /web/login, /web, /web/session/logout,
        /web/signup, /my/account... follow it as given) is dropped before
        any controller reads it, so each page goes where it goes by default."""
        if request and getattr(request, "_request_type", None) == "http":
            cls._isp_same_site_redirects()
        return super()._dispatch()

    @classmethod
    def _isp_same_site_redirects(cls):
        params = request.params
        path = request.httprequest.path
        if not any(params.get(name) is not None for _prefix, name in REDIRECT_PARAMS):
            return
        public = request.env["ir.config_parameter"].sudo().get_param("web.base.url")
        hosts = (request.httprequest.host, urlsplit(public or "").netloc)
        for prefix, name in REDIRECT_PARAMS:
            value = params.get(name)
            if value is None or not path.startswith(prefix):
                continue
            safe = urls.same_site(value, hosts)
            if safe is None:
                _logger.info("Off-site %s=%r of %s dropped", name, str(value)[:200], path)
                params.pop(name)
            else:
                params[name] = safe
