# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The command builder, drift and import rules, as tables of cases."""
import errno
import socket
import ssl
import unittest

from librouteros import exceptions as ros_exc

from ..lib import client
from ..lib import commands as cmd
from ..lib import drift, importer


def acc(**kw):
    values = dict(username="ali", kind="pppoe", state="active", password="pw1",
                  code="C000101", profile="10M", download_kbps=10240, upload_kbps=5120)
    values.update(kw)
    return cmd.Account(**values)


class TestNames(unittest.TestCase):

    def test_comments(self):
        for code, text in (("C000123", "isp:C000123"), (" C7 ", "isp:C7"), ("", "isp:")):
            self.assertEqual(cmd.comment(code), text)
        for text, code in (("isp:C000123", "C000123"), ("isp: C9 extra", "C9"),
                           ("isp:package", ""), ("isp:pool", ""), ("isp:", ""),
                           ("old customer", None), ("", None), (None, None),
                           ("ISP:C1", None)):
            self.assertEqual(cmd.parse_comment(text), code, text)

    def test_profile_names(self):
        cases = [
            (("Home 10M", None), "Home-10M"),
            (("Home 10M", "pppoe-10m"), "pppoe-10m"),
            (("  Office / 20 Mbps  ", ""), "Office-20-Mbps"),
            (("Bronze_5M.v2", None), "Bronze_5M.v2"),
            (("Wi-Fi  ৫ Mbps", None), "Wi-Fi-Mbps"),
            (("T 10M", " t-10M "), "t-10M"),
        ]
        for args, name in cases:
            self.assertEqual(cmd.profile_name(*args), name, args)
        with self.assertRaises(ValueError):
            cmd.profile_name("৫০", "")
        self.assertEqual(cmd.suspended_profile_name("Suspended pool"),
                         "isp-suspended-Suspended-pool")
        self.assertEqual(cmd.suspended_profile_name(""), "isp-suspended")

    def test_durations(self):
        for minutes, text in ((0, ""), (None, ""), (1, "1m"), (59, "59m"), (60, "1h"),
                              (90, "1h30m"), (1440, "1d"), (1441, "1d1m"),
                              (10 * 1440, "1w3d"), (7 * 1440 + 61, "1w1h1m")):
            self.assertEqual(cmd.format_duration(minutes), text, minutes)
        with self.assertRaises(ValueError):
            cmd.format_duration(-1)

    def test_queue_limits_and_bytes(self):
        self.assertEqual(cmd.max_limit(10240, 5120), "5M/10M")
        self.assertEqual(cmd.max_limit(1536, 512), "512k/1536k")
        with self.assertRaises(ValueError):
            cmd.max_limit(0, 512)
        self.assertEqual(cmd.bytes_total(0), "")
        self.assertEqual(cmd.bytes_total(1024), "1073741824")

    def test_pool_ranges(self):
        cases = [
            (("10.0.0.0/24", ()), "10.0.0.1-10.0.0.254"),
            (("10.0.0.0/24", ("10.0.0.1",)), "10.0.0.2-10.0.0.254"),
            (("10.0.0.0/29", ("10.0.0.3",)), "10.0.0.1-10.0.0.2,10.0.0.4-10.0.0.6"),
            (("10.0.0.0/29", ("10.0.0.2", "10.0.0.4", "10.0.0.6")),
             "10.0.0.1,10.0.0.3,10.0.0.5"),
            (("10.9.9.8/31", ()), "10.9.9.8-10.9.9.9"),
        ]
        for args, text in cases:
            self.assertEqual(cmd.pool_ranges(*args), text, args)

    def test_normalize(self):
        for raw, text in ((True, "true"), (False, "false"), ("yes", "true"), ("no", "false"),
                          ("true", "true"), (None, ""), ("0s", ""), ("none", ""), (12, "12"),
                          ("5M/10M", "5M/10M")):
            self.assertEqual(cmd.normalize(raw), text, raw)
        self.assertEqual((cmd.to_api("true"), cmd.to_api(False), cmd.to_api("x")),
                         ("yes", "no", "x"))

    def test_backoff(self):
        for attempt, seconds in ((1, 10), (2, 20), (3, 40), (7, 640), (8, 1280), (9, 1800),
                                 (500, 1800), (0, 10), (None, 10)):
            self.assertEqual(cmd.backoff_seconds(attempt), seconds, attempt)
        self.assertEqual(cmd.backoff_seconds(3, base=1, cap=3), 3)


