"""isp_portal in headless Chromium (tests/browser.py), on a phone screen:
the customer's usage page draws its daily usage chart beside the table (no
console error, no failed request; the screenshot is kept for the README in
docs/screenshots/portal-usage.png), and the reseller panel's new customer
form offers the packages of the operator chosen, changing them when the
operator changes, and creates a customer of a sub-reseller."""
import contextlib
import datetime
import os

import pytest

from browser import PHONE, Browser
from conftest import ROOT, isp_dev
from odoo_env import close, env_of

pytestmark = pytest.mark.skipif(not {"isp_portal", "isp_radius"} <= set(isp_dev.app_modules()),
                                reason="isp_portal and isp_radius are not in the app template")

SCREENSHOTS = os.path.join(ROOT, "docs", "screenshots")
ARTIFACTS = os.path.join(ROOT, "tests", "artifacts", "portal")
MIB = 1048576
#: days ago -> (download MB, upload MB) of the chart's customer
USAGE = {n: (150 + (n * 97) % 900, 10 + (n * 13) % 80) for n in range(31) if n % 4 != 2}


def customer_with_usage(env):
    """A portal customer with an account and 31 days of usage (a day in
    four without any)."""
    partner = env["res.partner"].create({
        "name": "Chart Customer", "mobile": "01711000901", "isp_is_subscriber": True,
        "email": "chart.customer@example.com"})
    env["res.users"].with_context(no_reset_password=True).create({
        "name": "Chart Customer", "login": "chart.customer", "password": "chart.customer-pw",
        "partner_id": partner.id, "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
    sub = env["isp.subscription"].create({
        "partner_id": partner.id, "connection_type": "pppoe", "billing_type": "daily",
        "username": "chart01", "password": "chart-pw-1"})
    today = datetime.date.today()
    for days_ago, (down, up) in USAGE.items():
        env.cr.execute("""
            INSERT INTO radius.usage_daily (day, username, subscription_id, upload_bytes,
                                            download_bytes, session_time, sessions)
            VALUES (%s, %s, %s, %s, %s, 3600, 1)""",
                       (today - datetime.timedelta(days=days_ago), sub.username, sub.id,
                        up * MIB, down * MIB))
    return sub.id


def reseller_with_subreseller(env):
    """Reseller R (login chart.reseller) and its sub-reseller S, each with
    a 7-day package and money in its wallet: {name: id}."""
    Partner, Plan = env["res.partner"], env["isp.service.plan"]
    company = env.ref("base.main_company")
    cash = env["account.payment"].isp_default_journal(company, "cash")
    master = env["isp.master.package"].create({
        "name": "Chart 10M", "download_kbps": 10240, "upload_kbps": 5120,
        "speed_controller": "radius"})
    ids = {}
    parent = company.partner_id
    for key, name, price, cost in (("r", "Chart Reseller", 300.0, 200.0),
                                   ("s", "Chart Sub-reseller", 350.0, 280.0)):
        op = Partner.create({"name": name, "is_company": True, "isp_is_operator": True,
                             "isp_parent_operator_id": parent.id,
                             "isp_reseller_mode": "prepaid",
                             "isp_may_create_subresellers": key == "r"})
        # (the sub-reseller's money is cash its reseller took: R needs more)
        env["isp.operator.money.wizard"].create({
            "operator_id": op.id, "amount": 5000.0 if key == "r" else 1000.0,
            "journal_id": cash.id}).action_apply()
        plan = Plan.create({
            "name": "%s 7 days" % name, "operator_id": op.id, "master_package_id": master.id,
            "billing_type": "daily", "validity_value": 7, "customer_price": price,
            "operator_price": cost, "allow_pppoe": True, "allow_hotspot": key == "r"})
        ids[key], ids["plan_" + key] = op.id, plan.id
        parent = op
    env["res.users"].with_context(no_reset_password=True).create({
        "name": "Chart Reseller", "login": "chart.reseller", "password": "chart.reseller-pw",
        "isp_operator_id": ids["r"],
        "groups_id": [(6, 0, [env.ref("isp_base.group_isp_reseller").id])]})
    return ids


def options(browser, css):
    return browser.execute(
        "return Array.prototype.map.call(document.querySelectorAll(arguments[0]), "
        "function (o) { return [o.value, o.textContent.trim(), o.disabled]; });", css)


def test_usage_chart_and_reseller_offers_in_chromium(app_db):
    with env_of(app_db) as env:
        sub_id = customer_with_usage(env)
        ids = reseller_with_subreseller(env)
    close(app_db)
    server = isp_dev.OdooServer(app_db)
    with contextlib.ExitStack() as stack:
        server.start(timeout=300)
        stack.callback(server.stop)
        browser = Browser(size=PHONE)
        stack.callback(browser.quit)

        # the customer's usage: a bar per day with usage, on a phone screen
        browser.login(server.url, "chart.customer", "chart.customer-pw")
        browser.go(server.url + "/my/isp/%d" % sub_id)
        browser.wait_js("document.querySelector('figure.isp_usage_chart svg')")
        bars = browser.execute(
            "return Array.prototype.map.call(document.querySelectorAll('g.isp_usage_bar'), "
            "function (g) { var r = g.querySelector('rect').getBoundingClientRect(); "
            "return [g.getAttribute('data-date'), g.getAttribute('data-mb'), r.width, "
            "r.height]; });")
        today = datetime.date.today()
        expected = sorted(((today - datetime.timedelta(days=n)).isoformat(),
                           "%.1f" % (down + up)) for n, (down, up) in USAGE.items())
        assert [(date, mb) for date, mb, _w, _h in bars] == expected
        assert all(w > 2 and h > 0 for _d, _mb, w, h in bars), bars
        # as wide as the phone's screen, no wider; the table comes under it
        width, screen, table_top, chart_bottom = browser.execute(
            "var svg = document.querySelector('figure.isp_usage_chart svg')"
            ".getBoundingClientRect();"
            "return [svg.width, document.documentElement.clientWidth,"
            " document.querySelector('table.isp_usage_daily').getBoundingClientRect().top,"
            " svg.bottom];")
        assert screen * 0.6 < width <= screen, (width, screen)
        assert table_top >= chart_bottom
        browser.execute("document.querySelector('.isp_usage').scrollIntoView();")
        browser.screenshot(os.path.join(SCREENSHOTS, "portal-usage.png"))
        assert not browser.problems()

        # the reseller's new customer form follows the operator chosen
        browser.go(server.url + "/web/session/logout")
        browser.login(server.url, "chart.reseller", "chart.reseller-pw")
        browser.go(server.url + "/my/reseller/customer/new")
        browser.wait_js("document.querySelector('form.isp_new_customer_form')")
        assert [o[0] for o in options(browser, "#operator_id option")] == [
            str(ids["r"]), str(ids["s"])]
        assert [o[0] for o in options(browser, "#plan_id option")] == [str(ids["plan_r"])]
        assert [o[2] for o in options(browser, "#connection_type option")] == [False, False]
        browser.click("#operator_id option[value='%d']" % ids["s"])
        plans = options(browser, "#plan_id option")
        assert [(value, disabled) for value, _label, disabled in plans] == [
            (str(ids["plan_s"]), False)]
        assert "350.00" in plans[0][1] and "350.0)" not in plans[0][1]
        # its package is PPPoE only: hotspot cannot be chosen
        assert [(o[0], o[2]) for o in options(browser, "#connection_type option")] == [
            ("pppoe", False), ("hotspot", True)]
        for css, text in (("#name", "Browser Walk-in"), ("#mobile", "01711000902"),
                          ("#username", "chart-walkin"), ("#password", "walkin-pw-1")):
            browser.type(css, text)
        browser.click("input[name=activate]")
        browser.screenshot(os.path.join(ARTIFACTS, "reseller-new-customer.png"))
        browser.click("form.isp_new_customer_form button[type=submit]")
        browser.wait_for(lambda: "search=chart-walkin" in browser.url, what="the customer")
        assert "Browser Walk-in created" in browser.source
        assert not browser.problems()
    assert not server.bad_lines(), server.bad_lines()
    with env_of(app_db) as env:
        sub = env["isp.subscription"].search([("username", "=", "chart-walkin")])
        assert (sub.operator_id.id, sub.plan_id.id, sub.state) == (
            ids["s"], ids["plan_s"], "active")
    close(app_db)
