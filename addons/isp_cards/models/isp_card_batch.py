# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import io
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import cards, entries

_logger = logging.getLogger(__name__)

MAX_BATCH = 200000


class IspCardBatch(models.Model):
    """A print run of recharge cards: N cards of one package (or of a value),
    one commission per card, one expiry date, made for a distributor or kept
    in stock until handed over."""

    _name = "isp.card.batch"
    _description = "Recharge card batch"
    _order = "id desc"

    name = fields.Char(readonly=True, copy=False, default="/")
    number = fields.Integer(readonly=True, copy=False, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True,
                                 default=lambda self: self.env.user.company_id)
    operator_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="restrict",
        domain=[("isp_is_operator", "=", True)],
        default=lambda self: self.env.user._isp_scope_operator(),
        readonly=True, states={"draft": [("readonly", False)]},
        help="Whose cards these are: the ISP or a reseller (its customers redeem them).")
    operator_path = fields.Char(readonly=True, index=True,
                                help="The operator's place in the tree (for scoping).")
    distributor_id = fields.Many2one(
        "res.partner", index=True, ondelete="restrict",
        domain=[("isp_is_card_distributor", "=", True)],
        readonly=True, states={"draft": [("readonly", False)]})
    plan_id = fields.Many2one("isp.service.plan", string="Package", ondelete="restrict",
                              readonly=True, states={"draft": [("readonly", False)]})
    value = fields.Monetary("Face value", required=True, readonly=True,
                            states={"draft": [("readonly", False)]},
                            help="What the customer pays for a card (the package's customer "
                                 "price by default).")
    commission = fields.Monetary("Commission per card", readonly=True,
                                 states={"draft": [("readonly", False)]})
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    quantity = fields.Integer(required=True, default=100, readonly=True,
                              states={"draft": [("readonly", False)]})
    pin_length = fields.Integer("PIN length", required=True, default=cards.DEFAULT_LENGTH,
                                readonly=True, states={"draft": [("readonly", False)]})
    expiry_date = fields.Date(
        required=True, readonly=True, states={"draft": [("readonly", False)]},
        default=lambda self: fields.Date.to_string(
            fields.Date.from_string(fields.Date.context_today(self))
            + datetime.timedelta(days=365)))
    state = fields.Selection([("draft", "Draft"), ("generated", "Generated"),
                              ("cancelled", "Cancelled")], default="draft", required=True,
                             readonly=True, index=True)
    card_ids = fields.One2many("isp.card", "batch_id", string="Cards", readonly=True)
    card_count = fields.Integer(compute="_compute_card_count")
    generated_at = fields.Datetime(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.uid)

    _sql_constraints = [
        ("number_uniq", "unique(number)", "Batch numbers are unique."),
        ("quantity_positive", "CHECK(quantity > 0)", "A batch has at least one card."),
        ("value_positive", "CHECK(value > 0)", "A card is worth something."),
        ("commission_range", "CHECK(commission >= 0 AND commission <= value)",
         "The commission is between 0 and the face value."),
    ]

    def _compute_card_count(self):
        counts = {}
        if self.ids:
            self.env.cr.execute("SELECT batch_id, count(*) FROM isp_card WHERE batch_id IN %s "
                                "GROUP BY batch_id", (tuple(self.ids),))
            counts = dict(self.env.cr.fetchall())
        for batch in self:
            batch.card_count = counts.get(batch.id, 0)

    @api.onchange("plan_id")
    def _onchange_plan_id(self):
        if self.plan_id:
            self.value = self.plan_id.customer_price
            self.operator_id = self.plan_id.operator_id

    @api.onchange("distributor_id")
    def _onchange_distributor_id(self):
        if self.distributor_id:
            self.operator_id = self.distributor_id.isp_operator_id

    @api.constrains("plan_id", "operator_id", "distributor_id", "quantity", "pin_length")
    def _check_batch(self):
        for batch in self:
            if batch.plan_id and batch.plan_id.operator_id != batch.operator_id:
                raise ValidationError(_("%s is sold by %s: cards of %s are for its own "
                                        "packages.") % (batch.plan_id.name,
                                                        batch.plan_id.operator_id.name,
                                                        batch.operator_id.name))
            if batch.plan_id and batch.plan_id.billing_type != "daily":
                raise ValidationError(_("%s is billed monthly: a card for it is a card of a "
                                        "value (that pays bills).") % batch.plan_id.name)
            if batch.distributor_id and batch.distributor_id.isp_operator_id \
                    != batch.operator_id:
                raise ValidationError(_("%s works for %s, not for %s.") % (
                    batch.distributor_id.name, batch.distributor_id.isp_operator_id.name,
                    batch.operator_id.name))
            if not 0 < batch.quantity <= MAX_BATCH:
                raise ValidationError(_("A batch has 1 to %d cards.") % MAX_BATCH)
            if not cards.MIN_LENGTH <= batch.pin_length <= cards.MAX_LENGTH:
                raise ValidationError(_("A PIN has %d to %d characters.") % (
                    cards.MIN_LENGTH, cards.MAX_LENGTH))

    @api.model
    def create(self, vals):
        operator = self.env["res.partner"].browse(vals.get("operator_id")) if \
            vals.get("operator_id") else self.env.user._isp_scope_operator()
        vals = dict(vals, operator_id=operator.id,
                    operator_path=operator.sudo().isp_operator_path)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if vals.get("operator_id"):
            vals = dict(vals, operator_path=self.env["res.partner"].browse(
                vals["operator_id"]).sudo().isp_operator_path)
        return super().write(vals)

    @api.multi
    def unlink(self):
        if any(b.state != "draft" for b in self):
            raise UserError(_("Only draft batches can be deleted; cancel generated ones."))
        return super().unlink()

    # generation ----------------------------------------------------------------

    @api.multi
    def action_generate(self):
        """Make the cards: rows built here and inserted in pages of a
        multi-row INSERT; a PIN already taken (unique index) is drawn again.
        Cards of a batch with a distributor are handed over at once."""
        for batch in self:
            batch.check_access_rule("write")
            if batch.state != "draft":
                raise UserError(_("%s is already generated.") % batch.name)
            number = int(self.env["ir.sequence"].sudo().next_by_code("isp.card.batch"))
            batch.sudo().write({"number": number, "name": "B%06d" % number,
                                "state": "generated", "generated_at": fields.Datetime.now()})
            move = self.env["account.move"]
            if batch.distributor_id:
                # handed over as they are made: the rows carry the entry
                move = batch._isp_post_handover(
                    batch.distributor_id, batch.quantity * batch.value,
                    batch.quantity * batch.commission, batch.quantity)
            batch._isp_insert_cards(move)
        return True

    def _isp_insert_cards(self, handover_move=None, rng=None):
        """COPY (serial, PIN, PIN hash) rows into a temporary table, then one
        INSERT ... SELECT with the batch's values; a PIN already taken (its
        hash: ON CONFLICT DO NOTHING) is drawn again for its serial. The clear
        PIN stays until the card is printed, exported or sent."""
        self.ensure_one()
        cr = self.env.cr
        number, length = self.number, self.pin_length
        pending = [cards.format_serial(number, i) for i in range(1, self.quantity + 1)]
        distributor = self.distributor_id if handover_move else self.env["res.partner"]
        params = {
            "batch": self.id, "company": self.company_id.id, "operator": self.operator_id.id,
            "path": self.operator_path, "plan": self.plan_id.id or None, "value": self.value,
            "commission": self.commission, "expiry": self.expiry_date,
            "distributor": distributor.id or None,
            "move": handover_move.id if handover_move else None}
        cr.execute("DROP TABLE IF EXISTS isp_card_new")
        cr.execute("CREATE TEMPORARY TABLE isp_card_new (serial varchar, pin varchar, "
                   "pin_hash varchar) ON COMMIT DROP")
        key = self.env["isp.card"]._isp_pin_key()
        rounds = 0
        while pending:
            rounds += 1
            if rounds > 20:
                raise UserError(_("Could not draw unique PINs: use longer PINs."))
            pins = cards.generate_pins(len(pending), length, **({"rng": rng} if rng else {}))
            data = "".join("%s\t%s\t%s\n" % (serial, pin, cards.pin_hash(key, pin))
                           for serial, pin in zip(pending, pins, strict=True))
            cr.execute("TRUNCATE isp_card_new")
            cr.copy_expert("COPY isp_card_new (serial, pin, pin_hash) FROM STDIN",
                           io.StringIO(data))
            cr.execute("""
                INSERT INTO isp_card (serial, pin, pin_hash, state, batch_id, company_id,
                                      operator_id, operator_path, plan_id, value, commission,
                                      expiry_date, distributor_id, handover_move_id)
                SELECT serial, pin, pin_hash, 'new', %(batch)s, %(company)s, %(operator)s,
                       %(path)s, %(plan)s, %(value)s, %(commission)s, %(expiry)s,
                       %(distributor)s, %(move)s
                  FROM isp_card_new
                    ON CONFLICT (pin_hash) DO NOTHING RETURNING serial""", params)
            done = {r[0] for r in cr.fetchall()}
            pending = [s for s in pending if s not in done]
            if pending:
                _logger.info("%s: %d PINs drawn again (already taken)", self.name,
                             len(pending))
        self.env["isp.card"].invalidate_cache()
        self.invalidate_cache(["card_ids", "card_count"], self.ids)

    # handover, cancellation ---------------------------------------------------

    @api.multi
    def action_handover(self, distributor):
        """Give this batch's cards still in the ISP's (or reseller's) hands to
        `distributor`: one entry for all (see lib/entries.py)."""
        self.ensure_one()
        if self.state != "generated":
            raise UserError(_("Generate the cards of %s first.") % self.name)
        cr = self.env.cr
        cr.execute("""SELECT id FROM isp_card WHERE batch_id = %s AND state = 'new'
                      AND handover_move_id IS NULL FOR UPDATE""", (self.id,))
        ids = [r[0] for r in cr.fetchall()]
        if not ids:
            raise UserError(_("%s has no cards left to hand over.") % self.name)
        cr.execute("SELECT coalesce(sum(value), 0), coalesce(sum(commission), 0) "
                   "FROM isp_card WHERE id IN %s", (tuple(ids),))
        face, commission = cr.fetchone()
        move = self._isp_post_handover(distributor, face, commission, len(ids))
        cr.execute("""UPDATE isp_card SET distributor_id = %s, handover_move_id = %s
                      WHERE id IN %s""", (distributor.id, move.id, tuple(ids)))
        if self.distributor_id != distributor:
            self.sudo().write({"distributor_id": distributor.id})
        self.env["isp.card"].invalidate_cache()
        return move

    def _isp_post_handover(self, distributor, face, commission, count):
        """The entry of `count` cards (total face value and commission)
        handed to `distributor` (lib/entries.py: handover)."""
        self.check_access_rule("write")
        distributor._isp_check_card_distributor()
        if distributor.isp_operator_id != self.operator_id:
            raise UserError(_("%s works for %s, not for %s.") % (
                distributor.name, distributor.isp_operator_id.name, self.operator_id.name))
        by_reseller = distributor._isp_card_by_reseller()
        if by_reseller:
            self.operator_id._isp_lock()
        lines = entries.handover(face, commission, distributor, self.operator_id, by_reseller)
        return self.env["isp.card"]._isp_post_entry(
            lines, _("%s: %d cards to %s") % (self.name, count, distributor.name),
            company=self.company_id)

    @api.multi
    def action_cancel(self):
        """Cancel the cards not used yet (their handover is reversed)."""
        for batch in self:
            batch.check_access_rule("write")
            if batch.state == "draft":
                batch.state = "cancelled"
                continue
            batch.card_ids.filtered(lambda c: c.state in ("new", "sold"))._isp_cancel()
            batch.sudo().state = "cancelled"
        return True

    @api.multi
    def action_print(self):
        """Print the cards in stock whose PIN was not given out yet (a PIN is
        printed once: it is not kept after)."""
        self.ensure_one()
        self.env["isp.card"].check_access_rights("write")
        self.check_access_rule("write")
        stock = self.card_ids.filtered(lambda c: c.state == "new")
        todo = stock.filtered(lambda c: not c.pin_released)
        if not todo:
            raise UserError(_("%s has no card left to print: %s") % (
                self.name, stock._isp_released_text() if stock
                else _("no card of it is in stock.")))
        return self.env.ref("isp_cards.isp_card_report").report_action(todo)

    @api.multi
    def action_view_cards(self):
        self.ensure_one()
        action = self.env.ref("isp_cards.isp_card_action").read()[0]
        action["domain"] = [("batch_id", "=", self.id)]
        return action

    @api.model
    def _isp_demo_cards(self):
        """Demo: ten cards for each demo distributor."""
        ref = self.env.ref
        for distributor, plan in (
                ("isp_cards.distributor_isp", "isp_base.plan_daily_10m_7d"),
                ("isp_cards.distributor_dhakanet", "isp_reseller.plan_dn_10m_7d")):
            plan = ref(plan)
            distributor = ref(distributor)
            self.create({"operator_id": distributor.isp_operator_id.id,
                         "distributor_id": distributor.id, "plan_id": plan.id,
                         "value": plan.customer_price, "commission": 10.0,
                         "quantity": 10}).action_generate()
