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
        Journal = self.env["account.journal"]
        companies = self._isp_setup_accounts(CARD_ACCOUNTS, "isp_card_journal_id", "CARD",
                                             _("Recharge cards"))
        for company in companies:
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
