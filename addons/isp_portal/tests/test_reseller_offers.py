# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the reseller panel offers, as the reseller's own login: for its own
customers its own packages, for a customer of its sub-reseller the
sub-reseller's packages (isp_reseller's rule, the one its constraint
checks), exactly; each can be submitted; prices in the currency's format."""
import html
import re

from odoo.tests.common import at_install, post_install

from .test_reseller import ResellerCase


@at_install(False)
@post_install(True)
class TestResellerOffers(ResellerCase):
    """R (with R 7 days, and a monthly package) has a sub-reseller S (S 7
    days: customer price 350, S buys it from R at 280) with a customer."""

    def setUp(self):
        super().setUp()
        env = self.env
        cash = env["account.payment"].isp_default_journal(self.company, "cash")
        # R receives S's cash below (its wallet pays it): more money first
        env["isp.operator.money.wizard"].create({
            "operator_id": self.ops["r"].id, "amount": 2000.0,
            "journal_id": cash.id}).action_apply()
        self.ops["r"].isp_may_create_subresellers = True
        sub_op = env["res.partner"].create({
            "name": "Sub S", "is_company": True, "isp_is_operator": True,
            "isp_parent_operator_id": self.ops["r"].id, "isp_reseller_mode": "prepaid"})
        env["isp.operator.money.wizard"].create({
            "operator_id": sub_op.id, "amount": 1000.0, "journal_id": cash.id}).action_apply()
        master = self.plan_daily.master_package_id
        self.plans["s"] = env["isp.service.plan"].create({
            "name": "S 7 days", "operator_id": sub_op.id, "master_package_id": master.id,
            "billing_type": "daily", "validity_value": 7, "customer_price": 350.0,
            "operator_price": 280.0, "allow_hotspot": True})
        self.plans["r_monthly"] = env["isp.service.plan"].create({
            "name": "R monthly", "operator_id": self.ops["r"].id,
            "master_package_id": master.id, "billing_type": "monthly",
            "customer_price": 1250.0, "operator_price": 800.0})
        customer = env["res.partner"].create({
            "name": "Client of S", "mobile": "01711000655", "isp_is_subscriber": True,
            "isp_operator_id": sub_op.id})
        sub = env["isp.subscription"].create({
            "partner_id": customer.id, "operator_id": sub_op.id,
            "plan_id": self.plans["s"].id, "billing_type": "daily",
            "username": "client-s", "password": "pw"})
        sub.action_activate()
        self.ops["s"], self.subs["s"] = sub_op, sub

    # what the pages show ---------------------------------------------------------

    def price(self, amount):
        """`amount` as the currency writes it (symbol on its side)."""
        currency = self.company.currency_id
        text = "{:,.2f}".format(amount)
        return "%s %s" % ((currency.symbol, text) if currency.position == "before"
                          else (text, currency.symbol))

    @staticmethod
    def options(fragment):
        return [(int(value), html.unescape(re.sub(r"<[^>]+>", "", label)).strip())
                for value, label in re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>',
                                               fragment, re.S)]

    def select(self, page, name):
        match = re.search(r'<select class="form-control" name="%s"[^>]*>(.*?)</select>'
                          % name, page.text, re.S)
        self.assertTrue(match, "no %s select" % name)
        return self.options(match.group(1))

    def catalog(self, page):
        """{operator id: [package ids]} of the hidden catalog the panel's
        script picks from."""
        match = re.search(r'<select class="hidden isp_plan_catalog"[^>]*>(.*?)</select>',
                          page.text, re.S)
        self.assertTrue(match, "no catalog")
        found = {}
        for value, operator in re.findall(
                r'<option value="(\d+)" data-operator="(\d+)"', match.group(1)):
            found.setdefault(int(operator), []).append(int(value))
        return found

    def recharge_options(self, page, sub):
        match = re.search(r'data-sub="%d">(.*?)(data-sub=|</main>)' % sub.id, page.text, re.S)
        self.assertTrue(match, "no row of %s" % sub.name)
        form = re.search(r'isp_recharge_plan">(.*?)</select>', match.group(1), re.S)
        return self.options(form.group(1)) if form else []

    def label(self, key):
        plan = self.plans[key]
        return (plan.id, "%s (%s)" % (plan.name, self.price(plan.customer_price)))

    def customer_form(self, **values):
        data = {"name": "Walk-in", "mobile": "01711000633", "username": "walkin",
                "password": "walkin-pw", "plan_id": self.plans["r"].id,
                "connection_type": "pppoe"}
        data.update(values)
        return self.post("/my/reseller/customer/new", data, follow=True,
                         csrf_path="/my/reseller/customer/new")

    # tests -------------------------------------------------------------------------

    def test_new_customer_offers_the_packages_of_the_chosen_operator(self):
        self.login(self.users["r"])
        page = self.get("/my/reseller/customer/new")
        self.assertEqual(self.select(page, "operator_id"),
                         [(self.ops["r"].id, "Reseller R"), (self.ops["s"].id, "Sub S")])
        self.assertEqual(self.select(page, "plan_id"),
                         [self.label("r"), self.label("r_monthly")])
        # every operator's packages, for the script that follows the choice
        self.assertEqual(self.catalog(page), {
            self.ops["r"].id: [self.plans["r"].id, self.plans["r_monthly"].id],
            self.ops["s"].id: [self.plans["s"].id]})
        # the sub-reseller chosen (the page as it comes back after a refusal)
        page = self.get("/my/reseller/customer/new?operator_id=%d" % self.ops["s"].id)
        self.assertEqual(self.select(page, "plan_id"), [self.label("s")])
        self.assertNotIn("Q 7 days", page.text)          # a sibling's
        self.assertNotIn("300.0)", page.text)
        # the sub-reseller's own panel: itself only, its own packages
        s_user = self.env["res.users"].create({
            "name": "sub.s", "login": "sub.s", "password": "sub.s-pw",
            "isp_operator_id": self.ops["s"].id,
            "groups_id": [(6, 0, [self.env.ref("isp_base.group_isp_subreseller").id])]})
        self.login(s_user)
        page = self.get("/my/reseller/customer/new")
        self.assertNotIn('name="operator_id" id="operator_id"', page.text)
        self.assertEqual(self.select(page, "plan_id"), [self.label("s")])

    def test_a_customer_of_each_operator_is_created(self):
        self.login(self.users["r"])
        Sub = self.env["isp.subscription"]
        page = self.customer_form(operator_id=self.ops["r"].id, activate="1")
        self.assertIn("Walk-in created", page.text)
        own = Sub.search([("username", "=", "walkin")])
        self.assertEqual((own.operator_id, own.plan_id, own.state),
                         (self.ops["r"], self.plans["r"], "active"))
        wallet_s = self.wallet("s")
        page = self.customer_form(operator_id=self.ops["s"].id, plan_id=self.plans["s"].id,
                                  name="Walk-in S", mobile="01711000666",
                                  username="walkin-s", activate="1")
        self.assertIn("Walk-in S created", page.text)
        theirs = Sub.search([("username", "=", "walkin-s")])
        self.assertEqual((theirs.operator_id, theirs.partner_id.isp_operator_id,
                          theirs.plan_id, theirs.state),
                         (self.ops["s"], self.ops["s"], self.plans["s"], "active"))
        # S paid R the 7 days (280); the customer's 350 are S's (R took the cash)
        self.assertEqual(theirs.isp_charge_ids.mapped("amount"), [280.0])
        self.assertAlmostEqual(self.wallet("s") - wallet_s, 350.0 - 280.0, places=2)
        # the reseller's own package for its sub-reseller's customer: refused
        page = self.customer_form(operator_id=self.ops["s"].id, plan_id=self.plans["r"].id,
                                  name="Walk-in X", mobile="01711000677", username="walkin-x")
        self.assertIn("Choose one of the packages of Sub S", page.text)
        self.assertFalse(Sub.search([("username", "=", "walkin-x")]))

    def test_recharge_offers_the_customers_operators_packages(self):
        self.login(self.users["r"])
        page = self.get("/my/reseller")
        # daily packages only, of the customer's own operator
        self.assertEqual(self.recharge_options(page, self.subs["r"]), [self.label("r")])
        self.assertEqual(self.recharge_options(page, self.subs["s"]), [self.label("s")])
        sub_s = self.subs["s"]
        end, wallet_s = sub_s.validity_end, self.wallet("s")
        self.post("/my/reseller/sub/%d/recharge" % sub_s.id, {"plan_id": self.plans["r"].id},
                  csrf_path="/my/reseller")
        self.assertIn("Choose one of the packages of Sub S", self.get("/my/reseller").text)
        self.assertEqual(sub_s.validity_end, end)
        self.post("/my/reseller/sub/%d/recharge" % sub_s.id, {"plan_id": self.plans["s"].id},
                  csrf_path="/my/reseller")
        self.assertIn("isp_message", self.get("/my/reseller").text)
        self.assertGreater(sub_s.validity_end, end)
        self.assertEqual(sub_s.isp_charge_ids.sorted("id")[-1].amount, 280.0)
        self.assertAlmostEqual(self.wallet("s") - wallet_s, 350.0 - 280.0, places=2)
        bill = sub_s.invoice_ids.sorted("id")[-1]
        self.assertEqual((bill.isp_plan_id, bill.amount_total, bill.state),
                         (self.plans["s"], 350.0, "paid"))

    def test_prices_in_the_currencys_format(self):
        self.login(self.users["r"])
        page = self.get("/my/reseller/packages").text
        for key, css in (("r", "isp_customer_price"), ("r_monthly", "isp_customer_price")):
            amount = "{:,.2f}".format(self.plans[key].customer_price)
            self.assertRegex(page, r'%s"><span[^>]*>[^<]*<span class="oe_currency_value">%s<'
                             % (css, re.escape(amount)))
        self.assertRegex(page, r'isp_operator_price"><span[^>]*>[^<]*'
                               r'<span class="oe_currency_value">800\.00<')
        self.assertIn('<span class="oe_currency_value">1,250.00</span>', page)
        self.assertNotRegex(page, r">\s*(300|1250)\.0\s*<")
        wallet = self.get("/my/reseller/wallet").text
        self.assertRegex(wallet, r'isp_wallet_amount"><span[^>]*>[^<]*'
                                 r'<span class="oe_currency_value">[\d,]+\.\d\d<')
        subs = self.get("/my/reseller/subresellers").text
        self.assertRegex(subs, r'wallet <span[^>]*>[^<]*<span class="oe_currency_value">'
                               r'[\d,]+\.\d\d</span>')
