# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Card and redemption texts in the reader's zone and language format (the
customer's on the captive page, the cashier's in the back office)."""
import datetime
import io
import zipfile

import xlrd

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from ..controllers.main import _result
from .common import CardsCase


def in_dhaka(utc_text):
    """What a clock in Dhaka (UTC+6, no summer time) shows, dd/mm/yyyy hh:mm."""
    return (fields.Datetime.from_string(utc_text) + datetime.timedelta(hours=6)).strftime(
        "%d/%m/%Y %H:%M")


@at_install(False)
@post_install(True)
class TestCardTexts(CardsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"].load_lang("en_GB")
        cls.company.partner_id.write({"tz": "Asia/Dhaka", "lang": "en_GB"})
        cls.cashier.partner_id.write({"tz": "Asia/Dhaka", "lang": "en_GB"})
        cls.card_manager.partner_id.write({"tz": "Asia/Dhaka", "lang": "en_GB"})

    def customer_sub(self):
        sub = self.isp_sub()
        sub.partner_id.write({"tz": False, "lang": "en_GB"})  # reads the company's zone
        return sub

    def test_the_cashiers_message(self):
        card = self.batch(self.D, quantity=1).card_ids
        sub = self.customer_sub()
        wizard = self.env["isp.card.redeem.wizard"].sudo(self.cashier).create(
            {"subscription_id": sub.id, "pin": card.sudo().pin})
        wizard.action_redeem()
        self.assertEqual(wizard.message, "Card %s used: %s is valid until %s." % (
            card.serial, sub.name, in_dhaka(sub.validity_end)))
        self.assertNotIn(sub.validity_end, wizard.message)

    def test_the_captive_page_message_and_refusals(self):
        card, old = self.batch(self.D, quantity=2).card_ids.sorted("serial")
        pin = card.sudo().pin
        sub = self.customer_sub()
        used = self.Card.sudo().redeem_for_user(pin, sub.username, "s3cret-pw")
        result = _result(used)
        self.assertEqual(result["message"], "Card %s used: %s is valid until %s." % (
            card.serial, sub.username, in_dhaka(sub.validity_end)))
        with self.assertRaises(UserError) as refusal:
            self.Card.sudo().redeem_for_user(pin, sub.username, "s3cret-pw")
        self.assertIn("already used (%s)" % in_dhaka(card.redeemed_at),
                      refusal.exception.args[0])
        self.env.cr.execute("UPDATE isp_card SET expiry_date = '2026-03-09' WHERE id = %s",
                            (old.id,))
        old.invalidate_cache()
        with self.assertRaises(UserError) as refusal:
            self.Card.sudo().redeem_for_user(old.sudo().pin, sub.username, "s3cret-pw")
        self.assertEqual(refusal.exception.args[0], "This card expired on 09/03/2026.")

    def test_the_pin_sms_and_the_export(self):
        batch = self.batch(self.D, quantity=1, expiry_date="2031-03-09")
        card = batch.card_ids
        template = self.env.ref("isp_cards.notice_card_sold_sms")
        body = self.env["mail.template"].with_context(isp_card_pins={card.id: card.pin}) \
            .render_template(template.body, "isp.card", [card.id])[card.id]
        self.assertIn("use it before 09/03/2031:", body)
        content = self.export(batch, "xlsx")
        book = xlrd.open_workbook(file_contents=content)
        cell = book.sheet_by_index(0).cell(1, 5)
        self.assertEqual(cell.ctype, xlrd.XL_CELL_DATE)
        self.assertEqual(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).date(),
                         datetime.date(2031, 3, 9))
        styles = zipfile.ZipFile(io.BytesIO(content)).read("xl/styles.xml").decode()
        self.assertIn('formatCode="dd/mm/yyyy"', styles)
        # (exported once: a second batch for the CSV)
        batch = self.batch(self.D, quantity=1, expiry_date="2031-03-09")
        self.assertIn(",09/03/2031,", self.export(batch, "csv").decode())

    def export(self, batch, file_format):
        wizard = self.env["isp.card.export.wizard"].sudo(self.card_manager).create(
            {"batch_id": batch.id, "file_format": file_format})
        token = wizard.action_export()["url"].split("token=", 1)[1]
        return wizard._isp_export_file(token)[2]
