"""HTTP hardening, over HTTP against a real server (issue 16): the session
cookie (SameSite=Lax, HttpOnly, Secure behind TLS, a lifetime set by
`session_days` in odoo.conf), the database manager switched off, and CSRF on
every POST route of the isp_* controllers (enumerated from the routing map,
so a new route is checked without anyone listing it)."""
import os
import re

import pytest
import requests

import odoo_env
from conftest import isp_dev, serve_clone

SESSION_DAYS = 3

#: http routes of the isp_* addons that take a POST without a CSRF token,
#: and why that is right
CSRF_EXEMPT = {
    "/hotspot/login": "the router's login page posts the visitor here from the "
                      "router's own address; only the session's hotspot context is kept",
    "/isp/payment/bkash/callback": "bKash sends the payer back; the payment is "
                                   "checked with bKash's API before anything is recorded",
    "/isp/payment/hosted/return": "the gateway sends the payer back; the answer is "
                                  "verified by its HMAC signature",
    "/isp/payment/hosted/notify": "server-to-server notice of the gateway, verified by "
                                  "its HMAC signature",
}


@pytest.fixture(scope="module")
def server(app_template, tmp_path_factory):
    name = "pt_http_hardening_%d" % os.getpid()
    conf = tmp_path_factory.mktemp("conf") / "odoo.conf"
    with open(isp_dev.ODOO_CONF) as fh:
        text = fh.read()
    conf.write_text(text.replace("[options]\n", "[options]\nproxy_mode = True\n"
                                 "session_days = %d\n" % SESSION_DAYS, 1))
    yield from serve_clone(app_template, name, "-c", str(conf))


def session_cookie(response):
    cookies = [c for c in response.raw.headers.getlist("Set-Cookie")
               if c.startswith("session_id=")]
    assert len(cookies) == 1, response.raw.headers.getlist("Set-Cookie")
    return {part.strip().split("=", 1)[0].lower(): part.strip().partition("=")[2]
            for part in cookies[0].split(";")}


def login(server, user="admin", password="admin", **kw):
    session = requests.Session()
    page = session.get(server.url + "/web/login", timeout=60, **kw)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    resp = session.post(server.url + "/web/login", timeout=60, allow_redirects=False, data={
        "login": user, "password": password, "csrf_token": csrf}, **kw)
    uid = session.post(server.url + "/web/session/get_session_info", json={
        "jsonrpc": "2.0", "method": "call", "params": {}}, timeout=60, **kw).json()
    assert uid.get("result", {}).get("username") == user, uid
    return session, resp


def test_session_cookie_is_lax_httponly_and_lasts_session_days(server):
    resp = requests.get(server.url + "/web/login", timeout=60)
    cookie = session_cookie(resp)
    assert cookie["samesite"] == "Lax"
    assert "httponly" in cookie and "secure" not in cookie
    assert cookie["max-age"] == str(SESSION_DAYS * 24 * 3600)
    # the session given at login (a new id) has the same flags
    _session, resp = login(server)
    cookie = session_cookie(resp)
    assert (cookie["samesite"], cookie["max-age"]) == ("Lax", str(SESSION_DAYS * 86400))
    assert "secure" not in cookie


@pytest.mark.parametrize("headers", [
    {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "isp.example.com",
     "X-Forwarded-For": "203.0.113.9"},
    {"X-Forwarded-Proto": "https"},
])
def test_session_cookie_is_secure_behind_a_tls_proxy(server, headers):
    cookie = session_cookie(requests.get(server.url + "/web/login", headers=headers,
                                         timeout=60))
    assert "secure" in cookie and cookie["samesite"] == "Lax"
    # the session given at login too (sent back by hand: a client keeps a
    # Secure cookie for https only)
    session = requests.Session()
    page = session.get(server.url + "/web/login", headers=headers, timeout=60)
    session.cookies.set("session_id", session.cookies["session_id"])
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    resp = session.post(server.url + "/web/login", headers=headers, timeout=60,
                        allow_redirects=False,
                        data={"login": "admin", "password": "admin", "csrf_token": csrf})
    assert "window.location" in resp.text  # logged in
    cookie = session_cookie(resp)
    assert "secure" in cookie and cookie["samesite"] == "Lax"


def test_session_days_setting(monkeypatch):
    import odoo
    import odoo11_py311_compat as compat
    options = odoo.tools.config.options
    for value, days in ((None, 7), ("", 7), ("30", 30), ("1", 1), ("0", 7), ("-2", 7),
                        ("a week", 7)):
        monkeypatch.setitem(options, "session_days", value)
        assert compat.session_days() == days, value


@pytest.mark.parametrize("method,path", [
    ("GET", "/web/database/manager"),
    ("GET", "/web/database/selector"),
    ("POST", "/web/database/backup"),
    ("POST", "/web/database/drop"),
    ("POST", "/web/database/duplicate"),
    ("POST", "/web/database/create"),
    ("POST", "/web/database/restore"),
    ("POST", "/web/database/change_password"),
])
def test_database_manager_is_off(server, method, path):
    data = {"master_pwd": "isp-admin", "name": server.dbname, "new_name": "stolen",
            "backup_format": "zip", "login": "x", "password": "x", "lang": "en_US",
            "master_pwd_new": "x"} if method == "POST" else None
    resp = requests.request(method, server.url + path, data=data, timeout=60,
                            allow_redirects=False)
    assert resp.status_code in (403, 404), (path, resp.status_code)
    assert "master_pwd" not in resp.text and "Backup" not in resp.text
    # nothing was dropped nor copied
    assert isp_dev.db_exists(server.dbname) and not isp_dev.db_exists("stolen")


