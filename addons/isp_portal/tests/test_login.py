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
