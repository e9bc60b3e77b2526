"""The demo database `make run` gives (the app template): an ISP in Dhaka
whose books are in BDT from the first entry, and its website's home page in
headless Chromium (tests/browser.py), which sells the ISP's public packages
and leads to sign-up, recharge cards, paying a bill and logging in, with no
console error and no failed request; its screenshot is kept for the README
in docs/screenshots/website-home.png."""
import base64
import contextlib
import os
import re

import pytest
import requests

from browser import DESKTOP, PHONE, Browser
from conftest import ROOT, isp_dev
from odoo_env import close, env_of

pytestmark = pytest.mark.skipif("isp_portal" not in isp_dev.app_modules(),
                                reason="isp_portal is not in the app template")

SCREENSHOTS = os.path.join(ROOT, "docs", "screenshots")
ARTIFACTS = os.path.join(ROOT, "tests", "artifacts", "website")


def usd_records(env, company):
    """{(model, field): count} of the company's records whose stored currency
    field is USD (country currencies and exchange rates aside)."""
    usd = env.ref("base.USD")
    found = {}
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract or model._transient or not model._auto or name in (
                "res.country", "res.currency.rate"):
            continue
        for fname, field in model._fields.items():
            if not (field.store and field.type == "many2one"
                    and field.comodel_name == "res.currency"):
                continue
            domain = [(fname, "=", usd.id)]
            if "company_id" in model._fields and model._fields["company_id"].store:
                domain.append(("company_id", "=", company.id))
            count = model.with_context(active_test=False).search_count(domain)
            if count:
                found[(name, fname)] = count
    return found


def test_demo_company_is_a_dhaka_isp_with_books_in_bdt(app_db):
    with env_of(app_db) as env:
        company = env.ref("base.main_company")
        bdt = env.ref("base.BDT")
        assert company.name == "Padma Broadband Ltd."
        assert (company.city, company.country_id.code) == ("Dhaka", "BD")
        assert company.phone.startswith("+880 ") and company.email.endswith(".example.com")
        assert base64.b64decode(company.logo)[:8] == b"\x89PNG\r\n\x1a\n"
        assert company.report_header and "bKash" in company.report_footer
        assert company.currency_id == bdt
        # the books: every document of the company in BDT, none left in USD
        assert usd_records(env, company) == {}
        bills = env["account.invoice"].search([("isp_subscription_id", "!=", False)])
        payments = env["account.payment"].search([("isp_payment_method", "!=", False)])
        assert bills and payments
        assert set(bills.mapped("currency_id")) == {bdt}
        assert set(payments.mapped("currency_id")) == {bdt}
        assert set(env["isp.service.plan"].search([]).mapped("currency_id")) == {bdt}
        lines = env["account.move.line"].search([("company_id", "=", company.id)])
        assert set(lines.mapped("company_currency_id")) == {bdt}
        assert not lines.filtered("currency_id")   # no foreign-currency line
        assert round(sum(lines.mapped("debit")) - sum(lines.mapped("credit")), 2) == 0
        assert {j.currency_id for j in env["account.journal"].search(
            [("company_id", "=", company.id)])} <= {bdt, env["res.currency"]}
        assert env.ref("product.list0").currency_id == bdt
        # Odoo's own demo invoice kept its amounts, now in taka
        odoo_demo = env.ref("l10n_generic_coa.demo_invoice_1")
        assert (odoo_demo.currency_id, odoo_demo.amount_total) == (bdt, 4610.0)
        assert sum(odoo_demo.move_id.line_ids.mapped("debit")) == 4610.0
        # what the home page must show: the ISP's public packages
        plans = env["isp.service.plan"].search([
            ("operator_id", "=", company.partner_id.id), ("visibility", "=", "public")])
        assert len(plans) >= 3
    close(app_db)


def test_website_home_in_chromium(app_db):
    with env_of(app_db) as env:
        company = env.ref("base.main_company")
        plans = env["isp.service.plan"].search([
            ("operator_id", "=", company.partner_id.id), ("visibility", "=", "public")])
        expected = {p.name for p in plans}
        hidden = {p.name for p in env["isp.service.plan"].search([]) - plans}
        name = company.name
        bill_id = env["account.invoice"].search([("isp_subscription_id", "!=", False),
                                                 ("state", "in", ("open", "paid"))],
                                                limit=1).id
        logo = company.logo.decode()
    close(app_db)
    server = isp_dev.OdooServer(app_db)
    with contextlib.ExitStack() as stack:
        server.start(timeout=300)
        stack.callback(server.stop)
        browser = Browser(size=DESKTOP)
        stack.callback(browser.quit)
        browser.go(server.url + "/")
        browser.wait_js("document.readyState === 'complete'")
        shown = browser.execute(
            "return Array.prototype.map.call(document.querySelectorAll('.isp_package'), "
            "function (p) { return [p.querySelector('.isp_package_name').textContent.trim(),"
            " p.querySelector('.isp_package_price').textContent.replace(/\\s+/g, ' ')"
            ".trim()]; });")
        assert {n for n, _price in shown} == expected
        assert not {n for n, _price in shown} & hidden
        for _name, price in shown:
            assert re.match(r"^[\d,]+\.\d\d \u09f3 (per month|for \d+ (day|days|hours?))$",
                            price), price
        text = browser.execute("return document.body.innerText;")
        assert name in text and "YourCompany" not in text and "free website" not in text
        assert not browser.problems()
        # the whole page for the README
        height = browser.execute("return document.documentElement.scrollHeight;")
        browser.cmd("POST", "/window/rect", {"width": DESKTOP[0], "height": height + 140})
        browser.screenshot(os.path.join(SCREENSHOTS, "website-home.png"))

        # each way out of the home page leads to a working page
        for css, lands, sign in (
                (".isp_link_signup", "/hotspot/register", "form.isp_register_form"),
                (".isp_link_card", "/card/redeem", "input[name=pin]"),
                (".isp_link_pay", "/web/login", "form.oe_login_form"),
                (".isp_link_login", "/web/login", "form.oe_login_form")):
            browser.go(server.url + "/")
            browser.click(css)
            browser.wait_for(lambda lands=lands: lands in browser.url, what=lands)
            browser.wait_js("document.querySelector(%r)" % sign)
            assert not browser.problems(), css
        # on a phone too
        phone = Browser(size=PHONE)
        stack.callback(phone.quit)
        phone.go(server.url + "/")
        phone.wait_js("document.readyState === 'complete'")
        phone.screenshot(os.path.join(ARTIFACTS, "website-home-phone.png"))
        assert not phone.problems()
        # the letterhead of its documents (the HTML report: Debian's
        # wkhtmltopdf leaves PDF headers and footers out, see README)
        admin = requests.Session()
        assert admin.post(server.url + "/web/session/authenticate", timeout=60, json={
            "jsonrpc": "2.0", "params": {"db": app_db, "login": "admin",
                                         "password": "admin"}}).json()["result"]["uid"]
        report = admin.get(server.url + "/report/html/account.report_invoice/%d" % bill_id,
                           timeout=300)
        assert report.status_code == 200
        header = report.text[report.text.index('<div class="header">'):
                             report.text.index('class="article')]
        footer = report.text[report.text.index('<div class="footer">'):]
        assert "data:image/png;base64,%s" % logo in header
        for text in ("Home and business internet in Dhaka", name, "Gulshan Avenue", "Dhaka"):
            assert text in header, text
        for text in ("+880 9611-677100", "care@padmabroadband.example.com",
                     "Pay with bKash, at our office"):
            assert text in footer, text
    assert not server.bad_lines(), server.bad_lines()
