# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import datetime
import hmac
import io
import secrets

from werkzeug.urls import url_encode

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.isp_billing.lib import xlsx

from ..lib import cards


class IspCardGenerateWizard(models.TransientModel):
    """Generate a batch of cards (and hand them to a distributor)."""

    _name = "isp.card.generate.wizard"
    _description = "Generate recharge cards"

    operator_id = fields.Many2one("res.partner", required=True,
                                  domain=[("isp_is_operator", "=", True)],
                                  default=lambda self: self.env.user._isp_scope_operator())
    distributor_id = fields.Many2one("res.partner",
                                     domain=[("isp_is_card_distributor", "=", True)])
    plan_id = fields.Many2one("isp.service.plan", string="Package",
                              domain=[("billing_type", "=", "daily")])
    value = fields.Float("Face value", required=True)
    commission = fields.Float("Commission per card")
    quantity = fields.Integer(required=True, default=100)
    pin_length = fields.Integer("PIN length", required=True, default=cards.DEFAULT_LENGTH)
    expiry_date = fields.Date(required=True, default=lambda self: fields.Date.to_string(
        fields.Date.from_string(fields.Date.context_today(self))
        + datetime.timedelta(days=365)))

    @api.onchange("plan_id")
    def _onchange_plan_id(self):
        if self.plan_id:
            self.value = self.plan_id.customer_price
            self.operator_id = self.plan_id.operator_id

    @api.onchange("distributor_id")
    def _onchange_distributor_id(self):
        if self.distributor_id:
            self.operator_id = self.distributor_id.isp_operator_id

    @api.multi
    def action_generate(self):
        self.ensure_one()
        batch = self.env["isp.card.batch"].create({
            "operator_id": self.operator_id.id, "distributor_id": self.distributor_id.id,
            "plan_id": self.plan_id.id, "value": self.value, "commission": self.commission,
            "quantity": self.quantity, "pin_length": self.pin_length,
            "expiry_date": self.expiry_date})
        batch.action_generate()
        return {"type": "ir.actions.act_window", "res_model": "isp.card.batch",
                "res_id": batch.id, "view_mode": "form", "target": "current"}


class IspCardHandoverWizard(models.TransientModel):
    _name = "isp.card.handover.wizard"
    _description = "Hand recharge cards to a distributor"

    batch_id = fields.Many2one("isp.card.batch", required=True)
    distributor_id = fields.Many2one("res.partner", required=True,
                                     domain=[("isp_is_card_distributor", "=", True)])

    @api.multi
    def action_handover(self):
        self.ensure_one()
        self.batch_id.action_handover(self.distributor_id)
        return {"type": "ir.actions.act_window_close"}


class IspCardMoneyWizard(models.TransientModel):
    """Money received from a card distributor (seed 000: "put the entry for
    the money received from the card distributor")."""

    _name = "isp.card.money.wizard"
    _description = "Money received from a card distributor"

    distributor_id = fields.Many2one("res.partner", required=True,
                                     domain=[("isp_is_card_distributor", "=", True)])
    amount = fields.Float(required=True)
    journal_id = fields.Many2one("account.journal", string="Received in",
                                 domain=[("type", "in", ("cash", "bank"))],
                                 help="The ISP's cash or bank journal (a reseller's "
                                      "distributors pay the reseller: its ledger).")
    reference = fields.Char()
    date = fields.Date(required=True, default=fields.Date.context_today)

    @api.multi
    def action_apply(self):
        self.ensure_one()
        return self.distributor_id.action_isp_card_money(
            self.amount, journal=self.journal_id or None, reference=self.reference,
            date=self.date)


class IspCardRedeemWizard(models.TransientModel):
    """A cashier uses a customer's card. A refusal is shown here (the
    attempt is kept for the lockout), not raised."""

    _name = "isp.card.redeem.wizard"
    _description = "Use a recharge card"

    subscription_id = fields.Many2one("isp.subscription", required=True)
    pin = fields.Char("PIN")
    message = fields.Char(readonly=True)
    card_id = fields.Many2one("isp.card", readonly=True)

    @api.multi
    def action_redeem(self):
        self.ensure_one()
        try:
            card = self.env["isp.card"].redeem(self.pin, self.subscription_id)
        except UserError as exc:
            self.write({"message": exc.args[0], "pin": False})
        else:
            # in the cashier's zone and language (else the company's)
            self.write({"message": _("Card %s used: %s is valid until %s.") % (
                card.serial, self.subscription_id.name,
                self.env.user.partner_id.isp_datetime_text(self.subscription_id.validity_end)),
                "card_id": card.id, "pin": False})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new"}


