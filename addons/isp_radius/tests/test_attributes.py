# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Table test of the attribute mapping (lib/attributes.py)."""
import datetime
import unittest

from ..lib.attributes import (
    Attr, attributes, change_kind, coa_attributes, decision, expiration_value)

NOW = datetime.datetime(2026, 3, 10, 12, 0, 0)
LATER = datetime.datetime(2026, 3, 20, 18, 30, 0)     # epoch 1774031400
EARLIER = datetime.datetime(2026, 3, 1, 0, 0, 0)

BASE = {
    "state": "active", "username": "ali", "password": "pw1", "connection_type": "pppoe",
    "billing_type": "monthly", "validity_end": LATER, "mac_address": None,
    "static_ipv4": None, "ipv6_prefix": None, "rate_limit": "5M/10M",
    "speed_controller": "radius", "ppp_profile": "pkg-10M", "pool": "pppoe-dyn",
    "suspend_action": "reject", "suspended_pool": None, "suspended_address_list": "suspended",
}

PASSWORD = Attr("Cleartext-Password", ":=", "pw1")
SIMUL = Attr("Simultaneous-Use", ":=", "1")
INTERIM = Attr("Acct-Interim-Interval", ":=", "300")
REJECT = ([Attr("Auth-Type", ":=", "Reject")], [])

# (name, changes to BASE, now, expected (check, reply))
CASES = [
    ("active monthly PPPoE: dynamic pool, RADIUS speed, no Expiration", {}, NOW, (
        [PASSWORD, SIMUL],
        [Attr("Mikrotik-Rate-Limit", ":=", "5M/10M"), Attr("Mikrotik-Group", ":=", "pkg-10M"),
         Attr("Framed-Pool", ":=", "pppoe-dyn"), INTERIM])),
    ("active with static IPv4, IPv6 prefix and MAC binding",
     {"static_ipv4": "198.51.100.7", "ipv6_prefix": "2001:db8:aa00:100::/56",
      "mac_address": "AA:BB:CC:00:11:22"}, NOW, (
         [PASSWORD, SIMUL, Attr("Calling-Station-Id", "==", "AA:BB:CC:00:11:22")],
         [Attr("Mikrotik-Rate-Limit", ":=", "5M/10M"), Attr("Mikrotik-Group", ":=", "pkg-10M"),
          Attr("Framed-IP-Address", ":=", "198.51.100.7"),
          Attr("Delegated-IPv6-Prefix", ":=", "2001:db8:aa00:100::/56"), INTERIM])),
    ("hotspot (daily): Expiration at the validity end, burst rate limit",
     {"connection_type": "hotspot", "billing_type": "daily", "ppp_profile": "hs-5M",
      "rate_limit": "2M/5M 4M/8M 1536k/3840k 10/10 5", "pool": "hs-pool"}, NOW, (
         [PASSWORD, SIMUL, Attr("Expiration", ":=", "1774031400")],
         [Attr("Mikrotik-Rate-Limit", ":=", "2M/5M 4M/8M 1536k/3840k 10/10 5"),
          Attr("Mikrotik-Group", ":=", "hs-5M"), Attr("Framed-Pool", ":=", "hs-pool"),
          INTERIM])),
    ("daily PPPoE whose validity has ended: no row at once (rejected as unknown)",
     {"billing_type": "daily", "validity_end": EARLIER}, NOW, ([], [])),
    ("hotspot whose validity has ended: no row at once",
     {"connection_type": "hotspot", "billing_type": "daily", "validity_end": EARLIER}, NOW,
     ([], [])),
    ("daily PPPoE past its validity, marked expired by the billing: reject",
     {"billing_type": "daily", "validity_end": EARLIER, "state": "expired"}, NOW, REJECT),
    ("monthly PPPoE whose validity has ended: still accepted (billing suspends)",
     {"validity_end": EARLIER}, NOW, (
         [PASSWORD, SIMUL],
         [Attr("Mikrotik-Rate-Limit", ":=", "5M/10M"), Attr("Mikrotik-Group", ":=", "pkg-10M"),
          Attr("Framed-Pool", ":=", "pppoe-dyn"), INTERIM])),
    ("speed set by the router's PPP profile: no Mikrotik-Rate-Limit, no pool",
     {"speed_controller": "router", "pool": None}, NOW, (
         [PASSWORD, SIMUL], [Attr("Mikrotik-Group", ":=", "pkg-10M"), INTERIM])),
    ("suspended, profile rejects", {"state": "suspended"}, NOW, REJECT),
    ("suspended, profile says suspended pool: payment page",
     {"state": "suspended", "suspend_action": "suspended_pool", "suspended_pool": "susp",
      "mac_address": "AA:BB:CC:00:11:22", "static_ipv4": "198.51.100.7"}, NOW, (
         [PASSWORD, SIMUL, Attr("Calling-Station-Id", "==", "AA:BB:CC:00:11:22")],
         [Attr("Framed-Pool", ":=", "susp"), Attr("Mikrotik-Address-List", ":=", "suspended"),
          INTERIM])),
    ("suspended pool, daily account past its validity: still the payment page",
     {"state": "suspended", "suspend_action": "suspended_pool", "suspended_pool": "susp",
      "billing_type": "daily", "validity_end": EARLIER}, NOW, (
         [PASSWORD, SIMUL],
         [Attr("Framed-Pool", ":=", "susp"), Attr("Mikrotik-Address-List", ":=", "suspended"),
          INTERIM])),
    ("disabled", {"state": "disabled"}, NOW, REJECT),
    ("expired", {"state": "expired"}, NOW, REJECT),
    ("new (never activated)", {"state": "draft"}, NOW, REJECT),
    ("other service (cable TV) with a username", {"connection_type": "other"}, NOW, REJECT),
    ("no interim interval configured", {"interim": 0}, NOW, (
        [PASSWORD, SIMUL],
        [Attr("Mikrotik-Rate-Limit", ":=", "5M/10M"), Attr("Mikrotik-Group", ":=", "pkg-10M"),
         Attr("Framed-Pool", ":=", "pppoe-dyn")])),
]


