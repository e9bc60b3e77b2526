# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..lib import lifecycle

STATES = list(lifecycle.STATE_LABELS.items())


class IspSubscriptionStateLog(models.Model):
    """Who moved which subscription from which state to which, when, why."""

    _name = "isp.subscription.state.log"
    _description = "Subscription state history"
    _order = "date desc, id desc"

    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade",
                                      index=True, readonly=True)
    partner_id = fields.Many2one(related="subscription_id.partner_id", store=True,
                                 readonly=True)
    company_id = fields.Many2one(related="subscription_id.company_id", store=True,
                                 readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one("res.users", string="By", required=True, readonly=True)
    from_state = fields.Selection(STATES, readonly=True)
    to_state = fields.Selection(STATES, required=True, readonly=True)
    event = fields.Char(readonly=True)
    reason = fields.Char(readonly=True)


class IspSubscriptionExtension(models.Model):
    """A free extension of validity (trial, reward): who extended whom, by how
    many days (seed 002's extension history)."""

    _name = "isp.subscription.extension"
    _description = "Validity extension"
    _order = "date desc, id desc"

    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade",
                                      index=True, readonly=True)
    partner_id = fields.Many2one(related="subscription_id.partner_id", store=True,
                                 readonly=True, string="Subscriber")
    company_id = fields.Many2one(related="subscription_id.company_id", store=True,
                                 readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one("res.users", string="Extended by", required=True,
                              readonly=True)
    days = fields.Integer(required=True, readonly=True)
    reason = fields.Char(required=True, readonly=True)
    old_end = fields.Datetime("Valid until (before)", readonly=True)
    new_end = fields.Datetime("Valid until (after)", readonly=True)
