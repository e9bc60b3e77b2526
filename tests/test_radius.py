"""End to end: Odoo (isp_base + isp_radius) -> PostgreSQL views -> real
FreeRADIUS 3 -> a NAS on loopback, and back (accounting, usage,
Disconnect/CoA through queue_job). Harness: tests/radius_harness.py.

Run: ISP_APP_MODULES=isp_base,isp_radius .venv/bin/python scripts/runtests.py
     --no-odoo --no-lint --db radius_pt -- tests/test_radius.py
"""
import datetime

import pytest
from pyrad import packet
from pyrad.client import Timeout
from radius_harness import NAS, RadiusHarness, utcnow

ACCEPT, REJECT = packet.AccessAccept, packet.AccessReject
MB = 1048576


@pytest.fixture
def stack(app_db, tmp_path):
    harness = RadiusHarness(app_db, run_dir=str(tmp_path))
    try:
        yield harness.start()
        assert harness.radius_errors() == []
    finally:
        harness.stop()


@pytest.fixture
def isp(stack):
    """Packages of the tests (committed): a monthly PPPoE package with a
    dynamic pool, a hotspot package with a burst, static pools."""
    with stack.env() as env:
        pool = env["isp.ip.pool"].create({"name": "h-dyn", "network": "100.70.0.0/24",
                                          "purpose": "dynamic"})
        env["isp.ip.pool"].create({"name": "h-static", "network": "198.51.100.64/29",
                                   "purpose": "static", "router_id": stack.routers["A"]})
        env["isp.ip.pool"].create({"name": "h-v6", "network": "2001:db8:7700::/48",
                                   "purpose": "static", "prefix_length": 56,
                                   "router_id": stack.routers["A"]})
        suspended = env["isp.ip.pool"].create({"name": "h-suspended",
                                               "network": "100.71.0.0/24",
                                               "purpose": "suspended"})
        pppoe = stack.make_package(env, "H 10M", ppp_profile="h-10M", ip_pool_id=pool.id)
        faster = stack.make_package(env, "H 20M", download_kbps=20480, upload_kbps=10240,
                                    ppp_profile="h-10M", ip_pool_id=pool.id)
        hotspot = stack.make_package(
            env, "H hotspot", download_kbps=4096, upload_kbps=2048, ppp_profile="hs-4M",
            burst_download_kbps=8192, burst_upload_kbps=4096,
            burst_threshold_download_kbps=3072, burst_threshold_upload_kbps=1536,
            burst_time=8, priority=5, ip_pool_id=pool.id)
        Plan = env["isp.service.plan"]
        plans = {
            "monthly": Plan.create({"name": "H monthly", "master_package_id": pppoe.id,
                                    "customer_price": 900}).id,
            "faster": Plan.create({"name": "H monthly 20M", "master_package_id": faster.id,
                                   "customer_price": 1200}).id,
            "daily": Plan.create({"name": "H 7 days", "master_package_id": pppoe.id,
                                  "billing_type": "daily", "validity_value": 7,
                                  "customer_price": 250}).id,
            "hotspot": Plan.create({"name": "H 3 hours", "master_package_id": hotspot.id,
                                    "billing_type": "daily", "validity_value": 3,
                                    "validity_unit": "hours", "customer_price": 10,
                                    "allow_pppoe": False, "allow_hotspot": True}).id,
        }
        pool_profile = env["isp.billing.profile"].create({
            "name": "H suspended pool", "suspend_action": "suspended_pool",
            "suspended_pool_id": suspended.id, "suspended_address_list": "unpaid"}).id
    return {"plans": plans, "pool_profile": pool_profile}


def new_sub(stack, isp, username, plan="monthly", **vals):
    with stack.env() as env:
        sub = stack.make_subscription(env, username, env["isp.service.plan"].browse(
            isp["plans"][plan]), **vals)
        return sub.id


def act(stack, sub_id, method, *args):
    with stack.env() as env:
        getattr(env["isp.subscription"].browse(sub_id), method)(*args)


def auth(stack, username, password=None, nas="A", **attrs):
    return stack.clients[nas].auth(username, "pw-" + username if password is None
                                   else password, **attrs)


# --- authentication and authorisation ---------------------------------------------


