# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The plain business rules of isp_base, as tables of cases."""
import datetime
import unittest

from ..lib import billing_profile as bp
from ..lib import ipam, lifecycle, rate_limit, validation

D = datetime.date
DT = datetime.datetime


class TestValidation(unittest.TestCase):

    def test_usernames(self):
        for good in ("ali", "Ali.Khan", "user_01", "ppp-22", "a1@isp.net", "9x"):
            self.assertEqual(validation.normalize_username(" %s " % good), good)
        for bad in ("", "a", "ali khan", "o'neil", "x+y", "_lead", ".dot", "semi;colon",
                    "quote\"", "back\\slash", "ünï", "a" * 65, "tab\tname", "per%cent"):
            with self.assertRaises(ValueError, msg=bad) as ctx:
                validation.normalize_username(bad)
            self.assertIn("not allowed", str(ctx.exception))

    def test_mac_addresses(self):
        for raw in ("4c:5e:0c:12:34:56", "4C-5E-0C-12-34-56", "4c5e.0c12.3456",
                    "4c5e0c123456", " 4C:5E:0C:12:34:56 "):
            self.assertEqual(validation.normalize_mac(raw), "4C:5E:0C:12:34:56")
        for bad in ("4c:5e:0c:12:34", "4c:5e:0c:12:34:5g", "4c:5e-0c:12:34:56x", "",
                    "01:00:5e:00:00:01",  # multicast
                    "4c:5e:0c:12:34:56:78", "4c5e.0c12.345"):
            with self.assertRaises(ValueError, msg=bad):
                validation.normalize_mac(bad)

    def test_ipv4(self):
        self.assertEqual(validation.normalize_ipv4(" 10.0.0.5 "), "10.0.0.5")
        for bad in ("10.0.0.256", "10.0.0", "2001:db8::1", "0.0.0.0", "127.0.0.1",
                    "224.0.0.1", "abc", ""):
            with self.assertRaises(ValueError, msg=bad):
                validation.normalize_ipv4(bad)

    def test_ipv6_prefix(self):
        self.assertEqual(validation.normalize_ipv6_prefix("2001:0db8:0:100::/56"),
                         "2001:db8:0:100::/56")
        for bad in ("2001:db8::1/56",  # host bits
                    "2001:db8::/128", "2001:db8::/16", "10.0.0.0/24", "nonsense"):
            with self.assertRaises(ValueError, msg=bad):
                validation.normalize_ipv6_prefix(bad)

    def test_networks(self):
        self.assertEqual(validation.normalize_network("10.0.0.0/24"), "10.0.0.0/24")
        with self.assertRaises(ValueError):
            validation.normalize_network("10.0.0.1/24")

    def test_mobile_numbers(self):
        cases = [("01711928149", "BD", "+8801711928149"),
                 ("01711-928149", "BD", "+8801711928149"),
                 ("+880 1711 928149", "BD", "+8801711928149"),
                 ("0888 123 456", "BG", "+359888123456")]
        for raw, region, expected in cases:
            self.assertEqual(validation.normalize_mobile(raw, region), expected)
        for raw in ("12345", "017119281", "abc", ""):
            with self.assertRaises(ValueError, msg=raw):
                validation.normalize_mobile(raw, "BD")
        with self.assertRaisesRegex(ValueError, "not a mobile"):
            validation.normalize_mobile("029898989", "BD")  # Dhaka landline


class TestLifecycle(unittest.TestCase):

    def test_allowed_transitions(self):
        table = [
            ("activate", "draft", "active"), ("activate", "expired", "active"),
            ("activate", "disabled", "active"), ("suspend", "active", "suspended"),
            ("resume", "suspended", "active"), ("disable", "active", "disabled"),
            ("disable", "suspended", "disabled"), ("disable", "expired", "disabled"),
            ("expire", "active", "expired"),
        ]
        for action, state, target in table:
            self.assertEqual(lifecycle.next_state(action, state), target, (action, state))

    def test_refused_transitions(self):
        refused = [("activate", "active"), ("activate", "suspended"), ("suspend", "draft"),
                   ("suspend", "suspended"), ("suspend", "expired"), ("resume", "active"),
                   ("resume", "expired"), ("disable", "draft"), ("disable", "disabled"),
                   ("expire", "suspended"), ("expire", "draft")]
        for action, state in refused:
            with self.assertRaises(ValueError, msg=(action, state)) as ctx:
                lifecycle.next_state(action, state)
            self.assertIn("cannot be", str(ctx.exception))


