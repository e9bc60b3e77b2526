"""Issue 16, finding 7: a packet is the router's it came from, whatever it
claims, and Access-Requests carry a Message-Authenticator (BlastRADIUS,
CVE-2024-3596). Real FreeRADIUS from freeradius/ (tests/radius_harness.py),
routers A (127.0.0.21) and B (127.0.0.22) with their own secrets.

* the NAS of a packet is the registered router whose address it came from:
  that router's address is what radacct, nasreload and radpostauth keep;
  a NAS-IP-Address naming another registered router is refused and logged
  (no Accounting-Response, an Access-Reject), so router A cannot update,
  stop or Accounting-Off router B's sessions with its own secret;
* a router that requires a Message-Authenticator (the default for a new
  router) gets no answer to an Access-Request without one, from its very
  first packet (dynamic clients); one that does not (older RouterOS) is
  answered; an Access-Request with a Proxy-State but no
  Message-Authenticator is dropped whatever the router (FreeRADIUS's
  limit_proxy_state); every Access-Accept/Reject carries a valid
  Message-Authenticator (RouterOS 7.15+ require-message-auth).
"""
import shutil
import subprocess

import pytest
from pyrad import packet
from pyrad.client import Timeout
from radius_harness import NAS, nas
from test_radius import ACCEPT, REJECT, auth, isp, new_sub, stack  # noqa: F401

GB = 1024 ** 3
FIELD = "radius_require_message_authenticator"


def client(harness, name, timeout=1, **kwargs):
    """A NAS client of router `name` (A or B, or (address, secret)) that
    waits `timeout` s for an answer, once."""
    address, secret = NAS[name] if isinstance(name, str) else name
    return nas.NasClient("127.0.0.1", secret, nas_ip=address,
                         authport=harness.radius.auth_port,
                         acctport=harness.radius.acct_port, timeout=timeout, **kwargs)


def refused(send, *args, **kwargs):
    """True when FreeRADIUS does not answer (the packet was dropped)."""
    try:
        send(*args, **kwargs)
    except Timeout:
        return True
    return False


def set_router(harness, name, **vals):
    """Before the router's first packet: FreeRADIUS learns its clients at
    their first packet (dynamic clients, kept 5 minutes)."""
    with harness.env() as env:
        env["isp.router"].browse(harness.routers[name]).write(vals)


def session(harness, session_id):
    rows = harness.sql("SELECT host(nasipaddress), acctstoptime, acctterminatecause, "
                     "acctinputoctets, acctoutputoctets FROM radius.radacct "
                     "WHERE acctsessionid = %s", (session_id,))
    assert len(rows) == 1, rows
    return rows[0]


# --- Message-Authenticator ------------------------------------------------------------


def test_message_authenticator_required_per_router(stack, isp):  # noqa: F811
    new_sub(stack, isp, "h.ma")
    set_router(stack, "B", **{FIELD: False})
    with stack.env() as env:
        routers = env["isp.router"].browse([stack.routers["A"], stack.routers["B"]])
        assert routers.mapped(FIELD) == [True, False], "new routers require it"
    a, b = client(stack, "A", enforce_ma=True), client(stack, "B", enforce_ma=True)
    try:
        # A requires it: no answer at all without one, from the first packet
        assert refused(a.auth, "h.ma", "pw-h.ma", message_authenticator=False)
        # (a client that checks the reply's Message-Authenticator accepts it)
        assert a.auth("h.ma", "pw-h.ma")[0] == ACCEPT
        assert a.auth("h.ma", "wrong")[0] == REJECT
        assert refused(a.auth, "h.ma", "pw-h.ma", message_authenticator=False)
        # B does not (RouterOS before 7.15): answered either way
        assert b.auth("h.ma", "pw-h.ma", message_authenticator=False)[0] == ACCEPT
        assert b.auth("h.ma", "pw-h.ma")[0] == ACCEPT
        # ... but a Proxy-State without Message-Authenticator is BlastRADIUS's
        # signature: dropped whatever the router says
        assert refused(b.auth, "h.ma", "pw-h.ma", message_authenticator=False,
                       Proxy_State=b"\x01" * 32)
        assert b.auth("h.ma", "pw-h.ma", Proxy_State=b"\x02" * 8)[0] == ACCEPT
    finally:
        a._CloseSocket()
        b._CloseSocket()
    lines = [line for line in stack.radius.log_text().splitlines() if "Refused" in line]
    assert len(lines) == 1, lines
    assert "h.ma from router Harness NAS B (127.0.0.22): no Message-Authenticator" in lines[0]
    assert "BlastRADIUS" in lines[0]


@pytest.mark.skipif(not shutil.which("radclient"), reason="no radclient")
def test_radclient_on_the_demo_local_nas(stack, isp):  # noqa: F811
    """The demo's "Local test NAS (radclient)" (127.0.0.1, testing123)
    requires a Message-Authenticator like any new router; FreeRADIUS's own
    radclient (Debian 3.2.1) sends one when asked: Message-Authenticator=0x00."""
    new_sub(stack, isp, "h.radclient")

    def radclient(extra):
        return subprocess.run(
            ["radclient", "-x", "-r", "1", "-t", "1",
             "127.0.0.1:%d" % stack.radius.auth_port, "auth", "testing123"],
            input="User-Name=h.radclient,User-Password=pw-h.radclient" + extra,
            capture_output=True, text=True, timeout=20)
    answered = radclient(",Message-Authenticator=0x00")
    assert "Received Access-Accept" in answered.stdout, answered
    silent = radclient("")
    assert "Received" not in silent.stdout, silent


