# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from ..lib import client as ros
from ..lib import commands as cmd
from ..lib import drift

MENU_LABELS = [
    (cmd.SECRET, "PPP secret"), (cmd.PROFILE, "PPP profile"), (cmd.POOL, "IP pool"),
    (cmd.HOTSPOT_USER, "Hotspot user"), (cmd.HOTSPOT_PROFILE, "Hotspot user profile"),
    (cmd.QUEUE, "Simple queue"), (cmd.ADDRESS_LIST, "Address list entry"),
]


class IspMikrotikDrift(models.TransientModel):
    """What billing says vs what one router has, with "repair this router"."""

    _name = "isp.mikrotik.drift"
    _description = "Router drift report"

    router_id = fields.Many2one("isp.router", required=True, readonly=True,
                                ondelete="cascade")
    checked = fields.Datetime(readonly=True)
    error = fields.Char(readonly=True)
    repaired = fields.Integer("Writes done by the last repair", readonly=True)
    line_ids = fields.One2many("isp.mikrotik.drift.line", "report_id", readonly=True)
    missing_count = fields.Integer(compute="_compute_counts")
    extra_count = fields.Integer(compute="_compute_counts")
    profile_count = fields.Integer(compute="_compute_counts")
    enabled_suspended_count = fields.Integer(compute="_compute_counts")
    different_count = fields.Integer(compute="_compute_counts")

    @api.depends("line_ids.kind")
    def _compute_counts(self):
        for report in self:
            counts = drift.summary(report.line_ids)
            for kind, count in counts.items():
                report["%s_count" % kind] = count

    @api.model
    def create(self, vals):
        self.env["isp.router"]._check_admin()
        return super().create(vals)

    def _open(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Drift of %s") % self.router_id.name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _fill(self, lines):
        Sub = self.env["isp.subscription"].sudo()
        company = self.router_id.company_id
        usernames = {line.key[0] for line in lines
                     if line.menu in (cmd.SECRET, cmd.HOTSPOT_USER, cmd.QUEUE)}
        subs = {s.username.lower(): s for s in Sub.search([
            ("company_id", "=", company.id), ("username", "in", list(usernames))])} \
            if usernames else {}
        values = []
        for line in lines:
            sub = subs.get(line.key[0].lower()) if line.menu != cmd.ADDRESS_LIST else None
            values.append((0, 0, {
                "kind": line.kind,
                "menu": line.menu,
                "name": " / ".join(line.key),
                "billing": line.billing,
                "router": line.router,
                "subscription_id": sub.id if sub else False,
                "repair": ", ".join(op.action for op in line.ops) or "report",
            }))
        self.line_ids.unlink()
        self.write({"line_ids": values, "checked": fields.Datetime.now(), "error": False})

    @api.multi
    def action_refresh(self):
        self.ensure_one()
        self.env["isp.router"]._check_admin()
        try:
            lines = self.router_id._mikrotik_drift()
        except ros.RouterError as error:
            self.router_id._mikrotik_record(error)
            self.write({"error": str(error), "checked": fields.Datetime.now()})
            self.line_ids.unlink()
            return self._open()
        self._fill(lines)
        return self._open()

    @api.multi
    def action_repair(self):
        """Repair this router only; what is left is shown again."""
        self.ensure_one()
        self.env["isp.router"]._check_admin()
        try:
            self.repaired = self.router_id._mikrotik_repair()
        except ros.RouterError as error:
            self.router_id._mikrotik_record(error)
            self.write({"error": str(error), "checked": fields.Datetime.now()})
            return self._open()
        self.router_id._mikrotik_record()
        return self.action_refresh()


class IspMikrotikDriftLine(models.TransientModel):
    _name = "isp.mikrotik.drift.line"
    _description = "Router drift line"
    _order = "id"

    report_id = fields.Many2one("isp.mikrotik.drift", required=True, ondelete="cascade")
    kind = fields.Selection(list(drift.KINDS.items()), required=True)
    menu = fields.Selection(MENU_LABELS, required=True)
    name = fields.Char(required=True)
    billing = fields.Char("Billing says")
    router = fields.Char("Router has")
    subscription_id = fields.Many2one("isp.subscription")
    repair = fields.Char("Repair does",
                         help="add, set, unset, remove: what Repair writes (set disabled for "
                              "an unknown PPPoE secret); report: left alone (not ours: "
                              "import it, or remove it on the router).")
