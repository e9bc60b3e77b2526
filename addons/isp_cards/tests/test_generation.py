# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
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
        self.assertIn("(pin_hash)", defs)
        self.assertNotIn("(pin)", defs)   # the clear PIN is not kept: not indexed
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

    def export(self, batch, user, file_format="csv"):
        """Export as `user` the way the web client does: the button, then the
        download link (used once). Returns (wizard, token, file bytes)."""
        wizard = self.env["isp.card.export.wizard"].sudo(user).create(
            {"batch_id": batch.id, "file_format": file_format})
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].startswith("/isp_cards/export/%d?token=" % wizard.id))
        token = action["url"].split("token=", 1)[1]
        name, _mimetype, data = wizard._isp_export_file(token)
        self.assertEqual(name, "%s.%s" % (batch.name, file_format))
        return wizard, token, data

    def test_export_csv_once(self):
        batch = self.batch(self.D, quantity=3)
        cards = batch.card_ids.sorted("serial")
        pins = self.pins(cards)
        wizard, token, data = self.export(batch, self.card_manager)
        rows = list(csv.reader(io.StringIO(data.decode())))
        self.assertEqual(rows[0][:2], ["Serial", "PIN"])
        self.assertEqual([row[:2] for row in rows[1:]],
                         [[c.serial, lib.format_pin(p)] for c, p in zip(cards, pins, strict=True)])
        self.assertTrue(rows[1][8].endswith("/card/redeem?pin=%s" % pins[0]))
        # the PINs left with the file: nothing of them is stored
        self.assertEqual(self.pins(cards), [False] * 3)
        self.assertEqual(set(cards.mapped("pin_released")), {"exported"})
        self.assertEqual(cards.mapped("pin_released_by"), self.card_manager)
        self.assertNotIn("file_data", wizard._fields)
        # the link works once; a new export has nothing left
        with self.assertRaisesRegex(UserError, "link was used already"):
            wizard._isp_export_file(token)
        with self.assertRaisesRegex(UserError, "no card left to export.*%s: exported on"
                                    % cards[0].serial):
            self.env["isp.card.export.wizard"].sudo(self.card_manager).create(
                {"batch_id": batch.id}).action_export()
        # the file's PINs are the cards' PINs
        sub = self.isp_sub()
        self.Card.redeem(pins[0], sub)
        self.assertEqual(cards[0].state, "redeemed")

    def test_export_xlsx_and_who_may(self):
        batch = self.batch(self.D, quantity=2)
        # a cashier, a distributor cannot export PINs
        for user in (self.cashier, self.user_D):
            with self.assertRaises((UserError, AccessError)):
                self.env["isp.card.export.wizard"].sudo(user).create(
                    {"batch_id": batch.id}).action_export()
        _wizard, _token, data = self.export(batch, self.card_manager, "xlsx")
        self.assertEqual(data[:2], b"PK")
        self.assertEqual(self.pins(batch.card_ids), [False] * 2)

    def test_printed_sheet_has_serial_pin_and_qr_once(self):
        batch = self.batch(self.D, quantity=12)
        pins = dict(zip(batch.card_ids, self.pins(batch.card_ids), strict=True))
        report = self.env.ref("isp_cards.isp_card_report").sudo(self.card_manager)
        action = batch.sudo(self.card_manager).action_print()
        self.assertEqual(sorted(action["context"]["active_ids"]), sorted(batch.card_ids.ids))
        html = report.render_qweb_html(batch.card_ids.ids)[0].decode()
        for card, pin in pins.items():
            self.assertIn(card.serial, html)
            self.assertIn(lib.format_pin(pin), html)
        self.assertEqual(html.count('class="page"'), 2)  # 10 per A4 sheet
        self.assertEqual(html.count("data:image/png;base64,"), 12)
        # printed once: the clear PINs are gone, the hashes stay
        self.env.cr.execute("SELECT count(pin), count(pin_hash) FROM isp_card "
                            "WHERE batch_id = %s", (batch.id,))
        self.assertEqual(self.env.cr.fetchone(), (0, 12))
        self.assertEqual(set(batch.card_ids.mapped("pin_released")), {"printed"})
        first = batch.card_ids.sorted("serial")[0]
        with self.assertRaisesRegex(UserError, "given out once.*%s: printed on" % first.serial):
            report.render_qweb_html(first.ids)
        with self.assertRaisesRegex(UserError, "no card left to print"):
            batch.sudo(self.card_manager).action_print()
        # the printed PIN is used by its hash
        sub = self.isp_sub()
        self.Card.redeem(pins[first], sub)
        self.assertEqual(first.state, "redeemed")

    def test_failed_print_keeps_the_pins(self):
        """A print that fails after the PINs were taken out (here its QR
        codes; wkhtmltopdf as well) gives nothing out, even when the caller
        catches the error and commits (the web client's download does)."""
        batch = self.batch(self.D, quantity=2)
        pins = self.pins(batch.card_ids)
        report = self.env.ref("isp_cards.isp_card_report").sudo(self.card_manager)
        for render in (report.render_qweb_html, report.render_qweb_pdf):
            with patch.object(type(self.Card), "qr_data_uri",
                              side_effect=UserError("no QR")):
                with self.assertRaisesRegex(Exception, "no QR"):
                    render(batch.card_ids.ids)
            batch.card_ids.invalidate_cache()
            self.assertEqual(self.pins(batch.card_ids), pins)
            self.assertFalse(any(batch.card_ids.mapped("pin_released")))
        self.assertIn(lib.format_pin(pins[0]),
                      report.render_qweb_html(batch.card_ids.ids)[0].decode())
