# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import client as ros
from ..lib import commands as cmd


class IspMikrotikSession(models.TransientModel):
    """A customer online on a router right now (/ppp/active,
    /ip/hotspot/active), read through the API."""

    _name = "isp.mikrotik.session"
    _description = "Online session (router API)"
    _order = "router_id, username"

    router_id = fields.Many2one("isp.router", required=True, readonly=True,
                                ondelete="cascade")
    kind = fields.Selection([("pppoe", "PPPoE"), ("hotspot", "Hotspot")], readonly=True)
    username = fields.Char(readonly=True)
    address = fields.Char(readonly=True)
    caller_id = fields.Char("MAC / caller id", readonly=True)
    uptime = fields.Char(readonly=True)
    item_id = fields.Char("Router id", readonly=True)
    session_id = fields.Char(readonly=True)
    subscription_id = fields.Many2one("isp.subscription", readonly=True)

    @api.model
    def load(self, routers, raise_unreachable=None):
        """Read the sessions of `routers` and list them; a router that
        cannot be reached is named in the title, the others still show.
        `raise_unreachable`: refuse (UserError) when no router answered;
        by default only when one router was asked (its own button), not for
        the list of every router (the menu), which always opens."""
        Sub = self.env["isp.subscription"]
        records = self.browse()
        failed = []
        for router in routers:
            try:
                with router._mikrotik_client() as client:
                    sessions = router._mikrotik_sessions(client)
            except ros.RouterError as error:
                router._mikrotik_record(error)
                failed.append(str(error))
                continue
            names = [row.get("name") or row.get("user") for _kind, row in sessions]
            subs = {s.username.lower(): s for s in Sub.search([
                ("company_id", "=", router.company_id.id), ("username", "in", names)])} \
                if names else {}
            for kind, row in sessions:
                username = row.get("name") or row.get("user") or ""
                records |= self.create({
                    "router_id": router.id,
                    "kind": kind,
                    "username": username,
                    "address": row.get("address"),
                    "caller_id": row.get("caller-id") or row.get("mac-address"),
                    "uptime": row.get("uptime"),
                    "item_id": row.get(".id"),
                    "session_id": row.get("session-id"),
                    "subscription_id": subs.get(username.lower(), Sub).id,
                })
        if raise_unreachable is None:
            raise_unreachable = len(routers) == 1
        if failed and raise_unreachable and len(failed) == len(routers):
            raise UserError(failed[0])
        name = _("Online customers")
        if failed:
            name = _("Online customers (not reachable: %s)") % "; ".join(failed)
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "view_mode": "tree",
            "domain": [("id", "in", records.ids)],
            "target": "current",
        }

    @api.multi
    def action_kick(self):
        """End these sessions (network actions permission)."""
        self.env["isp.subscription"]._isp_check_may("network")
        for session in self:
            router = session.router_id
            menu = cmd.PPP_ACTIVE if session.kind == "pppoe" else cmd.HOTSPOT_ACTIVE
            try:
                with router._mikrotik_client() as client:
                    client.remove(menu, session.item_id)
            except ros.RouterError as error:
                if error.kind == "trap":  # no such item: it ended meanwhile
                    continue
                raise UserError(str(error))
            router._mikrotik_log_kick(session.subscription_id, session.username, {
                "session-id": session.session_id, "address": session.address})
        self.unlink()
        return True
