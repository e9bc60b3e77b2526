# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import logging

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.isp_base.lib import localtime

from ..lib import sms

_logger = logging.getLogger(__name__)

EVENTS = [
    ("bill", "Bill created"),
    ("payment", "Payment received"),
    ("suspend", "Suspended"),
    ("expire", "Expired"),
    ("expiry_warning", "Validity ends soon"),
]
CHANNELS = [("sms", "SMS"), ("email", "E-mail")]
MAX_ATTEMPTS = 3
RETRY_MINUTES = (1, 5, 30)


def event_key(event, record, sub):
    """What makes a notice unique: the event and the record it is about (a
    warning is per validity end, so an extended account is warned again)."""
    if event == "expiry_warning":
        return "%s:%s:%s" % (event, sub.id, sub.validity_end)
    return "%s:%s:%s" % (event, record._name, record.id)


class IspNoticeTemplate(models.Model):
    """What the ISP tells its subscribers, per event and channel; the text
    is translatable (sent in the subscriber's language) and may use
    ${object.<subscription field>} and ${ctx['isp_record'].<field>} (the
    bill, payment or state change)."""

    _name = "isp.notice.template"
    _description = "Notice template"
    _order = "event, channel"

    name = fields.Char(required=True, translate=True)
    event = fields.Selection(EVENTS, required=True)
    channel = fields.Selection(CHANNELS, required=True, default="sms")
    subject = fields.Char(translate=True)
    body = fields.Text(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)

    def render(self, sub, record):
        """(subject, body) for `sub`, in its subscriber's language."""
        self.ensure_one()
        lang = sub.partner_id.lang or "en_US"
        template = self.with_context(lang=lang)
        renderer = self.env["mail.template"].with_context(lang=lang, isp_record=record)
        body = renderer.render_template(template.body, "isp.subscription", [sub.id])[sub.id]
        subject = template.subject and renderer.render_template(
            template.subject, "isp.subscription", [sub.id])[sub.id]
        return subject or "", (body or "").strip()


