# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.isp_base.lib import validation

from ..lib import hotspot, otp

_logger = logging.getLogger(__name__)

#: (config parameter, default): limits of the sign-up endpoints
SETTINGS = {
    "ttl": ("isp_portal.otp_ttl_seconds", 300),
    "max_tries": ("isp_portal.otp_max_tries", 5),
    "per_number": ("isp_portal.otp_per_number", 3),
    "per_number_window": ("isp_portal.otp_per_number_window", 900),
    "per_address": ("isp_portal.otp_per_address", 10),
    "per_address_window": ("isp_portal.otp_per_address_window", 3600),
    "verify_per_address": ("isp_portal.verify_per_address", 20),
    "verify_per_address_window": ("isp_portal.verify_per_address_window", 3600),
}


def _now():
    return fields.Datetime.from_string(fields.Datetime.now())


class IspPortalAttempt(models.Model):
    """One attempt at a rate-limited endpoint (a code sent, a code tried, a
    card redeemed), by key: the mobile number or the client address."""

    _name = "isp.portal.attempt"
    _description = "Rate-limited portal attempt"
    _order = "id desc"

    kind = fields.Char(required=True, index=True)
    key = fields.Char(required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def check_and_log(self, kind, key, limit, window):
        """Refuse (UserError) when `key` made `limit` `kind` attempts within
        `window` seconds; otherwise record this one. Serialised per key."""
        if not key:
            return True
        self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                            ("isp_portal:%s:%s" % (kind, key),))
        now = _now()
        start = fields.Datetime.to_string(now - datetime.timedelta(seconds=window))
        self.env.cr.execute("""
            SELECT date FROM isp_portal_attempt
             WHERE kind = %s AND key = %s AND date > %s""", (kind, key, start))
        times = [fields.Datetime.from_string(r[0]) if isinstance(r[0], str) else r[0]
                 for r in self.env.cr.fetchall()]
        wait = otp.retry_after(times, now, window, limit)
        if wait:
            raise UserError(_("Too many attempts: try again in %d minutes.")
                            % max(1, -(-wait // 60)))
        self.sudo().create({"kind": kind, "key": key, "date": fields.Datetime.to_string(now)})
        return True

    @api.model
    def int_setting(self, param, default):
        """The integer in system parameter `param` (a limit, a window in
        seconds), or `default` when it is not set or not a number."""
        value = self.env["ir.config_parameter"].sudo().get_param(param)
        try:
            return int(value) if value else default
        except ValueError:
            return default

    @api.model
    def cron_clean(self):
        limit = fields.Datetime.to_string(_now() - datetime.timedelta(days=2))
        self.sudo().search([("date", "<", limit)]).unlink()
        self.env["isp.portal.otp"].sudo().search([("expires", "<", limit)]).unlink()
        return True


class IspPortalOtp(models.Model):
    """A one-time code sent by SMS to a mobile number (hotspot sign-up and
    password reset). Only a keyed hash of the code is stored."""

    _name = "isp.portal.otp"
    _description = "One-time code"
    _order = "id desc"

    mobile = fields.Char(required=True, index=True, readonly=True)
    code_hash = fields.Char(required=True, readonly=True, groups="base.group_system",
                            isp_secret=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    client_address = fields.Char(readonly=True)
    expires = fields.Datetime(required=True, readonly=True)
    tries = fields.Integer(readonly=True, default=0)
    state = fields.Selection([("pending", "Sent"), ("used", "Used"), ("locked", "Too many tries")],
                             default="pending", required=True, readonly=True)
    notice_id = fields.Many2one("isp.notice", readonly=True, ondelete="set null")

    @api.model
    def _setting(self, name):
        return self.env["isp.portal.attempt"].int_setting(*SETTINGS[name])

    @api.model
    def _secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.model
    def normalize_mobile(self, mobile, company):
        region = company.partner_id.country_id.code or "BD"
        try:
            return validation.normalize_mobile(mobile, region)
        except ValueError as exc:
            raise UserError(str(exc))

    @api.model
    def request_code(self, mobile, client_address, company):
        """Send a new code to `mobile` (rate-limited per number and per client
        address); the number in E.164."""
        mobile = self.normalize_mobile(mobile, company)
        Attempt = self.env["isp.portal.attempt"]
        Attempt.check_and_log("otp_send:address", client_address,
                              self._setting("per_address"), self._setting("per_address_window"))
        Attempt.check_and_log("otp_send:number", mobile,
                              self._setting("per_number"), self._setting("per_number_window"))
        # a new code replaces the earlier ones
        self.sudo().search([("mobile", "=", mobile), ("state", "=", "pending")]).write(
            {"state": "locked"})
        code = otp.generate_code()
        ttl = self._setting("ttl")
        record = self.sudo().create({
            "mobile": mobile, "code_hash": otp.hash_code(self._secret(), mobile, code),
            "company_id": company.id, "client_address": client_address,
            "expires": fields.Datetime.to_string(_now() + datetime.timedelta(seconds=ttl)),
        })
        # the code only in the SMS: the notice keeps it masked
        notice = self.env["isp.notice"].isp_portal_send(
            "otp", company, mobile, {"code": code, "minutes": max(1, ttl // 60),
                                     "company": company.name},
            "otp:%d" % record.id, secrets=("code",))
        record.notice_id = notice
        if notice.state != "sent":
            # nobody received it and its code is not kept: it cannot be tried
            # (the attempt still counts, the failed notice stays for staff)
            record.state = "locked"
            raise UserError(_("The code could not be sent by SMS just now: ask for a new "
                              "one in a minute."))
        return mobile

    @api.model
    def verify_code(self, mobile, code, client_address, company):
        """Check `code` for `mobile`: the pending code, not expired, within
        its tries (rate-limited per client address too). True or UserError;
        a code works once."""
        mobile = self.normalize_mobile(mobile, company)
        self.env["isp.portal.attempt"].check_and_log(
            "otp_verify:address", client_address, self._setting("verify_per_address"),
            self._setting("verify_per_address_window"))
        record = self.sudo().search([("mobile", "=", mobile), ("state", "=", "pending"),
                                     ("company_id", "=", company.id)], limit=1)
        if record:
            self.env.cr.execute("SELECT id FROM isp_portal_otp WHERE id = %s FOR UPDATE",
                                (record.id,))
            record.invalidate_cache()
        if not record or record.state != "pending":
            raise UserError(_("No code is waiting for this number: ask for a new one."))
        if record.expires <= fields.Datetime.now():
            raise UserError(_("This code has expired: ask for a new one."))
        tries = record.tries + 1
        if not otp.code_matches(self._secret(), mobile, code, record.code_hash):
            max_tries = self._setting("max_tries")
            record.write({"tries": tries,
                          "state": "locked" if tries >= max_tries else "pending"})
            if tries >= max_tries:
                raise UserError(_("Wrong code, too many times: ask for a new one."))
            raise UserError(_("Wrong code (%d tries left).") % (max_tries - tries))
        record.write({"tries": tries, "state": "used"})
        return True

    # sign-up -------------------------------------------------------------------

    @api.model
    def signup(self, mobile, password, name, company):
        """A verified number becomes a customer: partner (found by its mobile
        or new), hotspot account and portal login (both with `password`).
        A number that already has a portal login gets its password reset.
        Returns the portal user."""
        if len(password or "") < 6:
            raise UserError(_("Choose a password of at least 6 characters."))
        env = self.sudo().env
        partner = env["res.partner"].search([("mobile", "=", mobile),
                                             ("isp_is_subscriber", "=", True),
                                             ("company_id", "in", (company.id, False))],
                                            limit=1)
        if not partner:
            partner = env["res.partner"].create({
                "name": (name or "").strip() or mobile, "mobile": mobile,
                "isp_is_subscriber": True, "company_id": company.id,
                "isp_zone_id": company.isp_signup_zone_id.id})
        user = env["res.users"].with_context(active_test=False).search(
            [("partner_id", "=", partner.id)], limit=1)
        if user and not user.share:
            raise UserError(_("This number belongs to a staff login: ask the ISP."))
        if user:
            user.write({"password": password, "active": True})
        else:
            user = env["res.users"].with_context(no_reset_password=True).create({
                "name": partner.name, "login": mobile, "partner_id": partner.id,
                "company_id": company.id, "company_ids": [(6, 0, company.ids)],
                "password": password,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            })
        sub = env["isp.subscription"].search([("partner_id", "=", partner.id),
                                              ("connection_type", "=", "hotspot")], limit=1)
        if not sub:
            sub = env["isp.subscription"].create({
                "partner_id": partner.id, "connection_type": "hotspot",
                "billing_type": "daily", "company_id": company.id,
                "username": self._free_username(hotspot.username_for_mobile(mobile)),
                "password": password,
            })
        else:
            sub.write({"password": password})
        return user

    @api.model
    def _free_username(self, wanted):
        Sub = self.env["isp.subscription"].sudo().with_context(active_test=False)
        name, n = wanted, 1
        while Sub.search_count([("username", "=ilike", name)]):
            n += 1
            name = "%s-%d" % (wanted, n)
        return name
