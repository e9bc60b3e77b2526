# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

#: modules whose demo data posts Odoo's stock demo documents (invoices, vendor
#: bills, the bank statement) when the chart of accounts is installed
ODOO_DEMO_MODULES = ("account", "l10n_generic_coa")


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_phone_region = fields.Char(
        string="Phone numbers region", size=2, default="BD",
        help="Country (ISO code) in which national mobile numbers of subscribers are "
             "read, e.g. BD: 01711-928149 becomes +8801711928149.")
    isp_default_billing_profile_id = fields.Many2one(
        "isp.billing.profile", string="Default billing profile",
        help="Billing profile of monthly accounts activated without one.")
    isp_tz = fields.Selection(
        related="partner_id.tz", string="Time zone", readonly=False,
        help="The company's time zone (kept on the company's partner): the ISP's day "
             "(bills, due dates, suspensions) and the zone of every login without a "
             "time zone of its own (portal customers, resellers, card shops); new "
             "logins get it.")

    def _isp_tz_name(self):
        """The company's time zone name (its partner's), UTC when unset."""
        company = self[:1] or self.env.user.company_id
        return company.sudo().partner_id.tz or "UTC"

    # demo data ---------------------------------------------------------------

    @api.multi
    def _isp_demo_set_currency(self, currency_id):
        """Demo data only: the company keeps its books in `currency_id`.

        Odoo sets a company's currency when its chart of accounts is
        installed (l10n_generic_coa: USD) and refuses another one once a
        journal item exists (account's res.company.write). A demo database
        has journal items before any ISP addon: Odoo's stock demo documents,
        posted by l10n_generic_coa's demo right after its chart. Those are
        moved to the new currency with the same amounts (what they would be
        had the company had that currency when they were posted), then the
        company, its moves and pricelists; everything created afterwards
        (packages, bills, payments, wallets) is in the new currency. A
        company with any other journal item keeps its currency: real
        entries are never relabelled. Returns whether it changed."""
        currency = self.env["res.currency"].browse(currency_id)
        changed = False
        for company in self:
            changed |= company._isp_demo_move_to_currency(currency)
        return changed

    def _isp_demo_move_to_currency(self, currency):
        self.ensure_one()
        old = self.currency_id
        if old == currency:
            return False
        env = self.env(context=dict(self.env.context, tracking_disable=True,
                                    active_test=False))
        data = env["ir.model.data"]

        def odoo_demo(model):
            ids = data.search([("module", "in", ODOO_DEMO_MODULES),
                               ("model", "=", model)]).mapped("res_id")
            return env[model].browse(ids).exists().filtered(lambda r: r.company_id == self)

        invoices = odoo_demo("account.invoice")
        statements = odoo_demo("account.bank.statement")
        moves = invoices.mapped("move_id") | statements.mapped("move_line_ids.move_id")
        if env["account.move.line"].search_count([("company_id", "=", self.id),
                                                  ("move_id", "not in", moves.ids)]):
            _logger.warning("%s keeps its currency %s: it has journal items of its own",
                            self.name, old.name)
            return False
        currency.active = True
        # past account's guard, which only knows that journal items exist;
        # then the ORM recomputes what depends on the company's currency
        env.cr.execute("UPDATE res_company SET currency_id = %s WHERE id = %s",
                       (currency.id, self.id))
        self.invalidate_cache(["currency_id"], self.ids)
        self.modified(["currency_id"])
        company_moves = env["account.move"].search([("company_id", "=", self.id)])
        env.add_todo(company_moves._fields["currency_id"], company_moves)
        invoices.filtered(lambda i: i.currency_id == old).write({"currency_id": currency.id})
        statements.mapped("move_line_ids.payment_id").filtered(
            lambda p: p.currency_id == old).write({"currency_id": currency.id})
        for model in ("product.pricelist", "product.supplierinfo"):
            env[model].search([("currency_id", "=", old.id),
                               ("company_id", "in", (self.id, False))]).write(
                {"currency_id": currency.id})
        env["res.company"].recompute()
        _logger.info("%s keeps its books in %s (was %s)", self.name, currency.name, old.name)
        return True
