# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A small RouterOS API client on top of librouteros: one connection,
printed rows as plain strings, writes, and every failure turned into a
:class:`RouterError` that says in words what went wrong (login refused,
timeout, TLS failure, the router's own !trap message...)."""
import contextlib
import errno
import socket
import ssl

import librouteros
from librouteros import exceptions as ros_exc

from . import commands as cmd

#: RouterError kinds worth retrying later (the router may come back, an
#: admin may fix the credentials); a !trap is a refusal of the data itself
RETRYABLE = ("unreachable", "timeout", "login", "tls", "fatal", "protocol", "dns")


class RouterError(Exception):
    """A router could not do what was asked; ``str()`` is for users."""

    def __init__(self, kind, message, router=""):
        self.kind = kind
        self.message = message
        self.router = router
        super().__init__("%s: %s" % (router, message) if router else message)

    @property
    def retryable(self):
        return self.kind in RETRYABLE


def describe(exc, host, port, timeout, command=None, tls=False):
    """The RouterError (kind, words) of a low-level failure."""
    where = "%s:%s" % (host, port)
    if isinstance(exc, RouterError):
        return exc
    if isinstance(exc, ros_exc.TrapError):
        message = str(exc)
        if command == "/login" or "invalid user name or password" in message:
            return RouterError("login", "login refused: %s (check the API user and password, "
                                        "and that the user's group has the api policy)"
                               % message)
        return RouterError("trap", "the router refused %s: %s" % (command or "the command",
                                                                  message))
    if isinstance(exc, ros_exc.MultiTrapError):
        return RouterError("trap", "the router refused %s: %s" % (command or "the command",
                                                                  exc))
    if isinstance(exc, ros_exc.FatalError):
        return RouterError("fatal", "the router ended the session: %s" % (exc.args[0]
                                                                         if exc.args else exc))
    if isinstance(exc, ros_exc.ConnectionClosed):
        return RouterError("unreachable", "the router at %s closed the connection%s"
                           % (where, " during the TLS handshake" if tls and command == "/login"
                              else ""))
    if isinstance(exc, ros_exc.ProtocolError):
        return RouterError("protocol", "the router at %s answered something that is not the "
                                       "RouterOS API: %s" % (where, exc))
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or getattr(exc, "reason", None) or exc
        return RouterError("tls", "TLS failure: the certificate of %s could not be verified "
                                  "(%s)" % (where, reason))
    if isinstance(exc, ssl.SSLError):
        reason = getattr(exc, "reason", None) or exc
        return RouterError("tls", "TLS failure with %s: %s (is api-ssl enabled on this port, "
                                  "with a certificate?)" % (where, reason))
    if isinstance(exc, socket.gaierror):
        return RouterError("dns", "cannot resolve the router's host name %s" % host)
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return RouterError("timeout", "no answer from %s within %s s (router down, or the API "
                                      "port filtered)" % (where, _seconds(timeout)))
    if isinstance(exc, ConnectionRefusedError):
        return RouterError("unreachable", "%s refused the connection (is the RouterOS API "
                                          "service enabled on port %s? /ip service)"
                           % (where, port))
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, EOFError)):
        return RouterError("unreachable", "the router at %s closed the connection" % where)
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            reason = "no route to the router"
        return RouterError("unreachable", "cannot reach %s: %s" % (where, reason))
    return RouterError("protocol", "%s: %s" % (type(exc).__name__, exc))


def _seconds(value):
    return ("%g" % value) if isinstance(value, (int, float)) else value


def tls_context(verify=False, ca_data=None):
    """The client TLS context: with `verify`, the certificate must chain to
    `ca_data` (PEM) or to the system's authorities and name the host."""
    if verify:
        context = ssl.create_default_context(cadata=ca_data or None)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def rows_to_str(rows):
    """librouteros casts printed values (ints, booleans): back to text."""
    return [{k: cmd.normalize(v) if isinstance(v, bool) else str(v) for k, v in row.items()}
            for row in rows]


