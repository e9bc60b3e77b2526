# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.isp_base.lib import validation

from ..lib import entries


class ResPartner(models.Model):
    """Card distributors (recharge points) are partners with a flag; the
    operator they work for (the ISP, a reseller or a sub-reseller) is
    isp_base's `isp_operator_id`. What a distributor owes is its ledger on
    the card distributors account."""

    _inherit = "res.partner"

    isp_is_card_distributor = fields.Boolean(
        "Card distributor", index=True,
        help="A shop that sells the recharge cards of its operator (recharge point).")
    isp_card_ids = fields.One2many("isp.card", "distributor_id", string="Cards",
                                   readonly=True)
    isp_card_stock = fields.Integer("Cards in stock", compute="_compute_isp_card_figures")
    isp_card_sold = fields.Integer("Cards sold or used", compute="_compute_isp_card_figures")
    isp_card_commission = fields.Monetary(
        "Commission earned", compute="_compute_isp_card_figures",
        currency_field="isp_company_currency_id",
        help="Commission of the cards handed to this distributor (not cancelled).")
    isp_card_balance = fields.Monetary(
        "Owes for cards", compute="_compute_isp_card_figures",
        currency_field="isp_company_currency_id",
        help="Face value less commission of the cards handed over, less the money "
             "received (from the journal entries).")

    def _compute_isp_card_figures(self):
        ids = [p.id for p in self if p.id and p.isp_is_card_distributor]
        stock, sold, commission, balance = {}, {}, {}, {}
        Card = self.env["isp.card"]
        if ids and Card.check_access_rights("read", raise_exception=False):
            # the figures of the cards the user may read (record rules): a
            # reseller reads the partners of a sibling, a portal user any
            # partner, not their shops' figures
            query = Card._where_calc([("distributor_id", "in", ids)])
            Card._apply_ir_rules(query, "read")
            from_clause, where_clause, params = query.get_sql()
            cr = self.env.cr
            cr.execute("""
                SELECT isp_card.distributor_id,
                       count(*) FILTER (WHERE isp_card.state = 'new'
                                        AND isp_card.handover_move_id IS NOT NULL),
                       count(*) FILTER (WHERE isp_card.state IN ('sold', 'redeemed')),
                       coalesce(sum(isp_card.commission)
                                FILTER (WHERE isp_card.state != 'cancelled'), 0)
                  FROM %s WHERE %s GROUP BY isp_card.distributor_id""" % (  # noqa: S608
                from_clause, where_clause), params)  # pylint: disable=sql-injection
            for pid, n_stock, n_sold, com in cr.fetchall():
                stock[pid], sold[pid], commission[pid] = n_stock, n_sold, com
            # what a shop owes: to the ISP's card managers, and to those who
            # may read its cards
            user = self.env.user
            if self.env.uid == SUPERUSER_ID or (
                    user.has_group("isp_cards.group_isp_card_manager")
                    and not user._isp_is_reseller_side()):
                shown = ids
            else:
                shown = list(stock)
            balance = self.browse(shown)._isp_card_balances()
        for partner in self:
            partner.isp_card_stock = stock.get(partner.id, 0)
            partner.isp_card_sold = sold.get(partner.id, 0)
            partner.isp_card_commission = commission.get(partner.id, 0.0)
            partner.isp_card_balance = balance.get(partner.id, 0.0)

    def _isp_card_balances(self):
        """{distributor id: debit - credit on the card distributors account}."""
        account = self.env.user.company_id.isp_card_receivable_account_id
        if not self.ids or not account:
            return {}
        self.env.cr.execute("""
            SELECT l.partner_id, sum(l.debit - l.credit) FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
             WHERE l.account_id = %s AND l.partner_id IN %s
             GROUP BY l.partner_id""", (account.id, tuple(self.ids)))
        return dict(self.env.cr.fetchall())

    @api.constrains("isp_is_card_distributor", "isp_operator_id", "isp_is_subscriber",
                    "isp_is_operator")
    def _check_isp_card_distributor(self):
        for partner in self.filtered("isp_is_card_distributor"):
            if partner.isp_is_subscriber or partner.isp_is_operator:
                raise ValidationError(_("%s: a card distributor is neither a subscriber nor "
                                        "an operator.") % partner.name)
            if not partner.isp_operator_id:
                raise ValidationError(_("%s: a card distributor works for an operator "
                                        "(the ISP or a reseller).") % partner.name)

    @api.model
    def create(self, vals):
        if vals.get("isp_is_card_distributor") and not vals.get("isp_operator_id"):
            vals["isp_operator_id"] = self.env.user._isp_scope_operator().id
        return super().create(vals)

    # helpers -------------------------------------------------------------------

    def _isp_card_by_reseller(self):
        """The distributor works for a reseller (its money is that reseller's).
        (sudo: whether an operator is a reseller is no secret, but a reseller
        may not read the partners of the operators above it)"""
        return self.sudo().isp_operator_id._isp_is_reseller()

    def _isp_check_card_distributor(self):
        self.ensure_one()
        if not self.isp_is_card_distributor:
            raise UserError(_("%s is not a card distributor.") % self.name)

    def _isp_check_acting_distributor(self):
        """The current user is this distributor's login, or may manage its
        cards (card managers; its operator's reseller logins through the
        record rules)."""
        self._isp_check_card_distributor()
        user = self.env.user
        if self.env.uid == SUPERUSER_ID:
            return
        if user.has_group("isp_base.group_isp_card_distributor"):
            if user.partner_id.commercial_partner_id != self:
                raise AccessError(_("You sell your own cards only."))
            return
        self.check_access_rule("read")
        self.env["isp.card"].check_access_rights("write")

    # the distributor's panel -------------------------------------------------

    @api.multi
    def isp_card_stock_by_plan(self):
        """[(plan, value, cards in stock)] of this distributor that it may
        sell by SMS (their PIN was not printed, exported or sent), for its
        panel."""
        self.ensure_one()
        self._isp_check_acting_distributor()
        self.env.cr.execute("""
            SELECT plan_id, value, count(*) FROM isp_card
             WHERE distributor_id = %s AND state = 'new' AND handover_move_id IS NOT NULL
               AND pin_released IS NULL
               AND (expiry_date IS NULL OR expiry_date >= %s)
             GROUP BY plan_id, value ORDER BY plan_id, value""",
                            (self.id, fields.Date.context_today(self)))
        Plan = self.env["isp.service.plan"].sudo()
        return [(Plan.browse(plan_id), value, count)
                for plan_id, value, count in self.env.cr.fetchall()]

    @api.multi
    def sell_digital(self, card_or_plan, mobile):
        """Sell one card of this distributor to `mobile`: a given card, or the
        first one in stock of a package whose PIN was never given out. The
        card is sold and its PIN goes to the buyer by SMS (and out of the
        database); when the SMS fails, nothing is sold (UserError). Returns
        the card."""
        self.ensure_one()
        self._isp_check_acting_distributor()
        try:
            mobile = validation.normalize_mobile(mobile, self._isp_phone_region())
        except ValueError as exc:
            raise UserError(exc.args[0]) from None
        today = fields.Date.context_today(self)
        cr = self.env.cr
        if card_or_plan._name == "isp.card":
            cr.execute("SELECT id FROM isp_card WHERE id = %s AND distributor_id = %s "
                       "FOR UPDATE", (card_or_plan.id, self.id))
            if not cr.fetchone():
                raise UserError(_("Card %s is not one of %s's.") % (
                    card_or_plan.sudo().serial, self.name))
            card = card_or_plan.sudo()
            card.invalidate_cache()
            if card.state != "new" or not card.handover_move_id:
                raise UserError(_("Card %s cannot be sold: it is %s.") % (
                    card.serial, dict(card._fields["state"].selection)[card.state]))
            if card.pin_released:
                raise UserError(_("Card %s cannot be sold by SMS: its PIN was %s (sell the "
                                  "card itself).") % (card.serial, dict(
                                      card._fields["pin_released"].selection)[
                                      card.pin_released].lower()))
            if card.expiry_date and card.expiry_date < today:
                raise UserError(_("Card %s expired on %s.") % (
                    card.serial, self.isp_date_text(card.expiry_date)))
        else:
            # another sale of the same distributor takes the next card
            cr.execute("""
                SELECT id FROM isp_card
                 WHERE distributor_id = %s AND plan_id = %s AND state = 'new'
                   AND handover_move_id IS NOT NULL AND pin_released IS NULL
                   AND (expiry_date IS NULL OR expiry_date >= %s)
                 ORDER BY expiry_date NULLS LAST, id LIMIT 1
                   FOR UPDATE SKIP LOCKED""", (self.id, card_or_plan.id, today))
            row = cr.fetchone()
            if not row:
                raise UserError(_(
                    "%s has no %s card in stock: cards are generated for a distributor "
                    "(with its commission) before it can sell them.") % (
                    self.name, card_or_plan.name))
            card = self.env["isp.card"].sudo().browse(row[0])
        seller = self.env.user
        # the sale and the PIN's release stand or fall with the SMS
        try:
            with cr.savepoint():
                card.write({"state": "sold", "sold_to": mobile,
                            "sold_at": fields.Datetime.now()})
                card._isp_send_pin(mobile, user=seller)
        except Exception:
            self.env["isp.card"].invalidate_cache()   # the cache: rolled back too
            raise
        return card

    @api.multi
    def action_isp_card_money(self, amount, journal=None, reference=None, date=None,
                              received_by=None):
        """Money received from this distributor: Dr cash when the ISP received
        it, Dr the reseller's ledger when the distributor's reseller took it
        (`received_by` "isp" or "operator"; by default "operator" when a
        reseller's login enters it) / Cr the distributor's account. Returns
        the posted entry."""
        self.ensure_one()
        self._isp_check_card_distributor()
        if not self.env["isp.card"].check_access_rights("write", raise_exception=False):
            raise AccessError(_("You may not enter card money."))
        self.check_access_rule("read")
        company = self.env.user.company_id
        operator = self.isp_operator_id
        if received_by is None:
            received_by = "operator" if self.env.user._isp_is_reseller_side() else "isp"
        by_reseller = received_by == "operator" and self._isp_card_by_reseller()
        if received_by == "operator" and not by_reseller:
            raise UserError(_("%s works for the ISP: its money is the ISP's.") % self.name)
        if by_reseller:
            journal = company.isp_operator_journal_id
            operator._isp_lock()
        else:
            journal = journal or self.env["account.payment"].isp_default_journal(company)
        try:
            lines = entries.money_received(amount, self, operator, by_reseller)
        except ValueError as exc:
            raise UserError(exc.args[0]) from None
        label = _("Cards: money from %s") % self.name
        if reference:
            label = "%s (%s)" % (label, reference)
        accounts = {"cash": journal.default_debit_account_id}
        return self.env["isp.card"]._isp_post_entry(lines, label, journal=journal, date=date,
                                                    accounts=accounts)
