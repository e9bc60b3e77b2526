# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Table tests of the plain functions (lib/)."""
import datetime
import unittest

import hashlib
import hmac

from ..lib import bkash, hosted, hotspot, otp, sms_text, urls, usage_chart

T0 = datetime.datetime(2026, 1, 31, 10, 0, 0)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


class TestBkashLib(unittest.TestCase):

    def test_url(self):
        for base, step, expected in [
            ("https://tokenized.sandbox.bka.sh", "grant",
             "https://tokenized.sandbox.bka.sh/v1.2.0-beta/tokenized/checkout/token/grant"),
            ("http://127.0.0.1:5000/", "create",
             "http://127.0.0.1:5000/v1.2.0-beta/tokenized/checkout/create"),
            ("http://h/v1.2.0-beta", "query",
             "http://h/v1.2.0-beta/tokenized/checkout/payment/status"),
        ]:
            self.assertEqual(bkash.url(base, step), expected)

    def test_amount_and_token_cache(self):
        self.assertEqual(bkash.format_amount(250), "250.00")
        self.assertEqual(bkash.format_amount("10.005"), "10.01")
        self.assertFalse(bkash.token_usable(None, T0))
        self.assertTrue(bkash.token_usable(at(3600), T0))
        self.assertFalse(bkash.token_usable(at(59), T0))     # renewed a minute ahead
        self.assertEqual(bkash.token_expiry({"expires_in": 3600}, T0), at(3600))
        self.assertEqual(bkash.token_expiry({"expires_in": "x"}, T0), at(3600))

    def test_check_answer(self):
        ok = {"statusCode": "0000", "paymentID": "P1"}
        self.assertIs(bkash.check_answer(ok), ok)
        self.assertEqual(bkash.check_answer({"id_token": "t"}), {"id_token": "t"})
        for bad, text in [({"statusCode": "2056", "statusMessage": "Invalid Payment State"},
                           "2056: Invalid Payment State"),
                          ({"errorCode": "2001", "errorMessage": "Invalid App Key"},
                           "2001: Invalid App Key"),
                          (None, "no answer"), ({"message": "Unauthorized"}, "Unauthorized")]:
            with self.assertRaises(bkash.BkashError) as err:
                bkash.check_answer(bad)
            self.assertEqual(str(err.exception), text)

    def test_completed_mismatches(self):
        good = {"transactionStatus": "Completed", "trxID": "9K1", "amount": "250.00",
                "currency": "BDT", "merchantInvoiceNumber": "C1-20260131"}
        self.assertEqual(bkash.completed_mismatches(good, 250.0, "BDT", "C1-20260131"), [])
        for change, field in [({"amount": "25.00"}, "amount"),
                              ({"currency": "USD"}, "currency"),
                              ({"merchantInvoiceNumber": "C2"}, "merchantInvoiceNumber"),
                              ({"transactionStatus": "Initiated"}, "transactionStatus"),
                              ({"trxID": ""}, "trxID")]:
            problems = bkash.completed_mismatches(dict(good, **change), 250.0, "BDT",
                                                  "C1-20260131")
            self.assertEqual([p[0] for p in problems], [field])

    def test_create_body(self):
        body = bkash.create_body(10, "BDT", "REF1", "http://x/cb", "+8801711000201")
        self.assertEqual(body, {"mode": "0011", "payerReference": "+8801711000201",
                                "callbackURL": "http://x/cb", "amount": "10.00",
                                "currency": "BDT", "intent": "sale",
                                "merchantInvoiceNumber": "REF1"})


