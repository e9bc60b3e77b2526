# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Card distributor panel (portal login of a recharge point): its stock of
cards, selling a digital card to a mobile number, its sales and commission,
what it owes and has paid. Everything is read and sold as the distributor's
own user (isp_cards' record rules: its own cards only); another
distributor's card is not found (404). Resellers get the list of the card
distributors of their subtree (/my/reseller/distributors)."""
from odoo import _, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.isp_base.lib import validation

from . import common

#: (config parameter, default) of the sale rate limits: sales per
#: distributor and per mobile number within a window (seconds)
SELL_LIMITS = {
    "per_distributor": ("isp_portal.card_sell_per_distributor", 60),
    "per_distributor_window": ("isp_portal.card_sell_per_distributor_window", 3600),
    "per_number": ("isp_portal.card_sell_per_number", 5),
    "per_number_window": ("isp_portal.card_sell_per_number_window", 3600),
}
RECENT_SALES = 20


def _setting(name):
    return request.env["isp.portal.attempt"].int_setting(*SELL_LIMITS[name])


def stock_key(plan, value):
    """The form's value for a line of stock: a package, or a face value
    (cards without a package)."""
    return "p%d" % plan.id if plan else "v%.2f" % value


class IspDistributorPanel(http.Controller):

    def _distributor(self):
        """The distributor of the logged-in user (its environment), or
        NotFound: customers, resellers and staff have no card panel."""
        user = request.env.user
        if not user.has_group("isp_base.group_isp_card_distributor"):
            raise common.NotFound()
        partner = user.partner_id.commercial_partner_id
        if not partner.sudo().isp_is_card_distributor:
            raise common.NotFound()
        return partner

    def _money_received(self, partner, limit=20):
        """[(date, reference, amount)] of the money received from the
        distributor: credits of its card account outside the cards journal
        (handovers and cancellations are posted in the cards journal)."""
        company = request.env.user.company_id.sudo()
        account = company.isp_card_receivable_account_id
        if not account:
            return [], 0.0
        lines = request.env["account.move.line"].sudo().search([
            ("account_id", "=", account.id), ("partner_id", "=", partner.id),
            ("move_id.state", "=", "posted"), ("credit", ">", 0),
            ("journal_id", "!=", company.isp_card_journal_id.id)], order="date desc, id desc")
        total = sum(lines.mapped("credit"))
        return [(line.date, line.move_id.ref or line.name, line.credit)
                for line in lines[:limit]], total

    def _values(self, partner):
        Card = request.env["isp.card"]   # as the distributor: its own cards
        stock = partner.isp_card_stock_by_plan()
        sales = Card.search([("state", "in", ("sold", "redeemed")),
                             ("sold_at", "!=", False)], order="sold_at desc, id desc",
                            limit=RECENT_SALES)
        payments, paid = self._money_received(partner)
        money = partner.sudo()
        error, message = common.pop_flash()
        return {
            "distributor": money, "currency": money.isp_company_currency_id,
            "money": common.money,
            "stock": [{"key": stock_key(plan, value), "plan": plan, "value": value,
                       "count": count,
                       "name": plan.name if plan else _("Card of %s") % common.money(
                           value, money.isp_company_currency_id)}
                      for plan, value, count in stock],
            "n_stock": sum(count for _plan, _value, count in stock),
            "n_sold": Card.search_count([("state", "=", "sold")]),
            "n_redeemed": Card.search_count([("state", "=", "redeemed")]),
            "commission": money.isp_card_commission, "balance": money.isp_card_balance,
            "payments": payments, "paid": paid, "sales": sales.sudo(),
            "error": error, "message": message, "page_name": "cards"}

    @http.route(["/my/cards"], type="http", auth="user", website=True)
    def cards_home(self, **kw):
        try:
            partner = self._distributor()
        except common.NotFound:
            return request.not_found()
        return request.render("isp_portal.distributor_panel", self._values(partner))

    @http.route(["/my/cards/card/<int:card_id>"], type="http", auth="user", website=True)
    def card_page(self, card_id, **kw):
        try:
            self._distributor()
            # read as the distributor: another distributor's card is not found
            card = common.check_record("isp.card", card_id, token_field=None)
        except common.NotFound:
            return request.not_found()
        return request.render("isp_portal.distributor_card", {
            "card": card, "page_name": "cards"})

    @http.route(["/my/cards/sell"], type="http", auth="user", website=True,
                methods=["POST"])
    def cards_sell(self, stock=None, mobile=None, **kw):
        try:
            partner = self._distributor()
        except common.NotFound:
            return request.not_found()
        try:
            # the attempt is logged before the sale: refused sales count too
            self._check_rate(partner, mobile)
            with request.env.cr.savepoint():
                card = self._sell(partner, stock, mobile)
            common.flash(message=_("Card %s sold to %s: the PIN was sent by SMS.") % (
                card.sudo().serial, card.sudo().sold_to))
        except (UserError, ValidationError, AccessError) as exc:
            common.flash(error=exc.name)
        return request.redirect("/my/cards")

    def _check_rate(self, partner, mobile):
        Attempt = request.env["isp.portal.attempt"]
        Attempt.check_and_log("card_sell:distributor", str(partner.id),
                              _setting("per_distributor"), _setting("per_distributor_window"))
        try:
            number = validation.normalize_mobile(mobile, partner.sudo()._isp_phone_region())
        except ValueError:
            return   # refused by the sale itself, with the reason
        Attempt.check_and_log("card_sell:number", number,
                              _setting("per_number"), _setting("per_number_window"))

    def _sell(self, partner, key, mobile):
        """Sell one card of the chosen line of stock to `mobile`, as the
        distributor's user (isp_cards locks the card it takes)."""
        if not (mobile or "").strip():
            raise UserError(_("Enter the buyer's mobile number."))
        line = [(plan, value) for plan, value, _count in partner.isp_card_stock_by_plan()
                if stock_key(plan, value) == key]
        if not line:
            raise UserError(_("Choose a package you have cards of in stock."))
        plan, value = line[0]
        if plan:
            return partner.sell_digital(plan, mobile)
        # cards of a face value without a package: the first one in stock
        # (sell_digital locks it and checks it is still in stock)
        card = request.env["isp.card"].search([
            ("distributor_id", "=", partner.id), ("plan_id", "=", False),
            ("value", "=", value), ("state", "=", "new"), ("handover_move_id", "!=", False),
            ("pin_released", "=", False),   # printed or exported: sold as a card, not by SMS
            "|", ("expiry_date", "=", False),
            ("expiry_date", ">=", fields.Date.context_today(partner))],
            order="id", limit=1)
        if not card:
            raise UserError(_("You have no card of %.2f in stock.") % value)
        return partner.sell_digital(card, mobile)

    # resellers: the card distributors of their subtree ---------------------------

    @http.route(["/my/reseller/distributors"], type="http", auth="user", website=True)
    def reseller_distributors(self, **kw):
        user = request.env.user
        operator = user.isp_operator_id
        if not user.has_group("isp_base.group_isp_reseller") or not operator:
            return request.not_found()
        # as the reseller (its rules), and within its subtree: a reseller's
        # rules let it read partners that are neither customers nor
        # operators, so the subtree is asked for explicitly
        path = operator.sudo().isp_operator_path or "/none/"
        distributors = request.env["res.partner"].search([
            ("isp_is_card_distributor", "=", True),
            ("isp_operator_id.isp_operator_path", "=like", path + "%")], order="name")
        return request.render("isp_portal.reseller_distributors", {
            "operator": operator.sudo(), "distributors": distributors.sudo(),
            "currency": operator.sudo().isp_company_currency_id,
            "page_name": "reseller_distributors"})
