# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Secrets stay secret by every path of the ORM, not only read().

A *secret* is a field restricted with ``groups=`` that is declared with the
marker ``isp_secret=True`` (``fields.Char(groups=..., isp_secret=True)``),
any field restricted with ``groups=`` that an isp_* addon defines, or one of
Odoo's own restricted fields listed in ODOO_SECRETS. Odoo 11
checks ``groups`` in read(), fields_get() and write() only; for a user
outside the field's groups this model (every model inherits ``base``) also
refuses, with an AccessError, a secret used in a search domain (dotted paths
included, whatever the operator), a sort order, a grouping or an aggregate
of read_group(), an export, or as the name of the records; and it leaves
secrets out of onchange() and default_get() answers and of mail tracking.
The superuser (sudo()) keeps every path: the suite's own code, FreeRADIUS's
SQL views and the router API client read secrets that way.
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

#: field attribute that declares a secret
SECRET_ATTR = "isp_secret"
#: the addons whose restricted fields are all secrets
SUITE_PREFIX = "isp_"
#: Odoo's own secrets: {(model, field): groups that may read it}; None keeps
#: the groups Odoo gives the field
ODOO_SECRETS = {
    # sign-up / password reset links: whoever holds one logs in as the partner
    ("res.partner", "signup_token"): None,
    # the link itself (Odoo 11 computes it, token included, for any employee
    # reading a portal user's partner)
    ("res.partner", "signup_url"): "base.group_erp_manager",
}

def is_secret(field):
    """Whether `field` (an Odoo field object) holds a secret."""
    if not field.groups:
        return False
    return bool(getattr(field, SECRET_ATTR, False)) \
        or (field._module or "").startswith(SUITE_PREFIX) \
        or (field.model_name, field.name) in ODOO_SECRETS


def secret_fields(env):
    """{(model, field name): groups} of every secret of the registry."""
    result = {}
    for name in env.registry:
        model = env[name]
        for fname, field in model._fields.items():
            if is_secret(field):
                result[(name, fname)] = field.groups
    return result


