# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import secrets
import string

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import lifecycle, localtime, validation
from .isp_ip_pool import _ensure_constraint, _with_overlap_message
from .isp_zone import CONNECTION_TYPES
from .res_partner import portal_safe_create

#: fields whose change the network side must hear about (RADIUS, routers)
NETWORK_FIELDS = ("username", "password", "mac_address", "static_ipv4", "ipv6_prefix",
                  "router_id", "plan_id", "billing_profile_id")

PASSWORD_ALPHABET = string.ascii_letters + string.digits
PASSWORD_LOOKALIKES = set("Il1O0o")


def generate_password(length=10):
    alphabet = [c for c in PASSWORD_ALPHABET if c not in PASSWORD_LOOKALIKES]
    return "".join(secrets.choice(alphabet) for _i in range(length))


class IspSubscription(models.Model):
    """One internet (or other) service account of a subscriber.

    State changes go through the lifecycle actions (activate, suspend,
    resume, disable, expire, extend, change plan, reset MAC); each is logged
    (who, when, from, to, why) and then announced once to the network side
    through :meth:`_on_network_state_changed`, which isp_radius and
    isp_mikrotik extend.
    """

    _name = "isp.subscription"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Subscription"
    _order = "id desc"
    #: never shown in logs: the audit log records that they changed, not how
    _isp_secret_fields = ("password", "new_password")

    name = fields.Char(compute="_compute_name", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Subscriber", required=True,
                                 ondelete="restrict", index=True, track_visibility="onchange")
    customer_code = fields.Char(related="partner_id.isp_customer_code", store=True,
                                readonly=True)
    mobile = fields.Char(related="partner_id.mobile", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    operator_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="restrict",
        domain=[("isp_is_operator", "=", True)], track_visibility="onchange",
        default=lambda self: self.env.user.company_id.partner_id,
        help="Who owns this account: the ISP or one of its resellers.")
    connection_type = fields.Selection(CONNECTION_TYPES, required=True, default="pppoe",
                                       track_visibility="onchange")
    username = fields.Char(copy=False, track_visibility="onchange",
                           help="PPPoE / hotspot login, also the RADIUS User-Name.")
    password = fields.Char(copy=False, groups="isp_base.group_isp_admin", isp_secret=True,
                           help="PPPoE / hotspot password (readable by ISP admins only).")
    new_password = fields.Char(
        "Set password", compute="_compute_new_password", inverse="_inverse_new_password",
        help="Type a new password to change it; it is never shown again.")
    plan_id = fields.Many2one("isp.service.plan", string="Package", ondelete="restrict",
                              index=True, track_visibility="onchange")
    master_package_id = fields.Many2one(related="plan_id.master_package_id", store=True,
                                        readonly=True)
    billing_type = fields.Selection(
        [("daily", "Daily (prepaid)"), ("monthly", "Monthly (postpaid)")],
        required=True, default="monthly", track_visibility="onchange")
    billing_profile_id = fields.Many2one("isp.billing.profile", ondelete="restrict",
                                         track_visibility="onchange")
    state = fields.Selection(
        [(k, v) for k, v in lifecycle.STATE_LABELS.items()], default="draft", required=True,
        readonly=True, copy=False, index=True, track_visibility="onchange")
    suspend_reason = fields.Selection(
        [("manual", "Manual"), ("non_payment", "Unpaid bill"), ("other", "Other")],
        readonly=True, copy=False)
    validity_end = fields.Datetime(
        "Valid until", copy=False, index=True, track_visibility="onchange",
        help="End of the paid period (the suspend date): the customer is cut off after "
             "it, for monthly customers only when a bill is also overdue.")
    activation_date = fields.Datetime(readonly=True, copy=False)
    billing_anchor_day = fields.Integer(
        "Billing day", readonly=True, copy=False,
        help="Day of the month the billing cycle of this account starts on.")
    mac_address = fields.Char("MAC binding", copy=False, track_visibility="onchange",
                              help="When set, only this device may connect.")
    static_ipv4 = fields.Char("Static IPv4", copy=False, track_visibility="onchange")
    ipv6_prefix = fields.Char("IPv6 prefix", copy=False, track_visibility="onchange",
                              help="Delegated IPv6 prefix (PPPoE).")
    router_id = fields.Many2one("isp.router", string="Router / NAS", index=True,
                                track_visibility="onchange")
    zone_id = fields.Many2one("isp.zone", string="Zone / block", index=True)
    state_log_ids = fields.One2many("isp.subscription.state.log", "subscription_id",
                                    string="State history", readonly=True)
    extension_ids = fields.One2many("isp.subscription.extension", "subscription_id",
                                    string="Extensions", readonly=True)
    extension_count = fields.Integer(compute="_compute_counts")
    state_log_count = fields.Integer(compute="_compute_counts")
    time_left = fields.Char(compute="_compute_time_left")
    expiring_soon = fields.Boolean(
        compute="_compute_expiring_soon", search="_search_expiring_soon",
        help="Active and valid until the end of the third day from today at the latest "
             "(the company's days).")
    note = fields.Text()

    @api.model_cr
    def init(self):
        cr = self.env.cr
        cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        # usernames: unique per company whatever the case (RADIUS and RouterOS
        # users `Ali` and `ali` would be one person for the staff)
        cr.execute("""CREATE UNIQUE INDEX IF NOT EXISTS isp_subscription_username_uniq
                      ON isp_subscription (company_id, lower(username))
                      WHERE username IS NOT NULL""")
        # addresses: PostgreSQL refuses a second holder, not only Python
        _ensure_constraint(cr, self._table, "isp_subscription_ipv4_unique",
                           "EXCLUDE USING gist (company_id WITH =, "
                           "(static_ipv4::inet) inet_ops WITH &&) "
                           "WHERE (static_ipv4 IS NOT NULL)")
        _ensure_constraint(cr, self._table, "isp_subscription_ipv6_unique",
                           "EXCLUDE USING gist (company_id WITH =, "
                           "(ipv6_prefix::cidr) inet_ops WITH &&) "
                           "WHERE (ipv6_prefix IS NOT NULL)")
        cr.execute("""CREATE INDEX IF NOT EXISTS isp_subscription_validity_state_idx
                      ON isp_subscription (validity_end) WHERE state = 'active'""")

    # computes ------------------------------------------------------------

    @api.depends("username", "partner_id.isp_customer_code", "connection_type")
    def _compute_name(self):
        for sub in self:
            sub.name = sub.username or "%s (%s)" % (
                sub.partner_id.isp_customer_code or sub.partner_id.name or "",
                dict(CONNECTION_TYPES).get(sub.connection_type, ""))

    def _compute_new_password(self):
        for sub in self:
            sub.new_password = False

    def _inverse_new_password(self):
        for sub in self.filtered("new_password"):
            # whoever may write the subscription may set (never read) it
            sub.check_access_rights("write")
            sub.check_access_rule("write")
            sub.sudo().write({"password": sub.new_password})
        self.invalidate_cache(["new_password"], self.ids)

    def _compute_counts(self):
        for sub in self:
            sub.extension_count = len(sub.extension_ids)
            sub.state_log_count = len(sub.state_log_ids)

    def _compute_time_left(self):
        now = fields.Datetime.from_string(fields.Datetime.now())
        for sub in self:
            if not sub.validity_end:
                sub.time_left = False
                continue
            delta = fields.Datetime.from_string(sub.validity_end) - now
            if delta.total_seconds() <= 0:
                sub.time_left = _("ended")
            elif delta.days:
                sub.time_left = _("%d days %d h") % (delta.days, delta.seconds // 3600)
            else:
                sub.time_left = _("%d h %d min") % (delta.seconds // 3600,
                                                     delta.seconds % 3600 // 60)

    def _isp_expiry_horizon(self, days=3):
        """The last second of the `days`-th day from today in the company's
        zone, as an Odoo UTC datetime string."""
        tz_name = self.env.user.company_id._isp_tz_name()
        today = localtime.local_day(datetime.datetime.utcnow(), tz_name)
        return fields.Datetime.to_string(
            localtime.day_end_utc(today + datetime.timedelta(days=days), tz_name))

    def _compute_expiring_soon(self):
        horizon = self._isp_expiry_horizon()
        for sub in self:
            sub.expiring_soon = bool(sub.state == "active" and sub.validity_end
                                     and sub.validity_end <= horizon)

    def _search_expiring_soon(self, operator, value):
        horizon = self._isp_expiry_horizon()
        if (operator in ("=", "==")) == bool(value):
            return ["&", ("state", "=", "active"), ("validity_end", "<=", horizon)]
        return ["|", "|", ("state", "!=", "active"), ("validity_end", "=", False),
                ("validity_end", ">", horizon)]

    # constraints ---------------------------------------------------------

    @api.constrains("connection_type", "username", "billing_type", "plan_id", "zone_id")
    def _check_connection(self):
        for sub in self:
            if sub.connection_type != "other" and not sub.username:
                raise ValidationError(_("A %s account needs a username.")
                                      % dict(CONNECTION_TYPES)[sub.connection_type])
            if sub.connection_type == "static" and sub.billing_type != "monthly":
                raise ValidationError(_("Static IP connections are billed monthly only."))
            if sub.connection_type == "hotspot" and sub.billing_type != "daily":
                raise ValidationError(_("Hotspot accounts are prepaid: billing type daily."))
            plan = sub.plan_id
            if plan:
                if sub.connection_type not in plan.allowed_connection_types():
                    raise ValidationError(_("The package %s is not sold for %s connections.")
                                          % (plan.name,
                                             dict(CONNECTION_TYPES)[sub.connection_type]))
                if plan.billing_type != sub.billing_type:
                    raise ValidationError(_("The package %s is a %s package; this account is "
                                            "billed %s.") % (plan.name, plan.billing_type,
                                                             sub.billing_type))
            if sub.zone_id and not sub.zone_id.offers(sub.connection_type):
                raise ValidationError(_("%s connections are not available in %s.") % (
                    dict(CONNECTION_TYPES)[sub.connection_type], sub.zone_id.complete_name))

    @api.constrains("validity_end")
    def _check_validity_end(self):
        """RADIUS cannot carry a later validity end (issue 16, finding 9)."""
        for sub in self:
            end = sub.validity_end and fields.Datetime.from_string(sub.validity_end)
            if not validation.validity_end_ok(end):
                raise ValidationError(_("%s: 'Valid until' must be on or before %s.") % (
                    sub.name, self.env.user.partner_id.isp_date_text(
                        validation.MAX_VALIDITY_END.date())))

    @api.constrains("static_ipv4", "ipv6_prefix", "company_id")
    def _check_addresses(self):
        pools = self.env["isp.ip.pool"].sudo()
        for sub in self:
            if sub.static_ipv4 and not pools.pool_of(sub.static_ipv4, sub.company_id):
                raise ValidationError(_(
                    "%s is not in any static IPv4 pool of the company: add the pool under "
                    "ISP > Network > IP pools first.") % sub.static_ipv4)
            if sub.ipv6_prefix and not pools.pool_of(sub.ipv6_prefix, sub.company_id):
                raise ValidationError(_("%s is not in any static IPv6 pool of the company.")
                                      % sub.ipv6_prefix)

    # CRUD -----------------------------------------------------------------

    @api.model
    def _normalize_vals(self, vals):
        """Clean what staff typed; ValidationError in their terms."""
        try:
            if vals.get("username"):
                vals["username"] = validation.normalize_username(vals["username"])
            if vals.get("mac_address"):
                vals["mac_address"] = validation.normalize_mac(vals["mac_address"])
            if vals.get("static_ipv4"):
                vals["static_ipv4"] = validation.normalize_ipv4(vals["static_ipv4"])
            if vals.get("ipv6_prefix"):
                vals["ipv6_prefix"] = validation.normalize_ipv6_prefix(vals["ipv6_prefix"])
        except ValueError as exc:
            raise ValidationError(str(exc))
        for key in ("username", "mac_address", "static_ipv4", "ipv6_prefix", "password"):
            if key in vals and not vals[key]:
                vals[key] = False
        return vals

    def _check_username_free(self, vals):
        """Readable refusal before the unique index would fire."""
        if not vals.get("username"):
            return
        company = vals.get("company_id") or (self[:1].company_id.id or
                                             self.env.user.company_id.id)
        self.env.cr.execute(
            """SELECT name FROM isp_subscription WHERE company_id = %s
               AND lower(username) = lower(%s) AND id NOT IN %s""",
            (company, vals["username"], tuple(self.ids) or (0,)))
        if self.env.cr.fetchone():
            raise ValidationError(_("The username %s is already used (usernames are "
                                    "unique, whatever the case).") % vals["username"])

    def _check_address_free(self, vals):
        """Readable refusal before the database constraint would fire."""
        for field in ("static_ipv4", "ipv6_prefix"):
            if not vals.get(field):
                continue
            company = vals.get("company_id") or (self.company_id.id if self else
                                                 self.env.user.company_id.id)
            cast = "inet" if field == "static_ipv4" else "cidr"
            self.env.cr.execute(
                """SELECT name FROM isp_subscription WHERE company_id = %s
                   AND {f} IS NOT NULL AND {f}::{c} && %s::{c} AND id NOT IN %s"""
                .format(f=field, c=cast), (company, vals[field], tuple(self.ids) or (0,)))
            row = self.env.cr.fetchone()
            if row:
                raise ValidationError(_("%s is already given to %s.") % (vals[field], row[0]))

    @api.model
    def create(self, vals):
        vals = self._normalize_vals(dict(vals))
        partner = self.env["res.partner"].browse(vals.get("partner_id"))
        if partner and not partner.isp_is_subscriber:
            partner.sudo().write({"isp_is_subscriber": True})
        if partner and not vals.get("operator_id") and partner.isp_operator_id:
            vals["operator_id"] = partner.isp_operator_id.id
        if partner and not vals.get("zone_id") and partner.isp_zone_id:
            vals["zone_id"] = partner.isp_zone_id.id
        plan = self.env["isp.service.plan"].browse(vals.get("plan_id"))
        if plan and "billing_type" not in vals:
            vals["billing_type"] = plan.billing_type
        if vals.get("connection_type") == "hotspot" and "billing_type" not in vals:
            vals["billing_type"] = "daily"
        if vals.get("connection_type", "pppoe") != "other" and not vals.get("password") \
                and not vals.get("new_password"):
            vals["password"] = generate_password()
        if vals.get("new_password"):
            vals["password"] = vals.pop("new_password")
        password = vals.pop("password", None)
        self._check_username_free(vals)
        self._check_address_free(vals)
        sub = _with_overlap_message(
            lambda: portal_safe_create(
                self, lambda m: super(IspSubscription, m).create(vals), vals))
        if password:
            sub.sudo().with_context(isp_no_network_event=True).write({"password": password})
        if sub.state != "draft":
            sub._log_state("draft", sub.state, "create", _("Created as %s")
                           % lifecycle.STATE_LABELS[sub.state])
        return sub

    @api.multi
    def write(self, vals):
        if "state" in vals and not self.env.context.get("isp_state_change"):
            raise UserError(_("The state of a subscription changes only through its "
                              "actions (activate, suspend, resume, disable...)."))
        vals = self._normalize_vals(dict(vals))
        if len(self) > 1 and vals.get("username"):
            raise ValidationError(_("Two accounts cannot have the same username."))
        self._check_username_free(vals)
        if not self.env.context.get("isp_allocating"):
            self._check_address_free(vals)
        res = _with_overlap_message(lambda: super(IspSubscription, self).write(vals))
        changed = [f for f in NETWORK_FIELDS if f in vals]
        if changed and not self.env.context.get("isp_no_network_event") \
                and not self.env.context.get("isp_state_change"):
            self._on_network_state_changed("update", {s.id: s.state for s in self},
                                           changed_fields=changed)
        return res

    @api.multi
    def unlink(self):
        if self.filtered(lambda s: s.state not in ("draft", "disabled")):
            raise UserError(_("Disable a subscription before deleting it."))
        return super().unlink()

    # permissions -----------------------------------------------------------

    def _isp_may(self, kind):
        """Whether the current user may run `kind` actions (network, billing,
        customer) on these subscriptions; isp_reseller adds resellers."""
        user = self.env.user
        return self.env.uid == SUPERUSER_ID or user.has_group(
            "isp_base.group_isp_perm_%s" % kind)

    def _isp_check_may(self, kind):
        """Refuse unless the user may run `kind` actions on these accounts:
        network and customer actions write them; billing actions only need to
        see them (their effects are written by the billing code)."""
        if not self._isp_may(kind):
            labels = {"network": _("network actions"), "billing": _("billing"),
                      "customer": _("customer edits")}
            raise AccessError(_("You are not allowed to do %s.") % labels[kind])
        mode = "read" if kind == "billing" else "write"
        self.check_access_rights(mode)
        self.check_access_rule(mode)

    # lifecycle -------------------------------------------------------------

    def _log_state(self, from_state, to_state, event, reason=None):
        self.env["isp.subscription.state.log"].sudo().create({
            "subscription_id": self.id,
            "user_id": self.env.context.get("isp_acting_uid") or self.env.uid,
            "from_state": from_state,
            "to_state": to_state,
            "event": event,
            "reason": reason or False,
        })

    def _transition(self, action, reason=None, values=None, event=None):
        """Move every subscription of self through `action`; log; announce
        the change once for the batch."""
        previous, groups = {}, {}
        for sub in self:
            try:
                target = lifecycle.next_state(action, sub.state)
            except ValueError as exc:
                raise UserError(_("%s: %s") % (sub.name, exc))
            previous[sub.id] = sub.state
            groups.setdefault((sub.state, target), []).append(sub.id)
        # one write per (from, to) group: the audit log, tracking and the
        # network bridges read the batch at once (the expiry job moves
        # thousands of accounts at midnight)
        for (from_state, target), ids in groups.items():
            subs = self.browse(ids)
            subs.with_context(isp_state_change=True).write(dict(values or {}, state=target))
            for sub in subs:
                sub._log_state(from_state, target, event or action, reason)
        self._on_network_state_changed(event or action, previous)
        return True

    @api.multi
    def action_activate(self, reason=None):
        """Put on the network. Needs a package (and credentials, a static IP
        for static connections); a validity that has ended is renewed for
        the package's validity from now."""
        self._isp_check_may("network")
        now = fields.Datetime.from_string(fields.Datetime.now())
        for sub in self:
            sub._check_ready_to_activate()
            vals = sub._activation_values(now)
            sub._transition("activate", reason, values=vals)
        return True

    def _check_ready_to_activate(self):
        if not self.plan_id:
            raise UserError(_("%s: choose a package first.") % self.name)
        if self.connection_type == "static" and not self.static_ipv4:
            if not self._static_pools("4"):
                raise UserError(_("%s: a static IP connection needs an address; there is "
                                  "no static IPv4 pool to take it from.") % self.name)
            self._allocate("4")
        if self.billing_type == "monthly" and not self.billing_profile_id:
            profile = self.company_id.isp_default_billing_profile_id
            if not profile:
                raise UserError(_("%s: a monthly account needs a billing profile.")
                                % self.name)
            self.with_context(isp_no_network_event=True).billing_profile_id = profile

    def _activation_values(self, now):
        """Values written when activating at `now` (a datetime); isp_billing
        refines the validity of monthly accounts."""
        vals = {"suspend_reason": False}
        end = self.validity_end and fields.Datetime.from_string(self.validity_end)
        if not end or end <= now:
            vals["validity_end"] = fields.Datetime.to_string(
                now + datetime.timedelta(minutes=self.plan_id.validity_minutes))
        if not self.activation_date:
            vals["activation_date"] = fields.Datetime.to_string(now)
            profile = self.billing_profile_id
            if self.billing_type == "monthly" and profile:
                vals["billing_anchor_day"] = profile.billing_day \
                    if profile.cycle_ends_with_month else now.day
        return vals

    @api.multi
    def action_suspend(self, reason=None, suspend_reason="manual"):
        self._isp_check_may("network")
        return self._transition("suspend", reason, values={"suspend_reason": suspend_reason})

    @api.multi
    def action_resume(self, reason=None):
        self._isp_check_may("network")
        now = fields.Datetime.now()
        ended = self.filtered(lambda s: s.validity_end and s.validity_end <= now)
        if ended:
            raise UserError(_("%s: the validity has ended; extend it or take a payment "
                              "before resuming.") % ", ".join(ended.mapped("name")))
        return self._transition("resume", reason, values={"suspend_reason": False})

    @api.multi
    def action_disable(self, reason=None):
        self._isp_check_may("network")
        return self._transition("disable", reason)

    @api.multi
    def action_expire(self, reason=None):
        """End of validity (the expiry job runs it as superuser)."""
        return self._transition("expire", reason or _("Validity ended"))

    @api.multi
    def action_extend_days(self, days, reason):
        """Free extension (trial, reward): the validity grows by `days` from
        its end, or from now when it has ended; an expired account is back
        on. Every extension is kept in the extension history."""
        self._isp_check_may("network")
        if not isinstance(days, int) or days <= 0 or days > 3650:
            raise UserError(_("Extend by a whole number of days between 1 and 3650."))
        if not (reason or "").strip():
            raise UserError(_("Say why the validity is extended (trial, reward...)."))
        now = fields.Datetime.from_string(fields.Datetime.now())
        for sub in self:
            if sub.state in ("draft", "disabled"):
                raise UserError(_("%s: activate the account before extending it.")
                                % sub.name)
            old_end = sub.validity_end and fields.Datetime.from_string(sub.validity_end)
            start = old_end if old_end and old_end > now else now
            new_end = start + datetime.timedelta(days=days)
            self.env["isp.subscription.extension"].sudo().create({
                "subscription_id": sub.id,
                "user_id": self.env.uid,
                "days": days,
                "reason": reason.strip(),
                "old_end": sub.validity_end,
                "new_end": fields.Datetime.to_string(new_end),
            })
            sub.with_context(isp_no_network_event=True).write(
                {"validity_end": fields.Datetime.to_string(new_end)})
            if sub.state == "expired":
                sub._transition("activate", _("Extended by %d days") % days, event="extend")
            else:
                sub._on_network_state_changed("extend", {sub.id: sub.state})
        return True

    @api.multi
    def action_change_plan(self, plan):
        """Move to another package now (isp_billing credits and charges the
        difference)."""
        self._isp_check_may("network")
        for sub in self:
            if plan == sub.plan_id:
                continue
            if sub.state in ("disabled",):
                raise UserError(_("%s is disabled.") % sub.name)
            old_plan = sub.plan_id
            sub.with_context(isp_no_network_event=True).write({"plan_id": plan.id})
            sub.message_post(body=_("Package changed from %s to %s.")
                             % (old_plan.name or "-", plan.name))
            sub._on_network_state_changed("plan_change", {sub.id: sub.state},
                                          old_plan=old_plan)
        return True

    @api.multi
    def action_reset_mac(self):
        """Remove the MAC binding (the customer changed its router)."""
        self._isp_check_may("network")
        bound = self.filtered("mac_address")
        bound.with_context(isp_no_network_event=True).write({"mac_address": False})
        bound._on_network_state_changed("mac_reset", {s.id: s.state for s in bound})
        return True

    @api.multi
    def action_allocate_static_ipv4(self):
        self._isp_check_may("network")
        return self._allocate("4")

    @api.multi
    def action_allocate_ipv6_prefix(self):
        self._isp_check_may("network")
        return self._allocate("6")

    def _allocate(self, version):
        field = "static_ipv4" if version == "4" else "ipv6_prefix"
        for sub in self.filtered(lambda s: not s[field]):
            for pool in sub._static_pools(version):
                if pool.free:
                    pool.allocate(sub)
                    break
            else:
                raise UserError(_("No static IPv%s pool has a free %s left.")
                                % (version, _("address") if version == "4" else _("prefix")))
        return True

    def _static_pools(self, version):
        """Static pools this account may take an address from: those of its
        router (or of no router in particular)."""
        pools = self.env["isp.ip.pool"].sudo().search([
            ("company_id", "=", self.company_id.id), ("purpose", "=", "static"),
            ("ip_version", "=", version)])
        if self.router_id:
            pools = pools.filtered(lambda p: p.router_id in (self.router_id,
                                                             self.env["isp.router"]))
        return pools

    # the one hook of the network side ------------------------------------

    @api.multi
    def _on_network_state_changed(self, event, previous_states, **info):
        """Called once per action, after the database holds the new state.

        :param event: activate, suspend, resume, disable, expire, extend,
            plan_change, mac_reset or update (credentials, addresses...)
        :param previous_states: {subscription id: state before the action}
        :param info: ``old_plan`` for plan_change, ``changed_fields`` for
            update

        isp_radius sends disconnects / CoA, isp_mikrotik updates routers;
        both by extending this method (call super). Keep it cheap: queue
        the network work, do not do it here.
        """
        return True
