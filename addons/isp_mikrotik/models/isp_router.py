# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import collections
import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact, job

from ..lib import client as ros
from ..lib import commands as cmd
from ..lib import drift

_logger = logging.getLogger(__name__)

#: first key of the advisory locks taken while a router is being written
LOCK_NAMESPACE = 747701

#: connection types kept on the router, per mode (FreeRADIUS answers for
#: PPPoE and hotspot customers of RADIUS routers; static-IP customers are
#: never RADIUS-authenticated: their queue and address list stay)
MANAGED_TYPES = {"api": ("pppoe", "hotspot", "static"), "radius": ("static",)}

ADMIN_GROUP = "isp_base.group_isp_admin"


class IspRouter(models.Model):
    """The RouterOS API side of a router: credentials, health, the jobs
    that keep it in step with billing, drift, import, kicks."""

    _inherit = "isp.router"

    mode = fields.Selection(
        [("api", "API: customers are kept on the router"),
         ("radius", "RADIUS: FreeRADIUS answers for customers")],
        required=True, default="api",
        help="API: PPP secrets, hotspot users, queues and address lists are written to "
             "the router. RADIUS: the router asks FreeRADIUS; only profiles, pools and "
             "static-IP customers' queues are written, and sessions can still be kicked.")
    api_port = fields.Integer("API port", default=8728,
                              help="8728 (api), or 8729 with TLS (api-ssl).")
    api_tls = fields.Boolean("TLS (api-ssl)")
    api_tls_verify = fields.Boolean(
        "Check the certificate",
        help="Refuse the router unless its certificate is signed by the CA below (or a "
             "public authority) and names the host.")
    api_ca_cert = fields.Text("CA certificate (PEM)", groups=ADMIN_GROUP, isp_secret=True)
    api_user = fields.Char("API user", groups=ADMIN_GROUP, copy=False, isp_secret=True)
    api_password = fields.Char("API password", groups=ADMIN_GROUP, copy=False,
                               isp_secret=True)
    api_timeout = fields.Integer("API timeout (s)", default=10)
    api_enabled = fields.Boolean(
        "Use the API", default=True,
        help="Off: billing does not contact this router (no changes queued, no health "
             "check, no online list), e.g. a router not installed yet or the demo "
             "routers; Test connection still tries it.")
    api_configured = fields.Boolean(
        compute="_compute_api_configured", store=True,
        help="The API is used and an API user is set: billing writes to the router.")
    ppp_local_address = fields.Char(
        "PPP gateway address",
        help="local-address of the PPP profiles (the router's side of each PPP link); "
             "empty: an address of the package's pool.")
    interim_update = fields.Char("Interim updates", default="5m",
                                 help="Accounting interim interval set by Configure for "
                                      "RADIUS (PPP AAA and hotspot profiles).")
    # health (test connection, the check job)
    api_state = fields.Selection(
        [("unknown", "Not checked"), ("ok", "Reachable"), ("error", "Error")],
        "API status", default="unknown", readonly=True, copy=False)
    api_error = fields.Char("Last error", readonly=True, copy=False)
    api_checked = fields.Datetime("Last checked", readonly=True, copy=False,
                                  help="The last time billing tried the router.")
    api_last_ok = fields.Datetime("Last contact", readonly=True, copy=False,
                                  help="The last time the router answered.")
    api_down_since = fields.Datetime(
        "Unreachable since", readonly=True, copy=False,
        help="Every try since then failed (connection, login or TLS); empty when the "
             "router answered at the last try.")
    api_next_retry = fields.Datetime(
        "Next retry", compute="_compute_api_next_retry",
        help="When the first waiting change of this router is tried again.")
    ros_identity = fields.Char("Identity", readonly=True, copy=False)
    ros_version = fields.Char("RouterOS version", readonly=True, copy=False)
    ros_uptime = fields.Char("Uptime", readonly=True, copy=False)
    ros_cpu_load = fields.Integer("CPU load (%)", readonly=True, copy=False)
    ros_board = fields.Char("Board", readonly=True, copy=False)
    drift_count = fields.Integer("Differences", readonly=True, copy=False,
                                 help="Differences found by the last drift check.")
    drift_checked = fields.Datetime("Drift checked", readonly=True, copy=False)
    mikrotik_job_count = fields.Integer("Pending changes", compute="_compute_job_count")

    @api.depends("api_user", "api_enabled")
    def _compute_api_configured(self):
        for router in self:
            router.api_configured = bool(router.api_enabled and router.sudo().api_user)

    def _job_domain(self, states=("pending", "enqueued", "started", "failed")):
        return [("model_name", "=", self._name), ("state", "in", list(states)),
                ("func_string", "=like", "%s(%d,).%%" % (self._name, self.id))]

    def _compute_job_count(self):
        Job = self.env["queue.job"].sudo()
        for router in self:
            router.mikrotik_job_count = Job.search_count(router._job_domain()) \
                if router.id else 0

    def _compute_api_next_retry(self):
        Job = self.env["queue.job"].sudo()
        for router in self:
            job = Job.search(router._job_domain(("pending",)) + [("eta", "!=", False)],
                             order="eta", limit=1) if router.id else Job
            router.api_next_retry = job.eta

    # -- permissions and connection -------------------------------------------

    def _check_admin(self):
        if not (self.env.uid == SUPERUSER_ID or self.env.user.has_group(ADMIN_GROUP)):
            raise AccessError(_("Only ISP admins may configure, check or repair routers."))

    def _mikrotik_types(self):
        return MANAGED_TYPES[self.mode or "api"]

    def _mikrotik_client(self):
        """A RouterClient for this router (not connected yet)."""
        self.ensure_one()
        router = self.sudo()
        if not router.api_user:
            raise ros.RouterError("login", _("no API user is set for this router"),
                                  router.name)
        return ros.RouterClient(
            router.host, router.api_user, router.api_password,
            port=router.api_port or (8729 if router.api_tls else 8728), tls=router.api_tls,
            verify=router.api_tls_verify, ca_data=router.api_ca_cert or None,
            timeout=router.api_timeout or 10, name=router.name)

    def _mikrotik_record(self, error=None, values=None):
        """Remember how the last contact went (words for the form): the
        last try, the last answer, since when it fails."""
        now = fields.Datetime.now()
        vals = dict(values or {}, api_checked=now)
        if error is None:
            vals.update(api_state="ok", api_error=False, api_last_ok=now,
                        api_down_since=False)
        else:
            vals.update(api_state="error", api_error=str(error.message if isinstance(
                error, ros.RouterError) else error)[:500])
            for router in self.sudo().filtered(lambda r: not r.api_down_since):
                router.api_down_since = now
        self.sudo().write(vals)

    def _mikrotik_wait_message(self, error, attempt, seconds):
        """Why a job of this router waits, in words (kept on the job)."""
        return _("Waiting for router %s: %s. Try %d failed; tried again in %d s, and "
                 "until the router answers.") % (
            self.name, error.message if isinstance(error, ros.RouterError) else error,
            attempt, seconds)

    def _mikrotik_lock(self):
        """Only one writer per router at a time (jobs, repair, import);
        False when another transaction holds it."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                            (LOCK_NAMESPACE, self.id))
        return self.env.cr.fetchone()[0]

    # -- what billing wants on this router --------------------------------------

    def _mikrotik_subscriptions(self):
        """Every account kept on this router (any state but new)."""
        return self.env["isp.subscription"].sudo().search([
            ("router_id", "=", self.id), ("state", "!=", "draft"),
            ("connection_type", "in", list(self._mikrotik_types())),
            ("username", "!=", False)])

    def _mikrotik_package_items(self, subs, with_router_pools=False):
        """Profiles and pools the accounts of `subs` need (and, with
        `with_router_pools`, every IPv4 pool assigned to this router)."""
        items = collections.OrderedDict()
        local = self.ppp_local_address or ""

        def add_pool(pool):
            if pool and pool.ip_version == "4" and pool.active:
                if (cmd.POOL, pool.name) not in items:  # ranges: once per pool
                    items[(cmd.POOL, pool.name)] = cmd.ip_pool(
                        pool.name, pool.network, sorted(pool._reserved_set()))
                return pool.name
            return ""
        for sub in subs.filtered(lambda s: s.connection_type in ("pppoe", "hotspot")):
            master = sub.plan_id.master_package_id
            if not master:
                continue
            name = cmd.profile_name(master.name, master.ppp_profile)
            pool_name = add_pool(master.ip_pool_id)
            if sub.connection_type == "pppoe":
                items[(cmd.PROFILE, name)] = cmd.ppp_profile(name, master.rate_limit,
                                                             pool_name, local)
                profile = sub.billing_profile_id
                if profile.suspend_action == "suspended_pool" and profile.suspended_pool_id:
                    pool_name = add_pool(profile.suspended_pool_id)
                    susp = cmd.suspended_profile_name(profile.suspended_pool_id.name)
                    items[(cmd.PROFILE, susp)] = cmd.suspended_ppp_profile(
                        susp, pool_name, profile.suspended_address_list, local)
            else:
                items[(cmd.HOTSPOT_PROFILE, name)] = cmd.hotspot_user_profile(
                    name, master.rate_limit, pool_name)
        if with_router_pools:
            for pool in self.env["isp.ip.pool"].sudo().search([
                    ("router_id", "=", self.id), ("purpose", "in", ("dynamic", "suspended"))]):
                add_pool(pool)
        return list(items.values())

    def _mikrotik_wanted(self):
        """Every item billing wants on this router, and the address lists
        it manages."""
        subs = self._mikrotik_subscriptions()
        items = self._mikrotik_package_items(subs, with_router_pools=True)
        lists = {cmd.DEFAULT_SUSPENDED_LIST}
        for sub in subs:
            account = sub._mikrotik_account()
            lists.add(account.suspended_list)
            items.extend(cmd.account_items(account))
        return items, lists

    # -- the job: bring some accounts in step -----------------------------------

    def _mikrotik_delay_sync(self, sub_ids=(), kick=(), remove=(), packages=False):
        """Queue a sync job for this router (never lost: retried until the
        router takes it)."""
        self.ensure_one()
        names = self.env["isp.subscription"].sudo().browse(list(sub_ids)).mapped("name")
        what = ", ".join(names[:5]) + (_(" and %d more") % (len(names) - 5)
                                       if len(names) > 5 else "")
        if remove:
            what = (what + "; " if what else "") + _("remove %s") % ", ".join(
                "/".join(key) for _menu, key in remove)
        description = _("Router %s: %s") % (self.name, what or _("profiles and pools"))
        return self.with_delay(max_retries=0, description=description[:250],
                               identity_key=identity_exact)._mikrotik_job_sync(
            sorted(set(sub_ids)), kick=[list(k) for k in kick],
            remove=[[menu, list(key)] for menu, key in remove], packages=packages)

    @job(default_channel="root.mikrotik")
    def _mikrotik_job_sync(self, sub_ids, kick=(), remove=(), packages=False):
        """Router: bring accounts in step with billing"""
        router = self.sudo()
        if not router.active or not router.api_configured:
            return _("Nothing to do: the router is archived, its API is not used or it "
                     "has no API user.")
        if not router._mikrotik_lock():
            raise RetryableJobError(_("Another job is writing to this router."), seconds=5,
                                    ignore_retry=True)
        try:
            with router._mikrotik_client() as client:
                done = router._mikrotik_sync(client, sub_ids, kick, remove, packages)
        except ValueError as error:  # billing data the router cannot take
            raise UserError(_("%s: %s") % (router.name, error))
        except ros.RouterError as error:
            router._mikrotik_record(error)
            if error.retryable:
                attempt, seconds = router._mikrotik_backoff()
                raise RetryableJobError(router._mikrotik_wait_message(error, attempt, seconds),
                                        seconds=seconds)
            raise UserError(str(error))
        router._mikrotik_record()
        return done

    def _mikrotik_backoff(self):
        """(this try's number, seconds to the next one)."""
        get = self.env["ir.config_parameter"].sudo().get_param
        attempt = 1
        uuid = self.env.context.get("job_uuid")
        if uuid:
            stored = self.env["queue.job"].sudo().search([("uuid", "=", uuid)], limit=1)
            attempt = stored.retry + 1
        return attempt, cmd.backoff_seconds(
            attempt, base=int(get("isp_mikrotik.retry_base_seconds", 10)),
            cap=int(get("isp_mikrotik.retry_max_seconds", 1800)))

    def _mikrotik_sync(self, client, sub_ids, kick=(), remove=(), packages=False):
        """Apply billing's view of `sub_ids` (and their profiles and pools)
        through `client`, remove `remove` items, kick `kick` sessions.
        Returns a short summary."""
        subs = self.env["isp.subscription"].sudo().browse(list(sub_ids)).exists().filtered(
            lambda s: s.router_id == self and s.username
            and s.connection_type in self._mikrotik_types())
        wanted = self._mikrotik_package_items(
            packages and self._mikrotik_subscriptions() or subs, with_router_pools=packages)
        unwanted = set()
        for sub in subs:
            account = sub._mikrotik_account()
            wanted.extend(cmd.account_items(account))
            unwanted |= cmd.account_footprint(account)
        unwanted |= {(menu, tuple(key)) for menu, key in remove}
        keys = collections.defaultdict(set)
        for item in wanted:
            keys[item.menu].add(item.key)
        for menu, key in unwanted:
            keys[menu].add(key)
        rows = {menu: client.rows_for(menu, menu_keys) for menu, menu_keys in keys.items()}
        ops = cmd.sync_ops(wanted, rows, unwanted=unwanted)
        for op in ops:
            client.apply(op)
        kicked = self._mikrotik_kick(client, kick, subs) if kick else 0
        return _("%d changes, %d sessions ended") % (len(ops), kicked)

    # -- sessions ------------------------------------------------------------------

    def _mikrotik_sessions(self, client, kinds=("pppoe", "hotspot"), usernames=None):
        """Online sessions: [(kind, row)] from /ppp/active and
        /ip/hotspot/active (optionally for some usernames only)."""
        found = []
        for kind, menu, prop in (("pppoe", cmd.PPP_ACTIVE, "name"),
                                 ("hotspot", cmd.HOTSPOT_ACTIVE, "user")):
            if kind not in kinds:
                continue
            where = {prop: sorted(usernames)} if usernames is not None else None
            if usernames is not None and not usernames:
                continue
            found.extend((kind, row) for row in client.print(menu, where=where))
        return found

    def _mikrotik_kick(self, client, kick, subs=None, note=None):
        """End the sessions of [(kind, username)]; each ended session is
        recorded as a network action "kick". Returns how many ended."""
        by_kind = collections.defaultdict(set)
        for kind, username in kick:
            by_kind[kind].add(username)
        Sub = self.env["isp.subscription"].sudo()
        count = 0
        for kind, usernames in by_kind.items():
            for kind_found, row in self._mikrotik_sessions(client, (kind,), usernames):
                menu = cmd.PPP_ACTIVE if kind_found == "pppoe" else cmd.HOTSPOT_ACTIVE
                client.remove(menu, row[".id"])
                username = row.get("name") or row.get("user")
                sub = (subs or Sub).filtered(lambda s, u=username: s.username == u)[:1] \
                    or Sub.search([("username", "=ilike", username),
                                   ("company_id", "=", self.company_id.id)], limit=1)
                self._mikrotik_log_kick(sub, username, row, note=note)
                count += 1
        return count

    def _mikrotik_log_kick(self, sub, username, row=None, error=None, note=None):
        """A network action "kick" (the list of isp_radius)."""
        row = row or {}
        return self.env["isp.network.action"].sudo().create({
            "subscription_id": sub.id or False,
            "router_id": self.id,
            "company_id": self.company_id.id,
            "username": username,
            "acct_session_id": row.get("session-id") or False,
            "framed_ip": row.get("address") or False,
            "kind": "kick",
            "state": "failed" if error else "done",
            "attempts": 1,
            "last_error": (str(error) if error else note or False),
        })

    # -- health -----------------------------------------------------------------------

    @api.multi
    def action_test_connection(self):
        """Log in, read /system/resource and /system/identity; the result
        (or the failure, in words) is shown on the form."""
        self._check_admin()
        for router in self:
            router._mikrotik_check_health()
        return True

    def _mikrotik_check_health(self):
        self.ensure_one()
        try:
            with self._mikrotik_client() as client:
                resource = (client.print("/system/resource") or [{}])[0]
                identity = (client.print("/system/identity") or [{}])[0]
        except ros.RouterError as error:
            self._mikrotik_record(error)
            return False
        try:
            load = int(resource.get("cpu-load") or 0)
        except ValueError:
            load = 0
        self._mikrotik_record(values={
            "ros_version": resource.get("version") or False,
            "ros_uptime": resource.get("uptime") or False,
            "ros_cpu_load": load,
            "ros_board": resource.get("board-name") or False,
            "ros_identity": identity.get("name") or False,
        })
        return True

    @api.model
    def cron_check_routers(self):
        """Every router with an API user: health and drift, one job each
        (an unreachable router delays only its own job)."""
        for router in self.sudo().search([("api_configured", "=", True)]):
            router.with_delay(max_retries=1, identity_key=identity_exact,
                              description=_("Router %s: health and drift check")
                              % router.name)._mikrotik_job_check()
        return True

    @job(default_channel="root.mikrotik")
    def _mikrotik_job_check(self):
        """Router: health and drift check"""
        router = self.sudo()
        if not router._mikrotik_check_health():
            return router.api_error
        try:
            lines = router._mikrotik_drift()
        except ros.RouterError as error:
            router._mikrotik_record(error)
            return str(error)
        return _("%d differences") % len(lines)

    # -- drift and repair --------------------------------------------------------------

    def _mikrotik_drift(self, client=None):
        """Drift lines (lib.drift.Line) of this router; remembers the count."""
        self.ensure_one()
        wanted, lists = self._mikrotik_wanted()
        menus = set(cmd.ACCOUNT_MENUS) | {item.menu for item in wanted}

        def read(conn):
            return {menu: conn.print(menu) for menu in menus}
        if client is None:
            with self._mikrotik_client() as conn:
                rows = read(conn)
        else:
            rows = read(client)
        lines = drift.compare(wanted, rows, suspended_lists=lists)
        self.sudo().write({"drift_count": len(lines),
                           "drift_checked": fields.Datetime.now()})
        return lines

    def _mikrotik_repair(self):
        """Apply every repair of the drift of this router, under its lock.
        Returns the number of writes."""
        self.ensure_one()
        if not self._mikrotik_lock():
            raise UserError(_("%s is busy (a job is writing to it); try again in a moment.")
                            % self.name)
        with self._mikrotik_client() as client:
            ops = drift.repair_ops(self._mikrotik_drift(client))
            for op in ops:
                client.apply(op)
            self._mikrotik_drift(client)
        return len(ops)

    @api.multi
    def action_check_drift(self):
        """Open the drift report of this router."""
        self._check_admin()
        self.ensure_one()
        report = self.env["isp.mikrotik.drift"].create({"router_id": self.id})
        report.action_refresh()
        return report._open()

    @api.multi
    def action_repair(self):
        """Repair this router (only this one) and show what is left."""
        self._check_admin()
        self.ensure_one()
        report = self.env["isp.mikrotik.drift"].create({"router_id": self.id})
        report.action_repair()
        return report._open()

    @api.multi
    def action_sync_all(self):
        """Queue a job that writes every account, profile and pool of this
        router (after a router was replaced or reset)."""
        self._check_admin()
        for router in self.filtered("api_configured"):
            router._mikrotik_delay_sync(router._mikrotik_subscriptions().ids, packages=True)
        return True

    @api.multi
    def action_view_jobs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Pending changes of %s") % self.name,
            "res_model": "queue.job",
            "view_mode": "tree,form",
            "views": [(self.env.ref("isp_mikrotik.queue_job_view_tree_router").id, "tree"),
                      (False, "form")],
            "domain": self._job_domain(),
        }

    @api.multi
    def action_online(self):
        """Online customers of this router (API)."""
        self.ensure_one()
        return self.env["isp.mikrotik.session"].load(self)

    @api.multi
    def action_import(self):
        self._check_admin()
        self.ensure_one()
        wizard = self.env["isp.mikrotik.import"].create({"router_id": self.id})
        return wizard._open()

    # -- configure for RADIUS ------------------------------------------------------------

    @api.multi
    def action_configure_radius(self):
        """Point the router at our RADIUS server (seed 000: Actions >
        configure): /radius entry for ppp and hotspot, /radius/incoming
        accept=yes, PPP AAA use-radius with interim updates, hotspot
        profiles use-radius."""
        self._check_admin()
        for router in self:
            try:
                with router._mikrotik_client() as client:
                    router._mikrotik_configure_radius(client)
            except ros.RouterError as error:
                raise UserError(str(error))
            router._mikrotik_record()
        return True

    def _mikrotik_radius_settings(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        router = self.sudo()
        host = get("isp_radius.server_host")
        if not host:
            raise UserError(_("Set the RADIUS server address (isp_radius.server_host) "
                              "first."))
        if not router.radius_secret:
            raise UserError(_("%s: set the RADIUS secret of the router first.") % router.name)
        return {
            "address": host,
            "secret": router.radius_secret,
            "auth_port": get("isp_radius.auth_port") or "1812",
            "acct_port": get("isp_radius.acct_port") or "1813",
            "coa_port": str(router.coa_port or 3799),
            "interim": router.interim_update or "5m",
        }

    def _mikrotik_configure_radius(self, client):
        conf = self._mikrotik_radius_settings()
        entry = {"address": conf["address"], "secret": conf["secret"],
                 "service": "ppp,hotspot", "authentication-port": conf["auth_port"],
                 "accounting-port": conf["acct_port"], "timeout": "3s",
                 "disabled": "no", "comment": cmd.MARKER + "radius"}
        existing = client.print("/radius", where={"address": conf["address"]})
        if existing:
            row = existing[0]
            changed = {k: v for k, v in entry.items()
                       if cmd.normalize(v) != cmd.normalize(row.get(k))}
            if changed:
                client.set("/radius", row[".id"], changed)
        else:
            client.add("/radius", entry)
        client.set("/radius/incoming", None, {"accept": "yes", "port": conf["coa_port"]})
        client.set("/ppp/aaa", None, {"use-radius": "yes", "accounting": "yes",
                                      "interim-update": conf["interim"]})
        for profile in client.print("/ip/hotspot/profile"):
            client.set("/ip/hotspot/profile", profile[".id"], {
                "use-radius": "yes", "radius-accounting": "yes",
                "radius-interim-update": conf["interim"]})
