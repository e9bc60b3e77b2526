# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install

from ..lib import cards as lib
from .common import CardsCase


@at_install(False)
@post_install(True)
class TestGeneration(CardsCase):

    def test_batch_counts_pins_and_serials(self):
        batch = self.batch(self.D, quantity=1000, commission=5.0)
        self.assertEqual(batch.state, "generated")
        self.assertEqual(batch.name, "B%06d" % batch.number)
        self.env.cr.execute("""SELECT count(*), count(DISTINCT pin), count(DISTINCT serial),
                                      min(serial), max(serial), sum(value), sum(commission)
                                 FROM isp_card WHERE batch_id = %s""", (batch.id,))
        count, pins, serials, first, last, face, commission = self.env.cr.fetchone()
        self.assertEqual((count, pins, serials), (1000, 1000, 1000))
        self.assertEqual((first, last), ("%s-000001" % batch.name, "%s-001000" % batch.name))
        self.assertEqual((face, commission), (250000.0, 5000.0))
        cards = batch.card_ids
        self.assertEqual(set(cards.mapped("state")), {"new"})
        self.assertEqual(cards.mapped("distributor_id"), self.D)
        self.assertTrue(all(lib.pin_is_well_formed(p) for p in self.pins(cards)))
        self.assertEqual(self.D.isp_card_stock, 1000)

    def test_database_refuses_a_second_pin_and_serial(self):
        self.env.cr.execute("""SELECT indexdef FROM pg_indexes WHERE tablename = 'isp_card'
                                  AND indexdef LIKE 'CREATE UNIQUE INDEX%%'""")
        defs = " ".join(r[0] for r in self.env.cr.fetchall())
        self.assertIn("(pin)", defs)
        self.assertIn("(serial)", defs)

    def test_taken_pins_are_drawn_again(self):
        first = self.batch(self.D, quantity=3)
        taken = self.pins(first.card_ids)
        real = lib.generate_pins
        calls = []

        def colliding(n, length, **kw):
            calls.append(n)
            if len(calls) == 1:  # the first draw has two PINs already in use
                return taken[:2] + real(n - 2, length)
            return real(n, length)
        with patch.object(lib, "generate_pins", side_effect=colliding):
            second = self.batch(self.D, quantity=5)
        self.assertEqual(calls, [5, 2])
        self.assertEqual(len(second.card_ids), 5)
        self.assertFalse(set(taken) & set(self.pins(second.card_ids)))
        self.env.cr.execute("SELECT count(*) FROM isp_card WHERE pin IN %s", (tuple(taken),))
        self.assertEqual(self.env.cr.fetchone()[0], 3)

    def test_bad_batches_refused(self):
        with self.assertRaisesRegex(ValidationError, "sold by Reseller R"):
            self.batch(self.D, plan=self.plan_R)
        with self.assertRaisesRegex(ValidationError, "cards of Reseller R are for its own"):
            self.batch(self.DR, plan=self.plan_daily)
        with self.assertRaisesRegex(ValidationError, "Shop DR works for Reseller R"):
            self.batch(self.DR, operator_id=self.root.id)
        with self.assertRaisesRegex(ValidationError, "billed monthly"):
            self.batch(self.D, plan=self.plan_monthly)
        with self.assertRaisesRegex(ValidationError, "PIN has 8 to 20"):
            self.batch(self.D, pin_length=6)
        batch = self.batch(self.D, quantity=1)
        with self.assertRaisesRegex(UserError, "already generated"):
            batch.action_generate()

    def test_handover_later(self):
        batch = self.batch(None, quantity=3)
        self.assertFalse(batch.card_ids.mapped("distributor_id"))
        self.assertEqual(self.balance(self.acc_deferred), 0.0)
        batch.action_handover(self.D)
        self.assertEqual(batch.card_ids.mapped("distributor_id"), self.D)
        self.assertEqual(self.balance(self.acc_deferred), -750.0)
        with self.assertRaisesRegex(UserError, "no cards left"):
            batch.action_handover(self.D)
        with self.assertRaisesRegex(UserError, "works for Reseller R"):
            self.batch(None, quantity=1).action_handover(self.DR)

    def test_export_csv_and_xlsx(self):
        batch = self.batch(self.D, quantity=3)
        wizard = self.env["isp.card.export.wizard"].sudo(self.card_manager).create(
            {"batch_id": batch.id, "file_format": "csv"})
        wizard.action_export()
        rows = list(csv.reader(io.StringIO(base64.b64decode(wizard.file_data).decode())))
        self.assertEqual(rows[0][:2], ["Serial", "PIN"])
        self.assertEqual(len(rows), 4)
        card = batch.card_ids.sorted("serial")[0]
        self.assertEqual(rows[1][0], card.serial)
        self.assertEqual(rows[1][1], lib.format_pin(card.pin))
        self.assertTrue(rows[1][8].endswith("/card/redeem?pin=%s" % card.pin))
        wizard.write({"file_format": "xlsx"})
        wizard.action_export()
        self.assertEqual(base64.b64decode(wizard.file_data)[:2], b"PK")
        # a cashier cannot export PINs
        with self.assertRaises(UserError):
            self.env["isp.card.export.wizard"].sudo(self.cashier).create(
                {"batch_id": batch.id}).action_export()

    def test_printed_sheet_has_serial_pin_and_qr(self):
        batch = self.batch(self.D, quantity=12)
        html = self.env.ref("isp_cards.isp_card_report").sudo(
            self.card_manager).render_qweb_html(batch.card_ids.ids)[0].decode()
        for card in batch.card_ids:
            self.assertIn(card.serial, html)
            self.assertIn(lib.format_pin(card.pin), html)
        self.assertEqual(html.count('class="page"'), 2)  # 10 per A4 sheet
        self.assertEqual(html.count("data:image/png;base64,"), 12)