def test_active_pppoe_with_static_ip_and_ipv6_prefix(stack, isp):
    sub_id = new_sub(stack, isp, "h.static", mac_address="AA:BB:CC:77:00:01")
    with stack.env() as env:
        sub = env["isp.subscription"].browse(sub_id)
        sub.action_allocate_static_ipv4()
        sub.action_allocate_ipv6_prefix()
        expected_ip, expected_prefix = sub.static_ipv4, sub.ipv6_prefix
    code, reply = auth(stack, "h.static", Calling_Station_Id="AA:BB:CC:77:00:01")
    assert code == ACCEPT
    assert expected_ip and expected_prefix
    assert reply["Framed-IP-Address"] == [expected_ip]
    assert reply["Delegated-IPv6-Prefix"] == [expected_prefix]
    assert reply["Mikrotik-Rate-Limit"] == ["5M/10M"]
    assert reply["Mikrotik-Group"] == ["h-10M"]
    assert reply["Acct-Interim-Interval"] == [300]
    assert "Framed-Pool" not in reply and "Session-Timeout" not in reply
    # MikroTik PPPoE/hotspot also log in with CHAP: the same answer
    code, reply = auth(stack, "h.static", chap=True, Calling_Station_Id="AA:BB:CC:77:00:01")
    assert code == ACCEPT and reply["Framed-IP-Address"] == [expected_ip]
    # the username is matched whatever its case (unique whatever the case)
    code, _reply = auth(stack, "H.Static", password="pw-h.static",
                        Calling_Station_Id="AA:BB:CC:77:00:01")
    assert code == ACCEPT


def test_hotspot_with_rate_limit_and_session_timeout(stack, isp):
    new_sub(stack, isp, "h.wifi", plan="hotspot", connection_type="hotspot",
            billing_type="daily")
    code, reply = auth(stack, "h.wifi")
    assert code == ACCEPT
    assert reply["Mikrotik-Rate-Limit"] == ["2M/4M 4M/8M 1536k/3M 8/8 5"]
    assert reply["Mikrotik-Group"] == ["hs-4M"]
    assert reply["Framed-Pool"] == ["h-dyn"]
    # Expiration at the end of the 3 hours: FreeRADIUS sends the seconds left
    assert 3 * 3600 - 120 <= reply["Session-Timeout"][0] <= 3 * 3600


def test_wrong_password_and_unknown_user(stack, isp):
    new_sub(stack, isp, "h.pw")
    code, reply = auth(stack, "h.pw", password="wrong")
    assert (code, reply) == (REJECT, {})
    code, reply = auth(stack, "h.nobody", password="x")
    assert (code, reply) == (REJECT, {})
    rows = stack.sql("SELECT username, reply, host(nasipaddress) FROM radius.radpostauth "
                     "WHERE username IN ('h.pw', 'h.nobody') ORDER BY id")
    assert rows == [("h.pw", "Access-Reject", NAS["A"][0]),
                    ("h.nobody", "Access-Reject", NAS["A"][0])]
    columns = stack.sql("SELECT column_name FROM information_schema.columns WHERE "
                        "table_schema = 'radius' AND table_name = 'radpostauth'")
    assert not [c for (c,) in columns if "pass" in c], "no password kept"


def test_mac_binding(stack, isp):
    new_sub(stack, isp, "h.mac", mac_address="AA:BB:CC:77:00:02")
    code, reply = auth(stack, "h.mac", Calling_Station_Id="AA:BB:CC:77:00:99")
    assert (code, reply) == (REJECT, {})
    code, _reply = auth(stack, "h.mac")
    assert code == REJECT, "no Calling-Station-Id, no login"
    code, _reply = auth(stack, "h.mac", Calling_Station_Id="AA:BB:CC:77:00:02")
    assert code == ACCEPT


def test_suspended_rejected_or_sent_to_the_suspended_pool(stack, isp):
    plain = new_sub(stack, isp, "h.susp")
    pooled = new_sub(stack, isp, "h.susppool", billing_profile_id=isp["pool_profile"])
    assert auth(stack, "h.susp")[0] == ACCEPT
    act(stack, plain, "action_suspend", "unpaid")
    act(stack, pooled, "action_suspend", "unpaid")
    # seen by the very next request, and a reject carries nothing of the user
    assert auth(stack, "h.susp") == (REJECT, {})
    code, reply = auth(stack, "h.susppool")
    assert code == ACCEPT
    assert reply == {"Framed-Pool": ["h-suspended"], "Mikrotik-Address-List": ["unpaid"],
                     "Acct-Interim-Interval": [300]}


