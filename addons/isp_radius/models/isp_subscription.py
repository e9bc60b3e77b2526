# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import _, api, fields, models

from ..lib import attributes

#: events after which the open sessions are disconnected (the user redials
#: and gets the new answer: reject, suspended pool, normal pool...)
DISCONNECT_EVENTS = ("suspend", "disable", "expire", "mac_reset", "resume")
#: fields whose direct change (event "update") needs a new session
UPDATE_FIELDS = ("username", "mac_address", "static_ipv4", "ipv6_prefix", "plan_id",
                 "billing_profile_id")


class IspSubscription(models.Model):
    _inherit = "isp.subscription"

    radius_online = fields.Boolean(
        "Online", compute="_compute_radius_online", search="_search_radius_online",
        help="An accounting session of this account is open.")
    radius_ip = fields.Char("Online with IP", compute="_compute_radius_online")
    radius_mac = fields.Char("From MAC", compute="_compute_radius_online")
    radius_router_id = fields.Many2one("isp.router", string="On NAS",
                                       compute="_compute_radius_online")
    radius_since = fields.Datetime("Online since", compute="_compute_radius_online")
    network_action_count = fields.Integer(compute="_compute_network_action_count")

    # online now: one query for the batch (index on open sessions) --------------

    def _radius_open_sessions(self):
        """Open accounting sessions of these subscriptions, newest first."""
        if not self.ids:
            return []
        self.env.cr.execute("""
            SELECT radacctid, subscription_id, username, acctsessionid,
                   host(nasipaddress), host(framedipaddress), callingstationid,
                   acctstarttime AT TIME ZONE 'UTC'
              FROM radius.radacct
             WHERE subscription_id IN %s AND acctstoptime IS NULL
             ORDER BY acctstarttime DESC""", (tuple(self.ids),))
        keys = ("radacct_id", "subscription_id", "username", "acct_session_id", "nas_ip",
                "framed_ip", "mac", "since")
        return [dict(zip(keys, row, strict=True)) for row in self.env.cr.fetchall()]

    def _compute_radius_online(self):
        sessions = {}
        for session in self._radius_open_sessions():
            sessions.setdefault(session["subscription_id"], session)
        routers = self.env["isp.router"].sudo().search(
            [("host", "in", list({s["nas_ip"] for s in sessions.values()}))])
        by_host = {r.host: r for r in routers}
        for sub in self:
            session = sessions.get(sub.id)
            sub.radius_online = bool(session)
            sub.radius_ip = session and session["framed_ip"]
            sub.radius_mac = session and session["mac"]
            sub.radius_router_id = session and by_host.get(session["nas_ip"])
            sub.radius_since = session and session["since"]

    def _search_radius_online(self, operator, value):
        self.env.cr.execute("SELECT DISTINCT subscription_id FROM radius.radacct "
                            "WHERE acctstoptime IS NULL AND subscription_id IS NOT NULL")
        ids = [r[0] for r in self.env.cr.fetchall()]
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]

    def _compute_network_action_count(self):
        groups = self.env["isp.network.action"].read_group(
            [("subscription_id", "in", self.ids)], ["subscription_id"], ["subscription_id"])
        counts = {g["subscription_id"][0]: g["subscription_id_count"] for g in groups}
        for sub in self:
            sub.network_action_count = counts.get(sub.id, 0)

    # the mapping's input ------------------------------------------------------

    def _radius_account(self, plan=None):
        """The subscription as lib.attributes reads it (`plan`: another
        package, e.g. the old one of a plan change)."""
        self.ensure_one()
        sub = self.sudo()
        package = (sub.plan_id if plan is None else plan.sudo()).master_package_id
        profile = sub.billing_profile_id
        return {
            "state": sub.state, "username": sub.username, "password": sub.password,
            "connection_type": sub.connection_type, "billing_type": sub.billing_type,
            "validity_end": sub.validity_end and fields.Datetime.from_string(
                sub.validity_end),
            "mac_address": sub.mac_address, "static_ipv4": sub.static_ipv4,
            "ipv6_prefix": sub.ipv6_prefix,
            "rate_limit": package.rate_limit, "speed_controller": package.speed_controller,
            "ppp_profile": package.ppp_profile, "pool": package.ip_pool_id.name,
            "suspend_action": profile.suspend_action,
            "suspended_pool": profile.suspended_pool_id.name,
            "suspended_address_list": profile.suspended_address_list,
        }

    def _radius_attributes(self, plan=None):
        """(check, reply) FreeRADIUS answers for this subscription now."""
        return attributes.attributes(
            self._radius_account(plan),
            fields.Datetime.from_string(fields.Datetime.now()),
            self.env["isp.radius"]._int_param("interim_interval"))

    # the network hook ---------------------------------------------------------

    @api.multi
    def _on_network_state_changed(self, event, previous_states, **info):
        res = super()._on_network_state_changed(event, previous_states, **info)
        if event in DISCONNECT_EVENTS:
            self._radius_queue("disconnect", reason=event)
        elif event == "plan_change":
            self._radius_plan_changed(info.get("old_plan"))
        elif event == "update" and set(UPDATE_FIELDS) & set(info.get("changed_fields") or ()):
            self._radius_queue("disconnect", reason=event)
        return res

    def _radius_plan_changed(self, old_plan):
        """A CoA-Request with the new rate limit when only what a CoA can
        change differs; otherwise a disconnect (the user redials)."""
        for sub in self:
            old_reply = sub._radius_attributes(plan=old_plan)[1] if old_plan else []
            new_reply = sub._radius_attributes()[1]
            kind = attributes.change_kind(old_reply, new_reply) if old_plan else "disconnect"
            if kind == "coa":
                sub._radius_queue("coa", reason="plan_change",
                                  coa_attrs=attributes.coa_attributes(new_reply))
            elif kind == "disconnect":
                sub._radius_queue("disconnect", reason="plan_change")

    def _radius_queue(self, kind, reason, coa_attrs=None):
        """A network action (and its job) for each open session of these
        subscriptions, to the NAS the session is on."""
        sessions = self._radius_open_sessions()
        if not sessions:
            return self.env["isp.network.action"]
        routers = self.env["isp.router"].sudo().with_context(active_test=False).search(
            [("host", "in", list({s["nas_ip"] for s in sessions}))])
        by_host = {}
        for router in routers.sorted(lambda r: (not r.active, r.id)):
            by_host.setdefault(router.host, router)
        Action = self.env["isp.network.action"].sudo()
        actions = Action
        for session in sessions:
            sub = self.browse(session["subscription_id"])
            router = by_host.get(session["nas_ip"])
            actions |= Action.create({
                "subscription_id": sub.id,
                "company_id": sub.company_id.id,
                "router_id": router.id if router else False,
                "username": session["username"],
                "acct_session_id": session["acct_session_id"],
                "framed_ip": session["framed_ip"],
                "nas_ip": session["nas_ip"],
                "radacct_id": session["radacct_id"],
                "kind": kind,
                "reason": reason,
                "attributes_json": json.dumps([[a.attribute, a.value] for a in coa_attrs])
                if coa_attrs else False,
            })
        actions._enqueue_send()
        return actions

    # buttons ----------------------------------------------------------------

    @api.multi
    def action_view_radius_sessions(self):
        self.ensure_one()
        action = self.env.ref("isp_radius.isp_radius_session_action").read()[0]
        action["domain"] = [("subscription_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.multi
    def action_view_radius_usage(self):
        self.ensure_one()
        action = self.env.ref("isp_radius.isp_radius_usage_daily_action").read()[0]
        action["domain"] = [("subscription_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.multi
    def action_view_network_actions(self):
        self.ensure_one()
        action = self.env.ref("isp_radius.isp_network_action_action").read()[0]
        action["domain"] = [("subscription_id", "=", self.id)]
        return action

    @api.multi
    def action_download_usage(self):
        """The internet history of this account as an Excel file."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/isp_radius/usage/%d.xlsx" % self.id}

    @api.multi
    def action_radius_disconnect(self):
        """Disconnect the open sessions now (staff button)."""
        self._isp_check_may("network")
        actions = self._radius_queue("disconnect", reason=_("manual"))
        return self.action_view_network_actions() if actions and len(self) == 1 else True