class RouterClient:
    """One API session with a router::

        with RouterClient("10.0.0.1", "api", "pw") as ros:
            ros.print("/ppp/secret", where={"name": "ali"})
    """

    def __init__(self, host, username, password, port=8728, tls=False, verify=False,
                 ca_data=None, timeout=10, name=""):
        self.host = host
        self.username = username
        self.password = password or ""
        self.port = int(port or (8729 if tls else 8728))
        self.tls = tls
        self.verify = verify
        self.ca_data = ca_data
        self.timeout = timeout
        self.name = name or host
        self.api = None

    def _error(self, exc, command=None):
        error = describe(exc, self.host, self.port, self.timeout, command, self.tls)
        error.router = self.name
        error.args = ("%s: %s" % (self.name, error.message),)
        return error

    def connect(self):
        wrapper = None
        if self.tls:
            context = tls_context(self.verify, self.ca_data)
            host = self.host

            def wrapper(sock):
                return context.wrap_socket(sock, server_hostname=host)
        try:
            self.api = librouteros.connect(
                self.host, self.username, self.password, port=self.port,
                timeout=self.timeout, encoding="utf-8", ssl_wrapper=wrapper)
        except Exception as exc:  # every failure becomes words
            raise self._error(exc, "/login")
        return self

    def close(self):
        if self.api is not None:
            with contextlib.suppress(Exception):  # closing a dead socket
                self.api.close()
            self.api = None

    def __enter__(self):
        return self.connect()

    def __exit__(self, *exc):
        self.close()

    # -- commands -------------------------------------------------------------

    def raw(self, command, *words):
        try:
            return rows_to_str(self.api.rawCmd(command, *words))
        except Exception as exc:
            self.close()  # the session may be out of step: never reuse it
            raise self._error(exc, command)

    def call(self, command, **attrs):
        return self.raw(command, *("=%s=%s" % (k, cmd.to_api(v)) for k, v in attrs.items()))

    def print(self, menu, where=None, proplist=None):
        """Rows of `menu`; `where`: {property: value} (all must match) or
        {property: [values]} (any of them)."""
        words = []
        if proplist:
            words.append("=.proplist=%s" % ",".join(proplist))
        clauses = 0
        for prop, value in (where or {}).items():
            values = value if isinstance(value, (list, tuple, set)) else [value]
            values = list(values)
            if not values:
                return []
            for one in values:
                words.append("?=%s=%s" % (prop, one))
            if len(values) > 1:
                words.append("?#" + "|" * (len(values) - 1))
            clauses += 1
        if clauses > 1:
            words.append("?#" + "&" * (clauses - 1))
        return self.raw(menu + "/print", *words)

    def add(self, menu, values):
        rows = self.raw(menu + "/add", *("=%s=%s" % (k, v) for k, v in values.items()))
        return rows[0].get("ret", "") if rows else ""

    def set(self, menu, item_id, values):
        words = ["=.id=%s" % item_id] if item_id else []
        self.raw(menu + "/set", *(words + ["=%s=%s" % (k, v) for k, v in values.items()]))

    def unset(self, menu, item_id, prop):
        self.raw(menu + "/unset", "=.id=%s" % item_id, "=value-name=%s" % prop)

    def remove(self, menu, *ids):
        if ids:
            self.raw(menu + "/remove", "=.id=%s" % ",".join(ids))

    def apply(self, op):
        """Run one commands.Op."""
        if op.action == "add":
            return self.add(op.menu, op.values)
        if op.action == "set":
            return self.set(op.menu, op.item_id, op.values)
        if op.action == "unset":
            return self.unset(op.menu, op.item_id, op.values["value-name"])
        if op.action == "remove":
            return self.remove(op.menu, op.item_id)
        raise ValueError("unknown operation %s" % op.action)

    def rows_for(self, menu, keys, batch=40):
        """Printed rows of `menu` for the given keys (tuples): queried by
        name for a few, the whole menu for many."""
        keys = list(keys)
        if not keys:
            return []
        fields = cmd.KEYS[menu]
        if len(keys) > batch:
            return self.print(menu)
        if len(fields) == 1:
            return self.print(menu, where={fields[0]: sorted({k[0] for k in keys})})
        rows = []
        for first in sorted({k[0] for k in keys}):
            rows.extend(self.print(menu, where={
                fields[0]: first, fields[1]: sorted({k[1] for k in keys if k[0] == first})}))
        return rows
