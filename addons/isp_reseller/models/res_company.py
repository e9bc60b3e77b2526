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
    def isp_setup_operator_accounting(self):
        """Accounts and journal of the operators' money, for every company with
        a chart of accounts (idempotent)."""
        Account = self.env["account.account"]
        for company in self.search([]):  # pylint: disable=no-search-all
            if not Account.search_count([("company_id", "=", company.id)]):
                continue
            vals = {}
            for field, code, name, type_xmlid, reconcile in OPERATOR_ACCOUNTS:
                if company[field]:
                    continue
                account = Account.search([("company_id", "=", company.id),
                                          ("code", "=", code)], limit=1)
                if not account:
                    account = Account.create({
                        "code": code, "name": _(name), "company_id": company.id,
                        "user_type_id": self.env.ref(type_xmlid).id, "reconcile": reconcile})
                vals[field] = account.id
            if not company.isp_operator_journal_id:
                journal = self.env["account.journal"].search([
                    ("company_id", "=", company.id), ("code", "=", "RSLR")], limit=1)
                vals["isp_operator_journal_id"] = (journal or self.env["account.journal"].create({
                    "name": _("Reseller entries"), "code": "RSLR", "type": "general",
                    "company_id": company.id})).id
            if vals:
                company.write(vals)
        return True
