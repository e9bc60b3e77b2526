# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import commission


class ResPartner(models.Model):
    """Operators form a tree: the ISP (its company partner, the root) ->
    resellers -> sub-resellers -> ... Each operator's money with its parent
    is its partner ledger on the company's operator account: a debit balance
    is what it owes, a credit balance what it holds (prepaid wallet)."""

    _inherit = "res.partner"

    isp_parent_operator_id = fields.Many2one(
        "res.partner", string="Parent operator", index=True, ondelete="restrict",
        domain=[("isp_is_operator", "=", True)],
        help="Whom this reseller buys from: the ISP or another reseller.")
    isp_child_operator_ids = fields.One2many("res.partner", "isp_parent_operator_id",
                                             string="Sub-resellers")
    isp_operator_path = fields.Char(
        compute="_compute_isp_operator_path", store=True, index=True,
        help="/root/.../self/ : the operator's place in the tree (for scoping).")
    isp_operator_level = fields.Integer(
        compute="_compute_isp_operator_path", store=True,
        help="0: the ISP, 1: reseller, 2: sub-reseller...")
    isp_reseller_mode = fields.Selection(
        [("prepaid", "Prepaid (wallet)"), ("postpaid", "Postpaid (credit limit)")],
        string="Reseller mode", default="prepaid",
        help="Prepaid: spends the balance added to its account; no balance, no "
             "activation. Postpaid: collects from its customers and pays later, up to "
             "its credit limit.")
    isp_credit_limit = fields.Monetary(
        "Credit limit", currency_field="isp_company_currency_id",
        help="Postpaid: how much it may owe; over it, no activation.")
    isp_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_isp_company_currency_id")
    isp_may_create_subresellers = fields.Boolean(
        "May have sub-resellers", help="Reseller module permission (given by its parent).")
    isp_operator_user_ids = fields.One2many("res.users", "isp_operator_id",
                                            string="Logins and managers")
    isp_money_seq = fields.Integer(readonly=True, copy=False,
                                   help="Bumped by every money movement (serialisation).")
    isp_operator_balance = fields.Monetary(
        "Balance", compute="_compute_isp_operator_balance",
        currency_field="isp_company_currency_id",
        help="What the operator owes its parent (positive) or holds (negative), from "
             "the journal entries on the operator account.")
    isp_wallet = fields.Monetary(
        "Wallet / available", compute="_compute_isp_operator_balance",
        currency_field="isp_company_currency_id",
        help="Prepaid: the money it can still spend. Postpaid: what it may still owe "
             "before its credit limit.")

    def _compute_isp_company_currency_id(self):
        for partner in self:
            partner.isp_company_currency_id = (partner.company_id
                                               or self.env.user.company_id).currency_id

    @api.depends("isp_is_operator", "isp_parent_operator_id",
                 "isp_parent_operator_id.isp_operator_path")
    def _compute_isp_operator_path(self):
        for partner in self:
            if not partner.isp_is_operator or not partner.id:
                partner.isp_operator_path = False
                partner.isp_operator_level = 0
                continue
            parent = partner.isp_parent_operator_id
            prefix = parent.isp_operator_path if parent else "/"
            partner.isp_operator_path = "%s%d/" % (prefix or "/", partner.id)
            partner.isp_operator_level = (parent.isp_operator_level + 1) if parent else 0

    def _compute_isp_operator_balance(self):
        balances = self._isp_balances()
        for partner in self:
            balance = balances.get(partner.id, 0.0)
            partner.isp_operator_balance = balance
            partner.isp_wallet = (-balance if partner.isp_reseller_mode == "prepaid"
                                  else (partner.isp_credit_limit or 0.0) - balance)

    def _isp_balances(self):
        """{operator id: debit - credit on the operator account} (posted)."""
        ids = [p.id for p in self if p.id]
        account = self.env.user.company_id.isp_operator_account_id
        if not ids or not account:
            return {}
        self.env.cr.execute("""
            SELECT l.partner_id, sum(l.debit - l.credit) FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
             WHERE l.account_id = %s AND l.partner_id IN %s
             GROUP BY l.partner_id""", (account.id, tuple(ids)))
        return dict(self.env.cr.fetchall())

    @api.constrains("isp_parent_operator_id", "isp_is_operator")
    def _check_isp_parent_operator(self):
        for partner in self.filtered("isp_parent_operator_id"):
            parent = partner.isp_parent_operator_id
            if not partner.isp_is_operator:
                raise ValidationError(_("Only an operator has a parent operator."))
            if not parent.isp_is_operator:
                raise ValidationError(_("%s is not an operator.") % parent.display_name)
            if parent.isp_parent_operator_id and not parent.isp_may_create_subresellers:
                raise ValidationError(_(
                    "%s may not have sub-resellers (reseller module permission).")
                    % parent.display_name)
        if not self._check_recursion(parent="isp_parent_operator_id"):
            raise ValidationError(_("An operator cannot be its own parent."))

    @api.model
    def create(self, vals):
        partner = super().create(vals)
        if partner.isp_parent_operator_id:
            partner._isp_setup_operator_account()
        return partner

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if vals.get("isp_parent_operator_id"):
            self._isp_setup_operator_account()
        return res

    def _isp_setup_operator_account(self):
        """A reseller's ledger is the operator account: its payments and
        entries land there (company-dependent receivable account)."""
        account = self.env.user.company_id.isp_operator_account_id
        if account:
            self.sudo().write({"property_account_receivable_id": account.id})

    # chain ---------------------------------------------------------------------

    def _isp_is_reseller(self):
        """A reseller at any depth (an operator with a parent)."""
        return bool(self.isp_is_operator and self.isp_parent_operator_id)

    def _isp_chain(self):
        """This operator and its ancestors below the ISP: [self, parent, ...]."""
        chain = self.browse()
        node = self
        while node and node.isp_parent_operator_id:
            chain |= node
            node = node.isp_parent_operator_id
        return chain

    def _isp_lock(self):
        """Serialise the money of these operators: row lock, and a write that
        makes a concurrent transaction with an older snapshot fail to
        serialise (Odoo retries it; it then sees the new balance)."""
        ids = sorted(set(self.ids))
        if not ids:
            return
        self.env.cr.execute("SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR UPDATE",
                            (tuple(ids),))
        self.env.cr.execute("UPDATE res_partner SET isp_money_seq = coalesce(isp_money_seq, 0) + 1 "
                            "WHERE id IN %s", (tuple(ids),))

    def _isp_check_can_spend(self, amounts):
        """Refuse in the operator's words when a charge would overspend a
        prepaid wallet or pass a postpaid credit limit. `amounts`: {operator:
        charge}. Call after `_isp_lock`."""
        balances = self._isp_balances()
        for operator in self:
            charge = amounts.get(operator.id, 0.0)
            if charge <= 0:
                continue
            balance = balances.get(operator.id, 0.0)
            if commission.wallet_allows(balance, charge, operator.isp_reseller_mode,
                                        operator.isp_credit_limit):
                continue
            currency = operator.isp_company_currency_id
            if operator.isp_reseller_mode == "prepaid":
                raise UserError(_(
                    "%s has %.2f %s left and this costs %.2f %s: add balance first.") % (
                    operator.name, -balance, currency.name, charge, currency.name))
            raise UserError(_(
                "%s owes %.2f %s; with %.2f %s more it would pass its credit limit of "
                "%.2f %s: enter the cash it paid first.") % (
                operator.name, balance, currency.name, charge, currency.name,
                operator.isp_credit_limit, currency.name))

    @api.model
    def _isp_demo_reseller_money(self):
        """Demo: balance added to the prepaid resellers, customers activated."""
        ref = self.env.ref
        cash = self.env["account.payment"].isp_default_journal(method="cash")
        Money = self.env["isp.operator.money.wizard"]
        Money.create({"operator_id": ref("isp_reseller.operator_dhakanet").id,
                      "amount": 5000.0, "journal_id": cash.id,
                      "reference": "DEMO-TOPUP-1"}).action_apply()
        Money.create({"operator_id": ref("isp_reseller.operator_road32").id,
                      "amount": 1000.0, "reference": "DEMO-R32-1"}).action_apply()
        for xmlid in ("sub_dn_1", "sub_dn_2", "sub_ml_1", "sub_r32_1"):
            ref("isp_reseller.%s" % xmlid).action_activate()
