# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""RFC 5176 Disconnect-Request and CoA-Request to a NAS, with pyrad and the
suite's small dictionary (RFC attributes + MikroTik, lib/dictionary)."""
import collections
import functools
import os

from pyrad import packet
from pyrad.client import Client, Timeout
from pyrad.dictionary import Dictionary

DICTIONARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dictionary")

ACK = "ack"
NAK = "nak"
TIMEOUT = "timeout"
ERROR = "error"

#: what came back from the NAS: outcome ack / nak / timeout / error, the
#: Error-Cause of a NAK and a message for the network actions list
Outcome = collections.namedtuple("Outcome", "result error_cause message")

REQUEST_CODES = {"disconnect": packet.DisconnectRequest, "coa": packet.CoARequest}
ACK_CODES = {packet.DisconnectACK, packet.CoAACK}
NAK_CODES = {packet.DisconnectNAK, packet.CoANAK}


@functools.lru_cache(maxsize=1)
def dictionary():
    return Dictionary(DICTIONARY)


def session_attributes(username, acct_session_id=None, framed_ip=None):
    """How the NAS finds the session: User-Name, Acct-Session-Id and, when
    known, Framed-IP-Address."""
    attrs = [("User-Name", username)]
    if acct_session_id:
        attrs.append(("Acct-Session-Id", acct_session_id))
    if framed_ip:
        attrs.append(("Framed-IP-Address", framed_ip))
    return attrs


def build_request(kind, secret, attributes, host="127.0.0.1", port=3799):
    """The Disconnect-Request or CoA-Request packet (not sent)."""
    client = Client(server=host, secret=secret.encode(), dict=dictionary(), coaport=port)
    request = client.CreateCoAPacket(code=REQUEST_CODES[kind])
    for name, value in attributes:
        request.AddAttribute(name, value)
    return client, request


def send(kind, host, port, secret, attributes, timeout=2.0, retries=2):
    """Send a Disconnect-Request ("disconnect") or a CoA-Request ("coa") to
    the NAS at host:port and wait for its answer. Never raises for network
    trouble: returns an :class:`Outcome`."""
    if not secret:
        return Outcome(ERROR, None, "The router has no RADIUS secret.")
    try:
        client, request = build_request(kind, secret, attributes, host, port)
        client.timeout = timeout
        client.retries = retries
        reply = client.SendPacket(request)
    except Timeout:
        return Outcome(TIMEOUT, None, "No answer from %s:%s after %d tries of %ss (wrong "
                                      "secret, CoA not enabled on the router, or "
                                      "unreachable)." % (host, port, retries, timeout))
    except OSError as exc:
        return Outcome(ERROR, None, "Cannot send to %s:%s: %s" % (host, port, exc))
    cause = reply.get("Error-Cause", [None])[0]
    if reply.code in ACK_CODES:
        return Outcome(ACK, cause, "Acknowledged by %s." % host)
    if reply.code in NAK_CODES:
        return Outcome(NAK, cause, "Refused by %s%s." % (host, " (%s)" % cause if cause else ""))
    return Outcome(ERROR, cause, "Unexpected answer (code %s) from %s." % (reply.code, host))