def _split_order(spec):
    for part in (spec or "").split(","):
        words = part.strip().split()
        if words:
            yield words[0].strip('"')


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    def _setup_base(self):
        res = super()._setup_base()
        for (model, name), groups in ODOO_SECRETS.items():
            field = self._fields.get(name) if model == self._name else None
            if field is not None and groups and not field.groups:
                field.groups = groups
        return res

    # checks ----------------------------------------------------------------

    @api.model
    def _isp_secret_denied(self, field):
        """True when the current user may not see the values of `field`."""
        if self.env.uid == SUPERUSER_ID or not is_secret(field):
            return False
        return not self.user_has_groups(field.groups)

    @api.model
    def _isp_secret_refuse(self, field, operation):
        operations = {
            "search": _("search by"), "order": _("sort by"), "group": _("group by"),
            "aggregate": _("total"), "export": _("export"),
        }
        groups = []
        for xmlid in field.groups.split(","):
            group = self.env.ref(xmlid.strip(), raise_if_not_found=False)
            groups.append(group.sudo().full_name if group else xmlid.strip())
        raise AccessError(_(
            "%(field)s (%(model)s) is a secret: only %(groups)s may read it, so you "
            "cannot %(operation)s it.") % {
                "field": field.string or field.name, "model": self._description,
                "groups": " / ".join(groups), "operation": operations[operation]})

    @api.model
    def _isp_check_path(self, path, operation, sep="."):
        """Refuse when the field path `path` ('a.b.c') crosses a secret the
        user may not read."""
        model = self
        for name in path.split(sep):
            if name in ("id", ".id"):
                return
            field = model._fields.get(name)
            if field is None:
                return
            if model._isp_secret_denied(field):
                model._isp_secret_refuse(field, operation)
            if not field.relational:
                return
            model = self.env[field.comodel_name]

    @api.model
    def _isp_check_domain(self, domain):
        if self.env.uid == SUPERUSER_ID:
            return
        for leaf in domain or ():
            if isinstance(leaf, (list, tuple)) and len(leaf) == 3 \
                    and isinstance(leaf[0], str):
                self._isp_check_path(leaf[0], "search")

    @api.model
    def _isp_check_order(self, spec, operation="order"):
        if self.env.uid == SUPERUSER_ID or not spec:
            return
        for name in _split_order(spec):
            field = self._fields.get(name)
            if field is not None and self._isp_secret_denied(field):
                self._isp_secret_refuse(field, operation)

    @api.model
    def _isp_strip_values(self, values):
        """Drop from an onchange/default_get answer the secrets the user
        may not read, in the lines of x2many commands too."""
        if self.env.uid == SUPERUSER_ID or not isinstance(values, dict):
            return values
        for name in list(values):
            field = self._fields.get(name)
            if field is None:
                continue
            if self._isp_secret_denied(field):
                del values[name]
            elif field.type in ("one2many", "many2many") \
                    and isinstance(values[name], (list, tuple)):
                comodel = self.env[field.comodel_name]
                for command in values[name]:
                    if isinstance(command, (list, tuple)) and len(command) == 3:
                        comodel._isp_strip_values(command[2])
        return values

    # the ORM's paths ---------------------------------------------------------

    @api.model
    def _where_calc(self, domain, active_test=True):
        """Every domain (search, search_count, search_read, name_search,
        read_group, related and dotted paths into other models)."""
        self._isp_check_domain(domain)
        return super()._where_calc(domain, active_test=active_test)

    @api.model
    def _generate_order_by_inner(self, alias, order_spec, query, reverse_direction=False,
                                 seen=None):
        self._isp_check_order(order_spec)
        return super()._generate_order_by_inner(alias, order_spec, query,
                                                reverse_direction=reverse_direction,
                                                seen=seen)

    @api.model
    def _read_group_raw(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                        lazy=True):
        if self.env.uid != SUPERUSER_ID:
            groupbys = [groupby] if isinstance(groupby, str) else list(groupby or ())
            for spec in groupbys:
                field = self._fields.get(spec.split(":")[0])
                if field is not None and self._isp_secret_denied(field):
                    self._isp_secret_refuse(field, "group")
            if fields:
                for spec in fields:
                    field = self._fields.get(spec.split(":")[0])
                    if field is not None and self._isp_secret_denied(field):
                        self._isp_secret_refuse(field, "aggregate")
            else:
                # Odoo reads every stored field when none is named
                fields = [name for name, field in self._fields.items()
                          if field.store and not self._isp_secret_denied(field)]
            self._isp_check_order(orderby, "order")
        return super()._read_group_raw(domain, fields, groupby, offset=offset, limit=limit,
                                       orderby=orderby, lazy=lazy)

    @api.multi
    def export_data(self, fields_to_export, raw_data=False):
        if self.env.uid != SUPERUSER_ID:
            for path in fields_to_export:
                self._isp_check_path(path.replace(":id", "/id"), "export", sep="/")
        return super().export_data(fields_to_export, raw_data=raw_data)

    @api.multi
    def name_get(self):
        field = self._fields.get(self._rec_name or "")
        if field is not None and self._isp_secret_denied(field):
            return [(record.id, "%s,%s" % (record._name, record.id)) for record in self]
        return super().name_get()

    @api.multi
    def onchange(self, values, field_name, field_onchange):
        if self.env.uid != SUPERUSER_ID and isinstance(field_onchange, dict):
            allowed = {}
            for dotname, spec in field_onchange.items():
                try:
                    self._isp_check_path(dotname, "search")
                except AccessError:
                    continue
                allowed[dotname] = spec
            field_onchange = allowed
        result = super().onchange(values, field_name, field_onchange)
        if isinstance(result, dict) and isinstance(result.get("value"), dict):
            self._isp_strip_values(result["value"])
        return result

    @api.model
    def default_get(self, fields_list):
        return self._isp_strip_values(super().default_get(fields_list))


class MailThread(models.AbstractModel):
    """A secret is never tracked in the chatter, whoever changes it."""

    _inherit = "mail.thread"

    def _get_tracked_fields(self, updated_fields):
        tracked = super()._get_tracked_fields(updated_fields)
        for name in list(tracked):
            field = self._fields.get(name)
            if field is not None and is_secret(field):
                del tracked[name]
        return tracked
