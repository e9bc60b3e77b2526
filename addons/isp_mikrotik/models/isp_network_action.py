# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, models

from ..lib import client as ros

_logger = logging.getLogger(__name__)


class IspNetworkAction(models.Model):
    _inherit = "isp.network.action"

    @api.multi
    def _hand_over_to_router(self):
        """The fallback of an unconfirmed RADIUS disconnect: end the session
        through the router's API (/ppp/active or /ip/hotspot/active remove).
        Each kick is recorded as a network action "kick". True when the
        session is gone (ended now, or already offline)."""
        self.ensure_one()
        router = self.router_id.sudo()
        if not router or not router.api_configured or not self.username:
            return super()._hand_over_to_router()
        kinds = (self.subscription_id.connection_type,) \
            if self.subscription_id.connection_type in ("pppoe", "hotspot") \
            else ("pppoe", "hotspot")
        note = _("Fallback of network action %d") % self.id
        try:
            with router._mikrotik_client() as client:
                count = router._mikrotik_kick(client, [(kind, self.username) for kind in kinds],
                                              self.subscription_id, note=note)
        except ros.RouterError as error:
            _logger.info("kick of %s through %s failed: %s", self.username, router.name,
                         error)
            router._mikrotik_record(error)
            router._mikrotik_log_kick(self.subscription_id, self.username, error=error)
            return False
        if not count:
            # offline already: nothing was left to end
            router._mikrotik_log_kick(self.subscription_id, self.username, note=_(
                "No session was online (fallback of network action %d)") % self.id)
        router._mikrotik_record()
        return True