class TestAccountPayloads(unittest.TestCase):

    def test_modes(self):
        cases = [
            (("pppoe", "draft", False), "absent"),
            (("pppoe", "active", False), "package"),
            (("pppoe", "suspended", False), "disabled"),
            (("pppoe", "suspended", True), "suspended"),
            (("pppoe", "expired", True), "suspended"),
            (("pppoe", "disabled", True), "disabled"),
            (("hotspot", "suspended", True), "disabled"),
            (("hotspot", "expired", False), "disabled"),
            (("static", "active", False), "package"),
            (("static", "suspended", False), "blocked"),
            (("static", "disabled", True), "blocked"),
            (("static", "draft", True), "absent"),
        ]
        for args, mode in cases:
            self.assertEqual(cmd.account_mode(*args), mode, args)

    def test_ppp_secret_of_each_state(self):
        active = cmd.account_items(acc(static_ip="198.51.100.2", mac="4C:5E:0C:12:34:56"))
        self.assertEqual(active, [cmd.Item(cmd.SECRET, ("ali",), {
            "password": "pw1", "service": "pppoe", "profile": "10M",
            "remote-address": "198.51.100.2", "remote-ipv6-prefix": "",
            "caller-id": "4C:5E:0C:12:34:56", "disabled": "false",
            "comment": "isp:C000101"})])
        cut = cmd.account_items(acc(state="suspended"))[0].values
        self.assertEqual((cut["disabled"], cut["profile"]), ("true", "10M"))
        pool = cmd.account_items(acc(state="suspended", suspend_to_pool=True,
                                     suspended_profile="isp-suspended-susp"))[0].values
        self.assertEqual((pool["disabled"], pool["profile"]), ("false", "isp-suspended-susp"))
        self.assertEqual(cmd.account_items(acc(state="draft")), [])

    def test_hotspot_user(self):
        items = cmd.account_items(acc(kind="hotspot", limit_uptime_minutes=180,
                                      limit_megabytes=2048, mac="AA:BB:CC:DD:EE:01"))
        self.assertEqual(items, [cmd.Item(cmd.HOTSPOT_USER, ("ali",), {
            "password": "pw1", "profile": "10M", "limit-uptime": "3h",
            "limit-bytes-total": "2147483648", "mac-address": "AA:BB:CC:DD:EE:01",
            "disabled": "false", "comment": "isp:C000101"})])
        self.assertEqual(cmd.account_items(acc(kind="hotspot", state="expired"))[0]
                         .values["disabled"], "true")

    def test_static_queue_and_address_list(self):
        active = cmd.account_items(acc(kind="static", static_ip="198.51.100.9"))
        self.assertEqual(active, [cmd.Item(cmd.QUEUE, ("ali",), {
            "target": "198.51.100.9/32", "max-limit": "5M/10M", "disabled": "false",
            "comment": "isp:C000101"})])
        blocked = cmd.account_items(acc(kind="static", static_ip="198.51.100.9",
                                        state="suspended", suspended_list="unpaid"))
        self.assertEqual([i.menu for i in blocked], [cmd.QUEUE, cmd.ADDRESS_LIST])
        self.assertEqual(blocked[1].key, ("unpaid", "198.51.100.9"))
        self.assertEqual(blocked[1].values, {"comment": "isp:C000101"})
        self.assertEqual(cmd.account_items(acc(kind="static", static_ip="")), [])
        self.assertEqual(cmd.account_footprint(acc(kind="static", static_ip="198.51.100.9")),
                         {(cmd.QUEUE, ("ali",)),
                          (cmd.ADDRESS_LIST, ("suspended", "198.51.100.9"))})
        self.assertEqual(cmd.account_footprint(acc(kind="other")), set())

    def test_profiles_and_pools(self):
        prof = cmd.ppp_profile("10M", "5M/10M", "pppoe-pool")
        self.assertEqual(prof, cmd.Item(cmd.PROFILE, ("10M",), {
            "local-address": "pppoe-pool", "remote-address": "pppoe-pool",
            "rate-limit": "5M/10M", "address-list": "", "comment": "isp:package"}))
        self.assertEqual(cmd.ppp_profile("10M", "5M/10M", "p", "10.0.0.1")
                         .values["local-address"], "10.0.0.1")
        susp = cmd.suspended_ppp_profile("isp-suspended-s", "s", "")
        self.assertEqual((susp.values["address-list"], susp.values["rate-limit"]),
                         ("suspended", ""))
        self.assertEqual(cmd.hotspot_user_profile("hs", "1M/2M", "hs-pool").values,
                         {"rate-limit": "1M/2M", "shared-users": "1",
                          "address-pool": "hs-pool"})
        self.assertEqual(cmd.ip_pool("p", "10.1.0.0/30", ("10.1.0.1",)).values,
                         {"ranges": "10.1.0.2", "comment": "isp:pool"})

    def test_kicks(self):
        cases = [
            (("pppoe", "active", "suspended", False, "suspend"), True),
            (("pppoe", "active", "suspended", True, "suspend"), True),
            (("pppoe", "suspended", "active", True, "resume"), True),
            (("pppoe", "suspended", "active", False, "resume"), False),
            (("pppoe", "suspended", "disabled", False, "disable"), False),
            (("pppoe", "active", "expired", False, "expire"), True),
            (("pppoe", "draft", "active", False, "activate"), False),
            (("pppoe", "active", "active", False, "plan_change"), True),
            (("pppoe", "suspended", "suspended", False, "plan_change"), False),
            (("pppoe", "active", "active", False, "extend"), False),
            (("hotspot", "active", "expired", False, "expire"), True),
            (("static", "active", "suspended", False, "suspend"), False),
            (("other", "active", "suspended", False, "suspend"), False),
        ]
        for args, kick in cases:
            self.assertEqual(cmd.needs_kick(*args), kick, args)
        self.assertTrue(cmd.needs_kick("pppoe", "active", "active", False, "update",
                                       ["username"]))
        self.assertFalse(cmd.needs_kick("pppoe", "active", "active", False, "update",
                                        ["password"]))


