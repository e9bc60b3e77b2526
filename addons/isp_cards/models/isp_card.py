# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import hmac
import io
from collections import defaultdict

import qrcode
from werkzeug.urls import url_encode

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib import cards, entries

STATES = [("new", "In stock"), ("sold", "Sold"), ("redeemed", "Used"),
          ("expired", "Expired"), ("cancelled", "Cancelled")]
#: who reads a PIN or its hash (the ORM's every path, isp_base's secret
#: fields): nobody but the superuser and Settings administrators
PIN_GROUPS = "base.group_system"
#: ir.config_parameter of the key of the PIN hashes (lib/cards.py: pin_hash)
PIN_KEY = "isp_cards.pin_key"
RELEASES = [("printed", "Printed"), ("exported", "Exported"), ("sent", "Sent by SMS")]


class IspCard(models.Model):
    """One recharge card. Cards are inserted in bulk by their batch; what
    happens to them after (handover, digital sale, redemption, expiry,
    cancellation) is written by the methods below, never by hand."""

    _name = "isp.card"
    _description = "Recharge card"
    _order = "id desc"
    _rec_name = "serial"
    # few columns with foreign keys, few indexes: PostgreSQL checks and writes
    # each of them for every one of 100,000 new cards (the batch keeps who
    # made them and when; the attempt log keeps the redemption's bill and
    # entry)
    _log_access = False

    serial = fields.Char(required=True, readonly=True)
    # the clear PIN, kept only until the card is printed, exported or sent
    # (then NULL: it exists in the print or the SMS only); pin_hash finds the
    # card when the PIN is typed
    pin = fields.Char("PIN", readonly=True, groups=PIN_GROUPS, copy=False, isp_secret=True)
    pin_hash = fields.Char("PIN hash", required=True, readonly=True, groups=PIN_GROUPS,
                           copy=False, isp_secret=True)
    pin_released = fields.Selection(RELEASES, "PIN given out", readonly=True, copy=False,
                                    help="How the PIN left the system (it is not kept "
                                         "after): printed, exported or sent by SMS.")
    pin_released_at = fields.Datetime("PIN given out at", readonly=True, copy=False)
    pin_released_by = fields.Many2one("res.users", "PIN given out by", readonly=True,
                                      copy=False, ondelete="set null")
    batch_id = fields.Many2one("isp.card.batch", required=True, readonly=True, index=True,
                               ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    operator_id = fields.Many2one("res.partner", required=True,
                                  readonly=True, ondelete="restrict")
    operator_path = fields.Char(readonly=True, index=True)
    plan_id = fields.Many2one("isp.service.plan", string="Package", readonly=True,
                              ondelete="restrict")
    value = fields.Monetary("Face value", readonly=True)
    commission = fields.Monetary(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    expiry_date = fields.Date(readonly=True)
    state = fields.Selection(STATES, required=True, default="new", readonly=True)
    distributor_id = fields.Many2one("res.partner", readonly=True,
                                     index=True, ondelete="restrict")
    handover_move_id = fields.Many2one("account.move", string="Handover entry",
                                       readonly=True, ondelete="restrict")
    sold_to = fields.Char("Sold to (mobile)", readonly=True)
    sold_at = fields.Datetime(readonly=True)
    redeemed_subscription_id = fields.Many2one("isp.subscription", string="Used by",
                                               readonly=True, ondelete="restrict")
    redeemed_at = fields.Datetime("Used at", readonly=True)
    redeemed_ip = fields.Char("Used from", readonly=True)
    attempt_ids = fields.One2many("isp.card.attempt", "card_id", string="Attempts",
                                  readonly=True)

    _sql_constraints = [
        ("pin_hash_uniq", "unique(pin_hash)", "A PIN is unique."),
        ("serial_uniq", "unique(serial)", "A serial number is unique."),
    ]

    @api.model_cr
    def init(self):
        # few indexes: every one is written for each of 100,000 new cards
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS isp_card_to_expire_idx ON isp_card (expiry_date)
             WHERE state IN ('new', 'sold')""")
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS isp_card_redeemed_subscription_idx
                ON isp_card (redeemed_subscription_id)
             WHERE redeemed_subscription_id IS NOT NULL""")

    # accounting ----------------------------------------------------------------

    @api.model
    def _isp_post_entry(self, lines, label, journal=None, date=None, accounts=None,
                        company=None):
        """Post `lines` (lib/entries.py) as one journal entry."""
        company = company or self.env.user.company_id
        keys = {"card_receivable": company.isp_card_receivable_account_id,
                "deferred": company.isp_card_deferred_account_id,
                "commission": company.isp_card_commission_account_id,
                "breakage": company.isp_card_breakage_account_id,
                "operator": company.isp_operator_account_id}
        keys.update(accounts or {})
        missing = sorted({key for key, _p, _d, _c in lines if not keys.get(key)})
        if missing:
            raise UserError(_("Recharge card accounts are not set up (%s): update "
                              "isp_cards.") % ", ".join(missing))
        if not entries.is_balanced(lines):
            raise UserError(_("Unbalanced card entry."))
        move = self.env["account.move"].sudo().create({
            "journal_id": (journal or company.isp_card_journal_id).id,
            "date": date or fields.Date.context_today(self),
            "ref": label,
            "line_ids": [(0, 0, {"name": label, "account_id": keys[key].id,
                                 "partner_id": partner.id, "debit": debit,
                                 "credit": credit})
                         for key, partner, debit, credit in lines],
        })
        move.post()
        return move

    def _isp_totals_by(self, key):
        """{key(card): (face value, commission)} of these cards."""
        totals = defaultdict(lambda: [0.0, 0.0])
        for card in self:
            total = totals[key(card)]
            total[0] += card.value
            total[1] += card.commission
        return totals

    def _isp_cancel(self):
        """Cancel these cards (in stock or sold, not used): the handover of
        those handed over is reversed, per distributor, in one entry."""
        cards_ = self.sudo()
        cards_.check_access_rule("write")
        if not cards_:
            return True
        self.env.cr.execute("SELECT id FROM isp_card WHERE id IN %s FOR UPDATE",
                            (tuple(cards_.ids),))
        cards_.invalidate_cache()
        used = cards_.filtered(lambda c: c.state not in ("new", "sold"))
        if used:
            raise UserError(_("Only cards in stock or sold can be cancelled: %s.")
                            % ", ".join(used[:10].mapped("serial")))
        lines = []
        handed = cards_.filtered("handover_move_id")
        for (distributor, operator), (face, commission) in handed._isp_totals_by(
                lambda c: (c.distributor_id, c.operator_id)).items():
            lines += entries.reverse(entries.handover(
                face, commission, distributor, operator, distributor._isp_card_by_reseller()))
        if lines:
            self._isp_post_entry(lines, _("%d recharge cards cancelled") % len(handed),
                                 company=handed[0].company_id)
        cards_.write({"state": "cancelled"})
        # a cancelled card is never printed nor sold: its PIN is not kept
        self.env.cr.execute("UPDATE isp_card SET pin = NULL WHERE id IN %s",
                            (tuple(cards_.ids),))
        cards_.invalidate_cache(["pin"])
        return True

    @api.multi
    def action_cancel(self):
        return self._isp_cancel()

    @api.model
    def cron_expire(self, today=None):
        """Cards past their expiry date expire (one UPDATE); what was handed
        over is income of the ISP, or back to the reseller that owns them
        (one entry per run and company)."""
        # the ISP's day (its company's zone), whoever runs the job
        today = today or fields.Date.to_string(self.env["isp.subscription"]._isp_today())
        self.env.cr.execute("""
            UPDATE isp_card SET state = 'expired', pin = NULL
             WHERE state IN ('new', 'sold') AND expiry_date < %s
         RETURNING id""", (today,))
        ids = [r[0] for r in self.env.cr.fetchall()]
        if not ids:
            return 0
        self.invalidate_cache(["state", "pin"], ids)
        self.env.cr.execute("""
            SELECT company_id, operator_id, sum(value) FROM isp_card
             WHERE id IN %s AND handover_move_id IS NOT NULL
             GROUP BY company_id, operator_id""", (tuple(ids),))
        per_company = defaultdict(list)
        Partner = self.env["res.partner"].sudo()
        for company_id, operator_id, face in self.env.cr.fetchall():
            operator = Partner.browse(operator_id)
            per_company[company_id] += entries.expiry(face, operator, operator._isp_is_reseller())
        for company_id, lines in per_company.items():
            self.sudo()._isp_post_entry(
                lines, _("Recharge cards expired on %s") % today,
                company=self.env["res.company"].browse(company_id))
        return len(ids)

    # PINs --------------------------------------------------------------------

    @api.model
    def _isp_pin_key(self):
        """The key of the PIN hashes (made at installation, kept by a copy
        of the database: not database.secret, which a duplicate renews)."""
        key = self.env["ir.config_parameter"].sudo().get_param(PIN_KEY)
        if not key:
            raise UserError(_("The key of the card PINs (system parameter %s) is missing: "
                              "restore it from a backup, no card can be used without it.")
                            % PIN_KEY)
        return key

    @api.model
    def _isp_ensure_pin_key(self):
        """Installation: the key of the PIN hashes, made once."""
        Param = self.env["ir.config_parameter"].sudo()
        if not Param.get_param(PIN_KEY):
            Param.set_param(PIN_KEY, cards.new_pin_key())
        return True

    @api.model
    def _isp_pin_hash(self, pin):
        return cards.pin_hash(self._isp_pin_key(), pin)

    def _isp_release_pins(self, how, user=None):
        """Take the clear PINs of these cards out of the database, for the
        print, the export or the SMS that gives them out (`how`): returns
        {card id: PIN}; the cards keep their hash only. Refused (UserError)
        when a card's PIN was already given out: nobody reads it back.
        The caller's transaction carries it: a failed print or send rolls
        the release back with it."""
        if not self:
            return {}
        cr = self.env.cr
        # all or nothing, whatever the caller catches
        with cr.savepoint():
            # the old PIN comes from the locked row (RETURNING gives the new
            # one); a release at the same moment waits, then finds no PIN
            cr.execute("""
                UPDATE isp_card c SET pin = NULL, pin_released = %s,
                                      pin_released_at = (now() at time zone 'UTC'),
                                      pin_released_by = %s
                  FROM (SELECT id, pin FROM isp_card
                         WHERE id IN %s AND pin IS NOT NULL AND state IN ('new', 'sold')
                           FOR UPDATE) old
                 WHERE c.id = old.id
             RETURNING old.id, old.pin""", (how, (user or self.env.user).id, tuple(self.ids)))
            pins = dict(cr.fetchall())
            missing = [card_id for card_id in self.ids if card_id not in pins]
            if missing:
                self.invalidate_cache(["pin", "pin_released", "pin_released_at",
                                       "pin_released_by"])
                raise UserError(self.browse(missing)._isp_released_text())
        self.invalidate_cache(["pin", "pin_released", "pin_released_at", "pin_released_by"])
        return pins

    @api.model
    def _isp_restore_pins(self, pins):
        """Put back the PINs ({card id: PIN}) of a release whose print
        failed: as if they had never been given out."""
        for card_id, pin in pins.items():
            self.env.cr.execute("""
                UPDATE isp_card SET pin = %s, pin_released = NULL, pin_released_at = NULL,
                                    pin_released_by = NULL
                 WHERE id = %s AND pin IS NULL AND pin_released IS NOT NULL""", (pin, card_id))
        pins.clear()
        self.invalidate_cache(["pin", "pin_released", "pin_released_at", "pin_released_by"])

    def _isp_released_text(self):
        """Why these cards' PINs cannot be given out again (for a UserError)."""
        reader = self.env.user.partner_id
        labels = dict(RELEASES)
        states = dict(STATES)
        lines = []
        for card in self.sudo()[:10]:
            if card.pin_released:
                lines.append(_("%s: %s on %s by %s") % (
                    card.serial, labels[card.pin_released].lower(),
                    reader.isp_datetime_text(card.pin_released_at),
                    card.pin_released_by.name or "?"))
            else:
                lines.append(_("%s: %s") % (card.serial, states[card.state].lower()))
        more = _(" (and %d more)") % (len(self) - 10) if len(self) > 10 else ""
        return _("The PIN of a card is given out once (printed, exported or sent by SMS) "
                 "and not kept: %s%s.") % ("; ".join(lines), more)

    def _isp_clear_pin(self):
        """The clear PIN of this card while it is being given out: passed in
        the context (`isp_card_pins`: {card id: PIN}) by the print, the
        export or the SMS; never read from the database."""
        self.ensure_one()
        pins = self.env.context.get("isp_card_pins") or {}
        pin = pins.get(self.id) or pins.get(str(self.id))
        if not pin:
            raise UserError(_("The PIN of card %s is not kept: it is on its printed card or "
                              "in its SMS only.") % self.sudo().serial)
        return pin

    # selling -------------------------------------------------------------------

    def redeem_url(self):
        """What the card's QR code opens: the captive portal's redemption."""
        self.ensure_one()
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return "%s/card/redeem?%s" % (base.rstrip("/"),
                                      url_encode({"pin": self._isp_clear_pin()}))

    def qr_data_uri(self):
        self.ensure_one()
        image = qrcode.make(self.redeem_url(), box_size=8, border=2)
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()

    def pin_display(self):
        self.ensure_one()
        return cards.format_pin(self._isp_clear_pin())

    def _isp_send_pin(self, mobile, user=None):
        """One SMS with the PIN to the buyer of a digital card, sent now; the
        PIN leaves the database (isp.notice keeps the text masked). A failed
        send raises a UserError: the caller's sale is rolled back with the
        release of the PIN, the card stays in stock."""
        self.ensure_one()
        card = self.sudo()
        Template = self.env["isp.notice.template"].sudo()
        templates = Template.search([("event", "=", "card_sold"), ("channel", "=", "sms"),
                                     ("company_id", "=", card.company_id.id)])
        if not templates:
            raise UserError(_("There is no SMS template for sold cards: the PIN cannot be "
                              "sent."))
        template = templates[0]
        Notice = self.env["isp.notice"].sudo()
        key = "card_sold:isp.card:%s" % card.id
        if Notice.search_count([("template_id", "=", template.id), ("event_key", "=", key)]):
            raise UserError(_("Card %s was already sent.") % card.serial)
        pins = card._isp_release_pins("sent", user=user)
        pin = pins[card.id]
        renderer = self.env["mail.template"].sudo().with_context(isp_card_pins=pins)
        body = renderer.render_template(template.body, "isp.card", [card.id])[card.id]
        notice = Notice.send_secret({
            "template_id": template.id, "channel": "sms", "event": "card_sold",
            "event_key": key, "company_id": card.company_id.id, "recipient": mobile,
            "body": (body or "").strip()},
            {cards.format_pin(pin): cards.mask(pin), pin: cards.mask(pin)})
        if notice.state != "sent":
            raise UserError(_("The SMS to %s could not be sent (%s): the card was not sold, "
                              "try again.") % (mobile, notice.error or _("no answer")))
        return notice

    # redemption ------------------------------------------------------------------

    #: failures that count: wrong PINs of an account (its wrong passwords
    #: lock its password only: nobody locks a customer's cards by typing
    #: wrong passwords), wrong passwords of an account, everything wrong
    #: from an address
    _ISP_FAILURE_QUERIES = {
        "subscription_id": """SELECT date FROM isp_card_attempt
                               WHERE subscription_id = %s AND date >= %s
                                 AND result NOT IN ('ok', 'locked', 'password')""",
        "password": """SELECT date FROM isp_card_attempt
                        WHERE subscription_id = %s AND date >= %s
                          AND result = 'password'""",
        "client_ip": """SELECT date FROM isp_card_attempt
                         WHERE client_ip = %s AND date >= %s
                           AND result NOT IN ('ok', 'locked')""",
    }

    @api.model
    def _isp_failures(self, subscription=None, client_ip=None, now=None, password=False):
        """Failed attempts that may still lock: by account (wrong PINs, or
        with `password` its wrong passwords), by address."""
        now = now or fields.Datetime.from_string(fields.Datetime.now())
        since = fields.Datetime.to_string(now - cards.WINDOW - cards.LOCK)
        values = {"password" if password else "subscription_id":
                  subscription and subscription.id, "client_ip": client_ip}
        result = {}
        for column, value in values.items():
            if not value:
                continue
            self.env.cr.execute(self._ISP_FAILURE_QUERIES[column], (value, since))
            result[column] = [fields.Datetime.from_string(r[0]) if isinstance(r[0], str)
                              else r[0] for r in self.env.cr.fetchall()]
        return result

    @api.model
    def _isp_check_lockout(self, subscription, client_ip, now, password=False):
        failures = self._isp_failures(subscription, client_ip, now, password=password)
        for column in ("password", "subscription_id", "client_ip"):
            until = cards.locked_until(failures.get(column, ()), now)
            if not until:
                continue
            minutes = cards.minutes_left(until, now)
            if column == "password":
                return _("Too many wrong passwords for this account: try again in %d "
                         "minutes.") % minutes
            who = _("for this account") if column == "subscription_id" \
                else _("from your address")
            return _("Too many wrong card PINs %s: try again in %d minutes.") % (who, minutes)
        return None

    @api.model
    def redeem(self, pin, subscription, client_ip=None):
        """Use the card with `pin` for `subscription`: a package card recharges
        it (a recharge bill paid from the cards' deferred revenue), a value
        card pays its open bills and leaves the rest as credit.

        Exactly once: the card row is locked (SELECT ... FOR UPDATE) and its
        state checked under the lock. Every failure is logged
        (isp.card.attempt) before the UserError: 5 in 15 minutes for the
        account or the address lock both for 15 minutes. Callers that must
        keep the log (the HTTP endpoint, the wizard) catch the UserError and
        let their transaction commit; what the redemption wrote is rolled
        back to its savepoint first."""
        subscription.ensure_one()
        if self.env.uid != SUPERUSER_ID:
            subscription.check_access_rule("read")
            if not self.env.user.has_group("isp_base.group_isp_perm_billing") and \
                    not self.env.user.has_group("isp_base.group_isp_reseller") and \
                    not self.env.user.has_group("isp_cards.group_isp_card_manager"):
                raise AccessError(_("You may not use cards for customers."))
        Attempt = self.env["isp.card.attempt"].sudo()
        sub = subscription.sudo()
        now = fields.Datetime.from_string(fields.Datetime.now())
        pin = cards.normalize(pin)
        vals = {"subscription_id": sub.id, "client_ip": client_ip or False,
                "pin_hint": cards.mask(pin), "user_id": self.env.uid}

        def fail(result, message, card=None):
            Attempt.create(dict(vals, result=result, card_id=card and card.id))
            raise UserError(message)

        locked = self._isp_check_lockout(sub, client_ip, now)
        if locked:
            Attempt.create(dict(vals, result="locked"))
            raise UserError(locked)
        if not cards.pin_is_well_formed(pin):
            fail("wrong", _("This is not a card PIN: check it and type it again."))
        self.env.cr.execute("SELECT id FROM isp_card WHERE pin_hash = %s FOR UPDATE",
                            (self._isp_pin_hash(pin),))
        row = self.env.cr.fetchone()
        if not row:
            fail("wrong", _("No card has this PIN: check it and type it again."))
        card = self.sudo().browse(row[0])
        card.invalidate_cache()
        # the card's last day is a day of the ISP (its company's zone)
        today = fields.Date.to_string(sub._isp_today())
        # refusals are read by the customer (portal, captive page) or the staff member
        reader = sub.partner_id if self.env.user.share or self.env.uid == SUPERUSER_ID \
            else self.env.user.partner_id
        if card.state == "redeemed":
            fail("used", _("This card was already used (%s).")
                 % reader.isp_datetime_text(card.redeemed_at), card)
        if card.state == "cancelled":
            fail("cancelled", _("This card was cancelled: ask where you bought it."), card)
        if card.state == "expired" or (card.expiry_date and card.expiry_date < today):
            fail("expired", _("This card expired on %s.") % reader.isp_date_text(card.expiry_date),
                 card)
        if not card.handover_move_id:
            fail("refused", _("This card was never handed to a seller: it cannot be used "
                              "yet."), card)
        if card.operator_id != sub.operator_id:
            fail("refused", _("This card is for customers of %s.") % card.operator_id.name,
                 card)
        try:
            with self.env.cr.savepoint():
                invoice, move = card._isp_apply(sub, client_ip)
        except UserError as exc:
            fail("refused", exc.args[0], card)
        Attempt.create(dict(vals, result="ok", card_id=card.id, invoice_id=invoice.id,
                            move_id=move.id))
        return card

    def _isp_apply(self, sub, client_ip):
        """The redemption itself (under the card's row lock): isp_billing's
        own recharge bill and payment, the payment through the *Recharge
        card* journal, whose account is the cards' deferred revenue (Dr
        deferred / Cr customer). A value card is an advance payment
        (`_isp_receive`): it pays the open bills, the rest is credit."""
        self.ensure_one()
        if sub.state == "disabled":
            raise UserError(_("%s is disabled.") % sub.name)
        self.env.cr.execute("SELECT id FROM isp_subscription WHERE id = %s FOR UPDATE",
                            (sub.id,))
        journal = self.env["account.payment"].isp_default_journal(sub.company_id, "card")
        invoice = self.env["account.invoice"]
        if self.plan_id:
            plan = self.plan_id
            if sub.billing_type != "daily":
                raise UserError(_("%s is billed monthly: use a card of a value.") % sub.name)
            if sub.connection_type not in plan.allowed_connection_types():
                raise UserError(_("%s cannot be sold to this account.") % plan.name)
            # the bill is at the card's price (the package's may have changed since)
            line = sub._isp_invoice_line_vals(plan.product_id, _("%s (%s), card %s") % (
                plan.name, plan.validity_label(), self.serial), self.value, plan.tax_ids)
            invoice = sub._isp_create_invoice("recharge", [line], plan=plan)
            invoice.action_invoice_open()
            if invoice.currency_id.compare_amounts(invoice.amount_total, self.value):
                raise UserError(_("The bill (%.2f) is not the card's value (%.2f): the "
                                  "package's taxes must be included in its price.") % (
                    invoice.amount_total, self.value))
            # a reseller's sale reaches its ledger before the bill is paid: the
            # payment charges it for the days, and isp_reseller's own credit
            # (written while the bill is being marked paid) re-enters the
            # paid hook, which charges first: a prepaid reseller living on
            # its card sales would be refused
            invoice._isp_credit_operator()
            payment = self.env["account.payment"].isp_pay_invoices(
                invoice, journal=journal, reference=self.serial)
        else:
            payment = sub._isp_receive(self.value, journal, reference=self.serial)
        self.write({"state": "redeemed", "redeemed_subscription_id": sub.id,
                    "redeemed_at": fields.Datetime.now(), "redeemed_ip": client_ip or False})
        # a used card's PIN is not kept (whether it was given out or not)
        self.env.cr.execute("UPDATE isp_card SET pin = NULL WHERE id = %s", (self.id,))
        self.invalidate_cache(["pin"], self.ids)
        return invoice, payment.move_line_ids.mapped("move_id")[:1]

    @api.model
    def redeem_for_user(self, pin, username, password, client_ip=None):
        """The captive portal: the account's username (exact, whatever the
        case) and password, then the PIN. 5 wrong passwords of an account
        in 15 minutes lock its password check for 15 minutes (checked
        before the password, so the right one is refused too); unknown
        accounts and wrong passwords count for the address as well."""
        Attempt = self.env["isp.card.attempt"].sudo()
        now = fields.Datetime.from_string(fields.Datetime.now())
        username = cards.normalize_username(username)
        sub = self.env["isp.subscription"].sudo()
        if username:
            # exact: `=ilike` made % and _ wildcards
            self.env.cr.execute("""SELECT id FROM isp_subscription
                                    WHERE lower(username) = lower(%s) ORDER BY id LIMIT 1""",
                                (username,))
            row = self.env.cr.fetchone()
            sub = sub.browse(row[0]) if row else sub
        vals = {"subscription_id": sub.id or False, "client_ip": client_ip or False,
                "pin_hint": cards.mask(pin), "user_id": self.env.uid}
        if sub:
            locked = self._isp_check_lockout(sub, None, now, password=True)
            if locked:
                Attempt.create(dict(vals, result="locked"))
                raise UserError(locked)
        password = password if isinstance(password, str) else ""
        if not sub or not password or not hmac.compare_digest(
                (sub.password or "").encode("utf-8"), password.encode("utf-8")):
            locked = self._isp_check_lockout(None, client_ip, now)
            Attempt.create(dict(vals, result="locked" if locked else (
                "password" if sub else "account")))
            raise UserError(locked or _("Wrong username or password."))
        return self.sudo().redeem(pin, sub, client_ip=client_ip)
