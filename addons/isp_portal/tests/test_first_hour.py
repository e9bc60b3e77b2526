# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Over HTTP, as each kind of login: "My Account" (/my) opens for staff and
customers, a customer prints its own bill through Odoo's report route (and
not another's), and portal pages show times in the customer's zone (else
the company's) in the format of the language."""
import logging
import re

from odoo.tests.common import at_install, post_install

from .common import PortalHttpCase

STAFF_ROLES = {
    "st.admin": ["isp_base.group_isp_admin"],
    "st.manager": ["isp_base.group_isp_perm_customer", "isp_base.group_isp_perm_network",
                   "isp_base.group_isp_perm_billing"],
    "st.cashier": ["isp_base.group_isp_perm_billing"],
    "st.technician": ["isp_base.group_isp_perm_network"],
    "st.helpdesk": ["isp_base.group_isp_helpdesk"],
    "st.auditor": ["isp_base.group_isp_auditor"],
    # helpdesk_mgmt's own users: they read tickets
    "st.tickets": ["helpdesk_mgmt.group_helpdesk_user"],
}


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@at_install(False)
@post_install(True)
class TestFirstHour(PortalHttpCase):

    def setUp(self):
        super().setUp()
        env = self.env
        env["res.lang"].load_lang("en_GB")
        gb = env.ref("base.lang_en_GB")
        env["website"].search([]).write({"language_ids": [(6, 0, gb.ids)],
                                         "default_lang_id": gb.id})
        self.company.partner_id.tz = "Asia/Dhaka"
        # customers made before the company's zone applied to new logins
        (self.partner_a | self.partner_b).write({"tz": False, "lang": "en_GB"})
        self.ticket_a = env["helpdesk.ticket"].create({
            "name": "No internet", "description": "since morning",
            "partner_id": self.partner_a.id})

    def staff(self, login, groups, **vals):
        return self.env["res.users"].create(dict({
            "name": login, "login": login, "password": login + "-pw",
            "email": "%s@example.com" % login,
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id]
                           + [self.env.ref(g).id for g in groups])]}, **vals))

    def test_my_account_opens_for_every_login(self):
        users = [self.staff(login, groups) for login, groups in STAFF_ROLES.items()]
        # a manager employed by a reseller
        reseller, _plan, reseller_user = self.new_prepaid_reseller("fh")
        users.append(self.staff("st.reseller.manager", ["isp_base.group_isp_perm_customer"],
                                isp_operator_id=reseller.id))
        users += [self.user_a, reseller_user]
        # staff whose partner filed a ticket see it counted when they may read tickets
        tickets_user = users[len(STAFF_ROLES) - 1]
        self.env["helpdesk.ticket"].create({"name": "Printer", "description": "jammed",
                                            "partner_id": tickets_user.partner_id.id})
        for user in users:
            self.opener.cookies.clear()
            self.login(user)
            resp = self.get("/my")
            self.assertEqual(resp.status_code, 200, user.login)
            self.assertIn("Your Documents", resp.text, user.login)
            page = text(resp.text)
            if user == self.user_a:
                # its own bill and account are counted too
                self.assertRegex(page, r"\b1 Invoices\b")
                self.assertRegex(page, r"\b2 Internet accounts\b")
            if user in (self.user_a, tickets_user):
                self.assertRegex(page, r"\b1 Tickets\b", user.login)
            else:
                self.assertNotIn("Tickets", page, user.login)

    def test_customer_prints_own_bill_not_anothers(self):
        self.login(self.user_a)
        ir_http = logging.getLogger("odoo.addons.website.models.ir_http")
        for kind in ("html", "pdf"):
            resp = self.get("/report/%s/account.report_invoice/%d" % (kind, self.bill_a.id))
            self.assertEqual(resp.status_code, 200, kind)
            page = text(resp.content.decode())
            self.assertIn(self.bill_a.number, page)
            self.assertIn("Subscriber code: %s" % self.partner_a.isp_customer_code, page)
            self.assertIn(self.bill_a.isp_period_text(), page)
            with self.assertLogs(ir_http, level="WARNING") as logs:
                for bill_id in (self.bill_b.id, 987654321):
                    resp = self.get("/report/%s/account.report_invoice/%d" % (kind, bill_id))
                    self.assertEqual(resp.status_code, 403, (kind, bill_id))
                    self.assertNotIn(self.partner_b.name, resp.text)
                    self.assertNotIn(self.bill_b.number, resp.text)
            self.assertEqual({r.levelname for r in logs.records}, {"WARNING"})
        resp = self.get("/report/pdf/account.report_invoice_with_payments/%d" % self.bill_b.id)
        self.assertEqual(resp.status_code, 403)

    def test_times_in_the_customers_zone_and_format(self):
        # valid until 23:59:59 on 31 March 2031 in Dhaka (17:59:59 UTC)
        self.sub_a_monthly.with_context(isp_no_network_event=True).validity_end = \
            "2031-03-31 17:59:59"
        self.login(self.user_a)
        resp = self.get("/my/isp/%d" % self.sub_a_monthly.id)
        self.assertEqual(resp.status_code, 200)
        valid = re.search(r'class="isp_valid_until">(.*?)</td>', resp.text, re.S)
        self.assertEqual(text(valid.group(1)).strip(), "31/03/2031 23:59")
        # the bills of the account: dates in the language's format
        period = "%s - %s" % tuple(
            "/".join(reversed(d.split("-"))) for d in (self.bill_a.isp_period_start,
                                                       self.bill_a.isp_period_end))
        self.assertIn(period, text(resp.text))

    def test_new_logins_get_the_company_zone(self):
        company = self.company
        company.partner_id.tz = "Asia/Dhaka"
        user = self.env["isp.portal.otp"].with_context(tz=False).signup(
            "+8801711000299", "visitor-pw", "Visitor", company)
        self.assertEqual(user.tz, "Asia/Dhaka")
        _reseller, _plan, reseller_user = self.new_prepaid_reseller("tz")
        self.assertEqual(reseller_user.tz, "Asia/Dhaka")
