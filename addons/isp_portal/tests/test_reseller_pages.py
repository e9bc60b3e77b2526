# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reseller panel's pages as the reseller's own login: creating
customers, wallet and statement, balance added online, packages and
commissions, sub-resellers, complaints."""
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from ..lib import hosted
from .common import HOSTED_SECRET
from .test_reseller import ResellerCase


@at_install(False)
@post_install(True)
class TestResellerCustomers(ResellerCase):

    def customer_form(self, **values):
        data = {"name": "Walk-in", "mobile": "01711000633", "username": "walkin",
                "password": "walkin-pw", "plan_id": self.plans["r"].id,
                "connection_type": "pppoe"}
        data.update(values)
        return self.post("/my/reseller/customer/new", data, follow=True,
                         csrf_path="/my/reseller/customer/new")

    def partners_named(self, name):
        return self.env["res.partner"].search([("name", "=", name)])

    def test_create_and_activate_a_customer(self):
        self.login(self.users["r"])
        form = self.get("/my/reseller/customer/new")
        self.assertIn("R 7 days", form.text)
        self.assertNotIn("Q 7 days", form.text)
        before = self.wallet("r")
        page = self.customer_form(activate="1", connection_type="hotspot")
        self.assertIn("Walk-in created", page.text)
        sub = self.env["isp.subscription"].search([("username", "=", "walkin")])
        self.assertEqual((sub.operator_id, sub.plan_id, sub.connection_type, sub.state,
                          sub.billing_type), (self.ops["r"], self.plans["r"], "hotspot",
                                              "active", "daily"))
        self.assertEqual(sub.partner_id.isp_operator_id, self.ops["r"])
        self.assertAlmostEqual(before - self.wallet("r"), 200.0, places=2)
        # the customer's bill, paid with the cash the reseller took
        self.assertEqual(sub.invoice_ids.mapped(lambda i: (i.isp_kind, i.state, i.amount_total)),
                         [("recharge", "paid", 300.0)])
        # without "activate": a draft account, the wallet untouched
        self.customer_form(name="Later", mobile="01711000644", username="later")
        later = self.env["isp.subscription"].search([("username", "=", "later")])
        self.assertEqual(later.state, "draft")
        self.assertAlmostEqual(before - self.wallet("r"), 200.0, places=2)

    def test_bad_input_writes_nothing(self):
        self.login(self.users["r"])
        cases = [
            ({"mobile": "", "username": ""}, "Please fill in: mobile, username"),
            ({"plan_id": self.plans["q"].id}, "Choose one of the packages of Reseller R"),
            ({"operator_id": self.ops["q"].id}, "Choose yourself or one of your sub-resellers"),
            ({"connection_type": "static"}, "is not sold for static connections"),
            ({"username": "client-q"}, "client-q"),          # a sibling's username
            ({"mobile": "12"}, "mobile"),
        ]
        for values, text in cases:
            page = self.customer_form(**values)
            self.assertEqual(page.status_code, 200)
            self.assertIn("isp_error", page.text, values)
            self.assertIn(text, page.text, values)
            self.assertFalse(self.partners_named("Walk-in"), values)
        # static IP refused by isp_reseller even for a package that allows it
        static_plan = self.env["isp.service.plan"].create({
            "name": "R static", "operator_id": self.ops["r"].id,
            "master_package_id": self.plan_daily.master_package_id.id,
            "billing_type": "monthly", "customer_price": 1000.0, "operator_price": 700.0,
            "allow_static": True})
        page = self.customer_form(connection_type="static", plan_id=static_plan.id)
        self.assertIn("Static IP customers belong to the ISP", page.text)
        self.assertFalse(self.partners_named("Walk-in"))

    def test_activation_refused_by_an_empty_wallet_writes_nothing(self):
        self.login(self.users["r"])
        self.ops["r"].isp_credit_limit = 0.0
        # spend the wallet: 800 left, each activation costs 200
        for i in range(4):
            self.customer_form(name="C%d" % i, mobile="0171100070%d" % i,
                              username="c%d" % i, activate="1")
        self.assertAlmostEqual(self.wallet("r"), 0.0, places=2)
        page = self.customer_form(activate="1")
        self.assertIn("add balance first", page.text)
        self.assertFalse(self.partners_named("Walk-in"))
        self.assertFalse(self.env["isp.subscription"].search([("username", "=", "walkin")]))


@at_install(False)
@post_install(True)
class TestResellerWallet(ResellerCase):

    def test_statement_and_excel(self):
        self.login(self.users["r"])
        page = self.get("/my/reseller/wallet?date_from=2000-01-01")
        self.assertEqual(page.status_code, 200)
        self.assertIn("isp_wallet_amount", page.text)
        # the 1000 added, the 200 spent on its customer's activation
        self.assertEqual(page.text.count("isp_statement_row"), 2, page.text[-3000:])
        # amounts in the currency's format (Odoo's monetary widget)
        self.assertRegex(page.text, r'<th class="text-right isp_closing"><span[^>]*>[^<]*'
                                    r'<span class="oe_currency_value">-\ufeff800\.00</span>')
        self.assertIn('<span class="oe_currency_value">1,000.00</span>', page.text)
        # Q's entries are not R's
        self.env["isp.operator.money.wizard"].create({
            "operator_id": self.ops["q"].id, "amount": 77.0, "journal_id": self.env[
                "account.payment"].isp_default_journal(self.company, "cash").id,
        }).action_apply()
        self.assertNotIn("77.00", self.get("/my/reseller/wallet?date_from=2000-01-01").text)
        xlsx = self.get("/my/reseller/wallet?date_from=2000-01-01&fmt=xlsx")
        self.assertEqual(xlsx.status_code, 200)
        self.assertTrue(xlsx.content.startswith(b"PK"))
        self.assertIn("spreadsheetml", xlsx.headers["Content-Type"])
        # the PDF (rendered as HTML while testing, as Odoo 11 does in tests)
        pdf = self.get("/my/reseller/wallet?date_from=2000-01-01&fmt=pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertIn(b"Statement of", pdf.content)
        self.assertIn(b"Reseller R", pdf.content)
        self.assertNotIn(b"Reseller Q", pdf.content)
        self.assertEqual(self.get("/my/reseller/wallet?date_from=garbage").status_code, 200)

    def topup(self, amount, acquirer=None):
        return self.post("/my/reseller/topup", {
            "amount": amount, "acquirer_id": (acquirer or self.acq_bkash).id},
            csrf_path="/my/reseller/wallet")

    def test_add_balance_with_bkash_once(self):
        self.login(self.users["r"])
        before = self.wallet("r")
        payment_id, back = self.pay_with_bkash_standin(self.topup("500"))
        tx = self.env["payment.transaction"].search([("acquirer_reference", "=", payment_id)])
        self.assertEqual((tx.state, tx.isp_operator_id), ("done", self.ops["r"]),
                         tx.state_message)
        self.assertAlmostEqual(self.wallet("r") - before, 500.0, places=2)
        trx = self.bkash.payments[payment_id]["trxID"]
        payment = tx.isp_payment_id
        self.assertEqual((payment.partner_id, payment.amount, payment.state),
                         (self.ops["r"], 500.0, "posted"))
        self.assertEqual((payment.communication, payment.isp_reference), (trx, trx))
        self.assertIn("isp_back_reseller", self.get(tx.isp_result_url()).text)
        # the duplicate callback credits nothing more
        again = self.get("/isp/payment/bkash/callback?paymentID=%s&status=success"
                         % payment_id, follow=False)
        self.assertEqual(again.headers["Location"], back.headers["Location"])
        self.assertAlmostEqual(self.wallet("r") - before, 500.0, places=2)
        self.assertEqual(len(self.env["account.payment"].search(
            [("communication", "=", trx)])), 1)
        self.assertAlmostEqual(self.wallet("q"), 800.0, places=2)

    def test_failed_cancelled_and_bad_topups_change_nothing(self):
        self.login(self.users["r"])
        before = self.wallet("r")
        for status in ("failure", "cancel"):
            payment_id, _back = self.pay_with_bkash_standin(self.topup("300"), status=status)
            tx = self.env["payment.transaction"].search(
                [("acquirer_reference", "=", payment_id)])
            self.assertIn(tx.state, ("error", "cancel"))
            self.assertFalse(tx.isp_payment_id)
        for amount in ("0", "-5", "abc"):
            resp = self.topup(amount)
            self.assertEqual(resp.headers["Location"].split("/", 3)[-1], "my/reseller/wallet")
        self.assertIn("Enter the amount to add", self.get("/my/reseller/wallet").text)
        self.assertAlmostEqual(self.wallet("r"), before, places=2)

    def test_hosted_gateway_return_and_notify_credit_once(self):
        """A sub-reseller adds balance through the hosted gateway: the return
        and the gateway's notification both arrive, the wallet grows once."""
        self.ops["r"].isp_may_create_subresellers = True
        sub_op = self.env["res.partner"].create({
            "name": "Sub S", "is_company": True, "isp_is_operator": True,
            "isp_parent_operator_id": self.ops["r"].id})
        user = self.env["res.users"].create({
            "name": "sub.s", "login": "sub.s", "password": "sub.s-pw",
            "isp_operator_id": sub_op.id,
            "groups_id": [(6, 0, [self.env.ref("isp_base.group_isp_subreseller").id])]})
        self.login(user)
        parent_before = self.wallet("r")
        redirect = self.topup("250", self.acq_hosted)
        self.assertEqual(redirect.status_code, 303)
        tx = self.env["payment.transaction"].search([("isp_operator_id", "=", sub_op.id)])
        answer = {"reference": tx.reference, "amount": "250.00",
                  "currency": tx.currency_id.name, "status": "paid", "txn_id": "GW-TOP-1"}
        answer["signature"] = hosted.sign(HOSTED_SECRET, answer, hosted.ANSWER_FIELDS)
        back = self.get("/isp/payment/hosted/return?" + "&".join(
            "%s=%s" % kv for kv in answer.items()), follow=False)
        self.assertEqual(back.status_code, 302)
        self.assertEqual(self.post("/isp/payment/hosted/notify", answer, csrf=False).text, "OK")
        sub_op.invalidate_cache()
        self.assertAlmostEqual(sub_op.isp_wallet, 250.0, places=2)
        self.assertAlmostEqual(self.wallet("r"), parent_before, places=2)
        self.assertEqual(len(self.env["account.payment"].search(
            [("communication", "=", "GW-TOP-1")])), 1)


