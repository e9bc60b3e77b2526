# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ipaddress
import logging

import psycopg2
from psycopg2 import errorcodes, sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import ipam, validation

_logger = logging.getLogger(__name__)


class IspIpPool(models.Model):
    """A network managed by the billing system (IPAM). Static pools hand out
    fixed addresses (IPv4) or delegated prefixes (IPv6) to subscriptions;
    dynamic pools are handed out by the router (Framed-Pool); suspended pools
    receive suspended customers. Pools of a company never overlap (database
    constraint)."""

    _name = "isp.ip.pool"
    _description = "IP pool"
    _order = "name"

    name = fields.Char(required=True, help="Also the pool name on the router.")
    network = fields.Char(required=True, help="CIDR, e.g. 10.20.0.0/24 or 2001:db8::/48.")
    ip_version = fields.Selection([("4", "IPv4"), ("6", "IPv6")],
                                  compute="_compute_ip_version", store=True)
    purpose = fields.Selection(
        [("dynamic", "Dynamic (router hands out)"), ("static", "Static (fixed per customer)"),
         ("suspended", "Suspended customers")], required=True, default="static")
    prefix_length = fields.Integer(
        "Delegated prefix length", default=64,
        help="IPv6 pools: size of the prefix each customer gets (e.g. 56 or 64 out of "
             "a /48).")
    reserved = fields.Char(
        help="Addresses never handed out (gateway...), separated by commas.")
    router_id = fields.Many2one("isp.router", string="Router / NAS")
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    active = fields.Boolean(default=True)
    range_text = fields.Char("Range", compute="_compute_usage",
                             help="First and last address, as the router's pool ranges.")
    size = fields.Integer(compute="_compute_usage", string="Addresses / prefixes")
    used = fields.Integer(compute="_compute_usage")
    free = fields.Integer(compute="_compute_usage")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "Pool names must be unique."),
    ]

    @api.model_cr
    def init(self):
        # overlapping pools are refused by PostgreSQL itself (btree_gist gives
        # `=` on company_id inside the GiST exclusion; trusted since PG 13)
        self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        _ensure_constraint(self.env.cr, self._table, "isp_ip_pool_no_overlap",
                           "EXCLUDE USING gist (company_id WITH =, "
                           "(network::cidr) inet_ops WITH &&) WHERE (active)")

    @api.depends("network")
    def _compute_ip_version(self):
        for pool in self:
            try:
                pool.ip_version = str(ipaddress.ip_network(pool.network).version)
            except ValueError:
                pool.ip_version = False

    def _reserved_set(self):
        return {r.strip() for r in (self.reserved or "").split(",") if r.strip()}

    @api.depends("network", "prefix_length", "reserved")
    def _compute_usage(self):
        used = self._used_counts()
        for pool in self:
            net = ipaddress.ip_network(pool.network)
            if net.version == 4:
                hosts = ipam.usable_hosts(pool.network)
                hosts = list(hosts) if not isinstance(hosts, list) else hosts
                pool.range_text = "%s-%s" % (hosts[0], hosts[-1]) if hosts else ""
                pool.size = ipam.host_count(pool.network, pool._reserved_set())
            else:
                pool.range_text = str(net)
                pool.size = ipam.prefix_count(pool.network, pool.prefix_length) \
                    if pool.purpose == "static" else 0
            pool.used = used.get(pool.id, 0)
            pool.free = max(pool.size - pool.used, 0) if pool.purpose == "static" else 0

    def _used_counts(self):
        if not self.ids:
            return {}
        self.env.cr.execute("""
            SELECT p.id, count(s.id)
              FROM isp_ip_pool p
              JOIN isp_subscription s ON s.company_id = p.company_id AND (
                   (p.ip_version = '4' AND s.static_ipv4::inet << p.network::cidr) OR
                   (p.ip_version = '6' AND s.ipv6_prefix::cidr <<= p.network::cidr))
             WHERE p.id IN %s
             GROUP BY p.id""", (tuple(self.ids),))
        return dict(self.env.cr.fetchall())

    @api.constrains("network", "prefix_length", "reserved")
    def _check_network(self):
        for pool in self:
            try:
                normalized = validation.normalize_network(pool.network)
            except ValueError as exc:
                raise ValidationError(str(exc))
            if normalized != pool.network:
                raise ValidationError(_("Write the network as %s.") % normalized)
            net = ipaddress.ip_network(normalized)
            if net.version == 6 and pool.purpose == "static" and not (
                    net.prefixlen <= pool.prefix_length <= 64):
                raise ValidationError(_(
                    "%s: customers' prefixes (/%d) must fit in the pool %s and be /64 or "
                    "shorter.") % (pool.name, pool.prefix_length, net))
            for address in pool._reserved_set():
                try:
                    if ipaddress.ip_address(address) not in net:
                        raise ValueError
                except ValueError:
                    raise ValidationError(_("Reserved address %s is not in %s.")
                                          % (address, net))

    @api.model
    def create(self, vals):
        if vals.get("network"):
            vals["network"] = self._normalize_network(vals["network"])
            self._check_no_overlap(vals["network"], vals.get("company_id"))
        return _with_overlap_message(lambda: super(IspIpPool, self).create(vals))

    @api.multi
    def write(self, vals):
        if vals.get("network"):
            vals["network"] = self._normalize_network(vals["network"])
            for pool in self:
                pool._check_no_overlap(vals["network"], pool.company_id.id)
        return _with_overlap_message(lambda: super(IspIpPool, self).write(vals))

    def _check_no_overlap(self, network, company_id=None):
        """Readable refusal before the exclusion constraint would fire."""
        self.env.cr.execute(
            """SELECT name, network FROM isp_ip_pool WHERE company_id = %s AND active
               AND network::cidr && %s::cidr AND id NOT IN %s""",
            (company_id or self.env.user.company_id.id, network, tuple(self.ids) or (0,)))
        row = self.env.cr.fetchone()
        if row:
            raise ValidationError(_("%s overlaps the pool %s (%s).") % (network, row[0],
                                                                        row[1]))

    @api.model
    def _normalize_network(self, network):
        try:
            return validation.normalize_network(network)
        except ValueError as exc:
            raise ValidationError(str(exc))

    @api.model
    def pool_of(self, address, company, purpose="static"):
        """The active pool of `company` with `purpose` containing `address`
        (an IPv4 address or an IPv6 prefix), or an empty recordset."""
        net = ipaddress.ip_network(address)
        for pool in self.search([("company_id", "=", company.id), ("purpose", "=", purpose),
                                 ("ip_version", "=", str(net.version))]):
            if net.subnet_of(ipaddress.ip_network(pool.network)):
                return pool
        return self.browse()

    # allocation --------------------------------------------------------

    @api.multi
    def allocate(self, subscription):
        """Give `subscription` the next free address (IPv4) or prefix (IPv6)
        of this static pool and return it. Concurrent allocations are
        serialised on the pool row and the database constraint on
        isp_subscription has the last word: a taken candidate is skipped."""
        self.ensure_one()
        if self.purpose != "static":
            raise UserError(_("Only static pools hand out fixed addresses."))
        field = "static_ipv4" if self.ip_version == "4" else "ipv6_prefix"
        self.env.cr.execute("SELECT id FROM isp_ip_pool WHERE id = %s FOR UPDATE",
                            (self.id,))
        skipped = set()
        for _attempt in range(50):
            used = self._used_addresses(field) | skipped
            if field == "static_ipv4":
                candidate = ipam.next_free_ipv4(self.network, used, self._reserved_set())
            else:
                candidate = ipam.next_free_prefix(self.network, self.prefix_length, used)
            if not candidate:
                raise UserError(_("The pool %s (%s) is full.") % (self.name, self.network))
            if self._claim(subscription, field, candidate):
                # the row already holds it: the ORM write adds tracking and hooks
                subscription.with_context(isp_allocating=True).write({field: candidate})
                return candidate
            _logger.info("%s was taken meanwhile in pool %s; trying the next one",
                         candidate, self.name)
            skipped.add(candidate)
        raise UserError(_("Could not allocate an address in %s: too many concurrent "
                          "allocations, try again.") % self.name)

    def _claim(self, subscription, field, candidate):
        """Write `candidate` on the subscription row; False when the database
        constraint says another subscription got it first (a race that the
        pool lock cannot prevent under REPEATABLE READ snapshots)."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE isp_subscription SET {} = %s WHERE id = %s".format(field),
                    (candidate, subscription.id), log_exceptions=False)
            return True
        except psycopg2.IntegrityError as exc:
            if exc.pgcode in (errorcodes.EXCLUSION_VIOLATION, errorcodes.UNIQUE_VIOLATION):
                return False
            raise

    def _used_addresses(self, field):
        cast = "inet" if field == "static_ipv4" else "cidr"
        self.env.cr.execute("""
            SELECT s.{field} FROM isp_subscription s
             WHERE s.company_id = %s AND s.{field} IS NOT NULL
               AND s.{field}::{cast} <<= %s::cidr""".format(field=field, cast=cast),
                            (self.company_id.id, self.network))
        return {r[0] for r in self.env.cr.fetchall()}


class AddressTaken(ValidationError):
    """Raised when the database refuses an address or prefix already given."""


EXCLUSION_MESSAGES = {
    "isp_ip_pool_no_overlap": "This network overlaps another pool of the company.",
    "isp_subscription_ipv4_unique": "This IPv4 address is already given to another "
                                    "subscription.",
    "isp_subscription_ipv6_unique": "This IPv6 prefix overlaps one given to another "
                                    "subscription.",
}


def _ensure_constraint(cr, table, name, definition):
    """Add a table constraint (`definition` is a constant of this module)."""
    cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", (name,))
    if not cr.fetchone():
        cr.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
            sql.Identifier(table), sql.Identifier(name)) + sql.SQL(definition))


def _with_overlap_message(func):
    """Run func; turn an exclusion violation into a clear error."""
    try:
        return func()
    except psycopg2.IntegrityError as exc:
        constraint = getattr(exc.diag, "constraint_name", None)
        if exc.pgcode in (errorcodes.EXCLUSION_VIOLATION, errorcodes.UNIQUE_VIOLATION) \
                and constraint in EXCLUSION_MESSAGES:
            raise AddressTaken(_(EXCLUSION_MESSAGES[constraint]))
        raise