class TestBillingProfileSemantics(unittest.TestCase):
    """Seed 000, notes 1-5 and the FAQ, one case each (quoted)."""

    NOW = DT(2026, 3, 15, 12, 0)

    def check(self, **kw):
        args = dict(billing_type="monthly", connection_type="pppoe", auto_suspend=True,
                    validity_end=DT(2026, 3, 1), now=self.NOW,
                    unpaid_due_dates=[D(2026, 3, 8)], grace_days=0)
        args.update(kw)
        return bp.suspension_check(**args)

    def test_note_1_hotspot_ignores_profiles(self):
        # "For Hotspot customers, it is not necessary to understand how billing
        # profiles work."
        self.assertFalse(bp.bills_automatically(True, "daily", "hotspot"))
        self.assertEqual(self.check(connection_type="hotspot", billing_type="daily",
                                    auto_suspend=False, unpaid_due_dates=[])[0], bp.EXPIRE)

    def test_note_2_automatic_bill_only_monthly(self):
        # "Automatic bill = yes means that the invoice will be generated
        # automatically ... But just for monthly billing customers."
        self.assertTrue(bp.bills_automatically(True, "monthly", "pppoe"))
        self.assertTrue(bp.bills_automatically(True, "monthly", "static"))
        self.assertFalse(bp.bills_automatically(True, "daily", "pppoe"))
        self.assertFalse(bp.bills_automatically(False, "monthly", "pppoe"))

    def test_note_3_automatic_suspend(self):
        # "... suspended if they did not pay the bills by the due date. But only
        # for monthly billing customers and needs to have an invoice"
        self.assertEqual(self.check()[0], bp.SUSPEND)
        self.assertEqual(self.check(auto_suspend=False)[0], bp.KEEP)
        self.assertIn("off in the billing profile", self.check(auto_suspend=False)[1])
        # "Daily billing customers will be suspended after the validity of the
        # package, which cannot be controlled by the billing profile."
        for auto in (True, False):
            self.assertEqual(self.check(billing_type="daily", auto_suspend=auto,
                                        unpaid_due_dates=[])[0], bp.EXPIRE)
        self.assertEqual(self.check(billing_type="daily",
                                    validity_end=DT(2026, 3, 16))[0], bp.KEEP)

    def test_faq_why_not_suspended(self):
        # "the customer account is not suspended due to either of the two
        # reasons - 1. The bill payment date has not passed. 2. The customer has
        # no bill."
        decision, reason = self.check(unpaid_due_dates=[D(2026, 3, 20)])
        self.assertEqual(decision, bp.KEEP)
        self.assertIn("has not passed", reason)
        decision, reason = self.check(unpaid_due_dates=[])
        self.assertEqual(decision, bp.KEEP)
        self.assertIn("no bill", reason)
        # validity not ended: never suspended, even with an overdue bill
        self.assertEqual(self.check(validity_end=DT(2026, 3, 31))[0], bp.KEEP)

    def test_due_date_and_grace(self):
        # due on the 13th, grace 2: still fine on the 15th, suspended on the 16th
        self.assertEqual(self.check(unpaid_due_dates=[D(2026, 3, 13)], grace_days=2)[0],
                         bp.KEEP)
        self.assertEqual(self.check(unpaid_due_dates=[D(2026, 3, 13)], grace_days=2,
                                    now=DT(2026, 3, 16, 0, 1))[0], bp.SUSPEND)
        # the bill due today can still be paid today
        self.assertEqual(self.check(unpaid_due_dates=[D(2026, 3, 15)])[0], bp.KEEP)
        # the oldest unpaid bill counts
        self.assertEqual(self.check(unpaid_due_dates=[D(2026, 3, 20), D(2026, 3, 1)])[0],
                         bp.SUSPEND)

    def test_other_services_never_locked(self):
        # 5. Other: "No automatic lock option."
        self.assertEqual(self.check(connection_type="other")[0], bp.KEEP)

    def test_note_5_cycle_ends_with_month(self):
        # "Billing cycle ends with month = yes means bill the customer for the
        # remaining days of the month while creating new customer."
        cases = [  # start, expected end, billed days, days in cycle
            (D(2026, 2, 10), D(2026, 2, 28), 19, 28),
            (D(2028, 2, 10), D(2028, 2, 29), 20, 29),
            (D(2026, 4, 10), D(2026, 4, 30), 21, 30),
            (D(2026, 1, 10), D(2026, 1, 31), 22, 31),
            (D(2026, 1, 1), D(2026, 1, 31), 31, 31),
            (D(2026, 1, 31), D(2026, 1, 31), 1, 31),
        ]
        for start, end, billed, cycle in cases:
            self.assertEqual(bp.first_bill(start, 1, True), (start, end, billed, cycle, 1),
                             start)

    def test_note_4_cycle_does_not_end_with_month(self):
        # "Billing cycle ends with month = no means bill the customer until the
        # next payment date while creating new customer." (full cycle, own day)
        self.assertEqual(bp.first_bill(D(2026, 1, 20), 1, False),
                         (D(2026, 1, 20), D(2026, 2, 19), 31, 31, 20))
        self.assertEqual(bp.first_bill(D(2026, 1, 31), 1, False),
                         (D(2026, 1, 31), D(2026, 2, 27), 28, 28, 31))

    def test_fixed_billing_day_cycles(self):
        # "Fixed billing cycle eg 10th to 10th, 15th to 15th."
        self.assertEqual(bp.cycle_bounds(10, D(2026, 3, 15)), (D(2026, 3, 10), D(2026, 4, 9)))
        self.assertEqual(bp.cycle_bounds(10, D(2026, 3, 9)), (D(2026, 2, 10), D(2026, 3, 9)))
        self.assertEqual(bp.cycle_bounds(31, D(2026, 2, 28)), (D(2026, 2, 28), D(2026, 3, 30)))
        self.assertEqual(bp.first_bill(D(2026, 3, 20), 10, True),
                         (D(2026, 3, 20), D(2026, 4, 9), 21, 31, 10))

    def test_add_months_keeps_the_anchor(self):
        self.assertEqual(bp.add_months(D(2026, 1, 31), 1), D(2026, 2, 28))
        self.assertEqual(bp.add_months(D(2026, 2, 28), 1, anchor_day=31), D(2026, 3, 31))
        self.assertEqual(bp.add_months(D(2026, 12, 15), 1), D(2027, 1, 15))
        self.assertEqual(bp.add_months(D(2026, 1, 15), -1), D(2025, 12, 15))

    def test_due_date(self):
        self.assertEqual(bp.due_date(D(2026, 3, 1), 7), D(2026, 3, 8))
        self.assertEqual(bp.due_date(D(2026, 12, 28), 7), D(2027, 1, 4))