@at_install(False)
@post_install(True)
class TestResellerPackagesAndTeam(ResellerCase):

    def test_packages_and_commissions(self):
        self.login(self.users["r"])
        page = self.get("/my/reseller/packages")
        self.assertIn("R 7 days", page.text)
        self.assertNotIn("Q 7 days", page.text)
        before = {r["month"]: r for r in self.ops["r"]._isp_portal_commissions()}
        # a 15 % tax on the package: the customer pays 345, the tax is not
        # the reseller's margin
        self.plans["r"].sudo().tax_ids = self.env["account.tax"].sudo().create({
            "name": "Panel VAT 15", "amount": 15.0, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": self.env.user.company_id.id})
        self.post("/my/reseller/sub/%d/recharge" % self.subs["r"].id,
                  {"plan_id": self.plans["r"].id}, csrf_path="/my/reseller")
        after = self.ops["r"]._isp_portal_commissions()[0]
        old = before.get(after["month"], {"sales": 0.0, "cost": 0.0, "total": 0.0})
        # the customer paid 300 + 45 tax, the wallet paid 200 for the 7 days
        bill = self.subs["r"].sudo().invoice_ids.sorted("id")[-1]
        self.assertEqual((bill.amount_total, bill.state), (345.0, "paid"))
        self.assertAlmostEqual(after["sales"] - old["sales"], 300.0, places=2)
        self.assertAlmostEqual(after["cost"] - old["cost"], 200.0, places=2)
        self.assertAlmostEqual(after["total"] - old["total"], 100.0, places=2)
        page = self.get("/my/reseller/packages")
        self.assertIn('data-month="%s"' % after["month"], page.text)
        # the monetary widget's minus is followed by a zero-width no-break space
        self.assertIn('<span class="oe_currency_value">%s</span>' % "{:,.2f}".format(
            after["total"]).replace("-", "-\ufeff"), page.text)
        # Q's commissions are not R's to read
        with self.assertRaises(AccessError):
            self.ops["q"].sudo(self.users["r"])._isp_portal_commissions()

    def test_subresellers_only_when_permitted(self):
        self.login(self.users["r"])
        data = {"name": "Road 99", "mobile": "01711000699", "login": "road99",
                "password": "road99-pw-long"}
        # without the permission the page has no form; a forged post is refused
        page = self.post("/my/reseller/subresellers", data, follow=True,
                         csrf_path="/my/reseller")
        self.assertIn("You may not create sub-resellers", page.text)
        Partner = self.env["res.partner"]
        self.assertFalse(Partner.search([("name", "=", "Road 99")]))
        self.ops["r"].isp_may_create_subresellers = True
        page = self.post("/my/reseller/subresellers", data, follow=True,
                         csrf_path="/my/reseller/subresellers")
        self.assertIn("Road 99 created", page.text)
        child = Partner.search([("name", "=", "Road 99"), ("isp_is_operator", "=", True)])
        self.assertEqual((child.isp_parent_operator_id, child.isp_operator_path),
                         (self.ops["r"], self.ops["r"].isp_operator_path + "%d/" % child.id))
        login = self.env["res.users"].search([("login", "=", "road99")])
        self.assertEqual(login.isp_operator_id, child)
        self.assertTrue(login.has_group("isp_base.group_isp_subreseller"))
        self.assertFalse(login.has_group("base.group_user"))
        self.assertIn('data-operator="%d"' % child.id, page.text)
        # the sibling Q does not see it, and its login sees its own panel
        self.login(self.users["q"])
        self.assertNotIn("Road 99", self.get("/my/reseller/subresellers").text)
        self.web_login("road99", "road99-pw-long")
        self.assertIn("Road 99", self.get("/my/reseller").text)
        self.assertNotIn("client-r", self.get("/my/reseller").text)

    def test_complaints_of_its_own_customers_only(self):
        Ticket = self.env["helpdesk.ticket"]
        mine = Ticket.create({"name": "No internet since morning",
                              "description": "<p>red light</p>",
                              "partner_id": self.subs["r"].partner_id.id})
        theirs = Ticket.create({"name": "Slow at night", "description": "<p>slow</p>",
                                "partner_id": self.subs["q"].partner_id.id})
        self.login(self.users["r"])
        page = self.get("/my/reseller/tickets")
        self.assertIn("No internet since morning", page.text)
        self.assertNotIn("Slow at night", page.text)
        self.assertIn("red light", self.get("/my/reseller/ticket/%d" % mine.id).text)
        self.assertEqual(self.get("/my/reseller/ticket/%d" % theirs.id).status_code, 404)
        # a customer cannot open the reseller's pages
        self.login(self.user_a)
        self.assertEqual(self.get("/my/reseller/tickets").status_code, 404)
