# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class IspSubscriptionExtendWizard(models.TransientModel):
    _name = "isp.subscription.extend.wizard"
    _description = "Extend validity by days"

    subscription_ids = fields.Many2many(
        "isp.subscription", required=True,
        default=lambda self: self.env.context.get("active_ids"))
    days = fields.Integer(required=True, default=7)
    reason = fields.Char(required=True, help="Free trial, reward, compensation...")

    @api.multi
    def action_apply(self):
        self.ensure_one()
        self.subscription_ids.action_extend_days(self.days, self.reason)
        return {"type": "ir.actions.act_window_close"}


class IspSubscriptionStateWizard(models.TransientModel):
    """Suspend or disable with a reason (kept in the state history)."""

    _name = "isp.subscription.state.wizard"
    _description = "Suspend or disable subscriptions"

    subscription_ids = fields.Many2many(
        "isp.subscription", required=True,
        default=lambda self: self.env.context.get("active_ids"))
    action = fields.Selection([("suspend", "Suspend"), ("disable", "Disable")],
                              required=True, default="suspend")
    reason = fields.Char(required=True)

    @api.multi
    def action_apply(self):
        self.ensure_one()
        if self.action == "suspend":
            self.subscription_ids.action_suspend(self.reason)
        else:
            self.subscription_ids.action_disable(self.reason)
        return {"type": "ir.actions.act_window_close"}


class IspSubscriptionPlanWizard(models.TransientModel):
    _name = "isp.subscription.plan.wizard"
    _description = "Change package"

    subscription_id = fields.Many2one(
        "isp.subscription", required=True,
        default=lambda self: self.env.context.get("active_id"))
    connection_type = fields.Selection(related="subscription_id.connection_type",
                                       readonly=True)
    billing_type = fields.Selection(related="subscription_id.billing_type", readonly=True)
    plan_id = fields.Many2one("isp.service.plan", string="New package", required=True)

    @api.multi
    def action_apply(self):
        self.ensure_one()
        self.subscription_id.action_change_plan(self.plan_id)
        return {"type": "ir.actions.act_window_close"}
