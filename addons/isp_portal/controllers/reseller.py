# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reseller / sub-reseller panel (portal login of an operator): its
customers (search, create, suspend, resume, remove MAC binding, recharge: it
collects the customer's cash, its wallet pays the chain), its wallet and
statement, balance added online, packages and commissions, sub-resellers,
its customers' complaints.
Everything runs as the reseller's own user, through the same model methods
and record rules as the backend: a sibling's customer is not found (404), a
refused action is shown, never forced."""
import base64

from odoo import _, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from . import common

ACTIONS = ("suspend", "resume", "reset_mac", "recharge")
PANEL_TYPES = ("pppoe", "hotspot")   # resellers do not create static IP customers
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class IspResellerPanel(http.Controller):

    def _operator(self):
        user = request.env.user
        if not user.has_group("isp_base.group_isp_reseller") or not user.isp_operator_id:
            raise common.NotFound()
        return user.isp_operator_id

    def _plans(self, operator):
        """The reseller's own packages (what it sells and buys)."""
        return request.env["isp.service.plan"].search([("operator_id", "=", operator.id)],
                                                      order="billing_type, customer_price")

    def _operators(self, operator):
        """Who the reseller creates customers for: itself, then the
        sub-resellers of its subtree."""
        return operator | request.env["res.partner"].search([
            ("isp_is_operator", "=", True), ("id", "!=", operator.id),
            ("isp_operator_path", "=like", (operator.isp_operator_path or "/none/") + "%")],
            order="isp_operator_path")

    def _offers(self, operators):
        """{operator id: the packages a customer of that operator may have},
        by isp_reseller's rule (the one its subscription constraint checks),
        among the packages the reseller may read (its subtree's)."""
        plans = request.env["isp.service.plan"].search(
            [], order="billing_type, customer_price, name, id")
        return {op.id: plans._isp_sellable_to(op) for op in operators}

    @staticmethod
    def _recharges(plans, sub):
        return plans.filtered(lambda p: p.billing_type == "daily"
                              and sub.connection_type in p.allowed_connection_types())

    def _render(self, template, operator, values):
        error, message = common.pop_flash()
        values = dict(values, operator=operator.sudo(), page_name="reseller",
                      error=values.get("error") or error,
                      message=values.get("message") or message,
                      money=common.money, currency=operator.sudo().isp_company_currency_id)
        return request.render(template, values)

    # customers ----------------------------------------------------------------

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
        offers = self._offers(subs.mapped("operator_id"))
        money = operator.sudo()
        return self._render("isp_portal.reseller_panel", operator, {
            "subs": subs, "search": search or "",
            "recharges": {s.id: self._recharges(offers[s.operator_id.id], s) for s in subs},
            "balance": money.isp_operator_balance, "wallet": money.isp_wallet})

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
            offers = self._offers(sub.operator_id)[sub.operator_id.id]
            plan = self._recharges(offers, sub).filtered(lambda p: str(p.id) == str(plan_id))
            if not plan:
                raise UserError(_("Choose one of the packages of %s.") % sub.operator_id.name)
            # the reseller sells the package and takes the customer's cash
            # (isp_reseller's action_collect: the bill is paid, the reseller
            # holds the money); its wallet pays the chain for the minutes
            bill = sub.action_recharge(plan, pay=False)
            sub.action_collect(bill)

    @http.route(["/my/reseller/customer/new"], type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def reseller_new_customer(self, **post):
        try:
            operator = self._operator()
        except common.NotFound:
            return request.not_found()
        operators = self._operators(operator)
        offers = self._offers(operators)
        chosen = operators.filtered(lambda o: str(o.id) == str(post.get("operator_id"))) \
            or operator
        values = {"post": post, "types": PANEL_TYPES, "operators": operators,
                  "offers": offers, "chosen": chosen, "plans": offers[chosen.id],
                  "sellers": operators.filtered(lambda o: offers[o.id])}
        if request.httprequest.method == "POST":
            try:
                with request.env.cr.savepoint():
                    sub = self._create_customer(operators, offers, post)
                common.flash(message=_("%s created (%s).") % (
                    sub.partner_id.name, dict(sub._fields["state"].selection)[sub.state]))
                return request.redirect("/my/reseller?search=%s" % sub.username)
            except (UserError, ValidationError, AccessError) as exc:
                values["error"] = exc.name
        return self._render("isp_portal.reseller_new_customer", operator, values)

    def _create_customer(self, operators, offers, post):
        """Partner + account as the reseller (its rights and rules), for
        itself or one of its sub-resellers (`operators`): the package must
        be one of that operator's (`offers`, isp_reseller's rule); static IP
        is refused by isp_reseller."""
        missing = [label for key, label in (
            ("name", _("name")), ("mobile", _("mobile")), ("username", _("username")),
            ("password", _("password"))) if not (post.get(key) or "").strip()]
        if missing:
            raise UserError(_("Please fill in: %s.") % ", ".join(missing))
        operator = operators[:1]
        if post.get("operator_id"):
            operator = operators.filtered(lambda o: str(o.id) == str(post["operator_id"]))
            if not operator:
                raise UserError(_("Choose yourself or one of your sub-resellers."))
        plan = offers[operator.id].filtered(lambda p: str(p.id) == str(post.get("plan_id")))
        if not plan:
            raise UserError(_("Choose one of the packages of %s.") % operator.name)
        ctype = post.get("connection_type") or "pppoe"
        if ctype not in plan.allowed_connection_types():
            raise UserError(_("%s is not sold for %s connections.") % (plan.name, ctype))
        env = request.env
        partner = env["res.partner"].create({
            "name": post["name"].strip(), "mobile": post["mobile"].strip(),
            "isp_is_subscriber": True, "isp_operator_id": operator.id})
        sub = env["isp.subscription"].create({
            "partner_id": partner.id, "operator_id": operator.id, "plan_id": plan.id,
            "connection_type": ctype, "username": post["username"].strip(),
            "password": post["password"]})
        if post.get("activate"):
            # the wallet pays the chain (isp_reseller refuses an empty one)
            if sub.billing_type == "daily":
                # sold like a recharge: the customer's bill, its cash taken by
                # the reseller; the paid bill activates the account
                sub.action_collect(sub.action_recharge(plan, pay=False))
            else:
                sub.action_activate()
        return sub

    # wallet ---------------------------------------------------------------------

    def _dates(self, date_from, date_to):
        today = fields.Date.context_today(request.env.user)
        try:
            date_from = fields.Date.to_string(fields.Date.from_string(date_from)) \
                if date_from else today[:8] + "01"
            date_to = fields.Date.to_string(fields.Date.from_string(date_to)) \
                if date_to else today
        except ValueError:
            raise UserError(_("Dates are written YYYY-MM-DD."))
        return date_from, date_to

    @http.route(["/my/reseller/wallet"], type="http", auth="user", website=True)
    def reseller_wallet(self, date_from=None, date_to=None, fmt=None, **kw):
        try:
            operator = self._operator()
        except common.NotFound:
            return request.not_found()
        error = None
        try:
            date_from, date_to = self._dates(date_from, date_to)
        except UserError as exc:
            error = exc.name
            date_from, date_to = self._dates(None, None)
        # isp_reseller's statement, run as the reseller on its own ledger
        wizard = request.env["isp.operator.statement"].create({
            "operator_id": operator.id, "date_from": date_from, "date_to": date_to})
        if fmt == "xlsx":
            wizard.action_excel()
            return request.make_response(base64.b64decode(wizard.file_data), headers=[
                ("Content-Type", XLSX),
                ("Content-Disposition", "attachment; filename=%s" % wizard.file_name)])
        if fmt == "pdf":
            # isp_reseller's report; the wizard is the reseller's own (its
            # operator, checked again by statement() when rendered)
            pdf = request.env.ref("isp_reseller.report_operator_statement").sudo() \
                .render_qweb_pdf([wizard.id])
            # (pdf, "pdf"); Odoo 11 answers the bare HTML under a test cursor
            pdf = pdf[0] if isinstance(pdf, tuple) else pdf
            return request.make_response(pdf, headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", "attachment; filename=statement_%s_%s.pdf"
                 % (date_from, date_to))])
        opening, rows, closing = wizard.statement()
        money = operator.sudo()
        return self._render("isp_portal.reseller_wallet", operator, {
            "error": error, "date_from": date_from, "date_to": date_to,
            "opening": opening, "rows": rows, "closing": closing,
            "balance": money.isp_operator_balance, "wallet": money.isp_wallet,
            "acquirers": request.env["payment.acquirer"].isp_portal_acquirers(
                common.company())})

    @http.route(["/my/reseller/topup"], type="http", auth="user", website=True,
                methods=["POST"])
    def reseller_topup(self, amount=None, acquirer_id=None, **kw):
        try:
            operator = self._operator()
        except common.NotFound:
            return request.not_found()
        try:
            acquirer = common.pick_acquirer(acquirer_id, common.company())
            tx = request.env["payment.transaction"].isp_create_topup(acquirer, operator,
                                                                     amount)
            return common.redirect_to_provider(tx)
        except UserError as exc:
            common.flash(error=exc.name)
            return request.redirect("/my/reseller/wallet")

    # packages, commissions, sub-resellers ---------------------------------------------

    @http.route(["/my/reseller/packages"], type="http", auth="user", website=True)
    def reseller_packages(self, **kw):
        try:
            operator = self._operator()
        except common.NotFound:
            return request.not_found()
        return self._render("isp_portal.reseller_packages", operator, {
            "plans": self._plans(operator),
            "commissions": operator._isp_portal_commissions()})

    @http.route(["/my/reseller/subresellers"], type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def reseller_subresellers(self, **post):
        try:
            operator = self._operator()
        except common.NotFound:
            return request.not_found()
        values = {"post": post}
        if request.httprequest.method == "POST":
            try:
                with request.env.cr.savepoint():
                    child = self._create_subreseller(operator, post)
                common.flash(message=_("%s created.") % child.name)
                return request.redirect("/my/reseller/subresellers")
            except (UserError, ValidationError, AccessError) as exc:
                values["error"] = exc.name
        values["children"] = request.env["res.partner"].search(
            [("isp_parent_operator_id", "=", operator.id)])
        return self._render("isp_portal.reseller_subresellers", operator, values)

    def _create_subreseller(self, operator, post):
        """The operator as the reseller creates it (isp_reseller refuses it
        without the sub-reseller permission); its login, when asked for, is
        a sub-reseller login of that operator only."""
        if not operator.sudo().isp_may_create_subresellers:
            raise AccessError(_("You may not create sub-resellers: ask your parent "
                                "operator for the permission."))
        name = (post.get("name") or "").strip()
        login = (post.get("login") or "").strip()
        if not name:
            raise UserError(_("Please fill in: %s.") % _("name"))
        if login and len(post.get("password") or "") < 8:
            raise UserError(_("The password needs at least 8 characters."))
        child = request.env["res.partner"].create({
            "name": name, "is_company": True, "isp_is_operator": True,
            "mobile": (post.get("mobile") or "").strip() or False,
            "isp_parent_operator_id": operator.id, "isp_reseller_mode": "prepaid"})
        if login:
            Users = request.env["res.users"].sudo()
            if Users.with_context(active_test=False).search_count([("login", "=", login)]):
                raise UserError(_("The login %s is taken.") % login)
            Users.with_context(no_reset_password=True).create({
                "name": name, "login": login, "password": post["password"],
                "isp_operator_id": child.id,
                "groups_id": [(6, 0, [request.env.ref("isp_base.group_isp_subreseller").id])]})
        return child

    # complaints -----------------------------------------------------------------

    @http.route(["/my/reseller/tickets"], type="http", auth="user", website=True)
    def reseller_tickets(self, **kw):
        try:
            operator = self._operator()
        except common.NotFound:
            return request.not_found()
        # the reseller's rule (isp_portal security): its subtree's customers
        tickets = request.env["helpdesk.ticket"].search(
            [("partner_id.isp_operator_id", "!=", False)], limit=100)
        return self._render("isp_portal.reseller_tickets", operator, {"tickets": tickets})

    @http.route(["/my/reseller/ticket/<int:ticket_id>"], type="http", auth="user",
                website=True)
    def reseller_ticket(self, ticket_id, **kw):
        try:
            operator = self._operator()
            ticket = common.check_record("helpdesk.ticket", ticket_id, token_field=None)
        except common.NotFound:
            return request.not_found()
        return self._render("isp_portal.reseller_ticket", operator, {"ticket": ticket})

