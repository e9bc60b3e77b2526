# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from email.utils import formataddr

from odoo import SUPERUSER_ID, api, models


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


class ReadGroupLikeSearch(models.AbstractModel):
    """Odoo 11 decides who reads a message or an attachment in `_search`
    (the documents they belong to), not by record rules, and read_group()
    does not go through `_search`: any user could count and group every
    message (subjects, authors, documents) and every attachment (names of
    bills). read_group() reaches here what search() reaches."""

    _name = "isp.read_group.like.search"
    _description = "read_group() limited to what search() finds"

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        if self.env.uid != SUPERUSER_ID:
            domain = [("id", "in", self._search(list(domain or [])))]
        return super().read_group(domain, fields, groupby, offset=offset, limit=limit,
                                  orderby=orderby, lazy=lazy)


class MailMessageReadGroup(models.Model):
    _name = "mail.message"
    _inherit = ["mail.message", "isp.read_group.like.search"]


class IrAttachmentReadGroup(models.Model):
    _name = "ir.attachment"
    _inherit = ["ir.attachment", "isp.read_group.like.search"]
