# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared fixtures of the isp_* tests: a small ISP of its own (no demo data
relied upon) and one user per role."""
import contextlib
import datetime
import re

from odoo import api, fields
from odoo.tests.common import PORT, HttpCase, SavepointCase


def dt(value):
    """'2026-01-31 10:00:00' -> datetime."""
    return fields.Datetime.from_string(value)


class IspCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a fixture that fails must not leave its transaction open: its row
        # locks would block every later test class (tearDownClass is not
        # called when setUpClass raises; class cleanups are)
        cls.addClassCleanup(cls._isp_release_cursor)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False,
                                       no_reset_password=True))
        cls.company = cls.env.user.company_id
        cls.Sub = cls.env["isp.subscription"]
        cls.zone = cls.env["isp.zone"].create({"name": "Test area"})
        cls.block = cls.env["isp.zone"].create({
            "name": "Block 1", "parent_id": cls.zone.id, "offers_other": True})
        cls.router = cls.env["isp.router"].create({"name": "Test NAS", "host": "192.0.2.250"})
        cls.pool_v4 = cls.env["isp.ip.pool"].create({
            "name": "t-static", "network": "198.51.100.0/29", "purpose": "static",
            "reserved": "198.51.100.1", "router_id": cls.router.id})
        cls.pool_v6 = cls.env["isp.ip.pool"].create({
            "name": "t-v6", "network": "2001:db8:aa00::/48", "purpose": "static",
            "prefix_length": 56, "router_id": cls.router.id})
        cls.pool_dyn = cls.env["isp.ip.pool"].create({
            "name": "t-dynamic", "network": "100.64.0.0/24", "purpose": "dynamic"})
        cls.master = cls.env["isp.master.package"].create({
            "name": "T 10M", "download_kbps": 10240, "upload_kbps": 5120,
            "ppp_profile": "t-10M", "ip_pool_id": cls.pool_dyn.id})
        cls.master_b = cls.env["isp.master.package"].create({
            "name": "T 20M", "download_kbps": 20480, "upload_kbps": 10240})
        cls.plan_monthly = cls.env["isp.service.plan"].create({
            "name": "T monthly 10M", "master_package_id": cls.master.id,
            "billing_type": "monthly", "customer_price": 900.0, "operator_price": 700.0,
            "allow_static": True, "allow_other": True})
        cls.plan_monthly_b = cls.env["isp.service.plan"].create({
            "name": "T monthly 20M", "master_package_id": cls.master_b.id,
            "billing_type": "monthly", "customer_price": 1500.0, "operator_price": 1100.0})
        cls.plan_daily = cls.env["isp.service.plan"].create({
            "name": "T 7 days", "master_package_id": cls.master.id, "billing_type": "daily",
            "validity_value": 7, "customer_price": 250.0, "operator_price": 200.0,
            "allow_hotspot": True})
        cls.plan_hotspot_hours = cls.env["isp.service.plan"].create({
            "name": "T 3 hours", "master_package_id": cls.master.id, "billing_type": "daily",
            "validity_value": 3, "validity_unit": "hours", "customer_price": 10.0,
            "allow_pppoe": False, "allow_hotspot": True})
        # no automatic bills: isp_billing (when installed) leaves these alone
        cls.profile = cls.env["isp.billing.profile"].create({
            "name": "T monthly", "auto_bill": False, "auto_suspend": True, "billing_day": 1,
            "cycle_ends_with_month": True, "due_days": 7, "grace_days": 2})
        cls.partner = cls.env["res.partner"].create({
            "name": "Test Subscriber", "mobile": "01711000101", "isp_is_subscriber": True})
        cls.partner2 = cls.env["res.partner"].create({
            "name": "Other Subscriber", "mobile": "01811000102", "isp_is_subscriber": True})
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        group = cls.env.ref

        def user(login, *groups):
            return Users.create({
                "name": login.title(), "login": login, "password": login,
                "email": "%s@example.com" % login,
                "groups_id": [(6, 0, [group(g).id for g in groups])]})
        cls.admin_user = user("t.admin", "base.group_user", "isp_base.group_isp_admin")
        cls.manager = user("t.manager", "base.group_user", "isp_base.group_isp_perm_customer",
                           "isp_base.group_isp_perm_network", "isp_base.group_isp_perm_billing")
        cls.cashier = user("t.cashier", "base.group_user", "isp_base.group_isp_perm_billing")
        cls.technician = user("t.technician", "base.group_user",
                              "isp_base.group_isp_perm_network")
        cls.helpdesk = user("t.helpdesk", "base.group_user", "isp_base.group_isp_helpdesk")
        cls.auditor = user("t.auditor", "base.group_user", "isp_base.group_isp_auditor")

    @classmethod
    def _isp_release_cursor(cls):
        if not cls.cr.closed:
            cls.cr.rollback()
            cls.cr.close()

    @classmethod
    def new_reseller_login(cls, name, login, operator_vals=None):
        """A reseller's login. With isp_reseller installed a reseller login
        belongs to an operator (a reseller under the ISP): one is made for it."""
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        vals = {"name": name, "login": login, "password": login,
                "email": "%s@example.com" % login,
                "groups_id": [(6, 0, [cls.env.ref("isp_base.group_isp_reseller").id])]}
        if "isp_operator_id" in Users._fields:
            vals["isp_operator_id"] = cls.env["res.partner"].create(dict({
                "name": name, "is_company": True, "isp_is_operator": True,
                "isp_parent_operator_id": cls.company.partner_id.id},
                **(operator_vals or {}))).id
        return Users.create(vals)

    def new_sub(self, **vals):
        values = {
            "partner_id": self.partner.id, "connection_type": "pppoe",
            "plan_id": self.plan_monthly.id, "billing_profile_id": self.profile.id,
            "username": "tuser%d" % (len(self.Sub.search([])) + 1), "password": "s3cret-pw",
            "router_id": self.router.id,
        }
        values.update(vals)
        return self.Sub.create(values)

    def menus_of(self, user):
        """The xml ids of the menus the web client shows `user` (the tree of
        load_menus: a menu under a hidden one is not shown)."""
        found = set()

        def walk(node):
            for child in node.get("children", []):
                found.add(child["xmlid"])
                walk(child)
        walk(self.env["ir.ui.menu"].sudo(user).load_menus(False))
        return found

    def read_screen(self, records, user, view_type="form"):
        """What the web client reads to show `records` to `user` in their
        `view_type` view: the view as that user gets it, every field of it,
        and the fields of its inline lists (one2many, many2many) on their
        rows. Returns the fields of the view; an AccessError propagates."""
        records = records.sudo(user)
        view = records.fields_view_get(view_type=view_type)
        rows = records.read(list(view["fields"]))
        for name, desc in view["fields"].items():
            for sub in (desc.get("views") or {}).values():
                ids = [i for row in rows for i in row[name] or []]
                self.env[desc["relation"]].sudo(user).browse(ids).read(list(sub["fields"]))
        return view["fields"]

    def assertLogged(self, sub, from_state, to_state, event=None):
        log = sub.state_log_ids[:1]
        self.assertEqual((log.from_state, log.to_state), (from_state, to_state))
        self.assertEqual(log.user_id, self.env.user)
        if event:
            self.assertEqual(log.event, event)
        return log


@contextlib.contextmanager
def committed_env(registry, uid=1):
    """An environment on its own cursor whose work is committed (to test
    what other transactions see); the caller cleans up."""
    with api.Environment.manage(), registry.cursor() as cr:
        yield api.Environment(cr, uid, {})
        cr.commit()  # pylint: disable=invalid-commit


def now():
    return fields.Datetime.from_string(fields.Datetime.now())


def days(n):
    return datetime.timedelta(days=n)


class IspHttpCase(HttpCase):
    """HttpCase whose test data is visible to the HTTP server: in Odoo 11 the
    server thread uses the registry's test cursor, not the test's own."""

    def setUp(self):
        super().setUp()
        # self.cr (the test's own cursor) stays for TransactionCase to close
        self.env = api.Environment(self.registry.test_cr, self.uid, {})

    def base_url(self):
        return "http://127.0.0.1:%d" % PORT

    def url_open(self, url, data=None, timeout=60):
        # a request that fails rolls the test cursor back to its last
        # "commit" (a savepoint): make what the test wrote survive that
        self.env.cr.commit()  # pylint: disable=invalid-commit
        return super().url_open(url, data=data, timeout=timeout)

    def web_login(self, login, password):
        """Log in through the login form, as a browser does."""
        page = self.url_open("/web/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/web/login", data={
            "login": login, "password": password, "csrf_token": csrf})

    def json_rpc(self, path, params=None):
        """POST a JSON-RPC call with the test's session; the decoded answer."""
        self.env.cr.commit()  # pylint: disable=invalid-commit
        return self.opener.post(self.base_url() + path, timeout=60, json={
            "jsonrpc": "2.0", "method": "call", "params": params or {}}).json()