# --- the NAS is the router the packet came from ---------------------------------------


def test_accounting_claiming_another_nas_is_refused(stack, isp):  # noqa: F811
    new_sub(stack, isp, "h.victim")
    new_sub(stack, isp, "h.ona")
    b = stack.clients["B"]
    assert b.acct("Start", "h.victim", "v1", Framed_IP_Address="100.70.0.50") \
        == packet.AccountingResponse
    b.acct("Interim-Update", "h.victim", "v1", Acct_Output_Octets=GB // 2,
           Acct_Session_Time=300)
    stack.clients["A"].acct("Start", "h.ona", "a1")
    before = session(stack, "v1")
    assert before == (NAS["B"][0], None, None, 0, GB // 2)
    a = client(stack, "A")
    claim = {"NAS_IP_Address": NAS["B"][0]}
    try:
        # router A, with its own secret, speaking for router B
        assert refused(a.acct, "Interim-Update", "h.victim", "v1", Acct_Output_Octets=0,
                       Acct_Output_Gigawords=80, Acct_Session_Time=600, **claim)
        assert refused(a.acct, "Stop", "h.victim", "v1", Acct_Session_Time=600,
                       Acct_Terminate_Cause="Admin-Reset", **claim)
        assert refused(a.acct, "Accounting-Off", **claim)
        assert refused(a.acct, "Accounting-On", **claim)
        assert refused(a.acct, "Start", "h.victim", "v2", **claim)
        # nor in an Access-Request: rejected, and kept as A's attempt
        assert a.auth("h.ona", "pw-h.ona", **claim) == (REJECT, {})
    finally:
        a._CloseSocket()
    assert session(stack, "v1") == before, "B's session untouched"
    assert stack.sql("SELECT count(*) FROM radius.radacct WHERE acctsessionid = 'v2'") \
        == [(0,)]
    assert stack.sql("SELECT * FROM radius.nasreload") == []
    with stack.env() as env:
        daily = env["isp.radius.usage.daily"].search([("username", "=", "h.victim")])
        assert daily.download_mb == 512.0
    assert stack.sql("SELECT host(nasipaddress), reply FROM radius.radpostauth "
                     "WHERE username = 'h.ona'") == [(NAS["A"][0], "Access-Reject")]
    # each refusal is logged with its reason
    lines = [line for line in stack.radius.log_text().splitlines()
             if "claims NAS-IP-Address %s" % NAS["B"][0] in line]
    assert len(lines) == 6, lines
    assert all("Harness NAS A" in line and NAS["A"][0] in line for line in lines), lines
    assert any("Accounting-Off" in line for line in lines), lines
    # A's own Accounting-Off closes A's sessions only
    assert stack.clients["A"].acct("Accounting-Off") == packet.AccountingResponse
    assert session(stack, "a1")[2] == "NAS-Reboot"
    assert session(stack, "v1") == before
    assert stack.sql("SELECT host(nasipaddress) FROM radius.nasreload") == [(NAS["A"][0],)]


def test_the_nas_recorded_is_the_router_the_packet_came_from(stack, isp):  # noqa: F811
    """A router behind NAT (or with several addresses) says a NAS-IP-Address
    that is no registered router: its packets are its own, recorded under
    the address the billing knows it by."""
    sub_id = new_sub(stack, isp, "h.nat")
    a = stack.clients["A"]
    assert a.acct("Start", "h.nat", "n1", NAS_IP_Address="10.20.30.40") \
        == packet.AccountingResponse
    a.acct("Interim-Update", "h.nat", "n1", NAS_IP_Address="10.20.30.40",
           Acct_Output_Octets=4096, Acct_Session_Time=300)
    assert session(stack, "n1") == (NAS["A"][0], None, None, 0, 4096)
    with stack.env() as env:
        sub = env["isp.subscription"].browse(sub_id)
        assert sub.radius_online and sub.radius_router_id.id == stack.routers["A"]
    assert a.acct("Stop", "h.nat", "n1", NAS_IP_Address="10.20.30.40",
                  Acct_Output_Octets=8192, Acct_Session_Time=400) == packet.AccountingResponse
    address, stopped = session(stack, "n1")[:2]
    assert address == NAS["A"][0] and stopped is not None
    code, _reply = auth(stack, "h.nat", NAS_IP_Address="10.20.30.40")
    assert code == ACCEPT
    assert stack.sql("SELECT host(nasipaddress) FROM radius.radpostauth "
                     "WHERE username = 'h.nat'") == [(NAS["A"][0],)]


def test_a_claim_of_an_archived_router_is_not_refused(stack, isp):  # noqa: F811
    """Only a router FreeRADIUS knows (active, with a secret) is "another
    NAS"; an old address is like any other (recorded as the sender's)."""
    new_sub(stack, isp, "h.old")
    with stack.env() as env:
        env["isp.router"].create({"name": "Harness old NAS", "host": "127.0.0.25",
                                  "radius_secret": "old", "active": False})
    a = stack.clients["A"]
    assert a.acct("Start", "h.old", "o1", NAS_IP_Address="127.0.0.25") \
        == packet.AccountingResponse
    assert session(stack, "o1")[0] == NAS["A"][0]