class IspNotice(models.Model):
    """One message to one subscriber about one event: queued, sent or
    failed, with the provider's answer and the attempts. Never twice for the
    same event (unique key)."""

    _name = "isp.notice"
    _description = "Notice (SMS / e-mail)"
    _order = "id desc"

    template_id = fields.Many2one("isp.notice.template", required=True, readonly=True,
                                  ondelete="restrict")
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    event = fields.Selection(EVENTS, required=True, readonly=True)
    event_key = fields.Char(required=True, readonly=True, index=True)
    subscription_id = fields.Many2one("isp.subscription", readonly=True, index=True,
                                      ondelete="cascade")
    partner_id = fields.Many2one("res.partner", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    recipient = fields.Char(readonly=True, help="Mobile number or e-mail address.")
    subject = fields.Char(readonly=True)
    body = fields.Text(readonly=True)
    segments = fields.Integer("SMS parts", readonly=True, default=0)
    state = fields.Selection([("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed")],
                             default="queued", required=True, readonly=True, index=True)
    attempts = fields.Integer(readonly=True, default=0)
    next_attempt = fields.Datetime(readonly=True, default=fields.Datetime.now)
    sent_date = fields.Datetime(readonly=True)
    response = fields.Text("Provider answer", readonly=True)
    error = fields.Char(readonly=True)
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null")
    carries_secret = fields.Boolean(
        "Carried a secret", readonly=True,
        help="The message carried a code or PIN: what is stored is masked, the clear text "
             "only went to the SMS provider. Sent once, never retried.")

    _sql_constraints = [
        ("event_once", "unique(template_id, event_key)",
         "This notice was already queued for this event."),
    ]

    @api.model
    def queue_for(self, sub, event, record):
        """Queue the notices of `event` about `record` for `sub`'s subscriber,
        once: a per-key advisory lock serialises concurrent callers, the
        unique index is the safety net."""
        sub = sub.sudo()
        templates = self.env["isp.notice.template"].sudo().search([
            ("event", "=", event), ("company_id", "=", sub.company_id.id)])
        notices = self.browse()
        key = event_key(event, record, sub)
        for template in templates:
            recipient = sub.partner_id.mobile if template.channel == "sms" \
                else sub.partner_id.email
            if not recipient:
                continue
            self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                                ("isp.notice:%s:%s" % (template.id, key),))
            if self.search_count([("template_id", "=", template.id),
                                  ("event_key", "=", key)]):
                continue
            subject, body = template.render(sub, record)
            notices |= self.create({
                "template_id": template.id, "channel": template.channel, "event": event,
                "event_key": key, "subscription_id": sub.id, "partner_id": sub.partner_id.id,
                "company_id": sub.company_id.id, "recipient": recipient, "subject": subject,
                "body": body,
                "segments": sms.segments(body) if template.channel == "sms" else 0,
            })
        return notices

    @api.model
    def cron_send(self, limit=500):
        """Send what is due: queued notices and failed ones to retry."""
        due = self.search([("state", "in", ("queued", "failed")),
                           ("attempts", "<", MAX_ATTEMPTS), ("carries_secret", "=", False),
                           ("next_attempt", "<=", fields.Datetime.now())],
                          order="id", limit=limit)
        due.send()
        return len(due)

    @api.model
    def send_secret(self, values, secrets):
        """Send at once an SMS that carries a secret (one-time code, card PIN)
        without storing it: the notice is created from `values` with its
        `body` masked (`secrets`: {secret: shown instead}, or a list of
        secrets shown as `*`), and the clear `values["body"]` goes only into
        the provider's HTTP request. Never retried (the clear text is gone):
        a failed one says so, the user asks again. Returns the notice."""
        values = dict(values)
        if values.setdefault("channel", "sms") != "sms":
            raise UserError(_("A code or PIN is sent by SMS only."))
        clear = values.get("body") or ""
        values.update(body=sms.mask(clear, secrets), segments=sms.segments(clear),
                      carries_secret=True)
        notice = self.sudo().create(values)
        provider = self.env["isp.sms.provider"].sudo().search(
            [("company_id", "=", notice.company_id.id)], limit=1)
        if not provider:
            notice.write({"state": "failed", "attempts": MAX_ATTEMPTS,
                          "error": _("No SMS provider is configured.")})
            return notice
        if not provider.send(notice, body=clear, secrets=secrets) \
                and notice.state != "sent":
            notice.write({"state": "failed", "attempts": MAX_ATTEMPTS})
        return notice

    @api.multi
    def send(self):
        for notice in self:
            if notice.carries_secret:
                # its clear text is not kept: it cannot be sent again
                notice.write({"state": "failed", "error": _(
                    "This message carried a code or PIN that is not kept: ask for a new "
                    "one.")})
                continue
            if notice.channel == "email":
                notice._send_email()
            else:
                provider = self.env["isp.sms.provider"].sudo().search(
                    [("company_id", "=", notice.company_id.id)], limit=1)
                if not provider:
                    notice.write({"error": _("No SMS provider is configured.")})
                    continue
                provider.send(notice)
        return True

    def _send_email(self):
        mail = self.env["mail.mail"].sudo().create({
            "subject": self.subject, "body_html": self.body.replace("\n", "<br/>"),
            "email_to": self.recipient, "auto_delete": False,
            "recipient_ids": [(4, self.partner_id.id)],
        })
        self.write({"mail_id": mail.id, "state": "sent", "attempts": self.attempts + 1,
                    "sent_date": fields.Datetime.now()})

    def _record_attempt(self, ok, response, error=None):
        now = fields.Datetime.from_string(fields.Datetime.now())
        attempts = self.attempts + 1
        vals = {"attempts": attempts, "response": (response or "")[:2000],
                "error": error or False}
        if ok:
            vals.update(state="sent", sent_date=fields.Datetime.to_string(now))
        else:
            wait = RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1]
            vals.update(state="failed", next_attempt=fields.Datetime.to_string(
                now + datetime.timedelta(minutes=wait)))
        self.write(vals)


