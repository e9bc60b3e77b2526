# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers shared by the portal controllers (customer, hotspot, payments,
and the panels to come): access checks that answer 404, the request's
company and client address, redirects to a payment provider."""
from urllib.parse import urlencode

import werkzeug

from odoo import _
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import consteq, formatLang


class NotFound(Exception):
    """The record does not exist for this user (answered 404 whatever the
    reason: another customer's id is not told apart from a missing one)."""


def check_record(model, record_id, access_token=None, token_field="access_token"):
    """`model` record `record_id` as the current user may read it (record
    rules), or through its access token; sudo'ed for rendering. NotFound
    otherwise."""
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        raise NotFound()
    record = request.env[model].browse(record_id)
    sudo = record.sudo()
    if not sudo.exists():
        raise NotFound()
    try:
        record.check_access_rights("read")
        record.check_access_rule("read")
    except (AccessError, MissingError):
        token = sudo[token_field] if token_field and token_field in sudo._fields else None
        if not access_token or not token or not consteq(str(token), str(access_token)):
            raise NotFound()
    return sudo


def company():
    """The company of the request (the website's), readable by visitors."""
    website = getattr(request, "website", None)
    return (website.company_id if website else request.env.user.company_id).sudo()


def money(amount, currency=None):
    """`amount` as text in the currency's format (symbol, decimals and the
    language's separators, as Odoo's monetary widget writes it), for places
    that take text only (a select's options); elsewhere templates use
    t-options="{'widget': 'monetary', ...}"."""
    currency = currency or company().currency_id
    return formatLang(request.env, amount or 0.0, monetary=True, currency_obj=currency)


def client_address():
    return request.httprequest.remote_addr or ""


def readable_count(model, domain):
    """How many `model` records of `domain` the logged-in user may read
    (record rules apply); 0 for a login without read access to the model,
    where a plain search_count raises AccessError (a 403 on /my)."""
    records = request.env[model]
    if not records.check_access_rights("read", raise_exception=False):
        return 0
    return records.search_count(domain)


def base_url():
    return request.env["ir.config_parameter"].sudo().get_param("web.base.url").rstrip("/")


def redirect_to_provider(tx):
    """Send the payer to the provider of `tx` (a redirect response)."""
    acquirer = tx.acquirer_id
    if acquirer.provider == "bkash":
        url = tx.isp_bkash_start(base_url() + "/isp/payment/bkash/callback")
        return werkzeug.utils.redirect(url, 303)
    if acquirer.provider == "isp_hosted":
        values = acquirer._hosted_request(tx, base_url() + "/isp/payment/hosted/return")
        return werkzeug.utils.redirect("%s?%s" % (acquirer.hosted_url, urlencode(values)), 303)
    raise UserError(_("This payment method cannot be used here."))


def pick_acquirer(acquirer_id, company_record):
    acquirers = request.env["payment.acquirer"].isp_portal_acquirers(company_record)
    try:
        acquirer = acquirers.filtered(lambda a: a.id == int(acquirer_id))
    except (TypeError, ValueError):
        acquirer = acquirers.browse()
    if not acquirer:
        raise UserError(_("Choose a payment method."))
    return acquirer


def flash(error=None, message=None):
    """A message for the next page (kept in the session, never in the URL)."""
    request.session["isp_flash"] = [error or "", message or ""]


def pop_flash():
    error, message = request.session.pop("isp_flash", None) or ["", ""]
    return error or None, message or None
