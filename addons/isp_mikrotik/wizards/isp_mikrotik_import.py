# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import from a router: IP pools -> IPAM, PPP profiles -> master packages
(and a package to sell each), PPP secrets -> subscriptions (matched by
username, or created). A preview with counts comes first; the import then
applies what the preview showed, one line at a time (a line that fails is
not half-written: it is reported with its reason)."""
import ipaddress
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.isp_base.lib import validation

from ..lib import client as ros
from ..lib import commands as cmd
from ..lib import importer

#: profiles every RouterOS has: not packages
BUILTIN_PROFILES = ("default", "default-encryption")
#: a pool whose ranges leave more addresses out is not imported
MAX_RESERVED = 64
#: PPP services of customer accounts (others are VPN links and the like)
CUSTOMER_SERVICES = ("pppoe", "any")


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return False


class IspMikrotikImport(models.TransientModel):
    _name = "isp.mikrotik.import"
    _description = "Import from a router"

    router_id = fields.Many2one("isp.router", required=True, readonly=True,
                                ondelete="cascade")
    state = fields.Selection([("draft", "Start"), ("preview", "Preview"), ("done", "Done")],
                             default="draft", readonly=True)
    billing_profile_id = fields.Many2one(
        "isp.billing.profile", string="Billing profile of monthly customers",
        default=lambda self: self.env.user.company_id.isp_default_billing_profile_id)
    default_plan_id = fields.Many2one(
        "isp.service.plan", string="Package for other profiles",
        help="Package of the secrets whose profile sets no speed (e.g. 'default'); "
             "without it they are skipped.")
    error = fields.Char(readonly=True)
    line_ids = fields.One2many("isp.mikrotik.import.line", "wizard_id", readonly=True)
    pool_create_count = fields.Integer("Pools to create", compute="_compute_counts")
    pool_exist_count = fields.Integer("Pools already known", compute="_compute_counts")
    package_create_count = fields.Integer("Packages to create", compute="_compute_counts")
    package_exist_count = fields.Integer("Packages already known", compute="_compute_counts")
    customer_create_count = fields.Integer("Customers to create", compute="_compute_counts")
    customer_match_count = fields.Integer("Customers matched", compute="_compute_counts")
    skip_count = fields.Integer("Skipped", compute="_compute_counts")
    done_count = fields.Integer("Imported", compute="_compute_counts")
    failed_count = fields.Integer("Failed", compute="_compute_counts")

    @api.depends("line_ids.kind", "line_ids.action", "line_ids.result")
    def _compute_counts(self):
        for wizard in self:
            lines = wizard.line_ids

            def count(kind, action, lines=lines):
                return len(lines.filtered(lambda ln: ln.kind == kind and ln.action == action))
            wizard.pool_create_count = count("pool", "create")
            wizard.pool_exist_count = count("pool", "exists")
            wizard.package_create_count = count("package", "create")
            wizard.package_exist_count = count("package", "exists")
            wizard.customer_create_count = count("customer", "create")
            wizard.customer_match_count = count("customer", "match")
            wizard.skip_count = len(lines.filtered(lambda ln: ln.action == "skip"))
            wizard.done_count = len(lines.filtered(lambda ln: ln.result == "done"))
            wizard.failed_count = len(lines.filtered(lambda ln: ln.result == "failed"))

    @api.model
    def create(self, vals):
        self.env["isp.router"]._check_admin()
        return super().create(vals)

    def _open(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Import from %s") % self.router_id.name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # -- preview --------------------------------------------------------------------

    @api.multi
    def action_preview(self):
        """Read the router and show what the import would do."""
        self.ensure_one()
        self.env["isp.router"]._check_admin()
        try:
            with self.router_id._mikrotik_client() as client:
                pools = client.print(cmd.POOL)
                profiles = client.print(cmd.PROFILE)
                secrets = client.print(cmd.SECRET)
        except ros.RouterError as error:
            self.router_id._mikrotik_record(error)
            raise UserError(str(error))
        self.line_ids.unlink()
        packages = self._preview_packages(profiles, pools)
        sold = {ln["name"] for ln in packages if ln["action"] in ("create", "exists")}
        lines = (self._preview_pools(pools) + packages
                 + self._preview_customers(secrets, sold))
        self.write({"line_ids": [(0, 0, vals) for vals in lines], "state": "preview",
                    "error": False})
        return self._open()

    def _line(self, kind, name, action, reason="", data=None):
        return {"kind": kind, "name": name, "action": action, "reason": reason,
                "data": json.dumps(data or {}, sort_keys=True)}

    def _preview_pools(self, pools):
        Pool = self.env["isp.ip.pool"].sudo()
        company = self.router_id.company_id
        lines = []
        for row in pools:
            name = row.get("name") or ""
            if Pool.search([("name", "=", name), ("company_id", "=", company.id)], limit=1):
                lines.append(self._line("pool", name, "exists"))
                continue
            try:
                network = importer.ranges_to_network(row.get("ranges"))
                reserved = importer.uncovered_hosts(network, row.get("ranges"))
            except ValueError as exc:
                lines.append(self._line("pool", name, "skip", str(exc)))
                continue
            if len(reserved) > MAX_RESERVED:
                lines.append(self._line("pool", name, "skip", _(
                    "its ranges leave %d addresses of %s out: create it by hand")
                    % (len(reserved), network)))
                continue
            self.env.cr.execute(
                """SELECT name FROM isp_ip_pool WHERE company_id = %s AND active
                   AND network::cidr && %s::cidr LIMIT 1""", (company.id, network))
            overlap = self.env.cr.fetchone()
            if overlap:
                lines.append(self._line("pool", name, "skip", _(
                    "%s overlaps the pool %s") % (network, overlap[0])))
                continue
            lines.append(self._line(
                "pool", name, "create", network + (_(", reserved %s") % ", ".join(reserved)
                                                   if reserved else ""),
                {"network": network, "ranges": row.get("ranges"), "reserved": reserved}))
        return lines

    def _known_profiles(self):
        """{profile name: master package} of the company."""
        masters = self.env["isp.master.package"].sudo().search([
            ("company_id", "=", self.router_id.company_id.id)])
        known = {}
        for master in masters:
            try:
                known.setdefault(cmd.profile_name(master.name, master.ppp_profile), master)
            except ValueError:
                continue
        return known

    def _preview_packages(self, profiles, pools):
        known = self._known_profiles()
        pool_names = {p.get("name") for p in pools}
        lines = []
        for row in profiles:
            name = row.get("name") or ""
            if name in BUILTIN_PROFILES or cmd.is_ours(row) and name.startswith(
                    "isp-suspended"):
                continue
            if name in known:
                lines.append(self._line("package", name, "exists", known[name].name))
                continue
            try:
                speeds = importer.parse_rate_limit(row.get("rate-limit"))
            except ValueError as exc:
                lines.append(self._line("package", name, "skip", str(exc)))
                continue
            if not speeds["download_kbps"] or not speeds["upload_kbps"]:
                lines.append(self._line("package", name, "skip",
                                        _("The profile sets no speed.")))
                continue
            remote = row.get("remote-address") or ""
            local = row.get("local-address") or ""
            lines.append(self._line("package", name, "create", row.get("rate-limit"), dict(
                speeds, pool=remote if remote in pool_names else "",
                local_address=local if _is_ip(local) else "")))
        return lines

    def _preview_customers(self, secrets, sold):
        """Secrets -> customers; `sold`: profiles that are (or will be)
        packages."""
        Sub = self.env["isp.subscription"].sudo()
        Pool = self.env["isp.ip.pool"].sudo()
        company = self.router_id.company_id
        lines = []
        for row in secrets:
            data = importer.secret_account(row)
            name = data["username"]
            if data["service"] not in CUSTOMER_SERVICES:
                lines.append(self._line("customer", name, "skip", _(
                    "service %s: not a PPPoE customer") % data["service"]))
                continue
            try:
                data["username"] = validation.normalize_username(name)
            except ValueError as exc:
                lines.append(self._line("customer", name, "skip", str(exc)))
                continue
            self.env.cr.execute(
                "SELECT id FROM isp_subscription WHERE company_id = %s AND "
                "lower(username) = lower(%s)", (company.id, data["username"]))
            found = self.env.cr.fetchone()
            if found:
                sub = Sub.browse(found[0])
                if sub.router_id and sub.router_id != self.router_id:
                    lines.append(self._line("customer", name, "skip", _(
                        "%s already exists on router %s") % (sub.name, sub.router_id.name)))
                else:
                    lines.append(self._line("customer", name, "match", sub.name,
                                            dict(data, subscription_id=sub.id)))
                continue
            if data["profile"] not in sold and not self.default_plan_id:
                lines.append(self._line("customer", name, "skip", _(
                    "its profile %s is not a package: choose a package for other "
                    "profiles") % data["profile"]))
                continue
            details = [_("enabled") if data["enabled"] else _("disabled"),
                       _("profile %s") % data["profile"]]
            if data["static_ip"]:
                if Pool.pool_of(data["static_ip"], company):
                    details.append(_("static IP %s") % data["static_ip"])
                else:
                    details.append(_("static IP %s left out: not in a static pool")
                                   % data["static_ip"])
            lines.append(self._line("customer", name, "create", ", ".join(details), data))
        return lines

    # -- import ------------------------------------------------------------------------

    @api.multi
    def action_import(self):
        """Apply the preview: pools, then packages, then customers."""
        self.ensure_one()
        self.env["isp.router"]._check_admin()
        if self.state != "preview":
            raise UserError(_("Preview the import first."))
        if not self.billing_profile_id and any(
                ln.kind == "customer" and ln.action == "create" for ln in self.line_ids):
            raise UserError(_("Choose the billing profile of the imported monthly "
                              "customers."))
        if not self.router_id._mikrotik_lock():
            raise UserError(_("%s is busy (a job is writing to it); try again in a moment.")
                            % self.router_id.name)
        for kind in ("pool", "package", "customer"):
            for line in self.line_ids.filtered(
                    lambda ln, k=kind: ln.kind == k and ln.action in ("create", "match")):
                line._apply()
        created = self.line_ids.filtered(
            lambda ln: ln.kind == "customer" and ln.action == "create" and ln.result == "done"
        ).mapped("subscription_id")
        # the created customers' secrets get our comment (customer code);
        # matched ones are left as they are (the drift report shows them)
        created._mikrotik_enqueue()
        self.state = "done"
        return self._open()


class IspMikrotikImportLine(models.TransientModel):
    _name = "isp.mikrotik.import.line"
    _description = "Import from a router: one item"
    _order = "id"

    wizard_id = fields.Many2one("isp.mikrotik.import", required=True, ondelete="cascade")
    kind = fields.Selection([("pool", "IP pool"), ("package", "PPP profile -> package"),
                             ("customer", "PPP secret -> customer")], required=True)
    name = fields.Char(required=True)
    action = fields.Selection([("create", "Create"), ("match", "Match"),
                               ("exists", "Already known"), ("skip", "Skip")], required=True)
    reason = fields.Char("Details")
    data = fields.Text()
    result = fields.Selection([("done", "Done"), ("failed", "Failed")], readonly=True)
    error = fields.Char(readonly=True)
    subscription_id = fields.Many2one("isp.subscription", readonly=True)

    def _apply(self):
        """Apply one line in its own savepoint: all of it, or none."""
        data = json.loads(self.data or "{}")
        try:
            with self.env.cr.savepoint():
                getattr(self, "_apply_%s" % self.kind)(data)
        except (UserError, ValidationError) as exc:
            self.write({"result": "failed", "error": exc.name if hasattr(exc, "name")
                        else str(exc)})
            return False
        self.result = "done"
        return True

    def _router(self):
        return self.wizard_id.router_id

    def _apply_pool(self, data):
        self.env["isp.ip.pool"].create({
            "name": self.name, "network": data["network"], "purpose": "dynamic",
            "reserved": ",".join(data.get("reserved") or []) or False,
            "router_id": self._router().id, "company_id": self._router().company_id.id})

    def _apply_package(self, data):
        company = self._router().company_id
        pool = self.env["isp.ip.pool"].search([("name", "=", data.get("pool") or ""),
                                               ("company_id", "=", company.id)], limit=1)
        speeds = {k: v for k, v in data.items() if k not in ("pool", "local_address")}
        router = self._router().sudo()
        if data.get("local_address") and not router.ppp_local_address:
            # the router's own side of PPP links, as its profiles have it
            router.ppp_local_address = data["local_address"]
        master = self.env["isp.master.package"].create(dict(
            speeds, name=self.name, ppp_profile=self.name, speed_controller="router",
            ip_pool_id=pool.id, company_id=company.id))
        self.env["isp.service.plan"].create({
            "name": self.name, "master_package_id": master.id, "billing_type": "monthly",
            "customer_price": 0.0, "allow_pppoe": True, "company_id": company.id,
            "visibility": "private",
            "description": _("Imported from router %s; set its price.")
            % self._router().name})

    def _plan_for(self, profile):
        wizard = self.wizard_id
        master = wizard._known_profiles().get(profile)
        if master:
            plan = master.plan_ids.filtered("allow_pppoe").sorted(
                lambda p: p.billing_type != "monthly")[:1]
            if plan:
                return plan
        if wizard.default_plan_id:
            return wizard.default_plan_id
        raise UserError(_("No package sells the profile %s.") % profile)

    def _apply_customer(self, data):
        Sub = self.env["isp.subscription"].with_context(isp_mikrotik_no_sync=True)
        router = self._router()
        if self.action == "match":
            sub = Sub.browse(data["subscription_id"])
            if not sub.router_id:
                sub.with_context(isp_no_network_event=True).router_id = router
            self.subscription_id = sub
            return
        partner = self.env["res.partner"]
        if data.get("code"):
            partner = partner.search([("isp_customer_code", "=", data["code"])], limit=1)
        if not partner:
            comment = data.get("comment") or ""
            partner = self.env["res.partner"].create({
                "name": comment if comment and cmd.parse_comment(comment) is None
                else data["username"],
                "isp_is_subscriber": True,
                "company_id": router.company_id.id,
            })
        plan = self._plan_for(data["profile"])
        vals = {
            "partner_id": partner.id, "connection_type": "pppoe",
            "username": data["username"], "password": data.get("password") or False,
            "plan_id": plan.id, "router_id": router.id,
            "company_id": router.company_id.id,
        }
        if plan.billing_type == "monthly":
            vals["billing_profile_id"] = self.wizard_id.billing_profile_id.id
        if data.get("static_ip") and self.env["isp.ip.pool"].pool_of(
                data["static_ip"], router.company_id):
            vals["static_ipv4"] = data["static_ip"]
        try:
            vals["mac_address"] = validation.normalize_mac(data["mac"]) if data.get("mac") \
                else False
        except ValueError:
            vals["mac_address"] = False
        sub = Sub.create(vals)
        reason = _("Imported from router %s") % router.name
        sub.action_activate(reason=reason)
        if not data.get("enabled", True):
            sub.action_disable(reason=_("%s (disabled there)") % reason)
        self.subscription_id = sub
