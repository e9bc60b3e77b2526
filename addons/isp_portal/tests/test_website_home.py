# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The website's home page as a visitor and as a customer: the ISP's public
packages with their price in the currency's format and their speed, links
to sign-up, recharge cards, paying a bill and logging in that answer, the
company's contact details instead of Odoo's sample footer."""
import re
import unittest

from odoo.tests.common import at_install, post_install

from ..lib import storefront
from .common import PortalHttpCase


class TestStorefrontLib(unittest.TestCase):

    def test_speed_text(self):
        for kbps, text in [(10240, "10 Mbps"), (1536, "1.5 Mbps"), (1024, "1 Mbps"),
                           (512, "512 kbps"), (102400, "100 Mbps"), (0, ""), (None, "")]:
            self.assertEqual(storefront.speed_text(kbps), text)

    def test_internet_and_groups(self):
        self.assertTrue(storefront.is_internet(["hotspot"]))
        self.assertTrue(storefront.is_internet(["other", "static"]))
        self.assertFalse(storefront.is_internet(["other"]))
        rows = [{"billing_type": t, "n": i} for i, t in enumerate(
            ["daily", "monthly", "daily", "monthly"])]
        groups = storefront.group_packages(rows)
        self.assertEqual([r["n"] for r in groups["monthly"]], [1, 3])
        self.assertEqual([r["n"] for r in groups["daily"]], [0, 2])


def panel(page, plan):
    """The HTML of `plan`'s card on the page ('' when it is not there)."""
    match = re.search(r'<div class="panel panel-default isp_package" data-plan-id="%d">'
                      r'(.*?)</div>\s*</div>\s*</div>' % plan.id, page, re.S)
    return match.group(1) if match else ""


def money(amount, currency):
    """An amount as Odoo's monetary widget writes it in the currency's format."""
    number = '<span class="oe_currency_value">%s</span>' % "{:,.2f}".format(amount)
    if currency.position == "before":
        return "%s\N{NO-BREAK SPACE}%s" % (currency.symbol, number)
    return "%s\N{NO-BREAK SPACE}%s" % (number, currency.symbol)


