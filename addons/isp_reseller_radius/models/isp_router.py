# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IspRouter(models.Model):
    _inherit = "isp.router"

    # scoping only (record rules): a reseller's staff reach the routers that
    # serve its subtree's subscriptions
    isp_subscription_ids = fields.One2many("isp.subscription", "router_id",
                                           string="Subscriptions")
