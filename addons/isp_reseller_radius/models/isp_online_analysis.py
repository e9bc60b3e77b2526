# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools


class IspOnlineAnalysis(models.Model):
    """Online versus offline customers per operator (graph): every active
    PPPoE or hotspot account, online when FreeRADIUS has an open session of
    it (a radacct row without stop time, isp_radius)."""

    _name = "isp.online.analysis"
    _description = "Online versus offline customers"
    _auto = False
    _rec_name = "subscription_id"

    subscription_id = fields.Many2one("isp.subscription", string="Account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    operator_id = fields.Many2one("res.partner", readonly=True)
    connection_type = fields.Selection([("pppoe", "PPPoE"), ("hotspot", "Hotspot")],
                                       readonly=True)
    status = fields.Selection([("online", "Online"), ("offline", "Offline")], readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW isp_online_analysis AS
            SELECT s.id, s.id AS subscription_id, s.company_id, s.operator_id,
                   s.connection_type,
                   CASE WHEN EXISTS (
                            SELECT 1 FROM radius.radacct a
                             WHERE a.subscription_id = s.id AND a.acctstoptime IS NULL)
                        THEN 'online' ELSE 'offline' END AS status
              FROM isp_subscription s
             WHERE s.state = 'active' AND s.connection_type IN ('pppoe', 'hotspot')""")
