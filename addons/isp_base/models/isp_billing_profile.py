# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import billing_profile


class IspBillingProfile(models.Model):
    """How monthly customers are billed and suspended (seed 000, notes 1-5).
    The rules themselves are plain functions in lib/billing_profile.py."""

    _name = "isp.billing.profile"
    _description = "Billing profile"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    auto_bill = fields.Boolean(
        "Automatic bill", default=True,
        help="Monthly customers get their bill automatically on the billing day "
             "(note 2). Daily and hotspot customers never do.")
    auto_suspend = fields.Boolean(
        "Automatic suspend", default=True,
        help="A monthly customer is suspended when its validity has ended AND a bill "
             "is unpaid after its due date (+ grace days). No bill, no suspension "
             "(note 3).")
    billing_day = fields.Integer(
        default=1, required=True,
        help="Day of the month on which billing cycles start (1 = calendar months); "
             "days beyond a month's end mean its last day.")
    cycle_ends_with_month = fields.Boolean(
        "Billing cycle ends with month", default=True,
        help="Yes: a new customer is billed for the rest of the current cycle, "
             "prorated by days, then with everybody on the billing day (note 5). "
             "No: a new customer is billed a full cycle until its next payment date, "
             "and keeps its own cycle, e.g. 20th to 20th (note 4).")
    due_days = fields.Integer(
        default=7, help="Days the customer has to pay a bill after it is issued.")
    grace_days = fields.Integer(
        default=0, help="Tolerance: days after the due date before suspension.")
    warning_days = fields.Integer(
        default=3, help="Days before the end of validity on which the customer is "
                        "warned.")
    suspend_action = fields.Selection(
        [("reject", "Cut off (RADIUS reject)"),
         ("suspended_pool", "Connect into the suspended pool (payment page)")],
        required=True, default="reject",
        help="What a suspended customer gets when it connects.")
    suspended_pool_id = fields.Many2one("isp.ip.pool", domain=[("purpose", "=", "suspended")])
    suspended_address_list = fields.Char(
        default="suspended",
        help="RouterOS address list of suspended customers (for the redirect to the "
             "payment page).")

    _sql_constraints = [
        ("billing_day_range", "CHECK(billing_day BETWEEN 1 AND 31)",
         "The billing day is a day of the month (1 to 31)."),
        ("days_not_negative", "CHECK(due_days >= 0 AND grace_days >= 0 AND "
                              "warning_days >= 0)",
         "Due, grace and warning days cannot be negative."),
    ]

    @api.constrains("suspend_action", "suspended_pool_id")
    def _check_suspended_pool(self):
        for profile in self:
            if profile.suspend_action == "suspended_pool" and not profile.suspended_pool_id:
                raise ValidationError(_("%s: choose the suspended pool customers connect "
                                        "into.") % profile.name)

    @api.multi
    def first_bill(self, start_date):
        """(period_start, period_end, days_billed, days_in_cycle, anchor_day) of
        the first bill of a customer activated on `start_date` (a date)."""
        self.ensure_one()
        return billing_profile.first_bill(start_date, self.billing_day,
                                          self.cycle_ends_with_month)