class TestOtpLib(unittest.TestCase):

    def test_code_and_hash(self):
        code = otp.generate_code()
        self.assertRegex(code, r"^\d{6}$")
        stored = otp.hash_code("s3", "+8801711000201", code)
        self.assertNotIn(code, stored)
        self.assertTrue(otp.code_matches("s3", "+8801711000201", code, stored))
        self.assertTrue(otp.code_matches("s3", "+8801711000201", " %s " % code, stored))
        self.assertFalse(otp.code_matches("s3", "+8801811000202", code, stored))
        self.assertFalse(otp.code_matches("other", "+8801711000201", code, stored))

    def test_rate_limit(self):
        times = [at(0), at(100), at(200)]
        for now, window, limit, allowed, wait in [
            (at(300), 900, 3, False, 601),   # the first leaves the window at 900 s
            (at(901), 900, 3, True, 0),
            (at(300), 900, 4, True, 0),
            (at(300), 250, 3, True, 0),      # only 2 within the last 250 s
        ]:
            self.assertEqual(otp.allowed(times, now, window, limit), allowed)
            self.assertEqual(otp.retry_after(times, now, window, limit), wait)
        self.assertTrue(otp.allowed([], T0, 60, 1))


class TestHostedLib(unittest.TestCase):

    def test_signed_request_and_answer(self):
        req = hosted.request_values("k", "M1", "R1", 250, "BDT", "http://x/ret")
        self.assertEqual(req["amount"], "250.00")
        self.assertEqual(req["signature"], hosted.sign("k", req, hosted.REQUEST_FIELDS))
        answer = {"reference": "R1", "amount": "250.00", "currency": "BDT", "status": "paid",
                  "txn_id": "G1"}
        answer["signature"] = hosted.sign("k", answer, hosted.ANSWER_FIELDS)
        self.assertEqual(hosted.answer_problems("k", answer, 250, "BDT", "R1"), [])
        self.assertEqual(hosted.answer_problems("other", answer, 250, "BDT", "R1")[0][0],
                         "signature")
        tampered = dict(answer, amount="1.00")
        self.assertEqual(hosted.answer_problems("k", tampered, 250, "BDT", "R1")[0][0],
                         "signature")
        resigned = dict(tampered, signature=hosted.sign("k", tampered, hosted.ANSWER_FIELDS))
        self.assertEqual([p[0] for p in hosted.answer_problems("k", resigned, 250, "BDT",
                                                               "R1")], ["amount"])


    def test_no_secret_signs_nothing(self):
        """An empty key is no key: an answer signed with it is not genuine."""
        answer = {"reference": "R1", "amount": "250.00", "currency": "BDT", "status": "paid",
                  "txn_id": "G1"}
        message = "|".join(answer[f] for f in hosted.ANSWER_FIELDS).encode()
        answer["signature"] = hmac.new(b"", message, hashlib.sha256).hexdigest()
        for secret in ("", None, "  "):
            self.assertEqual(hosted.answer_problems(secret, answer, 250, "BDT", "R1")[0][0],
                             "signature")
            with self.assertRaises(ValueError):
                hosted.sign(secret, answer, hosted.ANSWER_FIELDS)
            with self.assertRaises(ValueError):
                hosted.request_values(secret, "M1", "R1", 250, "BDT", "http://x/ret")

    def test_missing_to_publish(self):
        self.assertEqual(hosted.missing_to_publish("isp_hosted", {
            "hosted_url": "https://gw", "hosted_merchant": "M1", "hosted_secret": " "}),
            ["hosted_secret"])
        self.assertEqual(hosted.missing_to_publish("isp_hosted", {
            "hosted_url": "https://gw", "hosted_merchant": "M1", "hosted_secret": "s"}), [])
        self.assertEqual(hosted.missing_to_publish("bkash", {
            "bkash_base_url": "https://b", "bkash_app_key": "k", "bkash_app_secret": False,
            "bkash_username": "u"}), ["bkash_app_secret", "bkash_password"])
        self.assertEqual(hosted.missing_to_publish("transfer", {}), [])


