# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where each kind of login lands after the login form."""
import re

from odoo.tests.common import at_install, post_install

from .common import PortalHttpCase


@at_install(False)
@post_install(True)
class TestLanding(PortalHttpCase):

    def submit_login(self, login, password, redirect=None):
        page = self.url_open("/web/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {"login": login, "password": password, "csrf_token": csrf}
        if redirect:
            data["redirect"] = redirect
        self.env.cr.commit()  # pylint: disable=invalid-commit
        resp = self.opener.post(self.base_url() + "/web/login", data=data, timeout=60,
                                allow_redirects=False)
        # Odoo answers a redirect that keeps the URL's #hash: a page whose
        # script sets window.location
        target = re.search(r"window\.location = '([^']*)'", resp.text)
        self.assertTrue(target, resp.text[:500])
        return target.group(1)

    def test_portal_customer_lands_on_its_account(self):
        self.assertEqual(self.submit_login(self.user_a.login, self.user_a.login + "-pw"),
                         "/my")
        page = self.get("/my")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Customer A", page.text)

    def test_reseller_lands_on_its_account(self):
        _operator, _plan, user = self.new_prepaid_reseller("land")
        self.assertEqual(self.submit_login(user.login, user.login + "-pw"), "/my")

    def test_staff_lands_in_the_back_office(self):
        staff = self.env["res.users"].create({
            "name": "Land staff", "login": "land.staff", "password": "land.staff-pw",
            "groups_id": [(6, 0, [self.env.ref("isp_base.group_isp_helpdesk").id])]})
        self.assertTrue(self.submit_login(staff.login, "land.staff-pw").startswith("/web"))

    def test_an_asked_page_wins(self):
        self.assertEqual(self.submit_login(self.user_a.login, self.user_a.login + "-pw",
                                           redirect="/my/isp"), "/my/isp")


OFF_SITE = ("https://evil.example/", "//evil.example/", "/\\evil.example/",
            "https:evil.example/", "/\t/evil.example/", "https://127.0.0.1.evil.example/")


@at_install(False)
@post_install(True)
class TestSameSiteRedirects(PortalHttpCase):
    """After login, logout or a language switch the browser stays on the
    ISP's site, whatever `redirect` the link carried."""

    def test_login_form_never_sends_off_site(self):
        for evil in OFF_SITE:
            self.opener.cookies.clear()
            target = self.submit_login(self.user_a.login, self.user_a.login + "-pw",
                                       redirect=evil)
            self.assertEqual(target, "/my", repr(evil))
        self.opener.cookies.clear()
        # the site's own address, written in full, is fine
        self.assertEqual(self.submit_login(self.user_a.login, self.user_a.login + "-pw",
                                           redirect=self.base_url() + "/my/isp"),
                         self.base_url() + "/my/isp")

    def test_login_page_of_a_logged_in_user(self):
        self.login(self.user_a)
        page = self.get("/web/login?redirect=https%3A%2F%2Fevil.example%2F", follow=False)
        self.assertNotIn("evil.example", page.headers.get("Location", ""))
        self.assertNotIn("window.location = 'https://evil.example", page.text)
        self.assertNotIn('value="https://evil.example/"', page.text)   # the form's redirect
        page = self.get("/web/login?redirect=%2Fmy%2Fisp", follow=False)
        self.assertIn("window.location = '/my/isp'", page.text)

    def test_logout_web_client_and_language_switch(self):
        self.login(self.user_a)
        for path in ("/web?redirect=https%3A%2F%2Fevil.example%2F",
                     "/web/session/logout?redirect=https%3A%2F%2Fevil.example%2F",
                     "/website/lang/en_US?r=https%3A%2F%2Fevil.example%2F",
                     "/web/session/logout?redirect=%2F%2Fevil.example%2F"):
            resp = self.get(path, follow=False)
            self.assertIn(resp.status_code, (302, 303), path)
            self.assertNotIn("evil.example", resp.headers["Location"], path)
        resp = self.get("/web/session/logout?redirect=%2Fshop", follow=False)
        self.assertTrue(resp.headers["Location"].endswith("/shop"))

    def submit_login(self, login, password, redirect=None):
        return TestLanding.submit_login(self, login, password, redirect=redirect)
