# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IspNoticeTemplate(models.Model):
    _inherit = "isp.notice.template"

    event = fields.Selection(selection_add=[("card_sold", "Digital card sold (PIN)")])


class IspNotice(models.Model):
    _inherit = "isp.notice"

    event = fields.Selection(selection_add=[("card_sold", "Digital card sold (PIN)")])