class IspCardExportWizard(models.TransientModel):
    """A batch's cards as Excel or CSV (for an outside printer), once: the
    file is built in memory when it is downloaded, the PINs leave the
    database with it (nothing of it is stored)."""

    _name = "isp.card.export.wizard"
    _description = "Export recharge cards"

    batch_id = fields.Many2one("isp.card.batch", required=True)
    file_format = fields.Selection([("xlsx", "Excel"), ("csv", "CSV")], required=True,
                                   default="xlsx")
    # one download: the link's token (only its hash would do as well; the
    # wizard is its creator's only and lives an hour)
    download_token = fields.Char(readonly=True, copy=False, groups="base.group_system",
                                 isp_secret=True)

    HEADER = ["Serial", "PIN", "Package", "Validity", "Face value", "Expiry date",
              "Distributor", "State", "Redeem URL"]
    MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}

    def _isp_cards(self):
        """The batch's cards in stock whose PIN was never given out, as the
        user (who may write them: card managers, resellers)."""
        Card = self.env["isp.card"]
        if not Card.check_access_rights("write", raise_exception=False):
            raise UserError(_("Only card managers export PINs."))
        self.batch_id.check_access_rule("write")
        cards_ = Card.search([("batch_id", "=", self.batch_id.id), ("state", "=", "new"),
                              ("pin_released", "=", False)], order="serial")
        cards_.check_access_rule("write")
        if not cards_:
            stock = Card.search([("batch_id", "=", self.batch_id.id), ("state", "=", "new")])
            raise UserError(_("%s has no card left to export: %s") % (
                self.batch_id.name, stock._isp_released_text() if stock
                else _("no card of it is in stock.")))
        return cards_

    def _rows(self, cards_):
        states = dict(cards_._fields["state"].selection)
        rows = []
        for card in cards_:
            rows.append([card.serial, card.pin_display(), card.plan_id.name or "",
                         card.plan_id.validity_label() if card.plan_id else "",
                         card.value, card.expiry_date and fields.Date.from_string(
                             card.expiry_date) or "", card.distributor_id.name or "",
                         states[card.state], card.redeem_url()])
        return rows

    @api.multi
    def action_export(self):
        """The download link of the file (used once)."""
        self.ensure_one()
        self._isp_cards()
        token = secrets.token_urlsafe(32)
        self.sudo().write({"download_token": token})
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/isp_cards/export/%d?%s" % (self.id, url_encode({"token": token}))}

    @api.multi
    def _isp_export_file(self, token):
        """(file name, mimetype, bytes) of the export, built once: the PINs
        are taken out of the database (the file is their only copy)."""
        self.ensure_one()
        stored = self.sudo().download_token
        if not stored or not token or not hmac.compare_digest(stored, token):
            raise UserError(_("This export link was used already: export the cards again."))
        self.sudo().write({"download_token": False})
        cards_ = self._isp_cards()
        pins = cards_._isp_release_pins("exported")
        rows = self._rows(cards_.with_context(isp_card_pins=pins))
        reader = self.env.user.partner_id
        if self.file_format == "xlsx":
            data = xlsx.workbook_bytes([(self.batch_id.name, self.HEADER, rows, [4])],
                                       *reader._isp_excel_formats())
        else:
            # what the printer prints: the reader's language's date format
            rows = [row[:5] + [reader.isp_date_text(row[5])] + row[6:] for row in rows]
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(self.HEADER)
            writer.writerows(rows)
            data = buf.getvalue().encode("utf-8")
        return ("%s.%s" % (self.batch_id.name, self.file_format),
                self.MIMETYPES[self.file_format], data)