class TestSyncOps(unittest.TestCase):

    def secret_row(self, **kw):
        row = {".id": "*A", "name": "ali", "password": "pw1", "service": "pppoe",
               "profile": "10M", "disabled": "false", "comment": "isp:C000101"}
        row.update(kw)
        return row

    def test_missing_is_added_with_what_is_set(self):
        wanted = cmd.account_items(acc())
        ops = cmd.sync_ops(wanted, {cmd.SECRET: []})
        self.assertEqual(ops, [cmd.Op("add", cmd.SECRET, ("ali",), None, {
            "name": "ali", "password": "pw1", "service": "pppoe", "profile": "10M",
            "disabled": "no", "comment": "isp:C000101"})])

    def test_in_step_needs_nothing(self):
        wanted = cmd.account_items(acc())
        self.assertEqual(cmd.sync_ops(wanted, {cmd.SECRET: [self.secret_row(
            **{"last-logged-out": "jan/01/2026", "disabled": False})]}), [])

    def test_only_differences_are_set_and_empties_unset(self):
        wanted = cmd.account_items(acc(state="suspended"))
        row = self.secret_row(profile="old", **{"remote-address": "198.51.100.7"})
        ops = cmd.sync_ops(wanted, {cmd.SECRET: [row]})
        self.assertEqual(ops, [
            cmd.Op("set", cmd.SECRET, ("ali",), "*A", {"profile": "10M", "disabled": "yes"}),
            cmd.Op("unset", cmd.SECRET, ("ali",), "*A", {"value-name": "remote-address"})])

    def test_unwanted_of_ours_is_removed_and_order_puts_pools_first(self):
        wanted = [cmd.account_items(acc())[0], cmd.ppp_profile("10M", "5M/10M", "p"),
                  cmd.ip_pool("p", "10.0.0.0/24")]
        ops = cmd.sync_ops(wanted, {cmd.SECRET: [
            self.secret_row(**{".id": "*B", "name": "old"}),
            self.secret_row(**{".id": "*C", "name": "theirs", "comment": "by hand"})],
            cmd.PROFILE: [], cmd.POOL: []},
            unwanted=[(cmd.SECRET, ("old",)), (cmd.SECRET, ("gone",)),
                      (cmd.SECRET, ("theirs",))])
        self.assertEqual([(o.action, o.menu) for o in ops], [
            ("add", cmd.POOL), ("add", cmd.PROFILE), ("add", cmd.SECRET),
            ("remove", cmd.SECRET)])
        self.assertEqual(ops[-1].item_id, "*B")


