"""isp_portal across processes: a hotspot visitor in headless Chromium
(Debian's chromium + chromium-driver, driven through chromedriver's W3C HTTP
API) registers by mobile number, reads the one-time code from the local SMS
stand-in, buys a package, pays with the bKash stand-in and sees its account
active; screenshots of the main pages go to tests/artifacts/portal/ (not
committed). And two concurrent bKash callbacks on their own transactions
post the payment once."""
import contextlib
import os
import threading
import time

import pytest
import requests

from browser import PHONE, Browser
from conftest import ROOT, isp_dev
from odoo_env import close, env_of

pytestmark = pytest.mark.skipif("isp_portal" not in isp_dev.app_modules(),
                                reason="isp_portal is not in the app template")

ARTIFACTS = os.path.join(ROOT, "tests", "artifacts", "portal")


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
            browser = Browser(size=PHONE)
            try:
                browser.go(portal + "/hotspot/login?mac=AA:BB:CC:00:11:22&ip=10.5.50.9"
                           "&link-login-only=http%3A%2F%2F10.5.50.1%2Flogin")
                assert 'action="http://10.5.50.1/login"' in browser.source
                browser.screenshot(os.path.join(ARTIFACTS, "1-hotspot-login.png"))
                browser.click("a.isp_register")
                browser.type("#isp_mobile", "01911000404")
                browser.screenshot(os.path.join(ARTIFACTS, "2-register.png"))
                browser.click("form.isp_register_form button[type=submit]")
                browser.wait_for(lambda: browser.url.endswith("/hotspot/verify"))
                code = sms.last_code("+8801911000404")
                assert code, sms.messages
                browser.type("#isp_code", code)
                browser.type("#isp_new_password", "visitor-pw-1")
                browser.type("#isp_new_confirm", "visitor-pw-1")
                browser.screenshot(os.path.join(ARTIFACTS, "3-verify.png"))
                browser.click("form.isp_verify_form button[type=submit]")
                browser.wait_for(lambda: "/my/isp/" in browser.url)
                assert 'data-state="draft"' in browser.source
                assert "Hotspot 1 day" in browser.source
                browser.screenshot(os.path.join(ARTIFACTS, "4-account-new.png"))
                browser.click("input[name=plan_id][value='%d']" % plan_id)
                browser.click("button.isp_pay_bkash")
                browser.wait_for(lambda: browser.url.startswith(bkash.url + "/checkout"))
                browser.screenshot(os.path.join(ARTIFACTS, "5-bkash.png"))
                browser.click("#confirm")
                browser.wait_for(lambda: "/isp/payment/result/" in browser.url)
                assert 'data-state="done"' in browser.source, browser.source[-2000:]
                browser.screenshot(os.path.join(ARTIFACTS, "6-paid.png"))
                browser.click("a.isp_back")
                browser.wait_for(lambda: "/my/isp/" in browser.url)
                assert 'data-state="active"' in browser.source
                # the device can now log in at the router with its account
                assert 'action="http://10.5.50.1/login"' in browser.source
                assert 'value="8801911000404"' in browser.source
                browser.screenshot(os.path.join(ARTIFACTS, "7-account-active.png"))
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
