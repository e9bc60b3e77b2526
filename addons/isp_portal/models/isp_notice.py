# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.isp_billing.lib import sms

from ..lib import sms_text

PORTAL_EVENTS = [("otp", "One-time code"), ("payment_link", "Payment link")]


class IspNoticeTemplate(models.Model):
    _inherit = "isp.notice.template"

    event = fields.Selection(selection_add=PORTAL_EVENTS)


class IspNotice(models.Model):
    _inherit = "isp.notice"

    event = fields.Selection(selection_add=PORTAL_EVENTS)

    @api.model
    def isp_portal_send(self, event, company, recipient, values, key, sub=None, partner=None,
                        secrets=()):
        """Send one of the portal's own SMS now (one-time code, payment link)
        with the company's template of `event`; `values` fill its {names}.
        Logged as a notice like every other message; the `secrets` (names of
        `values`, e.g. the code) are masked in it and go only to the SMS
        provider (isp_billing's `send_secret`)."""
        template = self.env["isp.notice.template"].sudo().search([
            ("event", "=", event), ("channel", "=", "sms"), ("company_id", "=", company.id)],
            limit=1)
        if not template:
            raise UserError(_("There is no SMS text for %s: add a notice template.")
                            % dict(PORTAL_EVENTS)[event])
        lang = (partner or sub and sub.partner_id or self.env.user.partner_id).lang
        body = sms_text.fill(template.with_context(lang=lang or "en_US").body, values)
        notice_values = {
            "template_id": template.id, "channel": "sms", "event": event, "event_key": key,
            "subscription_id": sub and sub.id or False,
            "partner_id": (partner or sub and sub.partner_id or self.env["res.partner"]).id,
            "company_id": company.id, "recipient": recipient, "subject": "",
            "body": body, "segments": sms.segments(body),
        }
        if secrets:
            return self.sudo().send_secret(notice_values,
                                           [str(values[name]) for name in secrets])
        notice = self.sudo().create(notice_values)
        notice.send()
        return notice