class TestDrift(unittest.TestCase):

    def test_each_kind_and_repair(self):
        wanted = (cmd.account_items(acc(username="missing1"))
                  + cmd.account_items(acc(username="susp1", state="suspended"))
                  + cmd.account_items(acc(username="prof1", profile="20M"))
                  + cmd.account_items(acc(username="pw1", password="new"))
                  + cmd.account_items(acc(username="ok1"))
                  + cmd.account_items(acc(kind="static", username="st1", state="suspended",
                                          static_ip="198.51.100.3")))

        def row(i, name, **kw):
            values = {".id": "*%d" % i, "name": name, "password": "pw1", "service": "pppoe",
                      "profile": "10M", "disabled": "false", "comment": "isp:C000101"}
            values.update(kw)
            return values
        rows = {
            cmd.SECRET: [row(1, "susp1"), row(2, "prof1"), row(3, "pw1"), row(4, "ok1"),
                         row(5, "ours-gone"), row(6, "foreign", comment="old box"),
                         row(7, "foreign-off", comment="", disabled="true"),
                         row(11, "vpn-link", comment="", service="l2tp")],
            cmd.QUEUE: [{".id": "*8", "name": "st1", "target": "198.51.100.3/32",
                         "max-limit": "5M/10M", "disabled": "false",
                         "comment": "isp:C000101"}],
            cmd.ADDRESS_LIST: [{".id": "*9", "list": "other", "address": "192.0.2.1"},
                               {".id": "*10", "list": "suspended", "address": "192.0.2.2",
                                "comment": "isp:C5"}],
        }
        lines = drift.compare(wanted, rows, suspended_lists=["suspended"])
        found = sorted((line.kind, line.key) for line in lines)
        self.assertEqual(found, [
            ("different", ("pw1",)),
            ("enabled_suspended", ("susp1",)),
            ("extra", ("foreign",)),
            ("extra", ("foreign-off",)),
            ("extra", ("ours-gone",)),
            ("extra", ("suspended", "192.0.2.2")),
            ("extra", ("vpn-link",)),
            ("missing", ("missing1",)),
            ("missing", ("suspended", "198.51.100.3")),
            ("profile", ("prof1",)),
        ])
        by_key = {line.key: line for line in lines}
        self.assertEqual((by_key[("prof1",)].billing, by_key[("prof1",)].router),
                         ("profile=20M", "profile=10M"))
        # passwords are never shown
        self.assertEqual((by_key[("pw1",)].billing, by_key[("pw1",)].router),
                         ("password=***", "password=***"))
        self.assertEqual(drift.summary(lines), {
            "enabled_suspended": 1, "missing": 2, "profile": 1, "different": 1, "extra": 5})
        ops = drift.repair_ops(lines)
        self.assertEqual([(o.action, o.key, o.values) for o in ops], [
            ("add", ("missing1",), {"name": "missing1", "password": "pw1", "service": "pppoe",
                                    "profile": "10M", "disabled": "no",
                                    "comment": "isp:C000101"}),
            ("set", ("susp1",), {"disabled": "yes"}),
            ("set", ("prof1",), {"profile": "20M"}),
            ("set", ("pw1",), {"password": "new"}),
            ("set", ("foreign",), {"disabled": "yes"}),
            ("add", ("suspended", "198.51.100.3"), {"list": "suspended",
                                                   "address": "198.51.100.3",
                                                   "comment": "isp:C000101"}),
            ("remove", ("ours-gone",), {}),
            ("remove", ("suspended", "192.0.2.2"), {}),
        ])