class TestSameSite(unittest.TestCase):

    def test_same_site(self):
        host = "portal.example.net"
        table = [
            ("/my/isp", "/my/isp"),
            ("/web#action=12", "/web#action=12"),
            ("/shop?a=1&b=2", "/shop?a=1&b=2"),
            ("https://portal.example.net/my?x=1#y", "https://portal.example.net/my?x=1#y"),
            ("http://PORTAL.example.net", "http://PORTAL.example.net"),
            ("https://evil.example/", None),
            ("https://portal.example.net.evil.example/", None),
            ("https://portal.example.net@evil.example/", None),
            ("https://portal.example.net:8443/", None),      # another site
            ("//evil.example/", None),
            ("/\\evil.example/", None),
            ("\\\\evil.example/", None),
            ("/\t/evil.example/", None),
            ("/\n/evil.example/", None),
            ("https:evil.example", None),
            ("http:/evil.example", None),
            ("javascript:alert(1)", None),
            ("data:text/html,x", None),
            ("my/isp", None),
            ("", None),
            (None, None),
        ]
        for url, expected in table:
            self.assertEqual(urls.same_site(url, host), expected, repr(url))
        self.assertEqual(urls.same_site("http://127.0.0.1:8069/my", "127.0.0.1:8069"),
                         "http://127.0.0.1:8069/my")
        both = ("127.0.0.1:8069", "portal.example.net")
        self.assertEqual(urls.same_site("https://portal.example.net/my", both),
                         "https://portal.example.net/my")
        self.assertIsNone(urls.same_site("https://evil.example/", both))
        self.assertIsNone(urls.same_site("https://evil.example/", ("", None)))


class TestHotspotLib(unittest.TestCase):

    def test_login_context(self):
        hosts = ["10.5.50.1"]
        ctx = hotspot.login_context({
            "mac": "aa-bb-cc-dd-ee-0f", "ip": "10.5.50.7",
            "link-login-only": "http://10.5.50.1/login", "link-orig": "http://example.com/"},
            hosts)
        self.assertEqual(ctx, {"mac": "AA:BB:CC:DD:EE:0F", "ip": "10.5.50.7",
                               "link_login_only": "http://10.5.50.1/login",
                               "link_orig": "http://example.com/"})
        bad = hotspot.login_context({"mac": "x", "ip": "10.5.50.300",
                                     "link-login-only": "javascript:alert(1)",
                                     "link-orig": "/relative"}, hosts)
        self.assertEqual(bad, {"mac": "", "ip": "", "link_login_only": "", "link_orig": ""})
        elsewhere = hotspot.login_context({"link-login-only": "http://evil.example/login"},
                                          hosts)
        self.assertEqual(elsewhere["link_login_only"], "")

    def test_login_url_allowed(self):
        hosts = ["10.5.50.1", "Login.Wifi.Example.NET.", "not a host"]
        table = [
            ("http://10.5.50.1/login", True),
            ("http://10.5.50.1:8080/login?x=1", True),
            ("https://login.wifi.example.net/login", True),
            ("https://LOGIN.wifi.example.net./login", True),
            ("http://evil.example/login", False),
            ("http://10.5.50.10/login", False),
            ("http://10.5.50.1.evil.example/login", False),
            ("http://10.5.50.1@evil.example/login", False),   # user@host
            ("http://evil.example\\@10.5.50.1/login", False),  # browsers: host evil.example
            ("http://10.5.50.1\t/login", False),
            ("http://10.5.50.1:x/login", False),
            ("ftp://10.5.50.1/login", False),
            ("//10.5.50.1/login", False),
            ("javascript:alert(1)", False),
            ("", False),
        ]
        for url, allowed in table:
            self.assertEqual(hotspot.login_url_allowed(url, hosts), allowed, url)
        self.assertFalse(hotspot.login_url_allowed("http://10.5.50.1/login", []))

    def test_normalize_host(self):
        self.assertEqual(hotspot.normalize_host(" Login.Example.NET. "), "login.example.net")
        self.assertEqual(hotspot.normalize_host("10.5.50.1"), "10.5.50.1")
        self.assertEqual(hotspot.normalize_host("FE80::1"), "fe80::1")
        for bad in ("http://10.5.50.1", "10.5.50.1/login", "a b", "", "-x.example", "a:b"):
            with self.assertRaises(ValueError):
                hotspot.normalize_host(bad)

    def test_walled_garden_and_username(self):
        self.assertEqual(hotspot.walled_garden_hosts(
            "https://portal.isp.example:8443/", ["https://tokenized.pay.bka.sh",
                                                 "https://tokenized.pay.bka.sh/x", None]),
            ["portal.isp.example", "tokenized.pay.bka.sh"])
        self.assertEqual(hotspot.username_for_mobile("+8801711000201"), "8801711000201")

    def test_sms_text(self):
        self.assertEqual(sms_text.fill("{code} for {company} {unknown} {", {
            "code": "012345", "company": "ISP"}), "012345 for ISP {unknown} {")


