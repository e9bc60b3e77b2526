# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ipaddress
import logging

from odoo import SUPERUSER_ID, _, api, fields, models, tools
from odoo.exceptions import AccessDenied, ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)


class IspNetworkRefused(Exception):
    """The password was right but the address is not allowed (internal: not
    an AccessDenied, so that Odoo's login does not turn it into "wrong
    password")."""


class IspLoginRefusedError(AccessDenied):
    """Shown to the user on the login page."""

    def __init__(self, message):  # pylint: disable=super-init-not-called
        Exception.__init__(self, message)  # AccessDenied takes no message in 11.0
        self.traceback = ("", "", "")


def parse_networks(text):
    """'10.0.0.0/8, 192.168.1.5' -> [IPv4Network('10.0.0.0/8'), ...]."""
    networks = []
    for part in (text or "").replace("\n", ",").replace(";", ",").split(","):
        part = part.strip()
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return networks


def address_allowed(networks, address):
    """An empty list allows everything; an unknown address is refused."""
    if not networks:
        return True
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks if net.version == ip.version)


def current_address():
    try:
        return request and request.httprequest.remote_addr
    except RuntimeError:  # no request bound to this thread
        return None


class ResUsers(models.Model):
    _inherit = "res.users"

    isp_allowed_networks = fields.Char(
        "Allowed networks",
        help="Addresses or networks (CIDR) this user may log in from, separated by "
             "commas, e.g. 203.0.113.0/24, 198.51.100.7. Empty: from anywhere.")

    @api.constrains("isp_allowed_networks")
    def _check_isp_allowed_networks(self):
        for user in self:
            try:
                parse_networks(user.isp_allowed_networks)
            except ValueError as exc:
                raise ValidationError(_("Allowed networks: %s") % exc)

    @api.model
    def create(self, vals):
        # a new login (portal sign-up, a reseller's customer or sub-reseller,
        # a card shop, a staff member) lives in the company's zone unless
        # told otherwise
        if not vals.get("tz") and not self.env["res.partner"].sudo().browse(
                vals.get("partner_id")).tz:
            company = self.env["res.company"].sudo().browse(vals["company_id"]) \
                if vals.get("company_id") else self.env.user.company_id
            vals = dict(vals, tz=company._isp_tz_name())
        return super().create(vals)

    @api.model
    @tools.ormcache("self._uid")
    def context_get(self):
        """A login without a time zone reads times in the company's zone
        (portal pages, reports and mails render in the context's zone), not
        in UTC nor in another user's."""
        context = super().context_get()
        if not context.get("tz"):
            context = dict(context, tz=self.env.user.company_id._isp_tz_name())
        return context

    @tools.ormcache("self.id")
    def _isp_networks(self):
        return tuple(parse_networks(self.sudo().isp_allowed_networks))

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if "isp_allowed_networks" in vals:
            self.clear_caches()
        return res

    def _isp_address_allowed(self, address):
        return self.id == SUPERUSER_ID or address_allowed(self._isp_networks(), address)

    @api.model
    def check_credentials(self, password):
        res = super().check_credentials(password)
        address = current_address()
        if not self.env.user._isp_address_allowed(address):
            raise IspNetworkRefused(address)
        return res

    @classmethod
    def _login(cls, db, login, password):
        try:
            return super()._login(db, login, password)
        except IspNetworkRefused as exc:
            address = exc.args[0] if exc.args else None
            cls.pool["isp.login.refusal"].log_apart(cls.pool, login, address)
            raise IspLoginRefusedError(
                _("You cannot log in from this address (%s): your account is restricted "
                  "to the networks your administrator allowed.") % (address or "unknown"))


class IspLoginRefusal(models.Model):
    """A login (or a session) refused because of the user's allowed networks."""

    _name = "isp.login.refusal"
    _description = "Refused login"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    login = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="cascade")
    remote_addr = fields.Char("From address", readonly=True)
    reason = fields.Selection([("login", "Login from outside the allowed networks"),
                               ("session", "Session used from outside them")],
                              readonly=True, default="login")

    @classmethod
    def log_apart(cls, registry, login, address, reason="login"):
        """Record a refusal in its own transaction: the refused request's
        transaction is rolled back."""
        _logger.warning("Refused %s of %s from %s (not in the allowed networks)",
                        reason, login, address)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = env["res.users"].search([("login", "=", login)], limit=1)
            env[cls._name].create({"login": login, "user_id": user.id,
                                   "remote_addr": address, "reason": reason})
