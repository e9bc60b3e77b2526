"""End to end: Odoo (isp_mikrotik) with OCA queue_job's job runner -> the
RouterOS API test server, across processes. A state change made over
XML-RPC reaches the router through a queued job; while the router is down
the job is retried with backoff (never lost) and it is applied when the
router comes back; a router that hangs never holds back another one.

Run: ISP_APP_MODULES=isp_mikrotik .venv/bin/python scripts/runtests.py
     --no-odoo --no-lint --db mikrotik_pt -- tests/test_mikrotik_jobs.py
"""
import os
import time
import xmlrpc.client

import pytest

from conftest import isp_dev

USER, PASSWORD = "billing", "r0uter-pw"


routeros_server = isp_dev.load_file("routeros_server", "addons", "isp_mikrotik", "tests",
                                   "routeros_server.py")


def wait_for(predicate, timeout=60, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))


class Rpc:
    """XML-RPC as admin on one database."""

    def __init__(self, url, db):
        self.db = db
        self.uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
            db, "admin", "admin", {})
        assert self.uid, "admin/admin cannot log in"
        self.proxy = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kw):
        return self.proxy.execute_kw(self.db, self.uid, "admin", model, method, list(args), kw)

    def read1(self, model, rid, fields):
        return self(model, "read", [rid], fields)[0]


@pytest.fixture(scope="module")
def odoo(app_template):
    """One Odoo server (threaded, with the job runner) for this module's
    tests, on a database of its own cloned from the app template."""
    db = "pt_mikrotik_%d" % os.getpid()
    isp_dev.clone_db(app_template, db)
    server = isp_dev.OdooServer(db)
    try:
        server.start(timeout=300)
        rpc = Rpc(server.url, db)
        # retries every 1-2 s instead of 10 s doubling to 30 min
        rpc("ir.config_parameter", "set_param", "isp_mikrotik.retry_base_seconds", "1")
        rpc("ir.config_parameter", "set_param", "isp_mikrotik.retry_max_seconds", "2")
        # the demo routers (TEST-NET addresses) stay out of it
        demo = rpc("isp.router", "search", [])
        rpc("isp.router", "write", demo, {"api_user": False})
        yield rpc
        with open(server.logfile) as fh:
            log = fh.read()
        assert "starting jobrunner thread" in log
        assert not server.bad_lines(), server.bad_lines()
    finally:
        server.stop()
        isp_dev.drop_db(db)


@pytest.fixture
def routers(request):
    servers = []

    def start(**kw):
        server = routeros_server.RouterOSServer(users={USER: PASSWORD}, **kw).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


def make_router(rpc, name, ros, timeout=2):
    return rpc("isp.router", "create", {
        "name": name, "host": "127.0.0.1", "api_port": ros.port, "mode": "api",
        "api_user": USER, "api_password": PASSWORD, "api_timeout": timeout})


def make_subscription(rpc, router_id, username):
    plan = rpc("isp.service.plan", "search", [("allow_pppoe", "=", True),
                                              ("billing_type", "=", "monthly")], limit=1)[0]
    profile = rpc("isp.billing.profile", "search", [], limit=1)[0]
    partner = rpc("res.partner", "create", {"name": "PT %s" % username,
                                            "isp_is_subscriber": True})
    return rpc("isp.subscription", "create", {
        "partner_id": partner, "connection_type": "pppoe", "username": username,
        "new_password": "pt-Secret-1", "plan_id": plan, "billing_profile_id": profile,
        "router_id": router_id})


def router_jobs(rpc, router_id, states=("pending", "enqueued", "started", "failed")):
    return rpc("queue.job", "search_read", [
        ("model_name", "=", "isp.router"), ("state", "in", list(states)),
        ("func_string", "=like", "isp.router(%d,).%%" % router_id)],
        fields=["state", "retry", "result", "eta"])


def test_router_down_jobs_retried_and_applied_when_it_comes_back(odoo, routers):
    rpc = odoo
    ros = routers()
    router = make_router(rpc, "PT POP", ros)
    sub = make_subscription(rpc, router, "pt.ali")
    rpc("isp.subscription", "action_activate", [sub])
    secret = wait_for(lambda: ros.find("/ppp/secret", name="pt.ali"), what="the secret")[0]
    assert (secret["password"], secret["service"], secret["disabled"]) == (
        "pt-Secret-1", "pppoe", "false")
    ros.add_row("/ppp/active", name="pt.ali", address="100.64.0.9")

    ros.stop()
    rpc("isp.subscription", "action_suspend", [sub], reason="unpaid")
    # the job keeps being retried while the router is down
    jobs = wait_for(lambda: [j for j in router_jobs(rpc, router, ("pending",))
                             if j["retry"] >= 2], what="two retries")
    assert "refused the connection" in jobs[0]["result"]
    state = rpc.read1("isp.router", router, ["api_state", "api_error"])
    assert state["api_state"] == "error"
    assert "127.0.0.1:%d refused the connection" % ros.port in state["api_error"]

    ros.start()  # back, same port
    wait_for(lambda: ros.find("/ppp/secret", name="pt.ali")[0]["disabled"] == "true",
             what="the secret disabled")
    wait_for(lambda: not router_jobs(rpc, router), what="no job left")
    assert ros.table("/ppp/active") == [], "the session was ended"
    kicks = rpc("isp.network.action", "search_read", [("router_id", "=", router),
                                                      ("kind", "=", "kick")],
                fields=["state", "username"])
    assert [(k["state"], k["username"]) for k in kicks] == [("done", "pt.ali")]
    assert rpc.read1("isp.router", router, ["api_state"])["api_state"] == "ok"


def test_a_hanging_router_never_holds_back_another(odoo, routers):
    rpc = odoo
    slow, fast = routers(), routers()
    slow.delay = 5  # accepts, then answers nothing in time (timeout 2 s)
    slow_router = make_router(rpc, "PT slow", slow)
    fast_router = make_router(rpc, "PT fast", fast)
    slow_sub = make_subscription(rpc, slow_router, "pt.slow")
    fast_sub = make_subscription(rpc, fast_router, "pt.fast")
    rpc("isp.subscription", "action_activate", [slow_sub])
    rpc("isp.subscription", "action_activate", [fast_sub])
    wait_for(lambda: fast.find("/ppp/secret", name="pt.fast"), timeout=30,
             what="the fast router's secret")
    jobs = wait_for(lambda: [j for j in router_jobs(rpc, slow_router, ("pending",))
                             if j["retry"] >= 1], what="the slow router's retry")
    assert "no answer from 127.0.0.1:%d within 2 s" % slow.port in jobs[0]["result"]
    slow.delay = 0
    wait_for(lambda: slow.find("/ppp/secret", name="pt.slow"), what="the slow router's secret")