class TestUsageChart(unittest.TestCase):

    def test_scale_is_a_round_number_not_below_the_highest_day(self):
        for value, expected in [(0, 1.0), (0.3, 0.3), (1, 1.0), (7, 8.0), (10, 10.0),
                                (11, 12.0), (745, 800.0), (1000, 1000.0), (1001, 1200.0),
                                (2356, 2500.0), (9000, 10000.0)]:
            self.assertEqual(usage_chart.nice_max(value), expected, value)

    def test_one_bar_per_day_with_usage_in_the_window(self):
        chart = usage_chart.layout([
            ("2026-01-03", 700.0, 45.0),
            (datetime.date(2026, 1, 1), 0.0, 0.0),        # no usage: no bar
            ("2025-12-31", 5.0, 5.0),                      # before the window
            ("2026-01-31", 100.0, 0.0),
            ("2026-02-01", 50.0, 0.0),                     # after it
        ], "2026-01-01", datetime.date(2026, 1, 31))
        bars = chart["bars"]
        self.assertEqual([(b["date"], b["day"], b["download"], b["upload"], b["total"])
                          for b in bars], [("2026-01-03", 3, 700.0, 45.0, 745.0),
                                           ("2026-01-31", 31, 100.0, 0.0, 100.0)])
        self.assertEqual(chart["scale"], 800.0)
        self.assertEqual([mb for _y, mb in chart["ticks"]], [0.0, 400.0, 800.0])
        # 31 slots of the plot's width; a bar is 80 % of its slot, centred
        plot_w = usage_chart.WIDTH - usage_chart.LEFT - usage_chart.RIGHT
        plot_h = usage_chart.HEIGHT - usage_chart.TOP - usage_chart.BOTTOM
        slot = plot_w / 31
        self.assertAlmostEqual(bars[0]["x"], usage_chart.LEFT + 2 * slot + 0.1 * slot, 2)
        self.assertAlmostEqual(bars[1]["x"], usage_chart.LEFT + 30 * slot + 0.1 * slot, 2)
        self.assertAlmostEqual(bars[0]["w"], 0.8 * slot, 2)
        # heights in proportion to the scale, bars standing on the axis
        self.assertAlmostEqual(bars[0]["h"], plot_h * 745 / 800, 2)
        self.assertAlmostEqual(bars[1]["h"], plot_h * 100 / 800, 2)
        for bar in bars:
            self.assertAlmostEqual(bar["y"] + bar["h"], chart["baseline"], 2)
        self.assertAlmostEqual(bars[0]["up_h"], plot_h * 45 / 800, 2)
        self.assertEqual(bars[1]["up_h"], 0.0)
        # day labels: the first and last day, and every 5th day between
        self.assertEqual([day for _x, day in chart["labels"]], [1, 5, 10, 15, 20, 25, 31])

    def test_empty_and_bad_windows(self):
        chart = usage_chart.layout([], "2026-03-01", "2026-03-01")
        self.assertEqual((chart["bars"], chart["scale"]), ([], 1.0))
        self.assertEqual([day for _x, day in chart["labels"]], [1])
        with self.assertRaises(ValueError):
            usage_chart.layout([], "2026-03-02", "2026-03-01")
