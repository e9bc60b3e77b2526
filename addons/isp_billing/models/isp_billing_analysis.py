# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools


class IspBillAnalysis(models.Model):
    """Due versus payment per month (graph and pivot): what the customers'
    bills of each month (by bill date) brought in (paid) and what is still
    owed on them (due), one row of each per month, operator, package,
    connection type and bill type. Paid plus due is what was billed."""

    _name = "isp.bill.analysis"
    _description = "Due versus payment per month"
    _auto = False
    _order = "month desc"

    month = fields.Date(readonly=True)
    operator_id = fields.Many2one("res.partner", readonly=True)
    plan_id = fields.Many2one("isp.service.plan", string="Package", readonly=True)
    connection_type = fields.Selection([("pppoe", "PPPoE"), ("hotspot", "Hotspot"),
                                        ("static", "Static IP"), ("other", "Other")],
                                       readonly=True)
    kind = fields.Char("Bill type", readonly=True)
    amount_type = fields.Selection([("paid", "Paid"), ("due", "Due")], "Paid or due",
                                   readonly=True)
    amount = fields.Float(readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW isp_bill_analysis AS
            SELECT b.id * 2 + t.n AS id, b.month, b.operator_id, b.plan_id,
                   b.connection_type, b.kind, t.amount_type,
                   CASE t.n WHEN 0 THEN b.paid ELSE b.due END AS amount
              FROM (SELECT min(i.id) AS id,
                           date_trunc('month', i.date_invoice)::date AS month,
                           i.isp_operator_id AS operator_id, i.isp_plan_id AS plan_id,
                           s.connection_type, i.isp_kind AS kind,
                           sum(i.amount_total_company_signed - i.residual_company_signed)
                               AS paid,
                           sum(i.residual_company_signed) AS due
                      FROM account_invoice i
                      JOIN isp_subscription s ON s.id = i.isp_subscription_id
                     WHERE i.state IN ('open', 'paid') AND i.type = 'out_invoice'
                     GROUP BY 2, 3, 4, 5, 6) b
             CROSS JOIN (VALUES (0, 'paid'), (1, 'due')) t (n, amount_type)""")


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



class IspCustomerAnalysis(models.Model):
    """Paid versus billed customers (graph): each running account (active or
    suspended) with or without an outstanding bill. The dashboard counts
    its paid and billed customers from this view."""

    _name = "isp.customer.analysis"
    _description = "Paid versus billed customers"
    _auto = False
    _rec_name = "subscription_id"

    subscription_id = fields.Many2one("isp.subscription", string="Account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    operator_id = fields.Many2one("res.partner", readonly=True)
    connection_type = fields.Selection([("pppoe", "PPPoE"), ("hotspot", "Hotspot"),
                                        ("static", "Static IP"), ("other", "Other")],
                                       readonly=True)
    billing_type = fields.Selection(
        [("daily", "Daily (prepaid)"), ("monthly", "Monthly (postpaid)")], readonly=True)
    state = fields.Selection([("active", "Active"), ("suspended", "Suspended")],
                             readonly=True)
    bill_status = fields.Selection(
        [("paid", "Paid"), ("billed", "Billed")], "Bills", readonly=True,
        help="Paid: no outstanding bill. Billed: at least one open bill.")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW isp_customer_analysis AS
            SELECT s.id, s.id AS subscription_id, s.company_id, s.operator_id,
                   s.connection_type, s.billing_type, s.state,
                   CASE WHEN EXISTS (
                            SELECT 1 FROM account_invoice i
                             WHERE i.isp_subscription_id = s.id AND i.state = 'open'
                               AND i.type = 'out_invoice')
                        THEN 'billed' ELSE 'paid' END AS bill_status
              FROM isp_subscription s
             WHERE s.state IN ('active', 'suspended')""")
