# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.http import request

from .secret_fields import is_secret

_logger = logging.getLogger(__name__)

MASK = "********"
#: where auditlog's wrappers of the audited models' methods come from
AUDITLOG_RULE_MODULE = "odoo.addons.auditlog.models.rule"


class AuditlogHttpRequest(models.Model):
    """From where a change was made: the client address of the request."""

    _inherit = "auditlog.http.request"

    remote_addr = fields.Char("From address", readonly=True)

    @api.model
    def create(self, vals):
        if "remote_addr" not in vals and request:
            try:
                vals["remote_addr"] = request.httprequest.remote_addr
            except RuntimeError:  # no request bound to this thread
                _logger.debug("audit log entry without an HTTP request")
        return super().create(vals)


class AuditlogLog(models.Model):
    _inherit = "auditlog.log"

    remote_addr = fields.Char(related="http_request_id.remote_addr", readonly=True,
                              string="From address")


class AuditlogRule(models.Model):
    """Secrets (see secret_fields.is_secret, and a model's
    `_isp_secret_fields`) are logged as changed, never with their value."""

    _inherit = "auditlog.rule"

    def _register_hook(self):
        """Patch the audited models again on the complete registry.

        When one process installs several addons (``make test``), auditlog
        patches a model as soon as isp_base's rules are created: its wrapper
        keeps the ``write``/``create``/``unlink`` of that moment and skips
        the overrides of the addons loaded afterwards. Dropping auditlog's
        own wrappers lets the next patch wrap the full method chain."""
        rules = self.filtered(lambda r: r.state == "subscribed") if self \
            else self.search([("state", "=", "subscribed")])
        for name in set(rules.mapped("model_id.model")):
            if name not in self.env:
                continue
            cls = type(self.env[name])
            for method in ("create", "read", "write", "unlink"):
                wrapper = vars(cls).get(method)
                if getattr(cls, "auditlog_ruled_%s" % method, False) and wrapper is not None \
                        and getattr(wrapper, "__module__", "") == AUDITLOG_RULE_MODULE:
                    delattr(cls, method)
                    delattr(cls, "auditlog_ruled_%s" % method)
        return super()._register_hook()

    def get_auditlog_fields(self, model):
        """Only the fields the acting user may read (auditlog reads them with
        its rights when logging a create)."""
        names = super().get_auditlog_fields(model)
        if model.env.uid == SUPERUSER_ID:
            return names
        return [n for n in names if not model._fields[n].groups
                or model.user_has_groups(model._fields[n].groups)]

    def create_logs(self, uid, res_model, res_ids, method, old_values=None,
                    new_values=None, additional_log_values=None):
        # a panel login's creation runs as superuser (see portal_safe_create):
        # log the real user
        uid = self.env.context.get("isp_acting_uid") or uid
        return super().create_logs(uid, res_model, res_ids, method, old_values=old_values,
                                   new_values=new_values,
                                   additional_log_values=additional_log_values)

    def _isp_mask(self, log, field, vals):
        model = self.env.get(log.model_id.model)
        if model is None:
            return vals
        secret = getattr(model, "_isp_secret_fields", ())
        odoo_field = model._fields.get(field["name"])
        if field["name"] in secret or (odoo_field is not None and is_secret(odoo_field)):
            for key in ("old_value", "old_value_text", "new_value", "new_value_text"):
                if vals.get(key):
                    vals[key] = MASK
        return vals

    def _prepare_log_line_vals_on_create(self, log, field, new_values):
        vals = super()._prepare_log_line_vals_on_create(log, field, new_values)
        return self._isp_mask(log, field, vals)

    def _prepare_log_line_vals_on_write(self, log, field, old_values, new_values):
        vals = super()._prepare_log_line_vals_on_write(log, field, old_values, new_values)
        return self._isp_mask(log, field, vals)

    def _prepare_log_line_vals_on_read(self, log, field, read_values):
        vals = super()._prepare_log_line_vals_on_read(log, field, read_values)
        return self._isp_mask(log, field, vals)
