# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The RouterOS API test server speaks the real protocol: checked with raw
sockets (encoding, 5-byte lengths, replies) and with librouteros (sync and
async clients)."""
import asyncio
import contextlib
import socket
import ssl
import tempfile
import time
import unittest

import librouteros
from librouteros import exceptions as ros_exc
from librouteros.login import token
from librouteros.query import And, Key, Or

from . import routeros_server as ros


class RawClient:
    """The wire protocol by hand, to look at what librouteros hides."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)

    def send(self, *words, raw=None):
        self.sock.sendall(raw if raw is not None else ros.encode_sentence(words))

    def sentence(self):
        return ros.read_sentence(self.sock)

    def replies(self):
        """Sentences up to and including !done (or a !fatal)."""
        out = []
        while True:
            sentence = self.sentence()
            out.append(sentence)
            if sentence[0] in ("!done", "!fatal"):
                return out

    def login(self, user="api", password="pw"):
        self.send("/login", "=name=%s" % user, "=password=%s" % password)
        return self.replies()

    def close(self):
        self.sock.close()


class TestWireEncoding(unittest.TestCase):

    def test_length_forms(self):
        cases = [
            (0, b"\x00"), (1, b"\x01"), (0x7F, b"\x7f"), (0x80, b"\x80\x80"),
            (0x3FFF, b"\xbf\xff"), (0x4000, b"\xc0\x40\x00"), (0x1FFFFF, b"\xdf\xff\xff"),
            (0x200000, b"\xe0\x20\x00\x00"), (0xFFFFFFF, b"\xef\xff\xff\xff"),
            (0x10000000, b"\xf0\x10\x00\x00\x00"), (0xFFFFFFFF, b"\xf0\xff\xff\xff\xff"),
        ]
        for length, encoded in cases:
            self.assertEqual(ros.encode_length(length), encoded, length)
            self.assertEqual(ros.decode_length(encoded), length, length)
        # the 5-byte form may carry a small length too
        self.assertEqual(ros.decode_length(b"\xf0\x00\x00\x01\x00"), 256)
        for reserved in (0xF8, 0xFC, 0xFF):
            with self.assertRaises(ros.ProtocolError):
                ros.length_size(reserved)
        with self.assertRaises(ros.ProtocolError):
            ros.encode_length(1 << 32)

    def test_words_and_sentences(self):
        self.assertEqual(ros.encode_sentence(["/login", "=name=a"]),
                         b"\x06/login\x07=name=a\x00")
        self.assertEqual(ros.parse_attribute("=comment=a=b"), ("comment", "a=b"))
        self.assertEqual(ros.parse_attribute("=disabled="), ("disabled", ""))