def test_database_list_is_refused_over_rpc(server):
    resp = requests.post(server.url + "/web/database/list", json={
        "jsonrpc": "2.0", "method": "call", "params": {}}, timeout=60)
    assert resp.json()["error"]["code"] == 404 and server.dbname not in resp.text


def isp_post_routes(dbname):
    """(path, routing) of every route of an isp_* controller that takes a
    POST, from Odoo's own routing map."""
    import odoo
    with odoo_env.env_of(dbname) as env:
        modules = env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        rules = list(odoo.http.routing_map(
            modules, False, converters=env["ir.http"]._get_converters()).iter_rules())
    routes = []
    for rule in rules:
        endpoint = rule.endpoint
        if not endpoint.method.__module__.startswith("odoo.addons.isp_"):
            continue
        methods = endpoint.routing.get("methods")
        if methods and "POST" not in methods:
            continue
        routes.append((rule.rule, endpoint.routing))
    return routes


def sample_path(rule):
    """A URL that matches `rule` (every converter given 1)."""
    return re.sub(r"<(?:[^:<>]+:)?\w+>", "1", rule)


def test_every_isp_post_route_needs_a_csrf_token(server):
    routes = isp_post_routes(server.dbname)
    http_routes = [(path, r) for path, r in routes if r.get("type") == "http"]
    assert len(http_routes) > 10, http_routes
    exempt = {path for path, r in http_routes if r.get("csrf") is False}
    assert exempt == set(CSRF_EXEMPT), "a POST route without CSRF must be justified here"
    session, _resp = login(server)
    checked = []
    for path, _routing in http_routes:
        if path in exempt:
            continue
        resp = session.post(server.url + sample_path(path), data={"x": "1"}, timeout=60,
                            allow_redirects=False)
        assert resp.status_code == 400 and "invalid CSRF token" in resp.text, \
            (path, resp.status_code, resp.text[:300])
        checked.append(path)
    assert len(checked) == len(http_routes) - len(exempt)
    assert not server.bad_lines(), server.bad_lines()


def foreign_ids(dbname, login):
    """For each id a route takes, a record that `login` must not reach."""
    with odoo_env.env_of(dbname) as env:
        user = env["res.users"].search([("login", "=", login)])
        partner = user.partner_id.commercial_partner_id
        assert user and partner.isp_subscription_ids, login
        mine = env["res.partner"].search([("id", "child_of", partner.id)]).ids
        sub = env["isp.subscription"].search([("partner_id", "not in", mine)], limit=1)
        invoice = env["account.invoice"].search([("partner_id", "not in", mine)], limit=1)
        tx = env["payment.transaction"].search([("partner_id", "not in", mine)], limit=1)
        card = env["isp.card"].search([], limit=1)
        ticket = env["helpdesk.ticket"].search([("partner_id", "not in", mine)], limit=1)
        ids = {"sub_id": sub.id, "subscription_id": sub.id, "invoice_id": invoice.id,
               "tx_id": tx.id or 987654321, "card_id": card.id or 987654321,
               "ticket_id": ticket.id or 987654321,
               # a card export is its asker's alone (tests/test_cards_http.py)
               "wizard_id": 987654321}
        assert all(ids.values()), ids
        state = sub.read(["state", "validity_end", "plan_id", "mac_address"])[0]
        with_password = sub.sudo().password
    return ids, (state, with_password)


def foreign_path(rule, ids):
    def value(match):
        converter, name = match.group(1), match.group(2)
        if converter == "int":
            return str(ids[name])
        return "suspend"
    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", value, rule)


def test_every_isp_route_with_an_id_refuses_another_customers_record(server):
    """Portal IDOR, for every route of an isp_* controller that takes an id
    (enumerated from the routing map): as the customer, another owner's
    record is not found, by GET and by POST (with a valid CSRF token), and
    nothing of it changes."""
    ids, before = foreign_ids(server.dbname, "customer")
    routes = [(path, r) for path, r in isp_id_routes(server.dbname)]
    assert len(routes) >= 10, routes
    session, _resp = login(server, "customer", "customer")
    page = session.get(server.url + "/my/isp", timeout=60)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for path, routing in routes:
        url = server.url + foreign_path(path, ids)
        methods = routing.get("methods") or ["GET", "POST"]
        if "GET" in methods:
            resp = session.get(url, timeout=60, allow_redirects=False)
            assert resp.status_code in (403, 404), (url, resp.status_code)
        if "POST" in methods:
            resp = session.post(url, timeout=60, allow_redirects=False, data={
                "csrf_token": csrf, "password": "hijack-1", "confirm": "hijack-1",
                "pin": "123456789012", "plan_id": "1", "acquirer_id": "1"})
            assert resp.status_code in (403, 404), (url, resp.status_code)
    assert foreign_ids(server.dbname, "customer")[1] == before


def isp_id_routes(dbname):
    import odoo
    with odoo_env.env_of(dbname) as env:
        modules = env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        rules = list(odoo.http.routing_map(
            modules, False, converters=env["ir.http"]._get_converters()).iter_rules())
    return [(rule.rule, rule.endpoint.routing) for rule in rules
            if rule.endpoint.method.__module__.startswith("odoo.addons.isp_")
            and "<int:" in rule.rule]


def test_database_list_is_refused_over_json_rpc(server):
    """Odoo's own refusal (AccessDenied, which Odoo logs as an ERROR with its
    traceback): last in this module, the log is checked above."""
    assert not server.bad_lines()
    resp = requests.post(server.url + "/jsonrpc", json={
        "jsonrpc": "2.0", "method": "call",
        "params": {"service": "db", "method": "list", "args": []}}, timeout=60)
    assert resp.json()["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert server.dbname not in resp.text

