# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reseller / sub-reseller panel (portal login of an operator): its wallet,
its customers (search, suspend, resume, remove MAC binding, recharge: it
collects the customer's cash, its wallet pays the chain) and its packages.
Everything runs as the reseller's own user,
through the same model methods and record rules as the backend: a sibling's
customer is not found (404), a refused action is shown, never forced."""
from odoo import _, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from . import common

ACTIONS = ("suspend", "resume", "reset_mac", "recharge")


class IspResellerPanel(http.Controller):

    def _operator(self):
        user = request.env.user
        if not user.has_group("isp_base.group_isp_reseller") or not user.isp_operator_id:
            raise common.NotFound()
        return user.isp_operator_id

    def _plans(self, operator):
        return request.env["isp.service.plan"].search([("operator_id", "=", operator.id)],
                                                      order="billing_type, customer_price")

    @http.route(["/my/reseller"], type="http", auth="user", website=True)
    def reseller_home(self, search=None, **kw):
        try:
            operator = self._operator()
        except common.NotFound:
            return request.not_found()
        domain = []
        if search:
            domain = ["|", "|", "|", ("username", "ilike", search),
                      ("partner_id.name", "ilike", search),
                      ("partner_id.mobile", "ilike", search),
                      ("customer_code", "ilike", search)]
        subs = request.env["isp.subscription"].search(domain, limit=50)
        error, message = common.pop_flash()
        money = operator.sudo()
        return request.render("isp_portal.reseller_panel", {
            "operator": operator.sudo(), "subs": subs, "search": search or "",
            "plans": self._plans(operator), "error": error, "message": message,
            "balance": money.isp_operator_balance, "wallet": money.isp_wallet,
            "children": request.env["res.partner"].search(
                [("isp_parent_operator_id", "=", operator.id)]),
            "page_name": "reseller"})

    @http.route(["/my/reseller/sub/<int:sub_id>/<string:action>"], type="http",
                auth="user", website=True, methods=["POST"])
    def reseller_action(self, sub_id, action, plan_id=None, **kw):
        try:
            operator = self._operator()
            if action not in ACTIONS:
                raise common.NotFound()
            # read as the reseller: another operator's customer is not found
            sub = common.check_record("isp.subscription", sub_id, token_field=None)
        except common.NotFound:
            return request.not_found()
        sub = sub.sudo(request.env.user)
        try:
            with request.env.cr.savepoint():
                self._act(sub, action, operator, plan_id)
            common.flash(message=_("%s: done.") % sub.name)
        except (UserError, ValidationError, AccessError) as exc:
            common.flash(error=exc.name)
        return request.redirect("/my/reseller")

    def _act(self, sub, action, operator, plan_id):
        if action == "suspend":
            sub.action_suspend(_("Suspended by %s") % operator.name)
        elif action == "resume":
            sub.action_resume(_("Resumed by %s") % operator.name)
        elif action == "reset_mac":
            sub.action_reset_mac()
        else:
            plan = self._plans(operator).filtered(lambda p: str(p.id) == str(plan_id))
            if not plan:
                raise UserError(_("Choose one of your packages."))
            # the reseller sells the package and takes the customer's cash
            # (isp_reseller's action_collect: the bill is paid, the reseller
            # holds the money); its wallet pays the chain for the minutes.
            # The package was found among the reseller's own (its rules); it
            # is passed sudo'ed only because isp_billing reads its invoicing
            # product, which portal logins may not read; the account stays the
            # reseller's (rules and rights checked by both methods)
            bill = sub.action_recharge(plan.sudo(), pay=False)
            sub.action_collect(bill)