def test_expired_by_time_passing(stack, isp):
    sub_id = new_sub(stack, isp, "h.daily", plan="daily", billing_type="daily")
    assert auth(stack, "h.daily")[0] == ACCEPT
    with stack.env() as env:
        env["isp.subscription"].browse(sub_id).validity_end = (
            utcnow() - datetime.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S")
    # no job ran, the state is still active: the validity end is enough
    assert auth(stack, "h.daily") == (REJECT, {})
    act(stack, sub_id, "action_expire")
    assert auth(stack, "h.daily") == (REJECT, {})


def test_resume_accepts_the_next_request(stack, isp):
    """The payment-driven resume comes with isp_billing; the resume action
    it calls is tested here."""
    sub_id = new_sub(stack, isp, "h.resume")
    act(stack, sub_id, "action_suspend", "unpaid")
    assert auth(stack, "h.resume")[0] == REJECT
    act(stack, sub_id, "action_resume")
    code, reply = auth(stack, "h.resume")
    assert code == ACCEPT and reply["Mikrotik-Rate-Limit"] == ["5M/10M"]


def test_nas_clients_come_from_the_routers(stack, isp):
    new_sub(stack, isp, "h.nas")
    assert auth(stack, "h.nas", nas="B")[0] == ACCEPT
    client_class = stack.clients["A"].__class__
    # an address that is no router of the billing gets no answer at all
    stranger = client_class("127.0.0.1", "guess", nas_ip="127.0.0.29",
                            authport=stack.radius.auth_port, timeout=1)
    with pytest.raises(Timeout):
        stranger.auth("h.nas", "pw-h.nas")
    stranger._CloseSocket()
    # a router registered while FreeRADIUS runs is known at its first request
    with stack.env() as env:
        env["isp.router"].create({"name": "Harness NAS C", "host": "127.0.0.23",
                                  "radius_secret": "nas-c-secret"})
    newcomer = client_class("127.0.0.1", "nas-c-secret", nas_ip="127.0.0.23",
                            authport=stack.radius.auth_port)
    code, reply = newcomer.auth("h.nas", "pw-h.nas")
    newcomer._CloseSocket()
    assert code == ACCEPT and reply["Mikrotik-Rate-Limit"] == ["5M/10M"]


# --- accounting and usage ------------------------------------------------------------


def test_accounting_start_interim_stop_usage_in_odoo(stack, isp):
    sub_id = new_sub(stack, isp, "h.acct")
    nas = stack.clients["A"]
    assert nas.acct("Start", "h.acct", "a1", Framed_IP_Address="100.70.0.9",
                    Calling_Station_Id="AA:BB:CC:77:00:03") == packet.AccountingResponse
    with stack.env() as env:
        sub = env["isp.subscription"].browse(sub_id)
        assert (sub.radius_online, sub.radius_ip, sub.radius_mac) == (
            True, "100.70.0.9", "AA:BB:CC:77:00:03")
        assert sub.radius_router_id.id == stack.routers["A"]
    # one session at a time (Simultaneous-Use 1)
    code, reply = auth(stack, "h.acct")
    assert (code, reply.get("Mikrotik-Rate-Limit")) == (REJECT, None)
    nas.acct("Interim-Update", "h.acct", "a1", Acct_Input_Octets=2 * MB,
             Acct_Output_Octets=10 * MB, Acct_Session_Time=300)
    # 4 GiB + 5 MiB downloaded: the Gigawords count
    nas.acct("Stop", "h.acct", "a1", Acct_Input_Octets=3 * MB, Acct_Output_Octets=5 * MB,
             Acct_Output_Gigawords=1, Acct_Session_Time=420,
             Acct_Terminate_Cause="User-Request")
    with stack.env() as env:
        sub = env["isp.subscription"].browse(sub_id)
        assert not sub.radius_online
        daily = env["isp.radius.usage.daily"].search([("subscription_id", "=", sub_id)])
        assert (daily.upload_mb, daily.download_mb, daily.session_time, daily.sessions) == (
            3.0, 4096.0 + 5.0, 420, 1)
        monthly = env["isp.radius.usage.monthly"].search([("subscription_id", "=", sub_id)])
        assert monthly.total_mb == 4104.0
        session = env["isp.radius.session"].search([("subscription_id", "=", sub_id)])
        assert (session.acct_session_id, session.framed_ip, session.terminate_cause,
                session.online, session.router_id.id) == (
            "a1", "100.70.0.9", "User-Request", False, stack.routers["A"])
    assert auth(stack, "h.acct")[0] == ACCEPT, "free again after the Stop"


def test_accounting_on_closes_the_sessions_of_that_nas(stack, isp):
    new_sub(stack, isp, "h.on1")
    new_sub(stack, isp, "h.on2")
    a, b = stack.clients["A"], stack.clients["B"]
    a.acct("Start", "h.on1", "s1")
    b.acct("Start", "h.on2", "s2")
    assert auth(stack, "h.on1")[0] == REJECT, "already online"
    # router A restarted: its sessions are over
    a.acct("Accounting-On")
    rows = dict(stack.sql("SELECT acctsessionid, acctterminatecause FROM radius.radacct "
                          "WHERE username LIKE 'h.%'"))
    assert rows == {"s1": "NAS-Reboot", "s2": None}
    assert auth(stack, "h.on1")[0] == ACCEPT
    assert auth(stack, "h.on2")[0] == REJECT
    assert stack.sql("SELECT host(nasipaddress) FROM radius.nasreload") == [(NAS["A"][0],)]


def test_stale_session_closed_by_cron_reopened_by_interim(stack, isp):
    new_sub(stack, isp, "h.stale")
    a = stack.clients["A"]
    an_hour_ago = int((utcnow() - datetime.timedelta(hours=1)).timestamp())
    a.acct("Start", "h.stale", "st1", Event_Timestamp=an_hour_ago)
    assert auth(stack, "h.stale")[0] == REJECT
    with stack.env() as env:
        closed = env["isp.radius"].cron_close_stale_sessions()
    assert len(closed) == 1
    assert stack.sql("SELECT acctterminatecause FROM radius.radacct "
                     "WHERE acctsessionid = 'st1'") == [("Stale-Session",)]
    assert auth(stack, "h.stale")[0] == ACCEPT, "no longer blocks Simultaneous-Use"
    # the router was only quiet: its next update opens the session again
    a.acct("Interim-Update", "h.stale", "st1", Acct_Session_Time=3700)
    assert stack.sql("SELECT acctstoptime, acctterminatecause FROM radius.radacct "
                     "WHERE acctsessionid = 'st1'") == [(None, None)]


# --- disconnect / CoA ----------------------------------------------------------------------


def test_suspend_sends_disconnect_and_checks_the_stop(stack, isp):
    sub_id = new_sub(stack, isp, "h.kick")
    stack.clients["A"].acct("Start", "h.kick", "k1", Framed_IP_Address="100.70.0.33")
    act(stack, sub_id, "action_suspend", "unpaid")
    stack.run_jobs()
    received = stack.receivers["A"].received
    assert len(received) == 1
    got = received[0]
    assert got["kind"] == "disconnect"
    assert got["attributes"]["User-Name"] == ["h.kick"]
    assert got["attributes"]["Acct-Session-Id"] == ["k1"]
    assert got["attributes"]["Framed-IP-Address"] == ["100.70.0.33"]
    # accepted by the receiver's authenticator check: the router's secret
    assert got["secret"] == NAS["A"][1]
    assert stack.receivers["B"].received == []
    with stack.env() as env:
        action = env["isp.network.action"].search([("subscription_id", "=", sub_id)])
        assert (action.state, action.attempts, action.reason) == ("confirmed", 1, "suspend")
    rows = stack.sql("SELECT acctterminatecause FROM radius.radacct "
                     "WHERE acctsessionid = 'k1'")
    assert rows == [("Admin-Reset",)]
    assert auth(stack, "h.kick")[0] == REJECT
    assert stack.failed_jobs() == []


def test_nak_and_timeout_marked_failed_and_retried(stack, isp):
    sub_id = new_sub(stack, isp, "h.nak")
    stack.clients["A"].acct("Start", "h.nak", "n1")
    receiver = stack.receivers["A"]
    receiver.answer = "nak"
    act(stack, sub_id, "action_disable", "left")
    with stack.env() as env:
        action = env["isp.network.action"].search([("subscription_id", "=", sub_id)])
        action_id = action.id
        job = env["queue.job"].search([("method_name", "=", "_job_send"),
                                       ("state", "=", "pending")])
        assert len(job) == 1
        uuid = job.uuid
    stack._run_job(uuid)
    with stack.env() as env:
        action = env["isp.network.action"].browse(action_id)
        assert (action.state, action.attempts) == ("failed", 1)
        assert "Refused" in action.last_error and action.next_try
    # the router stops answering: the retries time out
    receiver.answer = "drop"
    stack.run_jobs()
    with stack.env() as env:
        action = env["isp.network.action"].browse(action_id)
        assert (action.state, action.attempts, action.next_try) == ("failed", 3, False)
        assert "No answer" in action.last_error
    assert [r["kind"] for r in receiver.received] == ["disconnect"] * 3
    assert stack.sql("SELECT acctstoptime FROM radius.radacct "
                     "WHERE acctsessionid = 'n1'") == [(None,)]
    assert stack.failed_jobs() == []


def test_plan_change_sends_coa_with_the_new_rate(stack, isp):
    sub_id = new_sub(stack, isp, "h.coa")
    stack.clients["A"].acct("Start", "h.coa", "c1")
    with stack.env() as env:
        env["isp.subscription"].browse(sub_id).action_change_plan(
            env["isp.service.plan"].browse(isp["plans"]["faster"]))
    stack.run_jobs()
    got = stack.receivers["A"].received
    assert [r["kind"] for r in got] == ["coa"]
    assert got[0]["attributes"]["Mikrotik-Rate-Limit"] == ["10M/20M"]
    assert got[0]["attributes"]["Acct-Session-Id"] == ["c1"]
    assert stack.sql("SELECT acctstoptime FROM radius.radacct "
                     "WHERE acctsessionid = 'c1'") == [(None,)], "session kept"
    code, reply = auth(stack, "h.coa", nas="B")
    assert code == REJECT, "still online on A"


def test_paying_the_overdue_bill_lets_the_customer_in_again(stack, isp):
    """isp_billing and isp_radius together: the suspension job suspends an
    account whose validity ended with a bill overdue (RADIUS rejects it at
    the next request); paying the bill resumes it in the same transaction
    (RADIUS accepts the next request, no job in between)."""
    with stack.env() as env:
        if "isp_kind" not in env["account.invoice"]._fields:
            pytest.skip("isp_billing is not installed")
        profile = env["isp.billing.profile"].create({
            "name": "H auto", "auto_bill": True, "auto_suspend": True, "due_days": 5,
            "grace_days": 0})
    sub_id = new_sub(stack, isp, "h.payer", billing_profile_id=profile.id)
    assert auth(stack, "h.payer")[0] == ACCEPT
    with stack.env() as env:
        sub = env["isp.subscription"].browse(sub_id)
        bill = sub.invoice_ids.filtered(lambda inv: inv.state == "open")
        assert len(bill) == 1, "activation bills the first period"
        yesterday = (utcnow() - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
        bill.date_due = yesterday
        sub.validity_end = (utcnow() - datetime.timedelta(minutes=1)).strftime(
            "%Y-%m-%d %H:%M:%S")
        assert env["isp.subscription"].cron_suspend_expired() >= 1
        assert (sub.state, sub.suspend_reason) == ("suspended", "non_payment")
        bill_id = bill.id
    assert auth(stack, "h.payer") == (REJECT, {})
    with stack.env() as env:
        env["account.payment"].isp_pay_invoices(env["account.invoice"].browse(bill_id))
        assert env["isp.subscription"].browse(sub_id).state == "active"
    code, reply = auth(stack, "h.payer")
    assert code == ACCEPT and reply["Mikrotik-Rate-Limit"] == ["5M/10M"]
