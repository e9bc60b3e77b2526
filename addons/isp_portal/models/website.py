# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models

from ..lib import storefront


class Website(models.Model):
    """What the home page (views/website_templates.xml) shows of the ISP:
    read here for the visitor (public user), who may read none of it."""

    _inherit = "website"

    @api.multi
    def isp_home_packages(self):
        """The ISP's public packages, cheapest first, split into monthly and
        prepaid: {'monthly': rows, 'daily': rows}; a row is a dict with the
        package, its price (taxes included: what the customer pays), its
        download and upload speeds as text (empty for a package that is not
        internet, e.g. cable TV)."""
        self.ensure_one()
        company = self.company_id.sudo()
        plans = self.env["isp.service.plan"].sudo().search([
            ("operator_id", "=", company.partner_id.id), ("visibility", "=", "public"),
            ("company_id", "in", (company.id, False))], order="customer_price, id")
        rows = []
        for plan in plans:
            internet = storefront.is_internet(plan.allowed_connection_types())
            master = plan.master_package_id
            taxes = plan.tax_ids.compute_all(plan.customer_price, plan.currency_id, 1.0,
                                             plan.product_id)
            rows.append({
                "plan": plan, "billing_type": plan.billing_type,
                "price": taxes["total_included"], "currency": plan.currency_id,
                "download": storefront.speed_text(master.download_kbps) if internet else "",
                "upload": storefront.speed_text(master.upload_kbps) if internet else "",
                "hotspot": plan.allow_hotspot,
                "period": self._isp_period_text(plan),
            })
        return storefront.group_packages(rows)

    def _isp_period_text(self, plan):
        """'per month' (monthly), 'for 7 days', 'for 1 day', 'for 3 hours'."""
        if plan.billing_type == "monthly":
            return _("per month")
        units = {"days": (_("for %d day"), _("for %d days")),
                 "hours": (_("for %d hour"), _("for %d hours")),
                 "minutes": (_("for %d minute"), _("for %d minutes"))}
        one, many = units[plan.validity_unit]
        return (one if plan.validity_value == 1 else many) % plan.validity_value

    @api.multi
    def isp_card_shops(self):
        """The ISP's own card shops (its cards are sold there; a reseller's
        shops sell the reseller's cards, for its customers only)."""
        self.ensure_one()
        return self.env["res.partner"].sudo().search([
            ("isp_is_card_distributor", "=", True),
            ("isp_operator_id", "=", self.company_id.partner_id.id)], order="name")
