# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from ..lib import cards as lib
from .common import CardsCase


@at_install(False)
@post_install(True)
class TestRedeem(CardsCase):

    def wrong_pin(self, n=0):
        """A well-formed PIN no card has."""
        payload = "2345678923" + lib.ALPHABET[n]
        return payload + lib.check_char(payload)

    def failures(self, **domain):
        return self.env["isp.card.attempt"].search(
            [(k, "=", v) for k, v in domain.items()] + [("result", "!=", "ok")])

    def test_package_card_recharges_once(self):
        card = self.batch(self.D, quantity=1).card_ids
        pin = card.pin
        sub = self.isp_sub()
        used = self.Card.redeem(" %s " % lib.format_pin(pin).lower(), sub,
                                client_ip="198.51.100.7")
        self.assertEqual(used, card)
        self.assertEqual(card.state, "redeemed")
        self.assertEqual(card.redeemed_subscription_id, sub)
        self.assertEqual(card.redeemed_ip, "198.51.100.7")
        self.assertEqual(sub.state, "active")
        end = fields.Datetime.from_string(sub.validity_end)
        self.assertAlmostEqual((end - fields.Datetime.from_string(fields.Datetime.now()))
                               .total_seconds(), 7 * 86400, delta=120)
        attempt = self.env["isp.card.attempt"].search([("card_id", "=", card.id)])
        self.assertEqual(attempt.result, "ok")
        bill = attempt.invoice_id
        self.assertEqual(bill, sub.invoice_ids)
        self.assertEqual((bill.isp_kind, bill.state, bill.amount_total), ("recharge", "paid",
                                                                          250.0))
        self.assertEqual(attempt.move_id.journal_id.isp_payment_method, "card")
        # the payment's entry: Dr the cards' deferred revenue / Cr the customer
        lines = attempt.move_id.line_ids
        self.assertEqual(lines.filtered("debit").account_id,
                         self.company.isp_card_deferred_account_id)
        self.assertEqual(lines.filtered("credit").account_id, bill.account_id)
        self.assertFalse(card.pin)   # a used card's PIN is not kept
        with self.assertRaisesRegex(UserError, "already used"):
            self.Card.redeem(pin, sub)
        self.assertEqual(len(sub.invoice_ids), 1)

    def test_expired_and_cancelled_refused(self):
        batch = self.batch(self.D, quantity=3)
        old, cancelled, ok = batch.card_ids.sorted("serial")
        pins = {card: card.pin for card in batch.card_ids}
        sub = self.isp_sub()
        cancelled.action_cancel()
        self.assertFalse(cancelled.pin)   # a cancelled card's PIN is not kept
        with self.assertRaisesRegex(UserError, "cancelled"):
            self.Card.redeem(pins[cancelled], sub)
        self.env.cr.execute("UPDATE isp_card SET expiry_date = %s WHERE id = %s",
                            (fields.Date.to_string(datetime.date.today()
                                                   - datetime.timedelta(days=1)), old.id))
        old.invalidate_cache()
        with self.assertRaisesRegex(UserError, "expired on"):
            self.Card.redeem(pins[old], sub)
        self.assertEqual(self.Card.cron_expire(), 1)
        self.assertEqual(old.state, "expired")
        self.assertFalse(old.pin)
        with self.assertRaisesRegex(UserError, "expired on"):
            self.Card.redeem(pins[old], sub)
        self.assertEqual(sub.state, "draft")
        self.assertFalse(sub.invoice_ids)
        self.assertEqual(self.failures(subscription_id=sub.id).mapped("result"),
                         ["expired", "expired", "cancelled"])
        self.Card.redeem(ok.pin, sub)
        self.assertEqual(sub.state, "active")

    def test_lockout_per_account(self):
        card = self.batch(self.D, quantity=1).card_ids
        sub = self.isp_sub()
        for n in range(4):
            with self.assertRaisesRegex(UserError, "No card has this PIN"):
                self.Card.redeem(self.wrong_pin(n), sub)
        with self.assertRaisesRegex(UserError, "not a card PIN"):
            self.Card.redeem("HELLO", sub)  # malformed: counts too
        with self.assertRaisesRegex(UserError, "Too many wrong card PINs for this account: "
                                               "try again in 15 minutes"):
            self.Card.redeem(card.pin, sub)
        self.assertEqual(card.state, "new")
        # another account is not locked
        other = self.isp_sub(partner_id=self.partner2.id)
        self.Card.redeem(card.pin, other)
        self.assertEqual(card.state, "redeemed")
        # the failures only count for 15 minutes
        self.env.cr.execute("UPDATE isp_card_attempt SET date = date - interval '16 minutes' "
                            "WHERE subscription_id = %s", (sub.id,))
        card2 = self.batch(self.D, quantity=1).card_ids
        self.Card.redeem(card2.pin, sub)
        self.assertEqual(sub.state, "active")

    def test_lockout_per_address(self):
        card = self.batch(self.D, quantity=1).card_ids
        ip = "203.0.113.9"
        for n in range(5):
            sub = self.isp_sub(partner_id=self.partner2.id)
            with self.assertRaises(UserError):
                self.Card.redeem(self.wrong_pin(n), sub, client_ip=ip)
        fresh = self.isp_sub()
        with self.assertRaisesRegex(UserError, "from your address"):
            self.Card.redeem(card.pin, fresh, client_ip=ip)
        self.Card.redeem(card.pin, fresh, client_ip="203.0.113.10")
        self.assertEqual(card.redeemed_subscription_id, fresh)

    def test_card_of_another_operator_refused(self):
        card = self.batch(self.DR, plan=self.plan_R, quantity=1).card_ids
        with self.assertRaisesRegex(UserError, "for customers of Reseller R"):
            self.Card.redeem(card.pin, self.isp_sub())
        self.assertEqual(card.state, "new")

    def test_refusal_after_the_bill_leaves_nothing(self):
        """A monthly account cannot use a package card: the bill made before
        the refusal is rolled back with its savepoint."""
        card = self.batch(self.D, quantity=1).card_ids
        sub = self.monthly_sub(operator_id=self.root.id)
        with self.assertRaisesRegex(UserError, "billed monthly"):
            self.Card.redeem(card.pin, sub)
        self.assertEqual(card.state, "new")
        self.assertFalse(self.env["account.invoice"].search(
            [("isp_subscription_id", "=", sub.id)]))
        self.assertEqual(self.failures(subscription_id=sub.id).result, "refused")

    def test_value_card_pays_bills_then_credit(self):
        batch = self.batch(self.D, plan=self.Card.env["isp.service.plan"], value=1000.0,
                           quantity=1, commission=0.0)
        card = batch.card_ids
        sub = self.monthly_sub(operator_id=self.root.id)
        with self.today(datetime.date(2031, 3, 1)):
            sub.action_activate()
        bill = self.bills(sub)
        self.assertEqual((bill.state, bill.amount_total), ("open", 900.0))
        self.Card.redeem(card.pin, sub)
        self.assertEqual(bill.state, "paid")
        # 100 left as the customer's credit
        receivable = sub.partner_id.property_account_receivable_id
        self.assertEqual(self.balance(receivable, sub.partner_id), -100.0)

    def test_only_billing_staff_use_cards(self):
        card = self.batch(self.D, quantity=1).card_ids
        sub = self.isp_sub()
        with self.assertRaises(AccessError):
            self.Card.sudo(self.helpdesk).redeem(card.pin, sub)
        self.Card.sudo(self.cashier).redeem(card.pin, sub)
        self.assertEqual(card.state, "redeemed")

    def test_wizard_keeps_the_refusal_as_a_message(self):
        sub = self.isp_sub()
        wizard = self.env["isp.card.redeem.wizard"].sudo(self.cashier).create(
            {"subscription_id": sub.id, "pin": self.wrong_pin()})
        wizard.action_redeem()
        self.assertIn("No card has this PIN", wizard.message)
        self.assertEqual(len(self.failures(subscription_id=sub.id)), 1)

    def test_captive_portal_account_check(self):
        card = self.batch(self.D, quantity=1).card_ids
        sub = self.isp_sub()
        with self.assertRaisesRegex(UserError, "Wrong username or password"):
            self.Card.redeem_for_user(card.pin, sub.username, "nope", client_ip="192.0.2.1")
        used = self.Card.redeem_for_user(card.pin, sub.username.upper(), "s3cret-pw",
                                         client_ip="192.0.2.1")
        self.assertEqual(used.redeemed_subscription_id, sub)

    def test_captive_portal_username_is_exact(self):
        """Finding 10: % and _ are characters of a username, not wildcards
        (=ilike matched 'cardf%' to 'cardfan')."""
        card = self.batch(self.D, quantity=1).card_ids
        sub = self.isp_sub(username="cardfan")
        for typed in ("cardf%", "cardfa_", "%", "_ardfan", "cardfan%"):
            with self.assertRaisesRegex(UserError, "Wrong username or password"):
                self.Card.redeem_for_user(card.pin, typed, "s3cret-pw",
                                          client_ip="192.0.2.%d" % len(typed))
        self.assertEqual(card.state, "new")
        self.assertEqual(set(self.failures().filtered(
            lambda a: a.client_ip and a.client_ip.startswith("192.0.2.")).mapped("result")),
            {"account"})
        # exact, whatever the case and the spaces around it
        used = self.Card.redeem_for_user(card.pin, "  CardFan ", "s3cret-pw",
                                         client_ip="192.0.2.99")
        self.assertEqual(used.redeemed_subscription_id, sub)

    def test_captive_portal_password_lockout_per_account(self):
        """Finding 10: 5 wrong passwords of an account (from 5 addresses, so
        that no address is locked) lock its password check for 15 minutes:
        the right password is refused too; its cards stay usable by the
        cashier (wrong passwords do not lock its PINs)."""
        card = self.batch(self.D, quantity=1).card_ids
        sub = self.isp_sub()
        for n in range(5):
            with self.assertRaisesRegex(UserError, "Wrong username or password"):
                self.Card.redeem_for_user(card.pin, sub.username, "guess-%d" % n,
                                          client_ip="198.51.100.%d" % n)
        self.assertEqual(self.failures(subscription_id=sub.id).mapped("result"),
                         ["password"] * 5)
        with self.assertRaisesRegex(UserError, "Too many wrong passwords for this account: "
                                               "try again in 15 minutes"):
            self.Card.redeem_for_user(card.pin, sub.username, "s3cret-pw",
                                      client_ip="198.51.100.50")
        self.assertEqual(card.state, "new")
        self.assertEqual(self.env["isp.card.attempt"].search(
            [("subscription_id", "=", sub.id)], limit=1).result, "locked")
        # another account is not locked
        other = self.isp_sub(partner_id=self.partner2.id)
        other_card = self.batch(self.D, quantity=1).card_ids
        self.Card.redeem_for_user(other_card.pin, other.username, "s3cret-pw",
                                  client_ip="198.51.100.51")
        self.assertEqual(other_card.state, "redeemed")
        # the lock is over after 15 minutes
        self.env.cr.execute("UPDATE isp_card_attempt SET date = date - interval '16 minutes' "
                            "WHERE subscription_id = %s", (sub.id,))
        self.Card.redeem_for_user(card.pin, sub.username, "s3cret-pw",
                                  client_ip="198.51.100.52")
        self.assertEqual(card.redeemed_subscription_id, sub)

    def test_wrong_passwords_do_not_lock_the_accounts_pins(self):
        card = self.batch(self.D, quantity=1).card_ids
        sub = self.isp_sub()
        for n in range(6):
            with self.assertRaises(UserError):
                self.Card.redeem_for_user(card.pin, sub.username, "guess-%d" % n,
                                          client_ip="198.51.100.%d" % n)
        self.Card.sudo(self.cashier).redeem(card.pin, sub)
        self.assertEqual(card.state, "redeemed")
