# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A test NAS, over real UDP on loopback (no Odoo import: the cross-process
harness in tests/ loads this file too):

* :class:`CoaReceiver`: the NAS's RFC 5176 listener, a pyrad server that
  records every Disconnect/CoA-Request it accepts (a request with a wrong
  secret fails pyrad's authenticator check and is dropped, as a router
  does) and answers ACK, NAK (Error-Cause 503) or nothing;
* :class:`NasClient`: sends Access-Requests and Accounting-Requests to a
  RADIUS server from a given loopback address (the NAS-IP the server
  knows the client by).
"""
import hashlib
import logging
import os
import select
import threading
import time

from pyrad import packet
from pyrad.client import Client
from pyrad.dictionary import Dictionary
from pyrad.server import RemoteHost, Server

_logger = logging.getLogger(__name__)

DICTIONARY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "lib", "dictionary")

_dictionary = []


def dictionary():
    if not _dictionary:
        _dictionary.append(Dictionary(DICTIONARY))
    return _dictionary[0]


def attributes_of(pkt):
    """{name: [values]} of a decoded packet."""
    return {pkt.dict.attributes[name].name if name in pkt.dict.attributes else name:
            pkt[name] for name in pkt.keys()}


class CoaReceiver(Server):
    """Listens on host:port (port 0: a free one) for Disconnect/CoA-Requests
    from `clients` (addresses) sharing `secret`.

    ``answer``: "ack", "nak" or "drop"; ``on_disconnect(request)`` is called
    before the ACK (a simulated NAS sends its Acct-Stop there).
    """

    def __init__(self, host="127.0.0.1", port=0, secret="coa-secret",
                 clients=("127.0.0.1", "0.0.0.0"), answer="ack", on_disconnect=None):
        hosts = {c: RemoteHost(c, secret.encode(), "billing") for c in clients}
        super().__init__(addresses=[], coaport=port, hosts=hosts, dict=dictionary(),
                         auth_enabled=False, acct_enabled=False, coa_enabled=True)
        self.BindToAddress(host)
        self.host = host
        self.port = self.coafds[0].getsockname()[1]
        self.answer = answer
        self.on_disconnect = on_disconnect
        self.received = []
        self._stop = threading.Event()
        self._thread = None

    def _record(self, kind, pkt):
        attrs = attributes_of(pkt)
        self.received.append({"kind": kind, "attributes": attrs, "source": pkt.source[0],
                              "secret": pkt.secret.decode()})
        return attrs

    def _reply(self, pkt, ack_code, nak_code):
        if self.answer == "drop":
            return
        reply = self.CreateReplyPacket(pkt)
        if self.answer == "nak":
            reply.code = nak_code
            reply.AddAttribute("Error-Cause", 503)
        else:
            reply.code = ack_code
        self.SendReplyPacket(pkt.fd, reply)

    def HandleDisconnectPacket(self, pkt):
        attrs = self._record("disconnect", pkt)
        if self.answer == "ack" and self.on_disconnect:
            self.on_disconnect(attrs)
        self._reply(pkt, packet.DisconnectACK, packet.DisconnectNAK)

    def HandleCoaPacket(self, pkt):
        self._record("coa", pkt)
        self._reply(pkt, packet.CoAACK, packet.CoANAK)

    def _loop(self):
        poll = select.poll()
        self._poll = poll
        self._fdmap = {}
        self._PrepareSockets()
        while not self._stop.is_set():
            for fd, _event in poll.poll(100):
                try:
                    self._ProcessInput(self._fdmap[fd])
                except Exception as exc:  # noqa: BLE001 - a bad packet is dropped, as a NAS does
                    _logger.info("CoA receiver dropped a packet: %s", exc)

    def start(self):
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name="coa-receiver-%d" % self.port)
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join(5)
        for fd in self.coafds:
            fd.close()

    def wait_for(self, count=1, timeout=10.0):
        """Wait until `count` requests arrived; returns them."""
        deadline = time.time() + timeout
        while len(self.received) < count and time.time() < deadline:
            time.sleep(0.02)
        return self.received

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class NasClient(Client):
    """A NAS talking to a RADIUS server: requests leave from `nas_ip`."""

    def __init__(self, server, secret, nas_ip="127.0.0.1", authport=1812, acctport=1813,
                 timeout=3, retries=1, enforce_ma=False):
        # enforce_ma: an answer to an Access-Request without a valid
        # Message-Authenticator is ignored (RouterOS 7.15+ require-message-auth)
        super().__init__(server=server, authport=authport, acctport=acctport,
                         secret=secret.encode(), dict=dictionary(), timeout=timeout,
                         retries=retries, enforce_ma=enforce_ma)
        self.nas_ip = nas_ip
        self.bind((nas_ip, 0))

    def auth(self, username, password=None, chap=False, message_authenticator=True,
             **attrs):
        """Access-Request with PAP (or CHAP), with a Message-Authenticator
        unless told otherwise (as a router before RouterOS 7.15); returns
        (code, {name: [values]})."""
        req = self.CreateAuthPacket(code=packet.AccessRequest, User_Name=username,
                                    message_authenticator=message_authenticator)
        req["NAS-IP-Address"] = self.nas_ip
        if password is not None:
            if chap:
                challenge = os.urandom(16)
                ident = b"\x01"
                digest = hashlib.md5(ident + password.encode() + challenge).digest()
                req["CHAP-Challenge"] = challenge
                req["CHAP-Password"] = ident + digest
            else:
                req["User-Password"] = req.PwCrypt(password)
        for name, value in attrs.items():
            req[name.replace("_", "-")] = value
        reply = self.SendPacket(req)
        attrs = attributes_of(reply)
        # (pyrad verified it; it says nothing of the user)
        attrs.pop("Message-Authenticator", None)
        return reply.code, attrs

    def acct(self, status, username=None, session_id=None, **attrs):
        """Accounting-Request (Start, Interim-Update, Stop, Accounting-On/Off)."""
        req = self.CreateAcctPacket(code=packet.AccountingRequest)
        req["Acct-Status-Type"] = status
        req["NAS-IP-Address"] = self.nas_ip
        if username:
            req["User-Name"] = username
        if session_id:
            req["Acct-Session-Id"] = session_id
        for name, value in attrs.items():
            req[name.replace("_", "-")] = value
        reply = self.SendPacket(req)
        return reply.code
