# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import hotspot


class IspRouter(models.Model):
    _inherit = "isp.router"

    hotspot_host = fields.Char(
        "Hotspot address",
        help="IP address or DNS name of this router's hotspot login page (the host of "
             "$(link-login-only), e.g. 10.5.50.1 or login.wifi.example.net). The portal's "
             "hotspot page posts logins only to the routers' hotspot addresses.")

    @api.constrains("hotspot_host")
    def _check_hotspot_host(self):
        for router in self.filtered("hotspot_host"):
            try:
                hotspot.normalize_host(router.hotspot_host)
            except ValueError:
                raise ValidationError(_(
                    "%(router)s: the hotspot address %(host)s is neither an IP address nor a "
                    "host name (write it without http:// nor a path, e.g. 10.5.50.1).") % {
                    "router": router.name, "host": router.hotspot_host})

    @api.model
    def isp_hotspot_hosts(self, company):
        """The hotspot addresses of `company`'s active routers."""
        return self.sudo().search([("hotspot_host", "!=", False),
                                   ("company_id", "=", company.id)]).mapped("hotspot_host")
