# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""bKash takes BDT only: the demo company's payments are asked in BDT; a
company in another currency is told so before anything is sent to bKash."""
import unittest

from odoo.tests.common import at_install, post_install

from ..lib import bkash
from .common import PortalHttpCase


class TestBkashCurrencyLib(unittest.TestCase):

    def test_takes_currency(self):
        for currency, taken in [("BDT", True), ("bdt", True), ("USD", False), ("INR", False),
                                ("", False), (None, False)]:
            self.assertEqual(bkash.takes_currency(currency), taken, currency)


@at_install(False)
@post_install(True)
class TestBkashCurrency(PortalHttpCase):

    def buy(self, sub, plan, acquirer):
        return self.post("/my/isp/%d/buy" % sub.id, {"plan_id": plan.id,
                                                      "acquirer_id": acquirer.id})

    def test_demo_company_asks_bkash_for_taka(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(self.company, company)
        self.assertEqual(company.currency_id, self.env.ref("base.BDT"))
        self.assertEqual(self.plan_daily.currency_id, company.currency_id)
        self.login(self.user_a)
        payment_id, _back = self.pay_with_bkash_standin(
            self.buy(self.sub_a_daily, self.plan_daily, self.acq_bkash))
        create = [c[2] for c in self.bkash.calls if c[0].endswith("/create")]
        self.assertEqual([(c["currency"], c["amount"]) for c in create], [("BDT", "250.00")])
        tx = self.env["payment.transaction"].search([("acquirer_reference", "=", payment_id)])
        self.assertEqual((tx.state, tx.currency_id.name), ("done", "BDT"))

    def test_a_company_in_another_currency_is_refused_before_any_request(self):
        env = self.env
        usd = env.ref("base.USD")
        company = env["res.company"].create({"name": "Elsewhere Net", "currency_id": usd.id})
        company.partner_id.write({"isp_is_operator": True,
                                  "country_id": env.ref("base.bd").id})
        env.user.company_ids = [(4, company.id)]
        master = env["isp.master.package"].create({
            "name": "E 10M", "download_kbps": 10240, "upload_kbps": 5120,
            "company_id": company.id})
        plan = env["isp.service.plan"].create({
            "name": "E 7 days", "master_package_id": master.id, "billing_type": "daily",
            "validity_value": 7, "customer_price": 3.0, "company_id": company.id,
            "currency_id": usd.id, "operator_id": company.partner_id.id})
        partner = env["res.partner"].create({
            "name": "Elsewhere Customer", "mobile": "01711000299", "isp_is_subscriber": True,
            "company_id": company.id, "isp_operator_id": company.partner_id.id,
            "email": "cust.e@example.com"})
        user = env["res.users"].create({
            "name": "Elsewhere Customer", "login": "cust.e", "password": "cust.e-pw",
            "partner_id": partner.id, "company_id": company.id,
            "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
        sub = env["isp.subscription"].create({
            "partner_id": partner.id, "connection_type": "pppoe", "billing_type": "daily",
            "username": "cust-e-daily", "password": "pw-e-1", "company_id": company.id,
            "operator_id": company.partner_id.id})
        acquirer = self.acq_bkash.copy({"name": "bKash (Elsewhere)", "company_id": company.id,
                                        "website_published": True})
        self.login(user)
        page = self.get("/my/isp/%d" % sub.id)
        self.assertIn("E 7 days", page.text)
        back = self.buy(sub, plan, acquirer)
        self.assertIn(back.status_code, (302, 303))
        self.assertTrue(back.headers["Location"].endswith("/my/isp/%d" % sub.id))
        # nothing asked of bKash, not even a token
        self.assertEqual(self.bkash.calls, [])
        page = self.get("/my/isp/%d" % sub.id)
        self.assertIn("bKash takes payments in BDT only, and this one is in USD", page.text)
        tx = env["payment.transaction"].search([("isp_subscription_id", "=", sub.id)])
        self.assertEqual((tx.state, tx.currency_id.name, tx.acquirer_reference),
                         ("error", "USD", False))
        self.assertIn("BDT only", tx.state_message)
        self.assertEqual(sub.state, "draft")
