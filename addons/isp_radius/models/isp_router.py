# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IspRouter(models.Model):
    """What FreeRADIUS and the CoA sender need to know about a NAS."""

    _inherit = "isp.router"

    radius_secret = fields.Char(
        "RADIUS secret", groups="isp_base.group_isp_admin", copy=False, isp_secret=True,
        help="Shared secret between this router and the RADIUS server (also used "
             "for Disconnect / CoA requests).")
    coa_port = fields.Integer(
        "CoA port", default=3799,
        help="UDP port on which the router accepts Disconnect / CoA requests "
             "(RouterOS: /radius incoming, 3799 by default).")
    nas_type = fields.Char("NAS type", default="mikrotik",
                           help="FreeRADIUS client type (nas.type).")
    radius_require_message_authenticator = fields.Boolean(
        "Require Message-Authenticator", default=True,
        help="Answer only the Access-Requests of this router that carry a "
             "Message-Authenticator (protection against BlastRADIUS, CVE-2024-3596). "
             "RouterOS 7.15 and later send it; turn it off only for an older router, "
             "and upgrade it. Routers registered before this setting existed have it "
             "off. FreeRADIUS sees a change within 5 minutes.")
