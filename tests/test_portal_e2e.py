"""isp_portal across processes: a hotspot visitor in headless Chromium
(Debian's chromium + chromium-driver, driven through chromedriver's W3C HTTP
API) registers by mobile number, reads the one-time code from the local SMS
stand-in, buys a package, pays with the bKash stand-in and sees its account
active; screenshots of the main pages go to tests/artifacts/portal/ (not
committed). And two concurrent bKash callbacks on their own transactions
post the payment once."""
import base64
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time

import pytest
import requests

from conftest import ROOT, isp_dev
from odoo_env import close, env_of

pytestmark = pytest.mark.skipif("isp_portal" not in isp_dev.app_modules(),
                                reason="isp_portal is not in the app template")

ARTIFACTS = os.path.join(ROOT, "tests", "artifacts", "portal")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--window-size=412,915"]   # a phone screen
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


standins = isp_dev.load_file("isp_portal_standins", "addons", "isp_portal", "tests",
                             "standins.py")


def configure(env, portal_url, bkash, sms):
    """The ISP of the demo database, pointed at the stand-ins."""
    env["ir.config_parameter"].set_param("web.base.url", portal_url)
    company = env.ref("base.main_company")
    company.partner_id.country_id = env.ref("base.bd")
    env["isp.sms.provider"].search([]).write({"active": False})
    env["isp.sms.provider"].create({"name": "SMS stand-in", "url": sms.url + "/send",
                                    "method": "post", "balance": 1000,
                                    "company_id": company.id})
    env["payment.acquirer"].search([("provider", "in", ("bkash", "isp_hosted"))]).write(
        {"website_published": False})
    env.ref("isp_portal.payment_acquirer_bkash").write({
        "bkash_base_url": bkash.url, "bkash_username": "merchant", "bkash_password": "pw",
        "bkash_app_key": "key", "bkash_app_secret": "secret", "website_published": True,
        "company_id": company.id})
    master = env["isp.master.package"].create({
        "name": "E2E 5M", "download_kbps": 5120, "upload_kbps": 2048,
        "speed_controller": "radius"})
    env["isp.service.plan"].search([("allow_hotspot", "=", True)]).write(
        {"visibility": "private"})
    return env["isp.service.plan"].create({
        "name": "Hotspot 1 day", "master_package_id": master.id, "billing_type": "daily",
        "validity_value": 1, "customer_price": 20.0, "allow_pppoe": False,
        "allow_hotspot": True, "operator_id": company.partner_id.id})


