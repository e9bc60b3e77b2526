# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_phone_region = fields.Char(
        string="Phone numbers region", size=2, default="BD",
        help="Country (ISO code) in which national mobile numbers of subscribers are "
             "read, e.g. BD: 01711-928149 becomes +8801711928149.")
    isp_default_billing_profile_id = fields.Many2one(
        "isp.billing.profile", string="Default billing profile",
        help="Billing profile of monthly accounts activated without one.")
