# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import usage_chart


class IspSubscription(models.Model):
    """What the customer portal shows and lets a customer do."""

    _inherit = "isp.subscription"

    def _isp_portal_plans(self):
        """Packages a customer may buy for this account (seed 000): daily /
        hotspot accounts any public daily package of their operator sold for
        their connection type; monthly accounts none (they pay their bill)."""
        self.ensure_one()
        if self.billing_type != "daily" or self.state == "disabled":
            return self.env["isp.service.plan"]
        plans = self.env["isp.service.plan"].sudo().search([
            ("operator_id", "=", self.operator_id.id), ("visibility", "=", "public"),
            ("billing_type", "=", "daily"), ("company_id", "in", (self.company_id.id, False)),
        ], order="customer_price, id")
        return plans.filtered(lambda p: self.connection_type in p.allowed_connection_types())

    def _isp_portal_open_bills(self):
        self.ensure_one()
        return self.env["account.invoice"].sudo().search([
            ("isp_subscription_id", "=", self.id), ("state", "=", "open"),
            ("type", "=", "out_invoice")], order="date_due, id")

    def _isp_portal_radius(self):
        """isp_radius data when it is installed: (online sessions, daily
        usage of 31 days and its chart (lib/usage_chart.py), monthly usage
        of 12 months), else None."""
        self.ensure_one()
        if "isp.radius.session" not in self.env.registry:
            return None
        env = self.env
        sessions = env["isp.radius.session"].sudo().search(
            [("subscription_id", "=", self.id), ("online", "=", True)], limit=5)
        today = datetime.date.today()
        since = today - datetime.timedelta(days=31)
        daily = env["isp.radius.usage.daily"].sudo().search(
            [("subscription_id", "=", self.id), ("date", ">=", fields.Date.to_string(since))],
            order="date")
        monthly = env["isp.radius.usage.monthly"].sudo().search(
            [("subscription_id", "=", self.id)], order="month desc", limit=12)
        chart = usage_chart.layout([(u.date, u.download_mb, u.upload_mb) for u in daily],
                                   since, today)
        return {"online": sessions, "daily": daily, "monthly": monthly.sorted("month"),
                "chart": chart}

    def _isp_portal_set_password(self, password):
        """A customer sets its account's password (where the ISP allows it)."""
        self.ensure_one()
        if not self.company_id.isp_portal_password_change:
            raise UserError(_("Ask the ISP to change your password."))
        if self.connection_type not in ("pppoe", "hotspot"):
            raise UserError(_("This account has no password."))
        if len(password or "") < 6 or len(password) > 64 or any(
                c.isspace() for c in password):
            raise UserError(_("The password needs 6 to 64 characters, without spaces."))
        self.sudo().write({"password": password})
        self.sudo().message_post(body=_("Password changed by the customer in the portal."))
        return True

    @api.multi
    def action_isp_send_payment_link(self):
        """Send Payment Link: the oldest open bill of each account."""
        for sub in self:
            bill = self.env["account.invoice"].sudo().search([
                ("isp_subscription_id", "=", sub.id), ("state", "=", "open"),
                ("type", "=", "out_invoice")], order="date_due, id", limit=1)
            if not bill:
                raise UserError(_("%s has no open bill.") % sub.name)
            sub._isp_check_may("billing")
            bill.action_isp_send_payment_link()
        return True
