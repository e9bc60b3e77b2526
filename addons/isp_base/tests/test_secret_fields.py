# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The secrets mechanism (models/secret_fields.py) over the subscription
password: every ORM path other than read() refuses it to whoever is outside
its groups, and the registry holds no field that gives a secret away."""
import re
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from ..models.secret_fields import is_secret, secret_fields
from .common import IspCase

#: a field of an isp_* addon whose name reads like a secret must be a secret,
#: unless it is one of these (what they hold is no credential)
NOT_SECRETS = {
    ("isp.notice", "event_key"),            # which event a notice is for
    ("isp.notice", "carries_secret"),       # flag: the notice carried a secret
    ("res.company", "isp_portal_password_change"),  # setting: may customers change it
    ("isp.operator.charge", "period_key"),  # billing period
    ("isp.portal.attempt", "key"),          # rate-limit key: number or address
    ("isp.card.redeem.wizard", "pin"),      # what the user types, never stored
    ("payment.transaction", "isp_access_token"),  # the payer's own link token
}
#: computed over a secret, readable by more users: what they tell is no secret
DERIVED = {
    ("res.partner", "signup_valid"),        # whether a link is pending
    ("res.users", "signup_valid"),
    ("isp.router", "api_configured"),       # whether API credentials are set
}
SECRET_NAME = re.compile(r"pass|secret|token|api_key|(^|_)key$|(^|_)pin$|cert|code_hash|otp")


@at_install(False)
@post_install(True)
class TestSecretFields(IspCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub = cls.Sub.create({
            "partner_id": cls.partner.id, "connection_type": "pppoe",
            "plan_id": cls.plan_monthly.id, "billing_profile_id": cls.profile.id,
            "username": "secretuser", "password": "Tz9-secret", "router_id": cls.router.id})
        cls.restricted = (cls.manager, cls.cashier, cls.technician, cls.helpdesk, cls.auditor)

    def assertRefused(self, call, *args, **kwargs):
        with self.assertRaises(AccessError) as ctx:
            call(*args, **kwargs)
        self.assertIn("is a secret", str(ctx.exception.name))

    # the marker ---------------------------------------------------------------

    def test_subscription_password_is_a_secret(self):
        self.assertTrue(is_secret(self.Sub._fields["password"]))
        self.assertFalse(is_secret(self.Sub._fields["username"]))
        self.assertEqual(secret_fields(self.env)[("isp.subscription", "password")],
                         "isp_base.group_isp_admin")

    def test_secret_looking_fields_of_the_suite_are_secrets(self):
        missing = []
        for name in self.env.registry:
            for fname, field in self.env[name]._fields.items():
                if not (field._module or "").startswith("isp_") or not field.store:
                    continue
                if SECRET_NAME.search(fname) and (name, fname) not in NOT_SECRETS \
                        and not is_secret(field):
                    missing.append("%s.%s" % (name, fname))
        self.assertEqual(missing, [], "declare them groups=..., isp_secret=True")

    # paths ------------------------------------------------------------------

    def test_admin_and_superuser_keep_every_path(self):
        for Sub in (self.Sub, self.Sub.sudo(self.admin_user)):
            self.assertEqual(Sub.search([("password", "=", "Tz9-secret")]), self.sub)
            self.assertEqual(Sub.search_count([("password", "=like", "Tz9%")]), 1)
            groups = Sub.read_group([("id", "=", self.sub.id)], ["password"], ["password"])
            self.assertEqual([g["password"] for g in groups], ["Tz9-secret"])
            self.assertEqual(Sub.browse(self.sub.id).export_data(["password"])["datas"],
                             [["Tz9-secret"]])
            self.assertTrue(Sub.search([("id", "=", self.sub.id)], order="password desc"))
            Log = Sub.env["isp.subscription.state.log"]
            Log.search([("subscription_id.password", "=", "Tz9-secret")])

    def test_read_group_refused(self):
        for user in self.restricted:
            Sub = self.Sub.sudo(user)
            self.assertRefused(Sub.read_group, [], ["password"], ["password"])
            self.assertRefused(Sub.read_group, [], ["username", "password"], ["username"])
            self.assertRefused(Sub.read_group, [], ["username"], ["username"],
                               orderby="password")
            self.assertRefused(Sub.read_group, [("password", "like", "T")], ["username"],
                               ["username"])
            # no field named: every stored field but the secret
            for group in Sub.read_group([("id", "=", self.sub.id)], [], ["username"]):
                self.assertNotIn("password", group)
                self.assertNotIn("Tz9-secret", repr(group))

    def test_search_domains_refused(self):
        domains = [
            [("password", "=", "Tz9-secret")],
            [("password", "=like", "T%")],
            [("password", "!=", False)],
            ["!", ("password", "=", "Tz9-secret")],
            ["|", ("id", "=", 0), ("password", "ilike", "secret")],
            [("password", "in", ["Tz9-secret"])],
        ]
        for user in self.restricted:
            Sub = self.Sub.sudo(user)
            for domain in domains:
                self.assertRefused(Sub.search, domain)
                self.assertRefused(Sub.search_count, domain)
                self.assertRefused(Sub.search_read, domain, ["username"])
            # dotted paths from other models, many2one and one2many
            Log = self.env["isp.subscription.state.log"].sudo(user)
            self.assertRefused(Log.search, [("subscription_id.password", "=like", "T%")])
            Partner = self.env["res.partner"].sudo(user)
            self.assertRefused(Partner.search_count,
                               [("isp_subscription_ids.password", "=like", "T%")])

    def test_order_refused(self):
        for user in self.restricted:
            Sub = self.Sub.sudo(user)
            self.assertRefused(Sub.search, [], order="password")
            self.assertRefused(Sub.search_read, [], ["username"], order="username, password desc")

    def test_export_refused(self):
        for user in self.restricted:
            self.assertRefused(self.sub.sudo(user).export_data, ["username", "password"])
            log = self.env["isp.subscription.state.log"].sudo(user).search([], limit=1)
            self.assertRefused(log.export_data, ["subscription_id/password"])
            self.assertEqual(self.sub.sudo(user).export_data(["username"])["datas"],
                             [["secretuser"]])

    def test_secret_as_record_name(self):
        with patch.object(type(self.Sub), "_rec_name", "password"):
            for user in self.restricted:
                Sub = self.Sub.sudo(user)
                self.assertRefused(Sub.name_search, "Tz9")
                self.assertNotIn("Tz9", repr(self.sub.sudo(user).name_get()))
            self.assertIn("Tz9-secret", repr(self.sub.sudo(self.admin_user).name_get()))

    def test_onchange_gives_no_secret(self):
        Partner = self.env["res.partner"]
        for user in self.restricted:
            result = Partner.sudo(user).onchange(
                {"name": "X", "isp_subscription_ids": [(6, 0, [self.sub.id])]}, False,
                {"name": "1", "isp_subscription_ids": "1",
                 "isp_subscription_ids.username": "", "isp_subscription_ids.password": ""})
            self.assertNotIn("Tz9-secret", repr(result))
            result = self.Sub.sudo(user).onchange(
                {"username": "abc", "password": "Tz9-secret"}, "username",
                {"username": "1", "password": ""})
            self.assertNotIn("password", result.get("value", {}))
            self.assertNotIn("password", self.Sub.sudo(user).default_get(["password"]))

    def test_no_tracking_of_secrets(self):
        field = self.Sub._fields["password"]
        field._attrs["track_visibility"] = "onchange"  # a careless declaration
        try:
            self.assertNotIn("password", self.Sub._get_tracked_fields(["password"]))
            self.sub.write({"password": "Tz9-changed"})
        finally:
            del field._attrs["track_visibility"]
        values = self.sub.message_ids.mapped("tracking_value_ids")
        self.assertNotIn("password", values.mapped("field"))
        self.assertNotIn("Tz9", repr(values.mapped("old_value_char") +
                                     values.mapped("new_value_char")))

    # the registry -------------------------------------------------------------

    def test_registry_gives_no_secret_away(self):
        """No tracked secret; no related or computed field over a secret that
        is readable by more users than the secret itself; no model sorted by
        a secret by default."""
        secrets = secret_fields(self.env)
        problems = []

        def groups_of(field):
            return {g.strip() for g in (field.groups or "").split(",") if g.strip()}

        def crosses(model, path):
            """The secrets on the dotted `path` from `model`."""
            found = []
            for name in path.split("."):
                field = model._fields.get(name)
                if field is None:
                    break
                if (model._name, name) in secrets:
                    found.append(field)
                if not field.relational:
                    break
                model = self.env[field.comodel_name]
            return found

        for name in self.env.registry:
            model = self.env[name]
            for fname, field in model._fields.items():
                label = "%s.%s" % (name, fname)
                if (name, fname) in DERIVED:
                    continue
                if (name, fname) in secrets and getattr(field, "track_visibility", False):
                    problems.append("%s is tracked" % label)
                paths = []
                if field.related:
                    paths.append(".".join(field.related))
                paths += [p for p in (field.depends or ()) if isinstance(p, str)]
                for path in paths:
                    for secret in crosses(model, path):
                        if secret is field:
                            continue
                        mine = groups_of(field)
                        if not mine or not mine <= groups_of(secret):
                            problems.append("%s (over %s) is readable by more users"
                                            % (label, secret))
            for order_name in re.findall(r"[\w.]+", model._order or ""):
                if (name, order_name) in secrets:
                    problems.append("%s is sorted by a secret" % name)
        self.assertEqual(problems, [])
