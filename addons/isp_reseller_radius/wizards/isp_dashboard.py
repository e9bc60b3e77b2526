# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IspDashboard(models.TransientModel):
    _inherit = "isp.dashboard"

    @api.multi
    def action_chart_online(self):
        return self._open_chart("isp_reseller_radius.isp_online_analysis_action")