@at_install(False)
@post_install(True)
class TestWebsiteHome(PortalHttpCase):

    def setUp(self):
        super().setUp()
        env = self.env
        isp = self.company.partner_id
        vat = env["account.tax"].create({
            "name": "VAT 5% (test)", "amount": 5.0, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": self.company.id})
        master = env["isp.master.package"].create({
            "name": "H 30M", "download_kbps": 30720, "upload_kbps": 15360})
        Plan = env["isp.service.plan"]
        self.plan_big = Plan.create({
            "name": "Home 30M (test)", "master_package_id": master.id,
            "billing_type": "monthly", "customer_price": 1234.5, "operator_id": isp.id})
        self.plan_vat = Plan.create({
            "name": "Home 30M with VAT (test)", "master_package_id": master.id,
            "billing_type": "monthly", "customer_price": 1000.0, "tax_ids": [(6, 0, vat.ids)],
            "operator_id": isp.id})
        self.plan_tv = Plan.create({
            "name": "Cable TV (test)", "master_package_id": master.id,
            "billing_type": "monthly", "customer_price": 300.0, "allow_pppoe": False,
            "allow_other": True, "operator_id": isp.id})
        self.plan_archived = Plan.create({
            "name": "Old 2M (test)", "master_package_id": master.id,
            "billing_type": "monthly", "customer_price": 500.0, "operator_id": isp.id,
            "active": False})
        self.reseller, self.reseller_plan, _user = self.new_prepaid_reseller("web")
        Partner = env["res.partner"]
        self.shop = Partner.create({
            "name": "Corner Shop (test)", "is_company": True, "isp_is_card_distributor": True,
            "isp_operator_id": isp.id, "street": "Road 5", "city": "Dhaka",
            "mobile": "01715000901"})
        self.reseller_shop = Partner.create({
            "name": "Reseller Shop (test)", "is_company": True,
            "isp_is_card_distributor": True, "isp_operator_id": self.reseller.id})

    def home(self):
        page = self.get("/")
        self.assertEqual(page.status_code, 200)
        return page.text

    def test_visitor_sees_the_public_packages_priced_and_their_speed(self):
        page = self.home()
        currency = self.company.currency_id
        for plan, price, period in [(self.plan_big, 1234.5, "per month"),
                                    (self.plan_vat, 1050.0, "per month"),   # VAT included
                                    (self.plan_daily, 250.0, "for 7 days"),
                                    (self.plan_hours, 10.0, "for 3 hours"),
                                    (self.plan_tv, 300.0, "per month")]:
            card = panel(page, plan)
            self.assertIn(plan.name, card)
            self.assertIn(money(price, currency), card)
            self.assertIn(period, card)
        self.assertIn("<strong>30 Mbps</strong> download", panel(page, self.plan_big))
        self.assertIn("15 Mbps upload", panel(page, self.plan_big))
        self.assertIn("<strong>10 Mbps</strong> download", panel(page, self.plan_daily))
        self.assertNotIn("download", panel(page, self.plan_tv))    # not internet
        # monthly packages first, then the prepaid ones
        self.assertLess(page.index('data-plan-id="%d"' % self.plan_big.id),
                        page.index('data-plan-id="%d"' % self.plan_daily.id))
        # private, archived and resellers' packages are not sold here
        for plan in (self.plan_private, self.plan_archived, self.reseller_plan):
            self.assertNotIn('data-plan-id="%d"' % plan.id, page)
            self.assertNotIn(plan.name, page)
        # the ISP's card shops, not its resellers'
        self.assertIn("Corner Shop (test)", page)
        self.assertIn('href="tel:01715000901"', page)
        self.assertNotIn("Reseller Shop (test)", page)

    def test_links_lead_to_signup_cards_bills_and_login(self):
        page = self.home()
        links = set(re.findall(r'<a[^>]* href="(/[^"]*)"', page))
        for wanted in ("/hotspot/register", "/card/redeem", "/my/isp", "/web/login",
                       "/contactus"):
            self.assertIn(wanted, links)
        for link in sorted(links):
            resp = self.get(link.replace("&amp;", "&"))
            self.assertEqual(resp.status_code, 200, link)
        self.assertIn('action="/hotspot/register"', self.get("/hotspot/register").text)
        self.assertIn('name="pin"', self.get("/card/redeem").text)
        # paying a bill: a visitor logs in first, then lands on its accounts
        login = self.get("/my/isp")
        self.assertIn("/web/login", login.url)
        self.assertIn('name="redirect" value="%s/my/isp"' % self.base_url(), login.text)
        # without self-registration there is no sign-up link (its page is a 404)
        self.company.isp_portal_signup = False
        page = self.home()
        self.assertNotIn("/hotspot/register", page)
        self.assertEqual(self.get("/hotspot/register").status_code, 404)

    def test_the_company_instead_of_odoo_samples(self):
        company = self.company
        company.write({"phone": "+880 9611-000111", "email": "care@isp.example.com",
                       "street": "House 9, Road 2", "city": "Dhaka"})
        page = self.home()
        for text in ("Create a", "free website", "www.odoo.com", "YourCompany",
                     "We are a team of passionate people", "facebook.com/Odoo"):
            self.assertNotIn(text, page)
        footer = page[page.index("<footer"):]
        for text in (company.name, "+880 9611-000111", 'href="tel:+8809611000111"',
                     'href="mailto:care@isp.example.com"', "House 9, Road 2", "Dhaka",
                     company.country_id.name):
            self.assertIn(text, footer)

    def test_a_logged_in_customer_goes_to_its_account(self):
        self.login(self.user_a)
        page = self.home()
        self.assertIn('href="/my/home"', page)
        self.assertNotIn('isp_link_login', page)
        # "Pay a bill" takes a logged-in customer straight to its accounts
        self.assertIn('href="/my/isp"', page)
        accounts = self.get("/my/isp")
        self.assertEqual(accounts.url, self.base_url() + "/my/isp")
        self.assertIn("cust-a-monthly", accounts.text)
