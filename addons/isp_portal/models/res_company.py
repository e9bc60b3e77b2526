# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_portal_password_change = fields.Boolean(
        "Customers change their password in the portal", default=True,
        help="Let portal customers set a new PPPoE / Wi-Fi password for their accounts.")
    isp_portal_signup = fields.Boolean(
        "Hotspot self-registration", default=True,
        help="Visitors of the hotspot login page may register with their mobile number "
             "(one-time code by SMS).")
    isp_signup_zone_id = fields.Many2one(
        "isp.zone", string="Zone of self-registered accounts",
        help="Zone / block given to accounts created by hotspot self-registration.")