class TestAttributes(unittest.TestCase):

    def test_cases(self):
        for name, changes, now, expected in CASES:
            account = dict(BASE, **changes)
            interim = account.pop("interim", 300)
            with self.subTest(name):
                self.assertEqual(attributes(account, now, interim), expected)

    def test_reject_carries_no_reply(self):
        for state in ("suspended", "disabled", "expired", "draft"):
            check, reply = attributes(dict(BASE, state=state), NOW)
            self.assertEqual(reply, [], state)
            self.assertNotIn("Cleartext-Password", [a.attribute for a in check])

    def test_validity_end_boundary(self):
        daily = dict(BASE, billing_type="daily", validity_end=NOW)
        self.assertEqual(decision(daily, NOW), "ended")
        self.assertEqual(decision(daily, NOW - datetime.timedelta(seconds=1)), "accept")

    def test_expiration_fits_in_32_bits(self):
        """Issue 16, finding 9: RADIUS's Expiration is an unsigned 32-bit
        count of seconds, which ends on 2106-02-07 06:28:15 UTC; a later
        validity end is clamped to it (not wrapped to a past date, which
        would reject an active account, nor to a wrong Session-Timeout)."""
        last = 2 ** 32 - 1
        cases = [
            (datetime.datetime(2026, 3, 20, 18, 30, 0), "1774031400"),
            (datetime.datetime(2100, 12, 31, 23, 59, 59), "4133980799"),
            (datetime.datetime(2106, 2, 7, 6, 28, 15), str(last)),
            (datetime.datetime(2106, 2, 7, 6, 28, 16), str(last)),
            (datetime.datetime(2107, 1, 1), str(last)),
            (datetime.datetime(9999, 12, 31, 23, 59, 59), str(last)),
            (datetime.datetime(1969, 12, 31, 23, 59, 59), "0"),
        ]
        for end, expected in cases:
            with self.subTest(end=end):
                self.assertEqual(expiration_value(end), expected)
        for end in (datetime.datetime(2107, 1, 1), datetime.datetime(9999, 12, 31, 23, 59)):
            hotspot = dict(BASE, connection_type="hotspot", billing_type="daily",
                           validity_end=end)
            self.assertEqual(decision(hotspot, NOW), "accept")
            check, _reply = attributes(hotspot, NOW)
            self.assertIn(Attr("Expiration", ":=", str(last)), check)


class TestChangeKind(unittest.TestCase):

    def reply(self, **changes):
        return attributes(dict(BASE, **changes), NOW)[1]

    def test_plan_changes(self):
        old = self.reply()
        cases = [
            ("same package", old, None),
            ("faster: only the rate limit", self.reply(rate_limit="10M/20M"), "coa"),
            ("another PPP profile", self.reply(ppp_profile="pkg-20M"), "disconnect"),
            ("another pool", self.reply(pool="other-pool"), "disconnect"),
            ("speed moves to the router", self.reply(speed_controller="router"),
             "disconnect"),
        ]
        for name, new, kind in cases:
            with self.subTest(name):
                self.assertEqual(change_kind(old, new), kind)

    def test_interim_alone_is_no_change(self):
        self.assertIsNone(change_kind(attributes(BASE, NOW, 300)[1],
                                      attributes(BASE, NOW, 600)[1]))

    def test_coa_attributes(self):
        self.assertEqual(coa_attributes(self.reply(rate_limit="10M/20M")),
                         [Attr("Mikrotik-Rate-Limit", ":=", "10M/20M")])
