# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import collections

from odoo import _, api, models
from odoo.exceptions import UserError

from ..lib import client as ros
from ..lib import commands as cmd

#: fields whose change may leave something behind on a router (an old
#: name, an old address-list entry, the old router)
FOOTPRINT_FIELDS = ("username", "router_id", "connection_type", "static_ipv4",
                    "billing_profile_id")


class IspSubscription(models.Model):
    _inherit = "isp.subscription"

    # -- what the router should hold ---------------------------------------------

    def _mikrotik_account(self):
        """This subscription in the terms of lib.commands."""
        self.ensure_one()
        sub = self.sudo()
        master = sub.plan_id.master_package_id
        profile = sub.billing_profile_id
        to_pool = bool(profile.suspend_action == "suspended_pool"
                       and profile.suspended_pool_id)
        return cmd.Account(
            username=sub.username or "",
            kind=sub.connection_type,
            state=sub.state,
            password=sub.password or "",
            code=sub.customer_code or sub.username,
            profile=cmd.profile_name(master.name, master.ppp_profile) if master
            else "default",
            suspend_to_pool=to_pool,
            suspended_profile=cmd.suspended_profile_name(profile.suspended_pool_id.name)
            if to_pool else "",
            suspended_list=profile.suspended_address_list or cmd.DEFAULT_SUSPENDED_LIST,
            static_ip=sub.static_ipv4 or "",
            ipv6_prefix=sub.ipv6_prefix or "",
            mac=sub.mac_address or "",
            limit_uptime_minutes=master.time_limit_minutes,
            limit_megabytes=master.volume_limit_mb,
            download_kbps=master.download_kbps,
            upload_kbps=master.upload_kbps,
        )

    def _mikrotik_router(self):
        """The router that keeps this account, or an empty recordset (new
        accounts are on no router yet)."""
        router = self.sudo().router_id
        if router and router.active and router.api_configured and self.state != "draft" \
                and self.connection_type in router._mikrotik_types() and self.username:
            return router
        return self.env["isp.router"]

    # -- reacting to billing (the isp_base hook) -----------------------------------

    @api.multi
    def _on_network_state_changed(self, event, previous_states, **info):
        res = super()._on_network_state_changed(event, previous_states, **info)
        if not self.env.context.get("isp_mikrotik_no_sync"):
            self._mikrotik_enqueue(event, previous_states, info.get("changed_fields") or ())
        return res

    def _mikrotik_enqueue(self, event=None, previous_states=None, changed_fields=()):
        """One job per router for the accounts of self it keeps, with the
        sessions to end afterwards."""
        jobs = collections.OrderedDict()
        for sub in self.sudo():
            router = sub._mikrotik_router()
            if not router:
                continue
            entry = jobs.setdefault(router, {"ids": [], "kick": []})
            entry["ids"].append(sub.id)
            previous = (previous_states or {}).get(sub.id, sub.state)
            account = sub._mikrotik_account()
            if router.mode == "api" and cmd.needs_kick(
                    sub.connection_type, previous, sub.state, account.suspend_to_pool,
                    event, changed_fields):
                entry["kick"].append((sub.connection_type, sub.username))
        for router, entry in jobs.items():
            router._mikrotik_delay_sync(entry["ids"], kick=entry["kick"])
        return True

    def _mikrotik_footprints(self):
        """{id: (router, footprint, account)} of what self may hold on routers."""
        found = {}
        for sub in self.sudo():
            router = sub._mikrotik_router()
            account = sub._mikrotik_account()
            found[sub.id] = (router, cmd.account_footprint(account) if router else set(),
                             account)
        return found

    def _mikrotik_remove_left_behind(self, before):
        """Queue the removal of what `before` (footprints) had on routers
        and the subscriptions no longer need there."""
        after = self.exists()._mikrotik_footprints()
        removals = collections.OrderedDict()
        for sub_id, (router, footprint, account) in before.items():
            if not router:
                continue
            new_router, new_footprint, _account = after.get(sub_id, (None, set(), None))
            gone = footprint - (new_footprint if new_router == router else set())
            if not gone:
                continue
            entry = removals.setdefault(router, {"remove": set(), "kick": set()})
            entry["remove"] |= gone
            if router.mode == "api" and account.kind in ("pppoe", "hotspot") \
                    and cmd.account_mode(account.kind, account.state,
                                         account.suspend_to_pool) in ("package", "suspended"):
                entry["kick"].add((account.kind, account.username))
        for router, entry in removals.items():
            router._mikrotik_delay_sync(remove=sorted(entry["remove"]),
                                        kick=sorted(entry["kick"]))

    @api.multi
    def write(self, vals):
        if self.env.context.get("isp_mikrotik_no_sync") \
                or not set(vals) & set(FOOTPRINT_FIELDS):
            return super().write(vals)
        before = self._mikrotik_footprints()
        res = super().write(vals)
        self._mikrotik_remove_left_behind(before)
        return res

    @api.multi
    def unlink(self):
        before = self._mikrotik_footprints()
        res = super().unlink()
        if not self.env.context.get("isp_mikrotik_no_sync"):
            self.browse()._mikrotik_remove_left_behind(before)
        return res

    # -- actions ----------------------------------------------------------------------

    @api.multi
    def action_mikrotik_sync(self):
        """Write these accounts to their routers again (queued)."""
        self._isp_check_may("network")
        self._mikrotik_enqueue()
        return True

    @api.multi
    def action_mikrotik_kick(self):
        """End the customer's online session on its router now."""
        self._isp_check_may("network")
        for sub in self:
            router = sub.sudo().router_id
            if not router or not router.api_configured:
                raise UserError(_("%s: its router has no API access; the session cannot "
                                  "be ended from here.") % sub.name)
            try:
                with router._mikrotik_client() as client:
                    count = router._mikrotik_kick(client, [(sub.connection_type,
                                                            sub.username)], sub)
            except ros.RouterError as error:
                raise UserError(str(error))
            if not count:
                raise UserError(_("%s is not online on %s.") % (sub.name, router.name))
        return True
