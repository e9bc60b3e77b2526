# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

#: (field, code, name, account type xmlid, reconcile)
OPERATOR_ACCOUNTS = [
    ("isp_operator_account_id", "121900", "Reseller accounts",
     "account.data_account_type_receivable", True),
    ("isp_operator_sales_account_id", "212900", "Sales collected for resellers",
     "account.data_account_type_current_liabilities", False),
    ("isp_operator_income_account_id", "400900", "Sales to resellers",
     "account.data_account_type_revenue", False),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_operator_account_id = fields.Many2one(
        "account.account", string="Reseller accounts",
        help="Receivable account of the operators' ledgers (wallets, debts).")
    isp_operator_sales_account_id = fields.Many2one(
        "account.account", string="Sales collected for resellers",
        help="Bills of resellers' customers are booked here until the customer pays; "
             "then the money goes to the reseller's ledger.")
    isp_operator_income_account_id = fields.Many2one(
        "account.account", string="Sales to resellers",
        help="What the top resellers pay the ISP for the packages they sell.")
    isp_operator_journal_id = fields.Many2one("account.journal",
                                              string="Reseller entries journal")

    @api.model
    def _isp_setup_accounts(self, accounts, journal_field, journal_code, journal_name):
        """Give every company with a chart of accounts the `accounts`
        ((field, code, name, account type xmlid, reconcile): an existing
        account of that code is reused) and a general journal in
        `journal_field` (code `journal_code`, named `journal_name`); fields already set are kept,
        so it is idempotent. Returns the companies that have a chart."""
        Account = self.env["account.account"]
        Journal = self.env["account.journal"]
        done = self.browse()
        for company in self.search([]):  # pylint: disable=no-search-all
            if not Account.search_count([("company_id", "=", company.id)]):
                continue
            done |= company
            vals = {}
            for field, code, name, type_xmlid, reconcile in accounts:
                if company[field]:
                    continue
                account = Account.search([("company_id", "=", company.id),
                                          ("code", "=", code)], limit=1)
                if not account:
                    account = Account.create({
                        "code": code, "name": _(name), "company_id": company.id,
                        "user_type_id": self.env.ref(type_xmlid).id, "reconcile": reconcile})
                vals[field] = account.id
            if not company[journal_field]:
                journal = Journal.search([("company_id", "=", company.id),
                                          ("code", "=", journal_code)], limit=1)
                vals[journal_field] = (journal or Journal.create({
                    "name": journal_name, "code": journal_code, "type": "general",
                    "company_id": company.id})).id
            if vals:
                company.write(vals)
        return done

    @api.model
    def isp_setup_operator_accounting(self):
        """Accounts and journal of the operators' money, for every company with
        a chart of accounts (idempotent)."""
        self._isp_setup_accounts(OPERATOR_ACCOUNTS, "isp_operator_journal_id", "RSLR",
                                 _("Reseller entries"))
        return True
