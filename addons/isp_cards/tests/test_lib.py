# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Table tests of lib/cards.py and lib/entries.py (no database)."""
import datetime
import random
import unittest

from ..lib import cards, entries

T0 = datetime.datetime(2031, 5, 1, 10, 0, 0)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


class TestPins(unittest.TestCase):

    def test_alphabet_has_no_lookalikes(self):
        for char in "01OIL":
            self.assertNotIn(char, cards.ALPHABET)
        self.assertEqual(len(set(cards.ALPHABET)), len(cards.ALPHABET))
        self.assertEqual(cards.ALPHABET, cards.ALPHABET.upper())

    def test_check_character(self):
        rng = random.Random(7)
        for _i in range(500):
            pin = cards.new_pin(12, rng)
            self.assertEqual(len(pin), 12)
            self.assertTrue(cards.pin_is_well_formed(pin), pin)
            # every single wrong character is caught
            pos = rng.randrange(12)
            other = rng.choice([c for c in cards.ALPHABET if c != pin[pos]])
            self.assertFalse(cards.pin_is_well_formed(pin[:pos] + other + pin[pos + 1:]))
            # and every swap of two different neighbours but one pair (as
            # 09/90 for Luhn mod 10: the first and last characters)
            pos = rng.randrange(11)
            pair = {pin[pos], pin[pos + 1]}
            if len(pair) == 2 and pair != {cards.ALPHABET[0], cards.ALPHABET[-1]}:
                swapped = pin[:pos] + pin[pos + 1] + pin[pos] + pin[pos + 2:]
                self.assertFalse(cards.pin_is_well_formed(swapped), (pin, swapped))

    def test_well_formed_table(self):
        good = cards.new_pin(12, random.Random(1))
        table = [
            (good, True),
            (good.lower(), True),                       # typed in lower case
            (cards.format_pin(good), True),             # with the printed dashes
            (" %s " % " ".join(good), True),            # with spaces
            (good[:-1], False),                         # check character missing
            (good + "2", False),
            ("", False),
            (None, False),
            ("0" + good[1:], False),                    # not in the alphabet
            ("2222222", False),                         # too short
        ]
        for pin, expected in table:
            self.assertEqual(cards.pin_is_well_formed(pin), expected, pin)

    def test_generate_pins_distinct_and_excluding(self):
        pins = cards.generate_pins(2000, 8, rng=random.Random(3))
        self.assertEqual(len(set(pins)), 2000)
        taken = set(pins[:1000])
        # a tiny rng space: draws hit the excluded ones and are drawn again
        again = cards.generate_pins(50, 8, rng=random.Random(3), exclude=taken)
        self.assertFalse(taken & set(again))
        with self.assertRaises(ValueError):
            cards.new_pin(4)

    def test_format(self):
        self.assertEqual(cards.format_pin("7k3m9prt2wxa"), "7K3M-9PRT-2WXA")
        self.assertEqual(cards.format_serial(12, 345), "B000012-000345")
        self.assertEqual(cards.mask("7K3M9PRT2WXA"), "7K\u2026A")
        with self.assertRaises(ValueError):
            cards.format_serial(1, 0)


