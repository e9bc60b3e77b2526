# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

#: (field, code, name, account type xmlid, reconcile)
CARD_ACCOUNTS = [
    ("isp_card_receivable_account_id", "121950", "Card distributors",
     "account.data_account_type_receivable", True),
    ("isp_card_deferred_account_id", "212950", "Recharge cards sold, not used yet",
     "account.data_account_type_current_liabilities", False),
    ("isp_card_commission_account_id", "600950", "Card distributor commissions",
     "account.data_account_type_expenses", False),
    ("isp_card_breakage_account_id", "400950", "Expired recharge cards",
     "account.data_account_type_other_income", False),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_card_receivable_account_id = fields.Many2one(
        "account.account", string="Card distributors account",
        help="What card distributors owe for the cards handed to them.")
    isp_card_deferred_account_id = fields.Many2one(
        "account.account", string="Cards sold, not used",
        help="Face value of cards handed over, until redeemed or expired.")
    isp_card_commission_account_id = fields.Many2one(
        "account.account", string="Card commissions",
        help="Commission of the ISP's own card distributors.")
    isp_card_breakage_account_id = fields.Many2one(
        "account.account", string="Expired cards income")
    isp_card_journal_id = fields.Many2one("account.journal", string="Recharge cards journal")

    @api.model
    def isp_setup_card_accounting(self):
        """Accounts and journal of recharge cards for every company with a
        chart of accounts (idempotent)."""
        Account = self.env["account.account"]
        Journal = self.env["account.journal"]
        for company in self.search([]):  # pylint: disable=no-search-all
            if not Account.search_count([("company_id", "=", company.id)]):
                continue
            vals = {}
            for field, code, name, type_xmlid, reconcile in CARD_ACCOUNTS:
                if company[field]:
                    continue
                account = Account.search([("company_id", "=", company.id),
                                          ("code", "=", code)], limit=1)
                if not account:
                    account = Account.create({
                        "code": code, "name": _(name), "company_id": company.id,
                        "user_type_id": self.env.ref(type_xmlid).id, "reconcile": reconcile})
                vals[field] = account.id
            if not company.isp_card_journal_id:
                journal = Journal.search([("company_id", "=", company.id),
                                          ("code", "=", "CARD")], limit=1)
                vals["isp_card_journal_id"] = (journal or Journal.create({
                    "name": _("Recharge cards"), "code": "CARD", "type": "general",
                    "company_id": company.id})).id
            if vals:
                company.write(vals)
            # redemptions are payments of the "recharge card" method, into the
            # cards' deferred revenue
            if not Journal.search([("company_id", "=", company.id),
                                   ("isp_payment_method", "=", "card")]):
                deferred = company.isp_card_deferred_account_id
                Journal.create({
                    "name": _("Recharge card payments"), "code": "CRDP", "type": "bank",
                    "company_id": company.id, "isp_payment_method": "card",
                    "default_debit_account_id": deferred.id,
                    "default_credit_account_id": deferred.id})
        return True