class Browser:
    """Headless Chromium through chromedriver's W3C WebDriver HTTP API."""

    def __init__(self):
        self.port = isp_dev.free_port()
        self.profile = tempfile.mkdtemp(prefix="isp-chromium-")
        self.driver = subprocess.Popen(["chromedriver", "--port=%d" % self.port],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)
        self.base = "http://127.0.0.1:%d" % self.port
        deadline = time.time() + 30
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/status", timeout=2).json()["value"]["ready"]:
                    break
            if time.time() > deadline:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.2)
        answer = self._call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": {
                "binary": shutil.which("chromium") or "/usr/bin/chromium",
                "args": CHROMIUM_FLAGS + ["--user-data-dir=" + self.profile]}}}})
        self.session = answer["sessionId"]

    def _call(self, method, path, body=None):
        resp = requests.request(method, self.base + path, json=body, timeout=120)
        value = resp.json().get("value")
        if resp.status_code != 200:
            raise AssertionError("webdriver %s %s: %s" % (method, path, value))
        return value

    def cmd(self, method, path, body=None):
        return self._call(method, "/session/%s%s" % (self.session, path), body)

    def go(self, url):
        self.cmd("POST", "/url", {"url": url})

    @property
    def url(self):
        return self.cmd("GET", "/url")

    @property
    def source(self):
        return self.cmd("GET", "/source")

    def find(self, css):
        return self.cmd("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def type(self, css, text):
        self.cmd("POST", "/element/%s/value" % self.find(css), {"text": text})

    def click(self, css):
        self.cmd("POST", "/element/%s/click" % self.find(css), {})

    def wait_for(self, predicate, timeout=60):
        deadline = time.time() + timeout
        while not predicate():
            if time.time() > deadline:
                raise AssertionError("timed out on %s" % self.url)
            time.sleep(0.2)

    def screenshot(self, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        with open(os.path.join(ARTIFACTS, name + ".png"), "wb") as fh:
            fh.write(base64.b64decode(self.cmd("GET", "/screenshot")))

    def quit(self):
        with contextlib.suppress(Exception):
            self.cmd("DELETE", "")
        isp_dev.kill_group(self.driver)
        shutil.rmtree(self.profile, ignore_errors=True)


def test_hotspot_visitor_registers_buys_and_is_active(app_db):
    bkash = standins.BkashStandin().start()
    sms = standins.SmsStandin().start()
    port = isp_dev.free_port()
    portal = "http://127.0.0.1:%d" % port
    try:
        with env_of(app_db) as env:
            plan = configure(env, portal, bkash, sms)
            plan_id, price = plan.id, plan.customer_price
        close(app_db)
        server = isp_dev.OdooServer(app_db, http_port=port)
        with contextlib.ExitStack() as stack:
            server.start(timeout=300)
            stack.callback(server.stop)
            browser = Browser()
            try:
                browser.go(portal + "/hotspot/login?mac=AA:BB:CC:00:11:22&ip=10.5.50.9"
                           "&link-login-only=http%3A%2F%2F10.5.50.1%2Flogin")
                assert 'action="http://10.5.50.1/login"' in browser.source
                browser.screenshot("1-hotspot-login")
                browser.click("a.isp_register")
                browser.type("#isp_mobile", "01911000404")
                browser.screenshot("2-register")
                browser.click("form.isp_register_form button[type=submit]")
                browser.wait_for(lambda: browser.url.endswith("/hotspot/verify"))
                code = sms.last_code("+8801911000404")
                assert code, sms.messages
                browser.type("#isp_code", code)
                browser.type("#isp_new_password", "visitor-pw-1")
                browser.type("#isp_new_confirm", "visitor-pw-1")
                browser.screenshot("3-verify")
                browser.click("form.isp_verify_form button[type=submit]")
                browser.wait_for(lambda: "/my/isp/" in browser.url)
                assert 'data-state="draft"' in browser.source
                assert "Hotspot 1 day" in browser.source
                browser.screenshot("4-account-new")
                browser.click("input[name=plan_id][value='%d']" % plan_id)
                browser.click("button.isp_pay_bkash")
                browser.wait_for(lambda: browser.url.startswith(bkash.url + "/checkout"))
                browser.screenshot("5-bkash")
                browser.click("#confirm")
                browser.wait_for(lambda: "/isp/payment/result/" in browser.url)
                assert 'data-state="done"' in browser.source, browser.source[-2000:]
                browser.screenshot("6-paid")
                browser.click("a.isp_back")
                browser.wait_for(lambda: "/my/isp/" in browser.url)
                assert 'data-state="active"' in browser.source
                # the device can now log in at the router with its account
                assert 'action="http://10.5.50.1/login"' in browser.source
                assert 'value="8801911000404"' in browser.source
                browser.screenshot("7-account-active")
            finally:
                browser.quit()
        assert not server.bad_lines(), server.bad_lines()
        with env_of(app_db) as env:
            sub = env["isp.subscription"].search([("username", "=", "8801911000404")])
            assert (sub.state, sub.connection_type, sub.plan_id.id) == ("active", "hotspot",
                                                                         plan_id)
            payment = env["account.payment"].search([("partner_id", "=", sub.partner_id.id)])
            trx = [p["trxID"] for p in bkash.payments.values() if p["trxID"]]
            assert payment.isp_reference == trx[0] and payment.amount == price
            assert env["res.users"].search([("login", "=", "+8801911000404")]).share
        close(app_db)
    finally:
        bkash.stop()
        sms.stop()


class SlowBkash(standins.BkashStandin):
    """Execute takes a moment: both callbacks are in flight together."""

    def answer(self, path, headers, body):
        if path.endswith("/execute"):
            time.sleep(1.0)
        return super().answer(path, headers, body)


def test_concurrent_bkash_callbacks_post_once(app_db):
    """bKash (or an impatient payer) calls back twice at the same time: the
    server's threads serialise on the transaction row; one posts, the other
    finds it done (after Odoo's retry of the serialization failure)."""
    bkash = SlowBkash()
    bkash.lock = threading.RLock()
    bkash.start()
    sms = standins.SmsStandin().start()
    port = isp_dev.free_port()
    portal = "http://127.0.0.1:%d" % port
    try:
        with env_of(app_db) as env:
            plan = configure(env, portal, bkash, sms)
            partner = env["res.partner"].create({"name": "Race", "mobile": "01911000505",
                                                 "isp_is_subscriber": True})
            sub = env["isp.subscription"].create({
                "partner_id": partner.id, "connection_type": "hotspot",
                "billing_type": "daily", "username": "race-user", "password": "race-pw"})
            tx = env["payment.transaction"].isp_create(
                env.ref("isp_portal.payment_acquirer_bkash"), sub, plan=plan)
            tx.isp_bkash_start(portal + "/isp/payment/bkash/callback")
            tx_id, sub_id, payment_id = tx.id, sub.id, tx.acquirer_reference
        close(app_db)
        bkash.approve(payment_id)
        server = isp_dev.OdooServer(app_db, http_port=port)
        with contextlib.ExitStack() as stack:
            server.start(timeout=300)
            stack.callback(server.stop)
            barrier = threading.Barrier(2)
            answers = []

            def callback():
                barrier.wait()
                answers.append(requests.get(
                    portal + "/isp/payment/bkash/callback",
                    params={"paymentID": payment_id, "status": "success"},
                    allow_redirects=False, timeout=120))

            threads = [threading.Thread(target=callback) for _i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(180)
        assert [a.status_code for a in answers] == [302, 302]
        assert len({a.headers["Location"] for a in answers}) == 1
        assert len(bkash.executes()) == 1
        assert not server.bad_lines(), server.bad_lines()
        with env_of(app_db) as env:
            tx = env["payment.transaction"].browse(tx_id)
            assert tx.state == "done"
            payments = env["account.payment"].search([("isp_reference", "=", tx.isp_trx_id)])
            assert len(payments) == 1
            assert len(env["isp.subscription"].browse(sub_id).invoice_ids) == 1
        close(app_db)
    finally:
        bkash.stop()
        sms.stop()


def _login(session, url, login, password):
    import re
    page = session.get(url + "/web/login", timeout=120)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    resp = session.post(url + "/web/login", timeout=120, data={
        "login": login, "password": password, "csrf_token": csrf})
    assert resp.status_code == 200


@pytest.mark.skipif("isp_cards" not in isp_dev.app_modules(),
                    reason="isp_cards is not in the app template")
def test_customer_redeems_a_card_in_the_portal(app_db):
    """With isp_cards installed, the account page redeems a recharge card
    (isp_cards' `redeem`: a wrong PIN is refused and logged, the right one
    recharges the customer's own account)."""
    import re
    port = isp_dev.free_port()
    portal = "http://127.0.0.1:%d" % port
    with env_of(app_db) as env:
        env["ir.config_parameter"].set_param("web.base.url", portal)
        root = env.ref("base.main_company").partner_id
        master = env["isp.master.package"].create({
            "name": "Card 5M", "download_kbps": 5120, "upload_kbps": 2048})
        plan = env["isp.service.plan"].create({
            "name": "Card 7 days", "master_package_id": master.id, "billing_type": "daily",
            "validity_value": 7, "customer_price": 150.0, "allow_hotspot": True,
            "operator_id": root.id})
        partner = env["res.partner"].create({"name": "Card customer", "mobile": "01911000707",
                                             "isp_is_subscriber": True})
        env["res.users"].with_context(no_reset_password=True).create({
            "name": "Card customer", "login": "card.customer", "password": "card-pw-1",
            "partner_id": partner.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
        sub = env["isp.subscription"].create({
            "partner_id": partner.id, "connection_type": "pppoe", "billing_type": "daily",
            "username": "card-user", "password": "pw"})
        batch = env["isp.card.batch"].create({
            "operator_id": root.id, "plan_id": plan.id, "value": 150.0, "commission": 0.0,
            "quantity": 1})
        batch.action_generate()
        shop = env["res.partner"].create({"name": "Card shop", "is_company": True,
                                          "isp_is_card_distributor": True,
                                          "isp_operator_id": root.id})
        batch.action_handover(shop)
        card = env["isp.card"].search([("batch_id", "=", batch.id)])
        pin, card_id, sub_id = card.sudo().pin, card.id, sub.id
    close(app_db)
    server = isp_dev.OdooServer(app_db, http_port=port)
    with contextlib.ExitStack() as stack:
        server.start(timeout=300)
        stack.callback(server.stop)
        session = requests.Session()
        _login(session, portal, "card.customer", "card-pw-1")
        page = session.get(portal + "/my/isp/%d" % sub_id, timeout=120)
        assert "isp_card_form" in page.text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        wrong = "0" * len(pin) if pin != "0" * len(pin) else "1" * len(pin)
        # (the answer redirects to the account page, which shows the outcome once)
        page = session.post(portal + "/my/isp/%d/redeem" % sub_id, timeout=120,
                            data={"pin": wrong, "csrf_token": csrf})
        assert "isp_error" in page.text and 'data-state="draft"' in page.text
        page = session.post(portal + "/my/isp/%d/redeem" % sub_id, timeout=120,
                            data={"pin": pin, "csrf_token": csrf})
        alert = page.text[page.text.find('class="alert'):][:300]
        assert "isp_message" in page.text and 'data-state="active"' in page.text, alert
    assert not server.bad_lines(), server.bad_lines()
    with env_of(app_db) as env:
        assert env["isp.card"].browse(card_id).state == "redeemed"
        assert env["isp.subscription"].browse(sub_id).plan_id.name == "Card 7 days"
        assert env["isp.card.attempt"].search_count([("subscription_id", "=", sub_id)]) >= 1
    close(app_db)
