# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from odoo.addons.isp_base.lib import billing_profile as bp
from odoo.addons.isp_base.lib import localtime


class IspDashboard(models.TransientModel):
    """Current condition in one look (seed 000's dashboard), for the whole ISP
    or one operator. Every amount is read from invoices, payments and journal
    items, never from a stored total."""

    _name = "isp.dashboard"
    _description = "ISP dashboard"

    operator_id = fields.Many2one("res.partner", domain=[("isp_is_operator", "=", True)],
                                  help="Only this operator's customers (empty: all).")
    currency_id = fields.Many2one("res.currency",
                                  default=lambda self: self.env.user.company_id.currency_id)
    paid_customers = fields.Integer(compute="_compute_figures",
                                    help="Accounts without outstanding bills.")
    billed_customers = fields.Integer(compute="_compute_figures",
                                      help="Accounts with outstanding bills.")
    active_count = fields.Integer("Active", compute="_compute_figures")
    suspended_count = fields.Integer("Suspended", compute="_compute_figures")
    disabled_count = fields.Integer("Disabled", compute="_compute_figures")
    expired_count = fields.Integer("Expired", compute="_compute_figures")
    suspended_today = fields.Integer(
        "Will be suspended today", compute="_compute_figures",
        help="Accounts that lose their connection today unless they pay or renew.")
    to_collect_today = fields.Monetary(compute="_compute_figures",
                                       help="Bills whose last due date is today.")
    collected_today = fields.Monetary(compute="_compute_figures")
    collected_month = fields.Monetary("Collected this month", compute="_compute_figures")
    total_due = fields.Monetary(compute="_compute_figures", help="All outstanding bills.")
    receivable = fields.Monetary(compute="_compute_figures",
                                 help="What customers owe (their debit balances).")
    payable = fields.Monetary(compute="_compute_figures",
                              help="Money received ahead (customers' credit balances).")
    sms_balance = fields.Integer(compute="_compute_figures")
    sms_sent_today = fields.Integer(compute="_compute_figures")

    @api.multi
    def name_get(self):
        """The title people read in the breadcrumb ("isp.dashboard,2" else)."""
        return [(dash.id, _("Dashboard: %s") % dash.operator_id.name if dash.operator_id
                 else _("Dashboard")) for dash in self]

    @api.depends("operator_id")
    def _compute_figures(self):
        for dash in self:
            for key, value in dash.figures().items():
                dash[key] = value

    @api.multi
    def figures(self, today=None, now=None):
        """The dashboard's figures as a dict (used by the view and tests)."""
        self.ensure_one()
        company = self.env.user.company_id
        # the ISP's day (its company's zone), as for bills and suspensions
        today = today or fields.Date.to_string(self.env["isp.subscription"]._isp_today())
        now = now or fields.Datetime.now()
        cr = self.env.cr
        # the operators whose customers count: None = all of them
        op = self._isp_operator_ids()
        res = {}

        cr.execute("""SELECT state, count(*) FROM isp_subscription
                       WHERE company_id = %s
                         AND (%s::int[] IS NULL OR operator_id = ANY(%s::int[]))
                       GROUP BY state""", (company.id, op, op))
        states = dict(cr.fetchall())
        res.update(active_count=states.get("active", 0),
                   suspended_count=states.get("suspended", 0),
                   disabled_count=states.get("disabled", 0),
                   expired_count=states.get("expired", 0))

        # the view behind the "paid versus billed" chart (isp_billing_analysis.py)
        cr.execute("""
            SELECT count(*) FILTER (WHERE bill_status = 'paid'),
                   count(*) FILTER (WHERE bill_status = 'billed')
              FROM isp_customer_analysis
             WHERE company_id = %s
               AND (%s::int[] IS NULL OR operator_id = ANY(%s::int[]))""",
                   (company.id, op, op))
        res["paid_customers"], res["billed_customers"] = cr.fetchone()

        cr.execute("""
            SELECT coalesce(sum(residual_company_signed) FILTER (WHERE date_due = %s), 0),
                   coalesce(sum(residual_company_signed), 0)
              FROM account_invoice
             WHERE company_id = %s AND state = 'open' AND type = 'out_invoice'
               AND isp_subscription_id IS NOT NULL
               AND (%s::int[] IS NULL OR isp_operator_id = ANY(%s::int[]))""",
                   (today, company.id, op, op))
        res["to_collect_today"], res["total_due"] = cr.fetchone()

        month_start = today[:8] + "01"
        cr.execute("""
            SELECT coalesce(sum(p.amount) FILTER (WHERE p.payment_date = %s), 0),
                   coalesce(sum(p.amount) FILTER (WHERE p.payment_date >= %s), 0)
              FROM account_payment p JOIN res_partner rp ON rp.id = p.partner_id
             WHERE p.company_id = %s AND p.payment_type = 'inbound'
               AND p.partner_type = 'customer' AND p.state IN ('posted', 'sent', 'reconciled')
               AND rp.isp_is_subscriber
               AND (%s::int[] IS NULL OR rp.isp_operator_id = ANY(%s::int[]))""",
                   (today, month_start, company.id, op, op))
        res["collected_today"], res["collected_month"] = cr.fetchone()

        cr.execute("""
            SELECT coalesce(sum(greatest(bal, 0)), 0), coalesce(sum(greatest(-bal, 0)), 0)
              FROM (SELECT aml.partner_id, sum(aml.balance) AS bal
                      FROM account_move_line aml
                      JOIN account_account a ON a.id = aml.account_id
                      JOIN account_account_type t ON t.id = a.user_type_id
                      JOIN account_move m ON m.id = aml.move_id
                      JOIN res_partner rp ON rp.id = aml.partner_id
                     WHERE aml.company_id = %s AND t.type = 'receivable'
                       AND m.state = 'posted' AND rp.isp_is_subscriber
                       AND (%s::int[] IS NULL OR rp.isp_operator_id = ANY(%s::int[]))
                     GROUP BY aml.partner_id) balances""", (company.id, op, op))
        res["receivable"], res["payable"] = cr.fetchone()

        res["suspended_today"] = self._suspended_today(today, op)
        provider = self.env["isp.sms.provider"].sudo().search(
            [("company_id", "=", company.id)], limit=1)
        res["sms_balance"] = provider.balance
        res["sms_sent_today"] = provider.sent_today if provider else 0
        return res

    def _isp_operator_ids(self):
        """Ids of the operators whose customers the figures count, None for
        every customer of the company (isp_reseller adds sub-resellers and
        keeps a reseller's staff inside its subtree)."""
        return [self.operator_id.id] if self.operator_id else None

    def _suspended_today(self, today, op):
        """Accounts the suspension job will cut off before the day ends."""
        Sub = self.env["isp.subscription"].sudo()
        tz_name = self.env.user.company_id._isp_tz_name()
        later = localtime.day_end_utc(fields.Date.from_string(today), tz_name)
        end_of_day = fields.Datetime.to_string(later)
        domain = [("state", "=", "active"), ("validity_end", "<=", end_of_day),
                  ("connection_type", "!=", "other"),
                  ("company_id", "=", self.env.user.company_id.id)]
        if op is not None:
            domain.append(("operator_id", "in", op))
        subs = Sub.search(domain)
        unpaid = Sub._isp_unpaid_due_dates_for(subs.ids)
        count = 0
        for sub in subs:
            decision, _reason = bp.suspension_check(
                sub.billing_type, sub.connection_type, sub.billing_profile_id.auto_suspend,
                fields.Datetime.from_string(sub.validity_end), later, unpaid.get(sub.id, []),
                sub.billing_profile_id.grace_days, tz_name=tz_name)
            count += decision in (bp.SUSPEND, bp.EXPIRE)
        return count

    # charts (one click from the dashboard; also under ISP > Reporting) ------------

    def _open_chart(self, xmlid):
        """The chart's action, for the operators the dashboard counts."""
        self.ensure_one()
        action = self.env.ref(xmlid).read()[0]
        operators = self._isp_operator_ids()
        if operators is not None:
            action["domain"] = [("operator_id", "in", operators)]
            if self.operator_id:
                action["name"] = "%s: %s" % (action["name"], self.operator_id.name)
        return action

    @api.multi
    def action_chart_paid_billed(self):
        return self._open_chart("isp_billing.isp_customer_analysis_action")

    @api.multi
    def action_chart_due_payment(self):
        return self._open_chart("isp_billing.isp_bill_analysis_action")

    @api.multi
    def action_chart_registrations(self):
        return self._open_chart("isp_billing.isp_registration_analysis_action")

    @api.model
    def action_open(self):
        dash = self.create({})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": dash.id,
                "view_mode": "form", "target": "current", "name": "ISP dashboard"}
