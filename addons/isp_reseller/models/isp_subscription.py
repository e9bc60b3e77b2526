# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.isp_base.lib import billing_profile as bp
from odoo.addons.isp_billing.lib import proration


class IspSubscription(models.Model):
    """Reseller customers: the operators of the chain pay for the service
    they give. Daily accounts: per minute of validity granted (minutes given
    back when the account is stopped early); monthly accounts: per billing
    period (the first at activation, the next ones when the customer pays).
    Prepaid operators need the balance, postpaid ones stay under their credit
    limit; both are checked under a lock."""

    _inherit = "isp.subscription"

    operator_id = fields.Many2one(default=lambda self: self.env.user._isp_scope_operator())
    operator_path = fields.Char(related="operator_id.isp_operator_path", store=True,
                                readonly=True, index=True)
    isp_charged_until = fields.Datetime(
        "Charged to the operator until", readonly=True, copy=False,
        help="Daily accounts: the end of the validity the operators have paid for.")
    isp_charge_ids = fields.One2many("isp.operator.charge", "subscription_id",
                                     string="Reseller charges", readonly=True)

    # rules ------------------------------------------------------------------

    @api.constrains("connection_type", "operator_id")
    def _check_reseller_static_ip(self):
        # seed 000: "The reseller can not create Static IP Customer."
        for sub in self:
            if sub.connection_type == "static" and sub.operator_id._isp_is_reseller():
                raise ValidationError(_("Static IP customers belong to the ISP: %s is a "
                                        "reseller.") % sub.operator_id.name)

    @api.constrains("plan_id", "operator_id")
    def _check_reseller_plan(self):
        for sub in self.filtered("plan_id"):
            if not sub.plan_id._isp_sellable_to(sub.operator_id):
                raise ValidationError(_("%s sells its own packages: %s is not one of them.")
                                      % (sub.operator_id.name, sub.plan_id.name))

    def _isp_may(self, kind):
        # a reseller's own login acts on its subtree (the record rules keep
        # it there); its managers get what their permission groups say
        if self.env.uid != SUPERUSER_ID and self.env.user.has_group(
                "isp_base.group_isp_reseller"):
            return True
        return super()._isp_may(kind)

    # chain amounts ------------------------------------------------------------

    def _isp_reseller_sub(self):
        return self.operator_id._isp_is_reseller()

    def _isp_chain_levels(self, minutes=None, ratio=None):
        """[(operator, its parent, amount)] for `minutes` of validity of a
        daily account or a `ratio` of a monthly cycle."""
        levels = []
        rounding = self.company_id.currency_id.rounding or 0.01
        for plan in self.plan_id._isp_chain_plans():
            share = ratio if ratio is not None else minutes / float(plan.validity_minutes)
            amount = proration.round_money(plan.operator_price * share, rounding)
            levels.append((plan.operator_id, plan.operator_id.isp_parent_operator_id, amount))
        return levels

    def _isp_charge(self, levels, label, kind, check, **vals):
        """Lock the chain, check what each may spend, post the entry, keep it."""
        operators = self.env["res.partner"].browse([lv[0].id for lv in levels])
        operators._isp_lock()
        if check:
            operators._isp_check_can_spend({op.id: amount for op, _p, amount in levels})
        move = self.env["isp.operator.charge"].post_chain(self, levels, label)
        return self.env["isp.operator.charge"].sudo().create(dict(
            vals, subscription_id=self.id, kind=kind, move_id=move.id,
            amount=levels[0][2] if levels else 0.0))

    def _isp_charge_minutes(self, start, end, check=True):
        """Daily account: charge the chain for the validity from `start` to
        `end` (datetimes) not charged yet."""
        if not self._isp_reseller_sub() or self.billing_type != "daily":
            return False
        charged = self.isp_charged_until and fields.Datetime.from_string(
            self.isp_charged_until)
        start = max(start, charged) if charged else start
        minutes = int(round((end - start).total_seconds() / 60.0))
        if minutes <= 0:
            return False
        charge = self._isp_charge(
            self._isp_chain_levels(minutes=minutes),
            _("%d min of %s") % (minutes, self.plan_id.name), "minutes", check,
            date_from=fields.Datetime.to_string(start), date_to=fields.Datetime.to_string(end),
            minutes=minutes)
        self.sudo().with_context(isp_no_network_event=True).write(
            {"isp_charged_until": fields.Datetime.to_string(end)})
        return charge

    def _isp_refund_minutes(self, at):
        """Daily account stopped at `at` (datetime): the unused minutes the
        chain paid for are given back."""
        if not self._isp_reseller_sub() or self.billing_type != "daily" \
                or not self.isp_charged_until:
            return False
        charged = fields.Datetime.from_string(self.isp_charged_until)
        minutes = int(round((charged - at).total_seconds() / 60.0))
        if minutes <= 0:
            return False
        levels = [(op, parent, -amount) for op, parent, amount
                  in self._isp_chain_levels(minutes=minutes)]
        refund = self._isp_charge(levels, _("%d unused min of %s back") % (
            minutes, self.plan_id.name), "refund", False,
            date_from=fields.Datetime.to_string(at), date_to=self.isp_charged_until,
            minutes=-minutes)
        self.sudo().with_context(isp_no_network_event=True).write(
            {"isp_charged_until": fields.Datetime.to_string(at)})
        return refund

    def _isp_charge_period(self, invoice, check):
        """Monthly account: charge the chain for the bill's period, once."""
        if not self._isp_reseller_sub() or not invoice.isp_period_start:
            return False
        key = "%s:%s" % (self.id, invoice.isp_period_start)
        if self.env["isp.operator.charge"].sudo().search_count([("period_key", "=", key)]):
            return False
        start = fields.Date.from_string(invoice.isp_period_start)
        end = fields.Date.from_string(invoice.isp_period_end)
        anchor = self._isp_anchor()
        cycle_start, cycle_end = bp.cycle_bounds(anchor, start)
        ratio = proration.days_between(start, end) / float(
            proration.days_between(cycle_start, cycle_end))
        return self._isp_charge(self._isp_chain_levels(ratio=ratio), _("%s, %s") % (
            self.plan_id.name, proration.period_label(
                start, end, self.operator_id._isp_lang().date_format)), "period", check,
            period_start=invoice.isp_period_start, period_key=key)

    # lifecycle -----------------------------------------------------------------

    def _now(self):
        return fields.Datetime.from_string(fields.Datetime.now())

    @api.multi
    def action_activate(self, reason=None):
        res = super().action_activate(reason=reason)
        for sub in self.filtered(lambda s: s._isp_reseller_sub()):
            if sub.billing_type == "daily":
                sub._isp_charge_minutes(sub._now(),
                                        fields.Datetime.from_string(sub.validity_end))
            else:
                period = sub._isp_period_invoice(sub._isp_today())
                if period:
                    sub._isp_charge_period(period, check=True)
        return res

    def _isp_recharged(self, plan):
        res = super()._isp_recharged(plan)
        self._isp_charge_minutes(self._now(), fields.Datetime.from_string(self.validity_end))
        return res

    @api.multi
    def action_extend_days(self, days, reason):
        res = super().action_extend_days(days, reason)
        for sub in self.filtered(lambda s: s._isp_reseller_sub()):
            sub._isp_charge_minutes(sub._now(), fields.Datetime.from_string(sub.validity_end))
        return res

    @api.multi
    def action_suspend(self, reason=None, suspend_reason="manual"):
        now = self._now()
        res = super().action_suspend(reason=reason, suspend_reason=suspend_reason)
        for sub in self:
            sub._isp_refund_minutes(now)
        return res

    @api.multi
    def action_disable(self, reason=None):
        now = self._now()
        res = super().action_disable(reason=reason)
        for sub in self:
            sub._isp_refund_minutes(now)
        return res

    @api.multi
    def action_resume(self, reason=None):
        res = super().action_resume(reason=reason)
        for sub in self.filtered(lambda s: s._isp_reseller_sub()):
            sub._isp_charge_minutes(sub._now(), fields.Datetime.from_string(sub.validity_end))
        return res

    # customers' money goes to their operator --------------------------------

    def _isp_invoice_line_vals(self, product, label, price, taxes, quantity=1.0, cache=None):
        vals = super()._isp_invoice_line_vals(product, label, price, taxes,
                                              quantity=quantity, cache=cache)
        if self._isp_reseller_sub():
            # the reseller's sale: held for it until the customer pays
            vals["account_id"] = self.company_id.isp_operator_sales_account_id.id
        return vals

    @api.multi
    def action_collect(self, invoices, operator=None):
        """The operator collected these bills in cash from the customer: it now
        holds the money (debit on its ledger); the bills are paid."""
        operator = operator or self.env.user._isp_scope_operator()
        self._isp_check_may("billing")
        for invoice in invoices:
            invoice._isp_collect_by_operator(operator)
        return True