class TestRateLimit(unittest.TestCase):

    def test_rates(self):
        self.assertEqual(rate_limit.format_rate(10240), "10M")
        self.assertEqual(rate_limit.format_rate(512), "512k")
        self.assertEqual(rate_limit.format_rate(1536), "1536k")

    def test_rate_limit_strings(self):
        # rx/tx is the router's view: the customer's upload comes first
        self.assertEqual(rate_limit.rate_limit(10240, 5120), "5M/10M")
        self.assertEqual(
            rate_limit.rate_limit(20480, 10240, burst_download_kbps=30720,
                                  burst_upload_kbps=15360, threshold_download_kbps=15360,
                                  threshold_upload_kbps=7680, burst_time=10, priority=5),
            "10M/20M 15M/30M 7680k/15M 10/10 5")
        self.assertEqual(rate_limit.rate_limit(4096, 1024, priority=3), "1M/4M 0/0 0/0 0/0 3")
        self.assertEqual(rate_limit.rate_limit(4096, 1024, min_download_kbps=2048,
                                               min_upload_kbps=512),
                         "1M/4M 0/0 0/0 0/0 8 512k/2M")

    def test_refused(self):
        with self.assertRaises(ValueError):
            rate_limit.rate_limit(0, 1024)
        with self.assertRaisesRegex(ValueError, "above the normal"):
            rate_limit.rate_limit(10240, 5120, burst_download_kbps=8192,
                                  burst_upload_kbps=8192, threshold_download_kbps=1,
                                  threshold_upload_kbps=1, burst_time=5)
        with self.assertRaisesRegex(ValueError, "both directions"):
            rate_limit.rate_limit(10240, 5120, burst_download_kbps=20480)


class TestIpam(unittest.TestCase):

    def test_next_free_ipv4(self):
        self.assertEqual(ipam.next_free_ipv4("10.0.0.0/29", set()), "10.0.0.1")
        self.assertEqual(ipam.next_free_ipv4("10.0.0.0/29", {"10.0.0.1"}, {"10.0.0.2"}),
                         "10.0.0.3")
        used = {"10.0.0.%d" % i for i in range(1, 7)}
        self.assertIsNone(ipam.next_free_ipv4("10.0.0.0/29", used))  # .0 and .7 never
        self.assertEqual(ipam.next_free_ipv4("10.0.0.8/32", set()), "10.0.0.8")
        self.assertEqual(ipam.host_count("10.0.0.0/29", {"10.0.0.1"}), 5)

    def test_next_free_prefix(self):
        net = "2001:db8:aa00::/48"
        self.assertEqual(ipam.next_free_prefix(net, 56, set()), "2001:db8:aa00::/56")
        self.assertEqual(ipam.next_free_prefix(net, 56, {"2001:db8:aa00::/56"}),
                         "2001:db8:aa00:100::/56")
        # a /64 already given inside the first /56 blocks that /56
        self.assertEqual(ipam.next_free_prefix(net, 56, {"2001:db8:aa00:5::/64"}),
                         "2001:db8:aa00:100::/56")
        self.assertEqual(ipam.next_free_prefix(net, 64, {"2001:db8:aa00::/64"}),
                         "2001:db8:aa00:1::/64")
        self.assertEqual(ipam.prefix_count(net, 56), 256)
        self.assertIsNone(ipam.next_free_prefix("2001:db8:aa00::/63", 64,
                                                {"2001:db8:aa00::/64", "2001:db8:aa00:1::/64"}))
        with self.assertRaises(ValueError):
            ipam.next_free_prefix(net, 40, set())