class ServerCase(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.server = ros.RouterOSServer(users={"api": "pw"}).start()
        self.addCleanup(self.server.stop)

    def connect(self, **kw):
        api = librouteros.connect("127.0.0.1", "api", "pw", port=self.server.port,
                                  timeout=kw.pop("timeout", 5), encoding="utf-8", **kw)
        self.addCleanup(api.close)
        return api

    def raw(self):
        client = RawClient(self.server.port)
        self.addCleanup(client.close)
        return client


class TestRawProtocol(ServerCase):

    def test_login_and_bad_login_trap(self):
        client = self.raw()
        self.assertEqual(client.login("api", "wrong"), [
            ["!trap", "=message=invalid user name or password (6)"], ["!done"]])
        self.assertEqual(client.login(), [["!done"]])
        self.assertEqual(self.server.logins, [("api", False), ("api", True)])

    def test_commands_need_a_login(self):
        client = self.raw()
        client.send("/ppp/secret/print")
        self.assertEqual(client.replies(), [
            ["!trap", "=message=not logged in", "=category=0"], ["!done"]])

    def test_tag_is_echoed_on_every_reply(self):
        client = self.raw()
        client.login()
        self.server.add_row("/ip/pool", name="a", ranges="10.0.0.1-10.0.0.9")
        self.server.add_row("/ip/pool", name="b", ranges="10.0.1.1-10.0.1.9")
        client.send("/ip/pool/print", "=.proplist=name", ".tag=7")
        self.assertEqual(client.replies(), [["!re", "=name=a", "=.tag=7"],
                                            ["!re", "=name=b", "=.tag=7"],
                                            ["!done", "=.tag=7"]])
        client.send("/ip/pool/remove", "=.id=*FFFF", ".tag=x")
        self.assertEqual(client.replies(), [
            ["!trap", "=message=no such item", "=category=1", "=.tag=x"], ["!done", "=.tag=x"]])

    def test_empty_print(self):
        client = self.raw()
        client.login()
        client.send("/queue/simple/print")
        self.assertEqual(client.replies(), [["!empty"], ["!done"]])
        self.server.empty_replies = False  # RouterOS before 7.18
        client.send("/queue/simple/print")
        self.assertEqual(client.replies(), [["!done"]])

    def test_add_returns_the_id_and_count_only(self):
        client = self.raw()
        client.login()
        client.send("/ip/pool/add", "=name=p", "=ranges=10.0.0.2-10.0.0.9")
        (done,) = client.replies()
        self.assertEqual(done[0], "!done")
        self.assertRegex(done[1], r"^=ret=\*[0-9A-F]+$")
        client.send("/ip/pool/print", "=count-only=")
        self.assertEqual(client.replies(), [["!done", "=ret=1"]])

    def test_five_byte_length_form_is_read(self):
        client = self.raw()
        word = b"/login"
        sentence = (b"\xf0" + len(word).to_bytes(4, "big") + word
                    + ros.encode_word("=name=api") + ros.encode_word("=password=pw") + b"\x00")
        client.send(raw=sentence)
        self.assertEqual(client.replies(), [["!done"]])

    def test_reserved_control_byte_is_fatal(self):
        client = self.raw()
        client.send(raw=b"\xf8\x00")
        self.assertEqual(client.sentence(), ["!fatal", "reserved control byte 0xF8"])
        with contextlib.suppress(ConnectionResetError):  # a reset: our byte was unread
            self.assertEqual(client.sock.recv(10), b"")  # closed

    def test_quit_is_fatal(self):
        client = self.raw()
        client.login()
        client.send("/quit")
        self.assertEqual(client.sentence(), ["!fatal", "session terminated on request"])

    def test_unknown_commands(self):
        client = self.raw()
        client.login()
        client.send("/interface/wireless/print")
        self.assertEqual(client.replies()[0][:2], ["!trap", "=message=no such command prefix"])
        client.send("/ppp/secret/frobnicate")
        self.assertEqual(client.replies()[0][:2], ["!trap", "=message=no such command"])


class TestWithLibrouteros(ServerCase):

    def test_long_words(self):
        api = self.connect()
        secrets = api.path("ppp", "secret")
        for size in (127, 128, 16383, 16384, 300000):
            comment = "c" * size
            new_id = secrets.add(name="u%d" % size, password="x", comment=comment)
            (row,) = [r for r in secrets if r[".id"] == new_id]
            self.assertEqual(len(row["comment"]), size)
            self.assertEqual(row["comment"], comment)
            self.assertEqual(len(self.server.find("/ppp/secret", name="u%d" % size)[0]
                                 ["comment"]), size)

    def test_tables_add_set_remove_and_checks(self):
        api = self.connect()
        api.path("ip", "pool").add(name="pool1", ranges="10.0.0.2-10.0.0.254")
        profiles = api.path("ppp", "profile")
        self.assertEqual(sorted(r["name"] for r in profiles), ["default", "default-encryption"])
        profiles.add(**{"name": "10M", "rate-limit": "5M/10M", "remote-address": "pool1"})
        with self.assertRaises(ros_exc.TrapError) as ctx:
            profiles.add(**{"name": "20M", "remote-address": "no-such-pool"})
        self.assertEqual(ctx.exception.message, "input does not match any value of "
                                                "remote-address")
        secrets = api.path("ppp", "secret")
        sid = secrets.add(name="ali", password="pw", service="pppoe", profile="10M")
        with self.assertRaises(ros_exc.TrapError) as ctx:
            secrets.add(name="ali", password="pw")
        self.assertEqual(ctx.exception.message,
                         "failure: secret with the same name already exists")
        with self.assertRaises(ros_exc.TrapError) as ctx:
            secrets.add(name="bob", profile="nope")
        self.assertEqual(ctx.exception.message, "input does not match any value of profile")
        with self.assertRaises(ros_exc.TrapError) as ctx:
            secrets.add(name="eve", colour="blue")
        self.assertEqual(ctx.exception.message, "unknown parameter colour")
        secrets.update(**{".id": sid, "disabled": True, "comment": "isp:C1"})
        row = self.server.find("/ppp/secret", name="ali")[0]
        self.assertEqual((row["disabled"], row["comment"], row["profile"]),
                         ("true", "isp:C1", "10M"))
        tuple(api("/ppp/secret/unset", **{".id": sid, "value-name": "comment"}))
        self.assertNotIn("comment", self.server.find("/ppp/secret", name="ali")[0])
        tuple(api("/ppp/secret/enable", **{".id": sid}))
        self.assertEqual(self.server.find("/ppp/secret", name="ali")[0]["disabled"], "false")
        secrets.remove(sid)
        self.assertEqual(self.server.table("/ppp/secret"), [])
        with self.assertRaises(ros_exc.TrapError):
            secrets.remove(sid)

    def test_singletons(self):
        api = self.connect()
        (res,) = api.path("system", "resource")
        self.assertEqual((res["version"], res["board-name"], res["cpu-load"]),
                         ("7.18.2 (stable)", "CCR2004-16G-2S+", 7))
        api.path("radius", "incoming").update(accept=True, port=3799)
        self.assertEqual(self.server.table("/radius/incoming"),
                         [{"accept": "true", "port": "3799"}])
        api.path("system", "identity").update(name="Gulshan-POP")
        self.assertEqual([r["name"] for r in api.path("system", "identity")], ["Gulshan-POP"])

    def test_queries_and_proplist(self):
        api = self.connect()
        users = api.path("ip", "hotspot", "user")
        for i, name in enumerate(("a1", "a2", "b1", "b2")):
            users.add(name=name, password="x", disabled=(i % 2 == 1),
                      **{"limit-bytes-total": str(1000 * (i + 1))})
        name, disabled, limit = Key("name"), Key("disabled"), Key("limit-bytes-total")

        def names(*query):
            return sorted(r["name"] for r in users.select(name).where(*query))
        self.assertEqual(names(name == "a1"), ["a1"])
        self.assertEqual(names(name != "a1"), ["a2", "b1", "b2"])
        self.assertEqual(names(disabled == True), ["a2", "b2"])  # noqa: E712
        self.assertEqual(names(Or(name == "a1", name == "b2")), ["a1", "b2"])
        self.assertEqual(names(And(disabled == False, limit > 2000)), ["b1"])  # noqa: E712
        self.assertEqual(names(name.In("a2", "b1", "zz")), ["a2", "b1"])
        self.assertEqual(names(limit < 2500), ["a1", "a2"])
        # proplist: only the asked properties come back
        self.assertEqual(list(users.select(name).where(name == "a1")), [{"name": "a1"}])
        # raw query words: has / has not, dup and stack index operations
        tuple(api("/ip/hotspot/user/set", **{".id": self.server.find(
            "/ip/hotspot/user", name="b1")[0][".id"], "mac-address": "AA:AA:AA:AA:AA:AA"}))
        raw = api.rawCmd
        self.assertEqual([r["name"] for r in raw("/ip/hotspot/user/print",
                                                 "=.proplist=name", "?mac-address")], ["b1"])
        self.assertEqual(len(list(raw("/ip/hotspot/user/print", "?-mac-address"))), 3)
        self.assertEqual([r["name"] for r in raw(
            "/ip/hotspot/user/print", "=.proplist=name", "?name=a1", "?name=a2", "?#|.&")],
            ["a1", "a2"])
        self.assertEqual([r["name"] for r in raw(
            "/ip/hotspot/user/print", "=.proplist=name", "?name=a1", "?disabled=yes",
            "?#!|")], ["a1", "b1"])
        self.assertEqual([r["name"] for r in raw(
            "/ip/hotspot/user/print", "=.proplist=name", "?name=b2", "?disabled=no",
            "?#0|")], ["b2"])

    def test_old_md5_login(self):
        api = self.connect(login_method=token)
        self.assertEqual([r["name"] for r in api.path("system", "identity")], ["MikroTik"])

    def test_async_client(self):
        async def run():
            api = await librouteros.async_connect("127.0.0.1", "api", "pw",
                                                  port=self.server.port, timeout=5)
            try:
                await api.path("ip", "pool").add(name="ap", ranges="10.5.0.1-10.5.0.9")
                return [r["name"] async for r in api.path("ip", "pool")]
            finally:
                await api.close()
        self.assertEqual(asyncio.run(run()), ["ap"])

    def test_every_command_is_logged(self):
        api = self.connect()
        api.path("ip", "pool").add(name="p", ranges="10.0.0.1")
        tuple(api.path("ip", "pool"))
        self.assertEqual([c.word for c in self.server.commands()],
                         ["/login", "/ip/pool/add", "/ip/pool/print"])
        add = self.server.commands(verb="add")[0]
        self.assertEqual((add.menu, add.attrs, add.user), ("/ip/pool", {
            "name": "p", "ranges": "10.0.0.1"}, "api"))
        self.assertEqual([c.word for c in self.server.writes()], ["/ip/pool/add"])


class TestSwitches(ServerCase):

    def test_refuse_logins(self):
        self.server.refuse_logins = True
        with self.assertRaises(ros_exc.TrapError) as ctx:
            self.connect()
        self.assertEqual(ctx.exception.message, "invalid user name or password (6)")

    def test_drop_connections(self):
        self.server.drop_connections = True
        with self.assertRaises((ros_exc.ConnectionClosed, ConnectionError)):
            self.connect()

    def test_drop_after_commands(self):
        self.server.drop_after = 2
        api = self.connect()
        tuple(api.path("ip", "pool"))
        with self.assertRaises((ros_exc.ConnectionClosed, ConnectionError)):
            tuple(api.path("ip", "pool"))

    def test_delay_makes_a_timeout(self):
        api = self.connect(timeout=0.5)
        self.server.delay = 1.0
        started = time.time()
        with self.assertRaises(socket.timeout):
            tuple(api.path("ip", "pool"))
        self.assertLess(time.time() - started, 0.95)

    def test_fatal(self):
        api = self.connect()
        self.server.fatal_next = "out of memory"
        with self.assertRaises(ros_exc.FatalError) as ctx:
            tuple(api.path("ip", "pool"))
        self.assertEqual(str(ctx.exception), "out of memory")

    def test_down_and_back_on_the_same_port(self):
        api = self.connect()
        api.path("ip", "pool").add(name="kept", ranges="10.0.0.1")
        port = self.server.port
        self.server.stop()
        with self.assertRaises((ros_exc.ConnectionClosed, ConnectionError, OSError)):
            tuple(api.path("ip", "pool"))
        with self.assertRaises(ConnectionRefusedError):
            librouteros.connect("127.0.0.1", "api", "pw", port=port, timeout=2)
        self.server.start()
        self.assertEqual(self.server.port, port)
        self.assertEqual([r["name"] for r in self.connect().path("ip", "pool")], ["kept"])

    def test_sessions_added_by_tests(self):
        self.server.add_row("/ppp/active", name="ali", address="100.64.0.9",
                            caller_id="AA:BB:CC:DD:EE:FF", uptime="1h")
        api = self.connect()
        (row,) = api.path("ppp", "active")
        self.assertEqual((row["name"], row["caller-id"]), ("ali", "AA:BB:CC:DD:EE:FF"))
        api.path("ppp", "active").remove(row[".id"])
        self.assertEqual(self.server.table("/ppp/active"), [])
        with self.assertRaises(ros_exc.TrapError):
            api.path("ppp", "active").add(name="x")


class TestTls(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        context, cls.cert = ros.self_signed_tls(cls.tmp.name)
        cls.server = ros.RouterOSServer(users={"api": "pw"}, tls_context=context).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()
        super().tearDownClass()

    def connect(self, context, host="127.0.0.1"):
        return librouteros.connect(
            host, "api", "pw", port=self.server.port, timeout=5,
            ssl_wrapper=lambda sock: context.wrap_socket(sock, server_hostname=host))

    def test_tls_with_the_certificate_checked(self):
        with open(self.cert) as fh:
            context = ssl.create_default_context(cadata=fh.read())
        api = self.connect(context)
        self.assertEqual([r["name"] for r in api.path("system", "identity")], ["MikroTik"])
        api.close()

    def test_unknown_certificate_is_refused(self):
        with self.assertRaises(ssl.SSLCertVerificationError):
            self.connect(ssl.create_default_context())

    def test_plain_client_on_the_tls_port(self):
        with self.assertRaises((ros_exc.ConnectionClosed, ConnectionError, OSError)):
            librouteros.connect("127.0.0.1", "api", "pw", port=self.server.port, timeout=2)
