# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from email.utils import formataddr

from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _get_default_from(self):
        """Panel logins (resellers, cashiers, distributors) often have no
        e-mail address: their actions still leave a chatter trace, sent in
        their name from the company's address (Odoo 11 refuses the action
        with "Unable to send email" instead)."""
        user = self.env.user
        if not user.email:
            company = user.company_id.sudo()
            fallback = company.email or company.partner_id.email
            if not fallback:
                domain = self.env["ir.config_parameter"].sudo().get_param(
                    "mail.catchall.domain")
                fallback = "noreply@%s" % (domain or "localhost")
            return formataddr((user.name, fallback))
        return super()._get_default_from()
