# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools


class IspBillAnalysis(models.Model):
    """Due versus payment per month (graph and pivot)."""

    _name = "isp.bill.analysis"
    _description = "Bills and payments per month"
    _auto = False
    _order = "month desc"

    month = fields.Date(readonly=True)
    operator_id = fields.Many2one("res.partner", readonly=True)
    plan_id = fields.Many2one("isp.service.plan", string="Package", readonly=True)
    connection_type = fields.Selection([("pppoe", "PPPoE"), ("hotspot", "Hotspot"),
                                        ("static", "Static IP"), ("other", "Other")],
                                       readonly=True)
    kind = fields.Char("Bill type", readonly=True)
    billed = fields.Float(readonly=True)
    paid = fields.Float(readonly=True)
    due = fields.Float(readonly=True)
    bill_count = fields.Integer(readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW isp_bill_analysis AS
            SELECT min(i.id) AS id,
                   date_trunc('month', i.date_invoice)::date AS month,
                   i.isp_operator_id AS operator_id, i.isp_plan_id AS plan_id,
                   s.connection_type, i.isp_kind AS kind,
                   sum(i.amount_total_company_signed) AS billed,
                   sum(i.amount_total_company_signed - i.residual_company_signed) AS paid,
                   sum(i.residual_company_signed) AS due,
                   count(*) AS bill_count
              FROM account_invoice i
              JOIN isp_subscription s ON s.id = i.isp_subscription_id
             WHERE i.state IN ('open', 'paid') AND i.type = 'out_invoice'
             GROUP BY 2, 3, 4, 5, 6""")


class IspRegistrationAnalysis(models.Model):
    """New accounts per month (graph)."""

    _name = "isp.registration.analysis"
    _description = "New registrations per month"
    _auto = False
    _order = "month desc"

    month = fields.Date(readonly=True)
    operator_id = fields.Many2one("res.partner", readonly=True)
    connection_type = fields.Selection([("pppoe", "PPPoE"), ("hotspot", "Hotspot"),
                                        ("static", "Static IP"), ("other", "Other")],
                                       readonly=True)
    registrations = fields.Integer(readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW isp_registration_analysis AS
            SELECT min(id) AS id, date_trunc('month', create_date)::date AS month,
                   operator_id, connection_type, count(*) AS registrations
              FROM isp_subscription GROUP BY 2, 3, 4""")

