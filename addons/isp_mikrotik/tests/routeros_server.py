# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A RouterOS API server for tests (plain Python, no Odoo import).

A threaded loopback TCP server that speaks the RouterOS API wire protocol:

* words with a length prefix of 1 to 5 bytes (the 5-byte form ``0xF0`` + 4
  bytes is read and written; a first byte >= ``0xF8`` is refused with
  ``!fatal``), sentences ending with an empty word;
* replies ``!re`` / ``!done`` (``=ret=`` on add), ``!trap`` (``=message=``,
  ``=category=``) followed by ``!done``, ``!empty`` for an empty print
  (RouterOS 7.18+, switchable) and ``!fatal`` before closing;
* ``.tag`` echoed on every reply, ``=.proplist=``, ``=count-only=``, query
  words (``?name``, ``?-name``, ``?name=v``, ``?=name=v``, ``?<name=v``,
  ``?>name=v``) and the stack operations of ``?#`` (``!``, ``&``, ``|``,
  ``.``, indexes);
* login since 6.43 (``/login =name= =password=``) and the older md5
  challenge; a bad login gets ``!trap =message=invalid user name or password
  (6)``;
* per-menu tables for the menus an ISP uses (PPP secrets, profiles and active
  sessions, IP pools, hotspot users, user profiles, server profiles and
  active sessions, simple queues, firewall address lists, RADIUS client and
  incoming, PPP AAA, system resource and identity, ping), with RouterOS's
  checks that matter here (unique names, a secret's profile must exist, a
  profile's address pool must exist, unknown parameters refused);
* a log of every command (``server.log``), and switches to refuse logins,
  drop connections, delay replies, answer ``!fatal``, or go down and come
  back on the same port.

Usage::

    server = RouterOSServer(users={"api": "secret"}).start()
    ...librouteros.connect("127.0.0.1", "api", "secret", port=server.port)...
    server.stop()
"""
import binascii
import contextlib
import hashlib
import ipaddress
import os
import socket
import socketserver
import ssl
import subprocess
import threading
import time

# ---------------------------------------------------------------------------
# wire protocol
# ---------------------------------------------------------------------------


class ProtocolError(Exception):
    """A malformed word or sentence."""


def encode_length(length):
    """The length prefix of a word (1 to 5 bytes, big-endian)."""
    if length < 0:
        raise ProtocolError("negative length")
    if length < 0x80:
        return bytes([length])
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    if length < 0x100000000:
        return b"\xF0" + length.to_bytes(4, "big")
    raise ProtocolError("a word cannot be longer than 4 GiB")


def length_size(first):
    """How many bytes a length prefix starting with `first` takes."""
    if first < 0x80:
        return 1
    if first < 0xC0:
        return 2
    if first < 0xE0:
        return 3
    if first < 0xF0:
        return 4
    if first < 0xF8:
        return 5
    raise ProtocolError("reserved control byte 0x%02X" % first)


def decode_length(data):
    """The length encoded by a complete prefix `data` (bytes)."""
    size = length_size(data[0])
    if len(data) != size:
        raise ProtocolError("a prefix starting with 0x%02X takes %d bytes" % (data[0], size))
    if size == 5:
        return int.from_bytes(data[1:], "big")
    masks = {1: 0, 2: 0x8000, 3: 0xC00000, 4: 0xE0000000}
    return int.from_bytes(data, "big") ^ masks[size]


def encode_word(word, encoding="utf-8"):
    raw = word if isinstance(word, bytes) else word.encode(encoding)
    return encode_length(len(raw)) + raw


def encode_sentence(words, encoding="utf-8"):
    return b"".join(encode_word(w, encoding) for w in words) + b"\x00"


def recv_exact(sock, size):
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return bytes(data)


def read_word(sock, encoding="utf-8"):
    first = recv_exact(sock, 1)
    size = length_size(first[0])
    prefix = first + (recv_exact(sock, size - 1) if size > 1 else b"")
    length = decode_length(prefix)
    return recv_exact(sock, length).decode(encoding, errors="replace") if length else ""


def read_sentence(sock, encoding="utf-8"):
    """The words of one sentence (without the closing empty word)."""
    words = []
    while True:
        word = read_word(sock, encoding)
        if word == "":
            if words:
                return words
            continue  # RouterOS ignores empty sentences
        words.append(word)


def parse_attribute(word):
    """'=key=value' -> ('key', 'value'); the value may hold '='."""
    _empty, key, value = (word.split("=", 2) + [""])[:3]
    return key, value


# ---------------------------------------------------------------------------
# menus
# ---------------------------------------------------------------------------

BOOLEAN_VALUES = {"yes": "true", "true": "true", "no": "false", "false": "false"}


class Menu:
    """How one RouterOS menu behaves here."""

    def __init__(self, path, key="name", props=(), booleans=(), defaults=None,
                 singleton=False, readonly=False, refs=None, pool_refs=(),
                 unique=True, duplicate="failure: already have such name",
                 rows=()):
        self.path = path
        self.key = key = None if singleton else key
        keys = (key,) if isinstance(key, str) else tuple(key or ())
        self.props = set(props) | set(booleans) | set(keys)
        self.props.add("comment")
        self.booleans = set(booleans) | {"disabled"} & self.props
        self.defaults = defaults or {}
        self.singleton = singleton
        self.readonly = readonly
        self.refs = refs or {}
        self.pool_refs = set(pool_refs)
        self.unique = unique
        self.duplicate = duplicate
        self.rows = rows


def default_menus():
    """The menus an ISP uses, with RouterOS's own default rows."""
    return [
        Menu("/ppp/secret", props=(
            "name", "password", "service", "profile", "remote-address", "local-address",
            "caller-id", "routes", "limit-bytes-in", "limit-bytes-out", "remote-ipv6-prefix",
            "last-logged-out", "disabled"),
            defaults={"service": "any", "profile": "default", "disabled": "false"},
            refs={"profile": "/ppp/profile"},
            duplicate="failure: secret with the same name already exists"),
        Menu("/ppp/profile", props=(
            "name", "local-address", "remote-address", "rate-limit", "address-list",
            "only-one", "dns-server", "use-encryption", "bridge", "session-timeout",
            "idle-timeout", "parent-queue", "queue-type", "incoming-filter",
            "outgoing-filter"),
            pool_refs=("local-address", "remote-address"),
            duplicate="failure: profile with the same name already exists",
            rows=({"name": "default", "only-one": "default"},
                  {"name": "default-encryption", "use-encryption": "yes"})),
        Menu("/ppp/active", props=(
            "name", "service", "caller-id", "address", "uptime", "encoding", "session-id",
            "limit-bytes-in", "limit-bytes-out", "radius"), booleans=("radius",),
            readonly=True, unique=False),
        Menu("/ppp/aaa", singleton=True, props=(
            "use-radius", "accounting", "interim-update", "use-circuit-id-in-nas-port-id"),
            booleans=("use-radius", "accounting", "use-circuit-id-in-nas-port-id"),
            defaults={"use-radius": "false", "accounting": "true", "interim-update": "0s",
                      "use-circuit-id-in-nas-port-id": "false"}),
        Menu("/ip/pool", props=("name", "ranges", "next-pool"),
             duplicate="failure: pool with such name already exists"),
        Menu("/ip/hotspot/user", props=(
            "name", "password", "profile", "server", "limit-uptime", "limit-bytes-total",
            "limit-bytes-in", "limit-bytes-out", "mac-address", "address", "email",
            "routes", "disabled"),
            defaults={"profile": "default", "server": "all", "disabled": "false"},
            refs={"profile": "/ip/hotspot/user/profile"},
            duplicate="failure: already have user with this name for this server"),
        Menu("/ip/hotspot/user/profile", props=(
            "name", "rate-limit", "shared-users", "address-pool", "address-list",
            "session-timeout", "idle-timeout", "keepalive-timeout", "status-autorefresh",
            "transparent-proxy"), booleans=("transparent-proxy",),
            defaults={"shared-users": "1"}, pool_refs=("address-pool",),
            rows=({"name": "default", "shared-users": "1"},)),
        Menu("/ip/hotspot/active", key="user", props=(
            "user", "server", "address", "mac-address", "uptime", "login-by",
            "session-time-left", "bytes-in", "bytes-out", "radius"), booleans=("radius",),
            readonly=True, unique=False),
        Menu("/ip/hotspot/profile", props=(
            "name", "hotspot-address", "dns-name", "html-directory", "login-by",
            "use-radius", "radius-accounting", "radius-interim-update",
            "radius-default-domain", "nas-port-type"),
            booleans=("use-radius", "radius-accounting"),
            defaults={"use-radius": "false", "radius-accounting": "true",
                      "radius-interim-update": "received"},
            rows=({"name": "default", "login-by": "cookie,http-chap"},)),
        Menu("/queue/simple", props=(
            "name", "target", "max-limit", "limit-at", "burst-limit", "burst-threshold",
            "burst-time", "priority", "parent", "queue", "disabled"),
            defaults={"disabled": "false", "priority": "8/8"},
            duplicate="failure: already have such name"),
        Menu("/ip/firewall/address-list", key=("list", "address"), props=(
            "list", "address", "timeout", "dynamic", "creation-time", "disabled"),
            booleans=("dynamic",), defaults={"disabled": "false", "dynamic": "false"},
            duplicate="failure: already have such entry"),
        Menu("/radius", key=None, props=(
            "service", "address", "secret", "authentication-port", "accounting-port",
            "timeout", "called-id", "domain", "src-address", "realm", "protocol",
            "disabled"), defaults={"authentication-port": "1812", "accounting-port": "1813",
                                   "timeout": "300ms", "disabled": "false"}, unique=False),
        Menu("/radius/incoming", singleton=True, props=("accept", "port", "vrf"),
             booleans=("accept",), defaults={"accept": "false", "port": "3799"}),
        Menu("/system/identity", singleton=True, props=("name",),
             defaults={"name": "MikroTik"}),
        Menu("/system/resource", singleton=True, readonly=True, props=(
            "uptime", "version", "build-time", "free-memory", "total-memory", "cpu",
            "cpu-count", "cpu-load", "free-hdd-space", "total-hdd-space",
            "architecture-name", "board-name", "platform"),
            defaults={"uptime": "3d4h5m6s", "version": "7.18.2 (stable)",
                      "build-time": "2025-03-11 11:59:04", "free-memory": "1707520000",
                      "total-memory": "4294967296", "cpu": "ARM64", "cpu-count": "4",
                      "cpu-load": "7", "free-hdd-space": "90000000",
                      "total-hdd-space": "134217728", "architecture-name": "arm64",
                      "board-name": "CCR2004-16G-2S+", "platform": "MikroTik"}),
    ]


class Trap(Exception):
    """Answered as !trap (then !done)."""

    def __init__(self, message, category=None):
        super().__init__(message)
        self.message = message
        self.category = category


class Command:
    """One command as the server received it."""

    def __init__(self, conn, word, attrs, queries, tag, user):
        self.conn = conn
        self.word = word
        self.attrs = attrs
        self.queries = queries
        self.tag = tag
        self.user = user
        self.time = time.time()

    @property
    def menu(self):
        return self.word.rsplit("/", 1)[0]

    @property
    def verb(self):
        return self.word.rsplit("/", 1)[1]

    def __repr__(self):
        return "<%s %r %r>" % (self.word, self.attrs, self.queries)


# ---------------------------------------------------------------------------
# queries
# ---------------------------------------------------------------------------

def _compare_key(value):
    try:
        return (0, int(value), "")
    except (TypeError, ValueError):
        return (1, 0, str(value))


def compile_query(queries, booleans=()):
    """A predicate row -> bool for the RouterOS query words `queries`
    (parsed once, evaluated on every row)."""
    steps = []

    def norm(key, value):
        return BOOLEAN_VALUES.get(value, value) if key in booleans else value

    for word in queries:
        body = word[1:]
        if body.startswith("#"):
            ops, i = [], 0
            while i < len(body) - 1:
                op = body[1 + i]
                if op.isdigit():
                    j = i
                    while j < len(body) - 1 and body[1 + j].isdigit():
                        j += 1
                    ops.append(int(body[1 + i:1 + j]))
                    i = j
                    continue
                if op not in "!&|.":
                    raise Trap("invalid query operation %r" % op)
                ops.append(op)
                i += 1
            steps.append(("ops", ops))
        elif body.startswith("-"):
            steps.append(("absent", body[1:]))
        elif body[:1] in ("<", ">"):
            key, _sep, value = body[1:].partition("=")
            steps.append((body[0], key, _compare_key(value)))
        else:
            if body.startswith("="):
                body = body[1:]
            key, sep, value = body.partition("=")
            steps.append(("eq", key, norm(key, value)) if sep else ("has", key))

    def predicate(row):
        stack = []
        for step in steps:
            kind = step[0]
            if kind == "eq":
                stack.append(step[1] in row and norm(step[1], row[step[1]]) == step[2])
            elif kind == "has":
                stack.append(step[1] in row)
            elif kind == "absent":
                stack.append(step[1] not in row)
            elif kind in ("<", ">"):
                if step[1] not in row:
                    stack.append(False)
                    continue
                left = _compare_key(row[step[1]])
                stack.append(left < step[2] if kind == "<" else left > step[2])
            else:
                for op in step[1]:
                    if isinstance(op, int):
                        if op >= len(stack):
                            raise Trap("invalid query: no stack item %d" % op)
                        stack.append(stack[op])
                    elif op == "!":
                        _need(stack, 1)
                        stack.append(not stack.pop())
                    elif op == ".":
                        _need(stack, 1)
                        stack.append(stack[-1])
                    else:
                        _need(stack, 2)
                        right, left = stack.pop(), stack.pop()
                        stack.append((left and right) if op == "&" else (left or right))
        return all(stack)
    return predicate


def query_matches(row, queries, booleans=()):
    """Whether `row` (a dict) passes the RouterOS query words `queries`."""
    return compile_query(queries, booleans)(row)


def _need(stack, count):
    if len(stack) < count:
        raise Trap("invalid query: stack underflow")


def _is_address(value):
    try:
        for part in value.split("-"):
            ipaddress.ip_address(part.strip())
        return True
    except ValueError:
        try:
            ipaddress.ip_network(value, strict=False)
            return True
        except ValueError:
            return False


# ---------------------------------------------------------------------------
# the server
# ---------------------------------------------------------------------------

class RouterOSServer:
    """A RouterOS API endpoint on a loopback port (see the module docstring).

    Switches (attributes, change them at any time):

    * ``refuse_logins``: every login gets the bad-login trap;
    * ``drop_connections``: connections are accepted and closed at once;
    * ``drop_after``: close a connection after that many commands (0: never);
    * ``delay``: seconds to wait before answering each command;
    * ``fatal_next``: answer the next command with ``!fatal <message>``;
    * ``empty_replies``: ``!empty`` before ``!done`` for an empty print.
    """

    def __init__(self, users=None, host="127.0.0.1", port=0, tls_context=None,
                 identity="MikroTik", version="7.18.2 (stable)", strict=True):
        self.users = dict(users if users is not None else {"admin": ""})
        self.host = host
        self.port = port
        self.tls_context = tls_context
        self.strict = strict
        self.refuse_logins = False
        self.drop_connections = False
        self.drop_after = 0
        self.delay = 0.0
        self.fatal_next = None
        self.empty_replies = True
        self.log = []
        self.logins = []
        self.connections = 0
        self.menus = {m.path: m for m in default_menus()}
        self.tables = {}
        self._next_id = 0
        self._lock = threading.RLock()
        self._server = None
        self._thread = None
        self._sockets = set()
        for menu in self.menus.values():
            if menu.singleton:
                self.tables[menu.path] = [dict(menu.defaults)]
            else:
                self.tables[menu.path] = []
                for row in menu.rows:
                    self._insert(menu, dict(row))
        self.tables["/system/identity"][0]["name"] = identity
        self.tables["/system/resource"][0]["version"] = version

    # -- life cycle ---------------------------------------------------------

    def start(self):
        """Listen (again, on the same port after a stop) and serve."""
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                owner._serve_connection(self.request)

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True,
                                        name="routeros-test-%d" % self.port)
        self._thread.start()
        return self

    def stop(self):
        """Stop listening and close every open connection (router down)."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    @property
    def running(self):
        return self._server is not None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- helpers for tests ------------------------------------------------

    def table(self, menu):
        """Copies of the rows of `menu`."""
        with self._lock:
            return [dict(r) for r in self.tables[menu]]

    def find(self, menu, **props):
        """Rows of `menu` whose properties equal `props` (use _ for -)."""
        props = {k.replace("_", "-"): v for k, v in props.items()}
        return [r for r in self.table(menu)
                if all(r.get(k) == v for k, v in props.items())]

    def add_row(self, menu, **props):
        """Insert a row as the router would (sessions, existing config)."""
        with self._lock:
            row = {k.replace("_", "-"): str(v) for k, v in props.items()}
            spec = self.menus[menu]
            for key, value in spec.defaults.items():
                row.setdefault(key, value)
            self._normalize(spec, row)
            return self._insert(spec, row)

    def commands(self, word=None, verb=None):
        """Logged commands (optionally one command word, or one verb)."""
        with self._lock:
            return [c for c in self.log
                    if (word is None or c.word == word) and (verb is None or c.verb == verb)]

    def writes(self):
        """Logged commands that change something (add/set/remove...)."""
        return [c for c in self.commands()
                if c.verb in ("add", "set", "unset", "remove", "enable", "disable")]

    def clear_log(self):
        with self._lock:
            del self.log[:]

    # -- connections ----------------------------------------------------------

    def _serve_connection(self, sock):
        with self._lock:
            self.connections += 1
            conn = self.connections
        if self.drop_connections:
            sock.close()
            return
        # one sentence per packet, as soon as it is ready (no Nagle delays)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls_context:
            try:
                sock = self.tls_context.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError):
                sock.close()
                return
        with self._lock:
            self._sockets.add(sock)
        session = {"user": None, "challenge": None, "count": 0}
        try:
            while True:
                try:
                    words = read_sentence(sock)
                except ProtocolError as exc:
                    self._send(sock, ["!fatal", str(exc)])
                    return
                session["count"] += 1
                if self.delay:
                    time.sleep(self.delay)
                if not self._answer(sock, conn, session, words):
                    return
                if self.drop_after and session["count"] >= self.drop_after:
                    return
        except (EOFError, OSError):
            return
        finally:
            with self._lock:
                self._sockets.discard(sock)
            with contextlib.suppress(OSError):
                sock.close()

    def _send(self, sock, words):
        sock.sendall(encode_sentence(words))

    def _answer(self, sock, conn, session, words):
        """Answer one sentence; False to close the connection."""
        word, attrs, queries, tag, api = words[0], {}, [], None, {}
        for w in words[1:]:
            if w.startswith("="):
                key, value = parse_attribute(w)
                (api if key.startswith(".") and key != ".id" else attrs)[key] = value
            elif w.startswith("?"):
                queries.append(w)
            elif w.startswith(".tag="):
                tag = w[5:]
        command = Command(conn, word, dict(attrs, **api), queries, tag, session["user"])
        with self._lock:
            self.log.append(command)
        tagged = ["=.tag=%s" % tag] if tag is not None else []

        def reply(kind, values=None, raw=()):
            self._send(sock, [kind] + ["=%s=%s" % (k, v) for k, v in (values or {}).items()]
                       + list(raw) + tagged)

        if self.fatal_next is not None:
            message, self.fatal_next = self.fatal_next, None
            self._send(sock, ["!fatal", message])
            return False
        if word == "/quit":
            self._send(sock, ["!fatal", "session terminated on request"])
            return False
        try:
            if word == "/login":
                self._login(session, attrs, reply)
                return True
            if session["user"] is None:
                raise Trap("not logged in", 0)
            if word == "/cancel":
                reply("!done")
                return True
            rows, ret = self._run(word, attrs, queries, api)
            if rows is not None and not rows and word.endswith("/print") \
                    and self.empty_replies and "count-only" not in attrs:
                reply("!empty")
            for row in rows or ():
                reply("!re", row)
            reply("!done", {"ret": ret} if ret is not None else None)
        except Trap as exc:
            values = {"message": exc.message}
            if exc.category is not None:
                values["category"] = exc.category
            reply("!trap", values)
            reply("!done")
        return True

    def _login(self, session, attrs, reply):
        user = attrs.get("name")
        if "password" in attrs:
            ok = user in self.users and self.users[user] == attrs["password"]
        elif "response" in attrs and session["challenge"]:
            secret = self.users.get(user)
            expected = None
            if secret is not None:
                digest = hashlib.md5(b"\x00" + secret.encode() + session["challenge"])
                expected = "00" + digest.hexdigest()
            ok = expected is not None and attrs["response"] == expected
        else:
            session["challenge"] = os.urandom(16)
            reply("!done", {"ret": binascii.hexlify(session["challenge"]).decode()})
            return
        with self._lock:
            self.logins.append((user, ok and not self.refuse_logins))
        if ok and not self.refuse_logins:
            session["user"] = user
            reply("!done")
        else:
            reply("!trap", {"message": "invalid user name or password (6)"})
            reply("!done")

    # -- commands -------------------------------------------------------------

    def _run(self, word, attrs, queries, api):
        if word == "/ping":
            return self._ping(attrs), None
        menu_path, _sep, verb = word.rpartition("/")
        menu = self.menus.get(menu_path)
        if menu is None:
            raise Trap("no such command prefix", 0)
        with self._lock:
            if verb in ("print", "getall"):
                return self._print(menu, attrs, queries, api)
            if menu.readonly and verb != "remove":
                raise Trap("failure: %s is read-only here" % menu.path)
            if verb == "add":
                return None, self._add(menu, attrs)
            if verb == "set":
                self._set(menu, attrs)
                return None, None
            if verb in ("enable", "disable"):
                attrs = {k: v for k, v in attrs.items() if k in (".id", "numbers")}
                attrs["disabled"] = "true" if verb == "disable" else "false"
                self._set(menu, attrs)
                return None, None
            if verb == "remove":
                self._remove(menu, attrs)
                return None, None
            if verb == "unset":
                name = attrs.get("value-name")
                if not name:
                    raise Trap("missing value for value-name", 1)
                ids = {k: v for k, v in attrs.items() if k in (".id", "numbers")}
                self._set(menu, dict(ids, **{"!" + name: ""}))
                return None, None
        raise Trap("no such command", 0)

    def _print(self, menu, attrs, queries, api):
        predicate = compile_query(queries, menu.booleans)
        rows = [r for r in self.tables[menu.path] if predicate(r)]
        if "count-only" in attrs:
            return [], str(len(rows))
        proplist = [p for p in api.get(".proplist", "").split(",") if p]
        out = []
        for row in rows:
            if proplist:
                out.append({k: row[k] for k in proplist if k in row})
            else:
                out.append(dict(row))
        return out, None

    def _insert(self, menu, row):
        self._next_id += 1
        new_id = "*%X" % self._next_id
        if not menu.singleton:
            row = dict({".id": new_id}, **row)
        self.tables[menu.path].append(row)
        return new_id

    def _normalize(self, menu, row):
        for key in list(row):
            if key in menu.booleans:
                row[key] = BOOLEAN_VALUES.get(row[key], row[key])

    def _check(self, menu, row, current_id=None):
        unknown = sorted(k for k in row if k not in menu.props and k != ".id")
        if unknown:
            raise Trap("unknown parameter %s" % unknown[0], 0)
        for key, value in row.items():
            if key in menu.booleans and value not in ("true", "false"):
                raise Trap("value of %s must be yes or no" % key, 1)
        if not self.strict:
            return
        for prop, target in menu.refs.items():
            if row.get(prop) and not any(r.get("name") == row[prop]
                                         for r in self.tables[target]):
                raise Trap("input does not match any value of %s" % prop, 1)
        for prop in menu.pool_refs:
            value = row.get(prop)
            if value and value != "none" and not _is_address(value) and not any(
                    r.get("name") == value for r in self.tables["/ip/pool"]):
                raise Trap("input does not match any value of %s" % prop, 1)
        if menu.unique and menu.key:
            keys = menu.key if isinstance(menu.key, tuple) else (menu.key,)
            if any(not row.get(k) for k in keys):
                raise Trap("failure: %s not set" % keys[0], 1)
            wanted = tuple(row.get(k) for k in keys)
            if len(keys) == 1:
                clash = any(o.get(keys[0]) == wanted[0] and o.get(".id") != current_id
                            for o in self.tables[menu.path])
            else:
                clash = any(tuple(o.get(k) for k in keys) == wanted
                            and o.get(".id") != current_id for o in self.tables[menu.path])
            if clash:
                raise Trap(menu.duplicate, 1)

    def _add(self, menu, attrs):
        if menu.singleton:
            raise Trap("no such command", 0)
        row = dict(menu.defaults)
        row.update(attrs)
        self._normalize(menu, row)
        self._check(menu, row)
        return self._insert(menu, row)

    def _targets(self, menu, attrs):
        if menu.singleton:
            return self.tables[menu.path][:1]
        ids = attrs.get(".id") or attrs.get("numbers")
        if not ids:
            raise Trap("missing value for .id (numbers)", 1)
        rows = []
        for one in ids.split(","):
            match = [r for r in self.tables[menu.path]
                     if r.get(".id") == one or (menu.key == "name" and r.get("name") == one)]
            if not match:
                raise Trap("no such item", 1)
            rows.extend(match)
        return rows

    def _set(self, menu, attrs):
        values = {k: v for k, v in attrs.items() if k not in (".id", "numbers")}
        targets = self._targets(menu, attrs)
        updated = []
        for row in targets:
            new = dict(row)
            for key, value in values.items():
                if key.startswith("!"):  # "=!comment=" unsets a property
                    new.pop(key[1:], None)
                else:
                    new[key] = value
            self._normalize(menu, new)
            self._check(menu, new, current_id=row.get(".id"))
            updated.append((row, new))
        for row, new in updated:
            row.clear()
            row.update(new)

    def _remove(self, menu, attrs):
        targets = self._targets(menu, attrs)
        ids = {id(r) for r in targets}
        self.tables[menu.path][:] = [r for r in self.tables[menu.path] if id(r) not in ids]

    def _ping(self, attrs):
        address = attrs.get("address")
        if not address:
            raise Trap("missing value for address", 1)
        count = int(attrs.get("count", "4"))
        unreachable = address.startswith("192.0.2.")  # TEST-NET-1 never answers
        rows = []
        for seq in range(count):
            row = {"seq": str(seq), "host": address, "sent": str(seq + 1),
                   "received": str(0 if unreachable else seq + 1)}
            if unreachable:
                row["status"] = "timeout"
            else:
                row.update({"size": "56", "ttl": "64", "time": "1ms"})
            rows.append(row)
        return rows


# ---------------------------------------------------------------------------
# TLS for tests (api-ssl, port 8729)
# ---------------------------------------------------------------------------

def self_signed_tls(directory, common_name="router.test"):
    """A server SSLContext with a fresh self-signed certificate (made with
    the openssl command); returns (context, certificate path)."""
    cert = os.path.join(directory, "router.crt")
    key = os.path.join(directory, "router.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=%s" % common_name,
                    "-addext", "subjectAltName=DNS:%s,IP:127.0.0.1" % common_name,
                    "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert
