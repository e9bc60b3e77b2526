# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import localtime, validation


def portal_safe_create(model, create, vals):
    """`create(model)` (the parent class's create) for logins of the panels
    (portal users: resellers, distributors, customers). Odoo 11 writes stored
    fields restricted to internal users (mail's activity_date_deadline) with
    the creating user's rights while creating, which refuses portal users.
    For them the record is made as superuser, between the checks Odoo would
    have made: create rights, rights on the fields given, and the record
    rules on the new record (a refusal aborts the transaction)."""
    if not model.env.user.share or model.env.uid == SUPERUSER_ID:
        return create(model)
    model.check_access_rights("create")
    model.check_field_access_rights("write", [f for f in vals if f in model._fields])
    # the audit log and the state history still name the real user
    record = create(model.sudo().with_context(isp_acting_uid=model.env.uid))
    record = record.with_env(model.env)
    record.check_access_rule("create")
    return record


class ResPartner(models.Model):
    """A subscriber is a partner with ISP data; an operator (the ISP's own
    company, a reseller) is a partner that owns subscribers."""

    _inherit = "res.partner"

    isp_is_subscriber = fields.Boolean("ISP subscriber", index=True)
    isp_is_operator = fields.Boolean(
        "ISP operator", index=True,
        help="The ISP itself or a reseller: operators own subscribers.")
    isp_customer_code = fields.Char(
        "Customer code", readonly=True, copy=False, index=True,
        help="Given from the sequence 'ISP customer code' when the partner becomes a "
             "subscriber.")
    isp_operator_id = fields.Many2one(
        "res.partner", string="Operator", index=True, ondelete="restrict",
        domain=[("isp_is_operator", "=", True)],
        help="Who owns this customer: the ISP or one of its resellers.")
    isp_zone_id = fields.Many2one("isp.zone", string="Zone / block", index=True)
    isp_install_address = fields.Char("Installation address")
    # identity (seed 003): a person has a national ID and an ID card, an
    # organisation a tax number (vat), a registry number and a representative
    isp_national_id = fields.Char("National ID")
    isp_id_card = fields.Char("ID card number")
    isp_company_registry = fields.Char(
        "Company registry number", help="Trade licence / registration number.")
    isp_representative = fields.Char(
        "Legal representative", help="Person who represents the organisation.")
    isp_subscription_ids = fields.One2many("isp.subscription", "partner_id",
                                           string="Subscriptions")
    isp_subscription_count = fields.Integer(compute="_compute_isp_subscription_count")

    _sql_constraints = [
        ("isp_customer_code_uniq", "unique(isp_customer_code)",
         "This customer code is already used."),
    ]

    @api.depends("isp_subscription_ids")
    def _compute_isp_subscription_count(self):
        groups = self.env["isp.subscription"].read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["partner_id"])
        counts = {g["partner_id"][0]: g["partner_id_count"] for g in groups}
        for partner in self:
            partner.isp_subscription_count = counts.get(partner.id, 0)

    def _isp_phone_region(self):
        company = self.company_id or self.env.user.company_id
        return company.isp_phone_region or "BD"

    # dates and times as this person reads them ----------------------------

    def _isp_tz_name(self):
        """This person's time zone, else the company's (see res.company
        `isp_tz`), else UTC."""
        partner = self[:1]
        if partner.tz:
            return partner.tz
        return (partner.company_id or self.env.user.company_id)._isp_tz_name()

    def _isp_lang(self):
        """The res.lang whose formats this person reads (its language, else
        the one of the context)."""
        code = self[:1].lang or self.env.context.get("lang") or "en_US"
        return self.env["res.lang"]._lang_get(code)

    @api.multi
    def isp_datetime_text(self, value, seconds=False):
        """An Odoo datetime (UTC) as this person reads it: its time zone,
        its language's formats, e.g. '31/03/2026 23:59' (also for notice
        templates: ${object.partner_id.isp_datetime_text(object.validity_end)})."""
        if not value:
            return ""
        if not isinstance(value, datetime.datetime):
            value = fields.Datetime.from_string(value)
        lang = self._isp_lang()
        return localtime.format_datetime(value,
                                         self._isp_tz_name(), lang.date_format,
                                         lang.time_format, seconds=seconds)

    @api.multi
    def isp_date_text(self, value):
        """An Odoo date in this person's language's format, e.g. '31/03/2026'."""
        if not value:
            return ""
        if not isinstance(value, datetime.date):
            value = fields.Date.from_string(value)
        return localtime.format_date(value, self._isp_lang().date_format)

    def _isp_excel_formats(self):
        """Excel cell formats of this person's language: (date, date and
        time), e.g. ('dd/mm/yyyy', 'dd/mm/yyyy hh:mm')."""
        lang = self._isp_lang()
        date_format = localtime.excel_format(lang.date_format)
        return date_format, "%s %s" % (
            date_format, localtime.excel_format(localtime.time_pattern(lang.time_format)))

    def _isp_local(self, value):
        """An Odoo datetime (UTC) as a naive datetime of this person's zone
        (Excel cells, which have no zone)."""
        if not value:
            return None
        if not isinstance(value, datetime.datetime):
            value = fields.Datetime.from_string(value)
        return localtime.to_local(value, self._isp_tz_name())

    def _isp_normalize_vals(self, vals, is_isp):
        """Mobile number in E.164 for subscribers and operators."""
        if is_isp and vals.get("mobile"):
            try:
                vals["mobile"] = validation.normalize_mobile(vals["mobile"],
                                                             self._isp_phone_region())
            except ValueError as exc:
                raise ValidationError(str(exc))
        return vals

    @api.model
    def create(self, vals):
        is_isp = vals.get("isp_is_subscriber") or vals.get("isp_is_operator")
        vals = self._isp_normalize_vals(dict(vals), is_isp)
        if vals.get("isp_is_subscriber") and not vals.get("isp_customer_code"):
            vals["isp_customer_code"] = self._isp_next_customer_code()
        if vals.get("isp_is_subscriber") and not vals.get("isp_operator_id"):
            vals["isp_operator_id"] = self._isp_default_operator().id
        return portal_safe_create(self, lambda m: super(ResPartner, m).create(vals), vals)

    @api.multi
    def write(self, vals):
        isp = self.browse()
        if vals.get("mobile"):
            isp = self.filtered(lambda p: vals.get("isp_is_subscriber", p.isp_is_subscriber)
                                or vals.get("isp_is_operator", p.isp_is_operator))
        if isp:
            super(ResPartner, isp).write(self._isp_normalize_vals(dict(vals), True))
            if self - isp:
                super(ResPartner, self - isp).write(vals)
        else:
            super().write(vals)
        if "tz" in vals and (
                self.env["res.company"].sudo().search_count([("partner_id", "in", self.ids)])
                or self.env["res.users"].sudo().with_context(active_test=False).search_count(
                    [("partner_id", "in", self.ids)])):
            # a login's zone, or the company's (the zone of logins without
            # one), is in the cached context of the users (context_get)
            self.env["res.users"].clear_caches()
        if vals.get("isp_is_subscriber"):
            for partner in self.filtered(lambda p: not p.isp_customer_code):
                partner.isp_customer_code = self._isp_next_customer_code()
            self.filtered(lambda p: not p.isp_operator_id).write(
                {"isp_operator_id": self._isp_default_operator().id})
        return True

    @api.model
    def _isp_next_customer_code(self):
        return self.env["ir.sequence"].sudo().next_by_code("isp.customer.code")

    @api.model
    def _isp_default_operator(self):
        return self.env.user.company_id.partner_id

    @api.multi
    def action_view_isp_subscriptions(self):
        self.ensure_one()
        action = self.env.ref("isp_base.isp_subscription_action").read()[0]
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.constrains("mobile", "isp_is_subscriber", "isp_is_operator")
    def _check_isp_mobile(self):
        for partner in self.filtered(lambda p: p.mobile and (p.isp_is_subscriber
                                                             or p.isp_is_operator)):
            try:
                normalized = validation.normalize_mobile(partner.mobile,
                                                         partner._isp_phone_region())
            except ValueError as exc:
                raise ValidationError(str(exc))
            if normalized != partner.mobile:
                raise ValidationError(_("Mobile numbers of subscribers are stored as %s, "
                                        "not %s.") % (normalized, partner.mobile))

    @api.constrains("isp_operator_id")
    def _check_isp_operator_id(self):
        for partner in self:
            if partner.isp_operator_id and not partner.isp_operator_id.isp_is_operator:
                raise ValidationError(_("%s is not an operator (the ISP or a reseller).")
                                      % partner.isp_operator_id.display_name)
