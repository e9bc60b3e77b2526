"""isp_cards through the running server: the printed A4 sheet (QWeb +
wkhtmltopdf, read back with pdftotext and zbarimg), printed once (the PINs
are not kept after: a second print is refused), the Excel/CSV export's
one-time download, and the captive portal's /card/redeem endpoints with
their lockout and exact usernames."""
import contextlib
import json
import re
import subprocess

import pytest
import requests

from conftest import isp_dev
from odoo_env import close, env_of

pytestmark = pytest.mark.skipif("isp_cards" not in isp_dev.app_modules(),
                                reason="isp_cards is not in the app template")


@contextlib.contextmanager
def serving(server):
    """The server for the block; stopped even when it fails to start."""
    try:
        yield server.start(timeout=240)
    finally:
        server.stop()


def login(session, url, user, password):
    page = session.get(url + "/web/login", timeout=60)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    resp = session.post(url + "/web/login", timeout=60, data={
        "login": user, "password": password, "csrf_token": csrf})
    assert resp.status_code == 200


def rpc(session, url, path, **params):
    resp = session.post(url + path, timeout=60, json={
        "jsonrpc": "2.0", "method": "call", "params": params})
    return resp.json()["result"]


def test_printed_cards_and_redemption_over_http(app_db, tmp_path):
    with env_of(app_db) as env:
        batch = env["isp.card.batch"].search(
            [("distributor_id", "=", env.ref("isp_cards.distributor_isp").id)], limit=1)
        cards = batch.card_ids.sorted("serial")
        expected = {c.serial: c.pin for c in cards}
        ids = cards.ids
        partner = env["res.partner"].create({"name": "Portal Card", "isp_is_subscriber": True})
        sub = env["isp.subscription"].create({
            "partner_id": partner.id, "plan_id": env.ref("isp_base.plan_daily_10m_7d").id,
            "username": "portalcard", "password": "pw-portal", "billing_type": "daily",
            "operator_id": env.user.company_id.partner_id.id})
        sub_id = sub.id
    close(app_db)
    assert len(ids) == 10
    server = isp_dev.OdooServer(app_db)
    with serving(server):
        admin = requests.Session()
        login(admin, server.url, "admin", "admin")
        resp = admin.get(server.url + "/report/pdf/isp_cards.report_isp_cards/%s"
                         % ",".join(map(str, ids)), timeout=180)
        assert resp.status_code == 200
        assert resp.headers["Content-Type"] == "application/pdf"
        # printed once: the web client's second print gets the reason
        web = admin.get(server.url + "/web", timeout=60).text
        csrf = re.search(r'csrf_token: "([^"]+)"', web).group(1)
        again = admin.post(server.url + "/report/download", timeout=120, data={
            "data": json.dumps(["/report/pdf/isp_cards.report_isp_cards/%d" % ids[0],
                                "qweb-pdf"]),
            "token": "1", "csrf_token": csrf})
        assert again.headers["Content-Type"].startswith("text/html"), again.headers
        assert "given out once" in again.text and sorted(expected)[0] in again.text, \
            again.text[:1000]
        # the captive portal: the QR code's page has the PIN filled in
        pin = expected[sorted(expected)[0]]
        page = requests.get(server.url + "/card/redeem", params={"pin": pin}, timeout=60)
        assert page.status_code == 200 and 'value="%s"' % pin in page.text
        # a form post without its CSRF token is refused
        assert requests.post(server.url + "/card/redeem", timeout=60, data={
            "pin": pin, "username": "portalcard", "password": "pw-portal"}).status_code == 400
        client = requests.Session()
        wrong = [rpc(client, server.url, "/card/redeem/json", pin="2345-6789-2345",
                     username="portalcard", password="pw-portal") for _i in range(5)]
        locked = rpc(client, server.url, "/card/redeem/json", pin=pin,
                     username="portalcard", password="pw-portal")
    assert not server.bad_lines(), server.bad_lines()
    assert all(not r["ok"] for r in wrong), wrong
    assert all("PIN" in r["error"] for r in wrong), wrong
    assert not locked["ok"] and "Too many wrong card PINs" in locked["error"], locked
    # the form with its token uses the card once the lock is over
    with env_of(app_db) as env:
        env.cr.execute("UPDATE isp_card_attempt SET date = date - interval '20 minutes'")
    close(app_db)
    with serving(server):
        client = requests.Session()
        # a username is matched exactly (% and _ are no wildcards)
        wildcard = [rpc(client, server.url, "/card/redeem/json", pin=pin, username=name,
                        password="pw-portal") for name in ("portalc%", "portalcar_")]
        page = client.get(server.url + "/card/redeem", params={"pin": pin}, timeout=60)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        done = client.post(server.url + "/card/redeem", timeout=60, data={
            "pin": pin, "username": "portalcard", "password": "pw-portal",
            "csrf_token": csrf})
        again = rpc(client, server.url, "/card/redeem/json", pin=pin,
                    username="portalcard", password="pw-portal")
    assert not server.bad_lines(), server.bad_lines()
    assert [r["error"] for r in wildcard] == ["Wrong username or password."] * 2, wildcard
    assert done.status_code == 200 and "is valid until" in done.text, done.text[-2000:]
    assert not again["ok"] and "already used" in again["error"]
    with env_of(app_db) as env:
        assert env["isp.subscription"].browse(sub_id).state == "active"
        env.cr.execute("SELECT count(*), count(pin), count(pin_hash) FROM isp_card "
                       "WHERE id IN %s AND pin_released = 'printed'", (tuple(ids),))
        assert env.cr.fetchone() == (10, 0, 10)
    close(app_db)
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(resp.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          stdout=subprocess.PIPE, text=True).stdout
    for serial in expected:
        assert serial in text, (serial, text[:2000])
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(str(p) for p in tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw"] + pages,
                             stdout=subprocess.PIPE, text=True).stdout.split()
    pins = sorted(re.search(r"/card/redeem\?pin=([A-Z0-9]+)$", d).group(1) for d in decoded)
    assert pins == sorted(expected.values())


