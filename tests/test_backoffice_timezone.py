"""The back office shows datetimes in the user's time zone (else the
company's), not in the browser's: Chromium runs in UTC here, the users live
in Dhaka. A form shows the end of an account's validity, a datetime typed
in a form is stored as the user meant it."""
import os

import pytest

from browser import DESKTOP, Browser
from conftest import isp_dev
from odoo_env import close, env_of

pytestmark = pytest.mark.skipif(
    not os.path.exists("/usr/bin/chromium") and not os.path.exists("/usr/bin/chromedriver"),
    reason="Debian's chromium and chromium-driver are needed")

FORM = "/web#id=%d&model=isp.subscription&view_type=form"
VALID_UNTIL = "document.querySelector('.o_form_view [name=validity_end]')"


def test_backoffice_datetimes_in_the_users_zone(app_db):
    with env_of(app_db) as env:
        env["res.lang"].load_lang("en_GB")
        env.user.company_id.partner_id.tz = "Asia/Dhaka"
        Users = env["res.users"].with_context(no_reset_password=True)
        groups = [env.ref("base.group_user").id, env.ref("isp_base.group_isp_admin").id]
        for login, tz in (("tz.dhaka", "Asia/Dhaka"), ("tz.nozone", False)):
            user = Users.create({"name": login, "login": login, "password": login,
                                 "lang": "en_GB", "groups_id": [(6, 0, groups)]})
            user.partner_id.tz = tz  # no zone: the company's
        partner = env["res.partner"].create({"name": "Zone Subscriber",
                                             "mobile": "01711000778",
                                             "isp_is_subscriber": True})
        sub = env["isp.subscription"].create({
            "partner_id": partner.id, "plan_id": env.ref("isp_base.plan_home_10m").id,
            "username": "zoneuser", "password": "pw"})
        # 23:59:59 on 31 March 2031 in Dhaka
        sub.with_context(isp_no_network_event=True).validity_end = "2031-03-31 17:59:59"
        sub_id = sub.id
    close(app_db)
    server = isp_dev.OdooServer(app_db, env={"TZ": "UTC"})
    with server:
        for login in ("tz.dhaka", "tz.nozone"):
            browser = Browser(size=DESKTOP)
            try:
                assert browser.execute(
                    "return Intl.DateTimeFormat().resolvedOptions().timeZone;") == "UTC"
                browser.login(server.url, login, login)
                browser.go(server.url + FORM % sub_id)
                shown = browser.until(
                    "%s && %s.innerText.trim()" % (VALID_UNTIL, VALID_UNTIL),
                    what="the validity end on the form")
                assert shown == "31/03/2031 23:59:59", (login, shown)
                assert not browser.problems(), browser.problems()
            finally:
                browser.quit()
        # typed in the form: 30/04/2031 23:59:59 in Dhaka is 17:59:59 UTC
        browser = Browser(size=DESKTOP)
        try:
            browser.login(server.url, "tz.dhaka", "tz.dhaka")
            browser.go(server.url + FORM % sub_id)
            browser.until(VALID_UNTIL, what="the form")
            browser.until("document.querySelector('.o_form_button_edit')")
            browser.click(".o_form_button_edit")
            field = ".o_form_view [name=validity_end] input.o_datepicker_input"
            browser.until("document.querySelector(%r)" % field, what="the date input")
            browser.execute("var i = document.querySelector(arguments[0]); i.value = '';"
                            "i.dispatchEvent(new Event('input'));", field)
            browser.type(field, "30/04/2031 23:59:59")
            browser.execute("document.querySelector(arguments[0])"
                            ".dispatchEvent(new Event('change', {bubbles: true}));", field)
            browser.click(".o_form_button_save")
            browser.until("document.querySelector('.o_form_button_edit')"
                          " && document.querySelector('.o_form_readonly')", what="the save")
            assert not browser.problems(), browser.problems()
        finally:
            browser.quit()
    assert not server.bad_lines(), server.bad_lines()
    with env_of(app_db) as env:
        assert env["isp.subscription"].browse(sub_id).validity_end == "2031-04-30 17:59:59"
    close(app_db)