class TestPinHash(unittest.TestCase):

    def test_hash_table(self):
        key = "k" * 64
        pin = "7K3M9PRT2WXA"
        digest = cards.pin_hash(key, pin)
        self.assertEqual(len(digest), 64)
        self.assertEqual(int(digest, 16) >= 0, True)   # hex
        # the same PIN however typed
        for typed in ("7k3m9prt2wxa", "7K3M-9PRT-2WXA", " 7K3M 9PRT 2WXA "):
            self.assertEqual(cards.pin_hash(key, typed), digest, typed)
        # another PIN, another key: another hash; the PIN is not in it
        self.assertNotEqual(cards.pin_hash(key, "7K3M9PRT2WXC"), digest)
        self.assertNotEqual(cards.pin_hash("j" * 64, pin), digest)
        self.assertNotIn(pin.lower(), digest)
        # HMAC-SHA256, not a bare hash (without the key it tells nothing)
        import hashlib
        self.assertNotEqual(hashlib.sha256(pin.encode()).hexdigest(), digest)
        for bad in ("", None):
            with self.assertRaises(ValueError):
                cards.pin_hash(bad, pin)

    def test_new_keys(self):
        keys = {cards.new_pin_key() for _i in range(20)}
        self.assertEqual(len(keys), 20)
        self.assertTrue(all(len(k) == 64 for k in keys))

    def test_username_and_minutes(self):
        self.assertEqual(cards.normalize_username("  CardFan "), "CardFan")
        self.assertEqual(cards.normalize_username(None), "")
        self.assertEqual(cards.normalize_username("a%b_c"), "a%b_c")   # not wildcards
        self.assertEqual(cards.minutes_left(at(15), at(0)), 15)
        self.assertEqual(cards.minutes_left(at(1), at(0.5)), 1)
        self.assertEqual(cards.minutes_left(at(0), at(0)), 1)


class TestLockout(unittest.TestCase):

    def test_table(self):
        table = [
            # (failures in minutes after T0, now, locked until)
            ([], at(0), None),
            ([0, 1, 2, 3], at(4), None),                    # 4 failures: not yet
            ([0, 1, 2, 3, 4], at(5), at(19)),               # the 5th locks 15 min
            ([0, 1, 2, 3, 4], at(19), None),                # the lock is over
            ([0, 1, 2, 3, 15], at(16), at(30)),             # 5 within 15 minutes
            ([0, 1, 2, 3, 16], at(17), None),               # 5 over 16 minutes: no
            ([0, 4, 8, 12, 14, 20], at(21), at(29)),        # 0..14 locks; 4..20 is 16 min
        ]
        for failures, now, until in table:
            self.assertEqual(cards.locked_until([at(m) for m in failures], now), until,
                             (failures, now))


class TestEntries(unittest.TestCase):

    def test_handover_isp_and_reseller(self):
        lines = entries.handover(2500.0, 100.0, "D", "ISP", False)
        self.assertEqual(lines, [("card_receivable", "D", 2400.0, 0.0),
                                 ("commission", "D", 100.0, 0.0),
                                 ("deferred", "ISP", 0.0, 2500.0)])
        lines = entries.handover(2800.0, 100.0, "D", "R", True)
        self.assertEqual(lines, [("card_receivable", "D", 2700.0, 0.0),
                                 ("operator", "R", 100.0, 0.0),
                                 ("deferred", "R", 0.0, 2800.0)])
        self.assertTrue(entries.is_balanced(lines))
        self.assertEqual(entries.reverse(lines)[2], ("deferred", "R", 2800.0, 0.0))
        # no commission: no commission line
        self.assertEqual(len(entries.handover(100.0, 0.0, "D", "ISP", False)), 2)
        with self.assertRaises(ValueError):
            entries.handover(100.0, 101.0, "D", "ISP", False)

    def test_money_redemption_expiry(self):
        self.assertEqual(entries.money_received(500.0, "D", "ISP", False),
                         [("cash", "D", 500.0, 0.0), ("card_receivable", "D", 0.0, 500.0)])
        self.assertEqual(entries.money_received(500.0, "D", "R", True)[0],
                         ("operator", "R", 500.0, 0.0))
        with self.assertRaises(ValueError):
            entries.money_received(0, "D", "ISP", False)
        self.assertEqual(entries.expiry(250.0, "ISP", False)[1], ("breakage", "ISP", 0.0, 250.0))
        self.assertEqual(entries.expiry(250.0, "R", True)[1], ("operator", "R", 0.0, 250.0))
        # an unused card's life sums to zero on the deferred account
        life = (entries.handover(250.0, 10.0, "D", "ISP", False)
                + entries.expiry(250.0, "ISP", False))
        self.assertEqual(sum(d - c for k, _p, d, c in life if k == "deferred"), 0)
