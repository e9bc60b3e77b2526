# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class IspNetworkAction(models.Model):
    """One Disconnect / CoA sent (or to send) to a NAS for one session, and
    what became of it: the "network actions" list."""

    _name = "isp.network.action"
    _description = "Network action"
    _order = "id desc"

    subscription_id = fields.Many2one("isp.subscription", index=True, ondelete="set null")
    router_id = fields.Many2one("isp.router", string="Router / NAS", index=True,
                                ondelete="set null")
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    username = fields.Char(index=True)
    acct_session_id = fields.Char("Acct-Session-Id")
    framed_ip = fields.Char("IP address")
    kind = fields.Selection(
        [("disconnect", "Disconnect"), ("coa", "Change of authorisation"),
         ("kick", "Router API kick")], required=True, default="disconnect")
    state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent"), ("confirmed", "Confirmed"),
         ("failed", "Disconnect failed"), ("handed_over", "Handed over to the router API"),
         ("done", "Done")], required=True, default="queued", index=True)
    attempts = fields.Integer(default=0)
    last_error = fields.Char()
    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True)

    @api.multi
    def _hand_over_to_router(self):
        """Kick the session through the router's own API when RADIUS could
        not. isp_mikrotik overrides this (and returns True when it did);
        without it nothing can be done."""
        self.ensure_one()
        return False
