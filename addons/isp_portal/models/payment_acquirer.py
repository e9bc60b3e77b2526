# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import bkash, hosted

_logger = logging.getLogger(__name__)

#: payment method (isp_billing journals) of each provider
PROVIDER_METHODS = {"bkash": "bkash", "isp_hosted": "online"}


class PaymentAcquirer(models.Model):
    _inherit = "payment.acquirer"

    provider = fields.Selection(selection_add=[("bkash", "bKash"),
                                               ("isp_hosted", "Hosted gateway (ISP)")])
    bkash_base_url = fields.Char(
        "bKash base URL", default="https://tokenized.sandbox.bka.sh",
        help="Sandbox or live host of the tokenized checkout (the version path is added).")
    bkash_app_key = fields.Char("bKash app key", groups="base.group_system", isp_secret=True)
    bkash_app_secret = fields.Char("bKash app secret", groups="base.group_system",
                                   isp_secret=True)
    bkash_username = fields.Char("bKash username", groups="base.group_system",
                                 isp_secret=True)
    bkash_password = fields.Char("bKash password", groups="base.group_system",
                                 isp_secret=True)
    bkash_token = fields.Char(groups="base.group_system", copy=False, readonly=True,
                              isp_secret=True)
    bkash_refresh_token = fields.Char(groups="base.group_system", copy=False, readonly=True,
                                      isp_secret=True)
    bkash_token_expiry = fields.Datetime(groups="base.group_system", copy=False,
                                         readonly=True)
    hosted_url = fields.Char("Gateway payment URL",
                             help="Where payers are sent (signed request, see README).")
    hosted_merchant = fields.Char("Merchant id")
    hosted_secret = fields.Char("Signing secret", groups="base.group_system", isp_secret=True)
    isp_timeout = fields.Integer("Gateway timeout (s)", default=30)

    @api.constrains("provider", "website_published", "bkash_base_url", "bkash_app_key",
                    "bkash_app_secret", "bkash_username", "bkash_password", "hosted_url",
                    "hosted_merchant", "hosted_secret")
    def _check_isp_credentials(self):
        """A published gateway has its credentials: without its signing
        secret anybody could sign the hosted gateway's answers."""
        for acquirer in self.sudo().filtered("website_published"):
            missing = hosted.missing_to_publish(acquirer.provider, {
                f: acquirer[f] for f in hosted.REQUIRED_TO_PUBLISH.get(acquirer.provider, ())})
            if missing:
                raise ValidationError(_(
                    "%(name)s cannot be published without: %(missing)s. Fill them in "
                    "(from the gateway's merchant account), then publish it.") % {
                    "name": acquirer.name, "missing": ", ".join(
                        acquirer._fields[f].get_description(self.env)["string"]
                        for f in missing)})

    @api.multi
    def isp_payment_method(self):
        self.ensure_one()
        return PROVIDER_METHODS.get(self.provider)

    @api.multi
    def isp_journal(self):
        """The isp_billing journal payments of this acquirer are posted to."""
        self.ensure_one()
        method = self.isp_payment_method()
        if not method:
            raise UserError(_("%s is not an ISP payment method.") % self.name)
        return self.env["account.payment"].sudo().isp_default_journal(self.company_id, method)

    @api.model
    def isp_portal_acquirers(self, company):
        return self.sudo().search([("provider", "in", list(PROVIDER_METHODS)),
                                   ("website_published", "=", True),
                                   ("company_id", "=", company.id)])

    def isp_payment_hosts(self):
        """Hosts payers' browsers go to (walled garden of the hotspot)."""
        return [a.bkash_base_url if a.provider == "bkash" else a.hosted_url
                for a in self if a.provider in PROVIDER_METHODS]

    # bKash ---------------------------------------------------------------------

    def _bkash_post(self, step, body, token=None):
        """POST one tokenized-checkout call; its checked answer."""
        secrets = self.sudo()
        if step in ("grant", "refresh"):
            headers = {"username": secrets.bkash_username or "",
                       "password": secrets.bkash_password or ""}
        else:
            headers = {"Authorization": token, "X-App-Key": secrets.bkash_app_key or ""}
        headers.update({"Content-Type": "application/json", "Accept": "application/json"})
        url = bkash.url(self.bkash_base_url, step)
        try:
            resp = requests.post(url, json=body, headers=headers,
                                 timeout=self.isp_timeout or 30)
            answer = resp.json()
        except (requests.RequestException, ValueError) as exc:
            raise bkash.BkashError("bKash unreachable (%s): %s" % (step, exc))
        return bkash.check_answer(answer)

    def _bkash_id_token(self):
        """The cached token while it is valid; granted (or refreshed) once
        under a row lock when it is not."""
        self.ensure_one()
        acquirer = self.sudo()
        now = fields.Datetime.from_string(fields.Datetime.now())

        def usable():
            expiry = acquirer.bkash_token_expiry and fields.Datetime.from_string(
                acquirer.bkash_token_expiry)
            return acquirer.bkash_token and bkash.token_usable(expiry, now)

        if usable():
            return acquirer.bkash_token
        self.env.cr.execute("SELECT id FROM payment_acquirer WHERE id = %s FOR UPDATE",
                            (self.id,))
        acquirer.invalidate_cache(["bkash_token", "bkash_token_expiry",
                                   "bkash_refresh_token"], acquirer.ids)
        if usable():
            return acquirer.bkash_token
        body = {"app_key": acquirer.bkash_app_key, "app_secret": acquirer.bkash_app_secret}
        answer = None
        if acquirer.bkash_refresh_token:
            try:
                answer = self._bkash_post("refresh", dict(
                    body, refresh_token=acquirer.bkash_refresh_token))
            except bkash.BkashError:
                answer = None
        if not answer or not answer.get("id_token"):
            answer = self._bkash_post("grant", body)
        if not answer.get("id_token"):
            raise bkash.BkashError("bKash granted no token")
        acquirer.write({
            "bkash_token": answer["id_token"],
            "bkash_refresh_token": answer.get("refresh_token") or False,
            "bkash_token_expiry": fields.Datetime.to_string(bkash.token_expiry(answer, now)),
        })
        return answer["id_token"]

    def _bkash_call(self, step, body):
        return self._bkash_post(step, body, token=self._bkash_id_token())

    # hosted gateway --------------------------------------------------------------

    def _hosted_request(self, tx, return_url):
        self.ensure_one()
        if not (self.sudo().hosted_secret or "").strip():
            raise UserError(_("%s is not set up (no signing secret): choose another payment "
                              "method.") % self.name)
        return hosted.request_values(self.sudo().hosted_secret, self.hosted_merchant or "",
                                     tx.reference, tx.amount, tx.currency_id.name, return_url)
