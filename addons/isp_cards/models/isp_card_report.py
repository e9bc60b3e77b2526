# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class PinRelease:
    """The PINs a print took out (in the context: compared by identity, as
    Odoo reuses an environment whose context is equal)."""

    __slots__ = ("pins",)

    def __init__(self):
        self.pins = {}


class IspCardReport(models.AbstractModel):
    """The printed cards (A4): the only place, with the SMS of a digital
    sale, where a clear PIN goes. Rendering takes the PINs out of the
    database (isp.card._isp_release_pins): a card is printed once, a second
    print is refused; a failed print rolls the release back with its
    transaction."""

    _name = "report.isp_cards.report_isp_cards"
    _description = "Recharge cards (A4)"

    @api.model
    def get_report_values(self, docids, data=None):
        Card = self.env["isp.card"]
        # who may give PINs out: card managers and resellers, on their cards
        Card.check_access_rights("write")
        docs = Card.browse(docids)
        docs.check_access_rule("write")
        pins = docs._isp_release_pins("printed")
        released = self.env.context.get("isp_card_released")
        if isinstance(released, PinRelease):   # put back if the print fails (below)
            released.pins.update(pins)
        return {"doc_ids": docids, "doc_model": "isp.card",
                "docs": docs.with_context(isp_card_pins=pins)}


class IrActionsReport(models.Model):
    """A print of the cards that fails after their PINs were taken out
    (wkhtmltopdf, say) gives nothing out: the PINs are put back before the
    error goes on (the web client's download route catches it and commits;
    a savepoint would not do: the PDF rendering commits when it makes the
    report's assets)."""

    _inherit = "ir.actions.report"

    def _isp_is_card_report(self):
        return len(self) == 1 and self.report_name == "isp_cards.report_isp_cards"

    def _isp_render_cards(self, render, docids, data):
        released = self.env.context.get("isp_card_released")
        if released is not None:   # within the PDF's rendering
            return render(self, docids, data=data)
        released = PinRelease()
        try:
            return render(self.with_context(isp_card_released=released), docids, data=data)
        except Exception:
            self.env["isp.card"]._isp_restore_pins(released.pins)
            raise

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        if not self._isp_is_card_report():
            return super().render_qweb_pdf(res_ids, data=data)
        return self._isp_render_cards(super(IrActionsReport, type(self)).render_qweb_pdf,
                                      res_ids, data)

    @api.multi
    def render_qweb_html(self, docids, data=None):
        if not self._isp_is_card_report():
            return super().render_qweb_html(docids, data=data)
        return self._isp_render_cards(super(IrActionsReport, type(self)).render_qweb_html,
                                      docids, data)