def test_export_is_downloaded_once(app_db):
    with env_of(app_db) as env:
        plan = env.ref("isp_base.plan_daily_10m_7d")
        batch = env["isp.card.batch"].create({
            "operator_id": env.user.company_id.partner_id.id, "plan_id": plan.id,
            "value": plan.customer_price, "quantity": 3})
        batch.action_generate()
        batch_id, name = batch.id, batch.name
        pins = sorted(batch.card_ids.mapped("pin"))
        env["res.users"].with_context(no_reset_password=True).create({
            "name": "Card manager", "login": "t.cardmgr", "password": "t.cardmgr-pw",
            "groups_id": [(6, 0, [env.ref("base.group_user").id,
                                  env.ref("isp_cards.group_isp_card_manager").id])]})
    close(app_db)
    server = isp_dev.OdooServer(app_db)
    with serving(server):
        manager = requests.Session()
        login(manager, server.url, "t.cardmgr", "t.cardmgr-pw")
        call = {"model": "isp.card.export.wizard", "kwargs": {}}
        wizard_id = rpc(manager, server.url, "/web/dataset/call_kw", method="create",
                        args=[{"batch_id": batch_id, "file_format": "csv"}], **call)
        action = rpc(manager, server.url, "/web/dataset/call_kw", method="action_export",
                     args=[[wizard_id]], **call)
        first = manager.get(server.url + action["url"], timeout=60)
        second = manager.get(server.url + action["url"], timeout=60)
        # another login, or no token: nothing
        other = requests.Session()
        login(other, server.url, "admin", "admin")   # even the superuser
        stranger = other.get(server.url + action["url"], timeout=60)
        no_token = manager.get(server.url + "/isp_cards/export/%d" % wizard_id, timeout=60)
    assert not server.bad_lines(), server.bad_lines()
    assert first.status_code == 200, first.text[:500]
    assert first.headers["Content-Disposition"].endswith("%s.csv" % name)
    rows = first.text.splitlines()
    assert sorted(row.split(",")[1].replace("-", "") for row in rows[1:]) == pins
    assert second.status_code == 409 and "used already" in second.text
    assert stranger.status_code == 404
    assert no_token.status_code == 409
    with env_of(app_db) as env:
        env.cr.execute("SELECT count(pin), count(pin_hash) FROM isp_card WHERE batch_id = %s",
                       (batch_id,))
        assert env.cr.fetchone() == (0, 3)
    close(app_db)
