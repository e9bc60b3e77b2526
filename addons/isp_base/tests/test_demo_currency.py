# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo data's currency switch never relabels real entries (the demo
database itself, moved to BDT, is checked in tests/test_demo_company.py)."""
from odoo.tests.common import SavepointCase, at_install, post_install


@at_install(False)
@post_install(True)
class TestDemoCurrency(SavepointCase):

    def test_a_company_with_entries_of_its_own_keeps_its_currency(self):
        company = self.env.user.company_id
        before = company.currency_id
        other = self.env.ref("base.EUR" if before.name != "EUR" else "base.USD")
        journal = self.env["account.journal"].search([("company_id", "=", company.id),
                                                      ("type", "=", "general")], limit=1)
        accounts = self.env["account.account"].search([("company_id", "=", company.id)],
                                                      limit=2)
        self.env["account.move"].create({
            "journal_id": journal.id, "ref": "an entry of its own",
            "line_ids": [(0, 0, {"name": "in", "account_id": accounts[0].id, "debit": 10.0}),
                         (0, 0, {"name": "out", "account_id": accounts[1].id,
                                 "credit": 10.0})]})
        with self.assertLogs("odoo.addons.isp_base.models.res_company", "WARNING") as logs:
            self.assertFalse(company._isp_demo_set_currency(other.id))
        self.assertIn("keeps its currency %s" % before.name, logs.output[0])
        self.assertEqual(company.currency_id, before)
        # the same currency: nothing to do
        self.assertFalse(company._isp_demo_set_currency(before.id))