class TestImportRules(unittest.TestCase):

    def test_rates(self):
        for text, kbps in (("10M", 10240), ("512k", 512), ("1G", 1048576), ("1.5M", 1536),
                           ("64000", 62), ("0", 0)):
            self.assertEqual(importer.parse_rate(text), kbps, text)
        with self.assertRaises(ValueError):
            importer.parse_rate("fast")

    def test_rate_limits(self):
        self.assertEqual(importer.parse_rate_limit("5M/10M"),
                         {"upload_kbps": 5120, "download_kbps": 10240})
        self.assertEqual(importer.parse_rate_limit("2M"),
                         {"upload_kbps": 2048, "download_kbps": 2048})
        self.assertEqual(importer.parse_rate_limit("5M/10M 8M/16M 4M/8M 16/16 3"), {
            "upload_kbps": 5120, "download_kbps": 10240, "burst_upload_kbps": 8192,
            "burst_download_kbps": 16384, "burst_threshold_upload_kbps": 4096,
            "burst_threshold_download_kbps": 8192, "burst_time": 16, "priority": 3})
        self.assertEqual(importer.parse_rate_limit("1M/2M 0/0 0/0 0/0 8"),
                         {"upload_kbps": 1024, "download_kbps": 2048})
        with self.assertRaises(ValueError):
            importer.parse_rate_limit("")

    def test_rate_limit_round_trip(self):
        """What isp_base writes, the import reads back."""
        from odoo.addons.isp_base.lib import rate_limit
        text = rate_limit.rate_limit(10240, 5120, burst_download_kbps=20480,
                                     burst_upload_kbps=10240, threshold_download_kbps=8192,
                                     threshold_upload_kbps=4096, burst_time=10, priority=2)
        self.assertEqual(importer.parse_rate_limit(text), {
            "download_kbps": 10240, "upload_kbps": 5120, "burst_download_kbps": 20480,
            "burst_upload_kbps": 10240, "burst_threshold_download_kbps": 8192,
            "burst_threshold_upload_kbps": 4096, "burst_time": 10, "priority": 2})

    def test_ranges_to_network(self):
        for ranges, network in (("10.0.0.2-10.0.0.254", "10.0.0.0/24"),
                                ("10.0.0.1-10.0.0.6", "10.0.0.0/29"),
                                ("10.0.1.0/24", "10.0.1.0/24"),
                                ("10.0.0.10-10.0.0.20,10.0.0.100-10.0.0.120", "10.0.0.0/25"),
                                ("172.16.5.5", "172.16.5.5/32")):
            self.assertEqual(importer.ranges_to_network(ranges), network, ranges)
        for bad in ("", "10.0.0.9-10.0.0.1", "x-y"):
            with self.assertRaises(ValueError, msg=bad):
                importer.ranges_to_network(bad)

    def test_reserved_addresses_of_imported_pools(self):
        for network, ranges, reserved in (
                ("10.0.0.0/24", "10.0.0.2-10.0.0.254", ["10.0.0.1"]),
                ("10.0.0.0/29", "10.0.0.1-10.0.0.6", []),
                ("10.0.0.0/29", "10.0.0.1,10.0.0.3-10.0.0.6", ["10.0.0.2"]),
                ("10.0.1.0/24", "10.0.1.0/24", [])):
            self.assertEqual(importer.uncovered_hosts(network, ranges), reserved, ranges)

    def test_secret_rows(self):
        self.assertEqual(importer.secret_account({
            ".id": "*1", "name": "rahim", "password": "p", "profile": "Home-10M",
            "remote-address": "198.51.100.5", "caller-id": "AA:BB:CC:00:11:22",
            "disabled": "true", "comment": "isp:C000042"}), {
            "username": "rahim", "service": "any", "password": "p", "profile": "Home-10M",
            "static_ip": "198.51.100.5", "mac": "AA:BB:CC:00:11:22", "enabled": False,
            "code": "C000042", "comment": "isp:C000042"})
        row = importer.secret_account({"name": "karim", "remote-address": "pool1",
                                       "comment": "Karim, road 5"})
        self.assertEqual((row["static_ip"], row["profile"], row["enabled"], row["code"]),
                         ("", "default", True, ""))


class TestErrorWords(unittest.TestCase):

    def words(self, exc, command=None, tls=False):
        return client.describe(exc, "10.9.8.7", 8728, 5, command, tls)

    def test_each_failure_in_words(self):
        cases = [
            (ros_exc.TrapError(message="invalid user name or password (6)"), "/login",
             "login", "login refused: invalid user name or password (6)"),
            (ros_exc.TrapError(message="input does not match any value of profile"),
             "/ppp/secret/add", "trap",
             "the router refused /ppp/secret/add: input does not match any value of profile"),
            (ros_exc.FatalError("session terminated on request"), None, "fatal",
             "the router ended the session: session terminated on request"),
            (socket.timeout("timed out"), "/login", "timeout",
             "no answer from 10.9.8.7:8728 within 5 s"),
            (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "/login",
             "unreachable", "10.9.8.7:8728 refused the connection"),
            (OSError(errno.EHOSTUNREACH, "No route to host"), "/login", "unreachable",
             "cannot reach 10.9.8.7:8728: no route to the router"),
            (socket.gaierror(-2, "Name or service not known"), "/login", "dns",
             "cannot resolve the router's host name 10.9.8.7"),
            (ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"), "/login",
             "tls", "TLS failure with 10.9.8.7:8728"),
            (ros_exc.ConnectionClosed("Connection unexpectedly closed."), "/ppp/secret/print",
             "unreachable", "the router at 10.9.8.7:8728 closed the connection"),
        ]
        for exc, command, kind, words in cases:
            error = self.words(exc, command)
            self.assertEqual(error.kind, kind, exc)
            self.assertIn(words, error.message, exc)
        self.assertFalse(self.words(ros_exc.TrapError(message="x"), "/ip/pool/add").retryable)
        self.assertTrue(self.words(socket.timeout("t"), "/login").retryable)