class IspSmsProvider(models.Model):
    """An HTTP SMS gateway: how to call it and how to read its answer.
    Parameters are `name=value` lines; {to}, {message}, {sender}, {username},
    {password} and {api_key} are replaced."""

    _name = "isp.sms.provider"
    _description = "SMS provider"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    active = fields.Boolean(default=True)
    url = fields.Char(required=True)
    method = fields.Selection([("get", "GET"), ("post", "POST (form)"),
                               ("json", "POST (JSON)")], required=True, default="post")
    parameters = fields.Text(
        required=True, default="to={to}\nmessage={message}\nsender={sender}\n"
                               "username={username}\npassword={password}")
    username = fields.Char()
    password = fields.Char(groups="isp_base.group_isp_admin", isp_secret=True)
    api_key = fields.Char("API key", groups="isp_base.group_isp_admin", isp_secret=True)
    sender = fields.Char("Sender ID")
    success_pattern = fields.Char(
        help="Regular expression the answer must match to count as sent (many gateways "
             "answer HTTP 200 with an error text); empty: any 2xx answer.")
    timeout = fields.Integer(default=15)
    balance = fields.Integer(
        "SMS balance", default=0,
        help="SMS parts left; nothing is sent without balance (add balance when you buy "
             "credit from the provider).")
    sent_today = fields.Integer(compute="_compute_sent_today")

    def _compute_sent_today(self):
        now = datetime.datetime.utcnow()
        for provider in self:
            # since 00:00 of the ISP's day (its company's zone)
            tz_name = provider.company_id._isp_tz_name()
            since = localtime.day_start_utc(localtime.local_day(now, tz_name), tz_name)
            provider.sent_today = self.env["isp.notice"].search_count([
                ("channel", "=", "sms"), ("state", "=", "sent"),
                ("company_id", "=", provider.company_id.id),
                ("sent_date", ">=", fields.Datetime.to_string(since))])

    def _payload(self, notice, body=None):
        """The request parameters of `notice`; `body`: the clear text of a
        notice that carries a secret (its stored body is masked)."""
        secrets = self.sudo()
        values = {"to": notice.recipient, "message": notice.body if body is None else body,
                  "sender": self.sender or "",
                  "username": self.username or "", "password": secrets.password or "",
                  "api_key": secrets.api_key or ""}
        payload = {}
        for line in (self.parameters or "").splitlines():
            if "=" in line:
                key, _sep, template = line.partition("=")
                payload[key.strip()] = template.strip().format(**values)
        return payload

    @api.multi
    def send(self, notice, body=None, secrets=None):
        """Send `notice` (its stored body, or the clear `body` of a notice
        that carries `secrets`: they are kept out of what is recorded of the
        provider's answer too)."""
        self.ensure_one()
        # the balance row is the one place two senders could race on
        self.env.cr.execute("SELECT balance FROM isp_sms_provider WHERE id = %s FOR UPDATE",
                            (self.id,))
        balance = self.env.cr.fetchone()[0]
        if balance < notice.segments:
            notice.write({"error": _("No SMS balance left (%d parts needed).")
                          % notice.segments})
            return False
        payload = self._payload(notice, body=body)
        try:
            if self.method == "get":
                resp = requests.get(self.url, params=payload, timeout=self.timeout)
            elif self.method == "json":
                resp = requests.post(self.url, json=payload, timeout=self.timeout)
            else:
                resp = requests.post(self.url, data=payload, timeout=self.timeout)
        except requests.RequestException as exc:
            # the message may be in the URL the error names
            notice._record_attempt(False, "", sms.mask(
                _("Provider unreachable: %s") % exc, secrets))
            return False
        ok = sms.is_success(resp.status_code, resp.text, self.success_pattern)
        notice._record_attempt(ok, sms.mask("%s %s" % (resp.status_code, resp.text), secrets),
                               None if ok else _("The provider refused the message."))
        if ok:
            self.env.cr.execute("UPDATE isp_sms_provider SET balance = balance - %s "
                                "WHERE id = %s", (notice.segments, self.id))
            self.invalidate_cache(["balance"], self.ids)
        return ok

    @api.multi
    def add_balance(self, parts):
        if parts <= 0:
            raise UserError(_("Add a positive number of SMS parts."))
        self.env.cr.execute("UPDATE isp_sms_provider SET balance = balance + %s "
                            "WHERE id IN %s", (parts, tuple(self.ids)))
        self.invalidate_cache(["balance"], self.ids)
        return True
