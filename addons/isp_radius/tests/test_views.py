# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SQL views FreeRADIUS reads give the answers of lib/attributes.py,
on subscriptions made and changed through the ORM; the FreeRADIUS role
can read them and write accounting, nothing else."""
import contextlib

import psycopg2
import psycopg2.errors

import odoo
from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from odoo.addons.isp_base.tests.common import days, now

from ..lib.attributes import epoch
from .common import NAS_IP, RadiusCase


@at_install(False)
@post_install(True)
class TestViews(RadiusCase):

    def assertViewsMatchMapping(self, sub, expect_accept=None):
        check, reply = sub._radius_attributes()
        self.assertEqual(self.view_rows("radcheck", sub.username),
                         [tuple(a) for a in check], "radcheck of %s" % sub.username)
        self.assertEqual(self.view_rows("radreply", sub.username),
                         [tuple(a) for a in reply], "radreply of %s" % sub.username)
        if expect_accept is not None:
            rows = self.view_rows("radcheck", sub.username)
            rejected = not rows or ("Auth-Type", ":=", "Reject") in rows
            self.assertEqual(not rejected, expect_accept, sub.username)
        return check, reply

    def test_active_pppoe_static_ipv6_mac(self):
        sub = self.new_sub(username="r.static", mac_address="aa-bb-cc-00-11-22",
                           password="pw-static")
        sub.action_allocate_static_ipv4()
        sub.action_allocate_ipv6_prefix()
        sub.action_activate()
        check, reply = self.assertViewsMatchMapping(sub, expect_accept=True)
        self.assertEqual(check, [("Cleartext-Password", ":=", "pw-static"),
                                 ("Simultaneous-Use", ":=", "1"),
                                 ("Calling-Station-Id", "==", "AA:BB:CC:00:11:22")])
        self.assertEqual(reply, [
            ("Mikrotik-Rate-Limit", ":=", "5M/10M"), ("Mikrotik-Group", ":=", "t-10M"),
            ("Framed-IP-Address", ":=", "198.51.100.2"),
            ("Delegated-IPv6-Prefix", ":=", "2001:db8:aa00::/56"),
            ("Acct-Interim-Interval", ":=", "300")])

    def test_hotspot_expiration_and_burst(self):
        self.plan_hotspot_hours.master_package_id = self.master_fast
        sub = self.new_sub(username="r.hotspot", connection_type="hotspot",
                           plan_id=self.plan_hotspot_hours.id, billing_type="daily",
                           billing_profile_id=False)
        sub.action_activate()
        check, reply = self.assertViewsMatchMapping(sub, expect_accept=True)
        end = fields.Datetime.from_string(sub.validity_end)
        self.assertIn(("Expiration", ":=", str(epoch(end))), check)
        self.assertIn(("Mikrotik-Rate-Limit", ":=", "5M/10M 10M/20M 3840k/7680k 10/10"),
                      reply)

    def test_validity_in_the_past(self):
        daily = self.new_sub(username="r.daily", plan_id=self.plan_daily.id,
                             billing_type="daily", billing_profile_id=False)
        monthly = self.new_sub(username="r.monthly")
        (daily | monthly).action_activate()
        end = now() + days(1)
        daily.validity_end = fields.Datetime.to_string(end)
        self.assertIn(("Expiration", ":=", str(epoch(end))), self.view_rows("radcheck", "r.daily"))
        past = fields.Datetime.to_string(now() - days(1))
        (daily | monthly).write({"validity_end": past})
        # prepaid: cut off as soon as the validity ends, no job needed: no row
        # at all (FreeRADIUS rejects it as it rejects an unknown user)
        self.assertViewsMatchMapping(daily, expect_accept=False)
        self.assertEqual(self.view_rows("radcheck", "r.daily"), [])
        self.assertEqual(self.view_rows("radreply", "r.daily"), [])
        # then the billing's job marks it expired: Auth-Type := Reject
        daily.action_expire()
        self.assertEqual(self.view_rows("radcheck", "r.daily"), [("Auth-Type", ":=", "Reject")])
        self.assertViewsMatchMapping(daily, expect_accept=False)
        # postpaid: the billing suspends it when a bill is overdue
        self.assertViewsMatchMapping(monthly, expect_accept=True)

    def test_a_validity_end_past_what_radius_can_say_is_clamped(self):
        """Issue 16, finding 9: Expiration is a 32-bit count of seconds. A
        validity end after 2106-02-07 06:28:15 UTC (refused by the billing,
        but written by SQL or before the check) is sent as that second,
        by the views as by the mapping."""
        sub = self.new_sub(username="r.y9999", connection_type="hotspot",
                           plan_id=self.plan_hotspot_hours.id, billing_type="daily",
                           billing_profile_id=False)
        sub.action_activate()
        for end in ("2107-01-01 00:00:00", "9999-12-31 23:59:59"):
            self.env.cr.execute("UPDATE isp_subscription SET validity_end = %s WHERE id = %s",
                                (end, sub.id))
            sub.invalidate_cache()
            check, _reply = self.assertViewsMatchMapping(sub, expect_accept=True)
            self.assertIn(("Expiration", ":=", "4294967295"), check, end)
            self.env.cr.execute("SELECT expiration FROM radius.account WHERE username = %s",
                                (sub.username,))
            self.assertEqual(self.env.cr.fetchone(), ("4294967295",), end)

    def test_states(self):
        subs = {name: self.new_sub(username="r.%s" % name) for name in
                ("suspended", "pool", "disabled", "expired", "draft")}
        subs["pool"].billing_profile_id = self.profile_pool
        for name in ("suspended", "pool", "disabled", "expired"):
            subs[name].action_activate()
        subs["suspended"].action_suspend("unpaid")
        subs["pool"].action_suspend("unpaid")
        subs["disabled"].action_disable("left")
        subs["expired"].action_expire()
        for name in ("suspended", "disabled", "expired", "draft"):
            check, reply = self.assertViewsMatchMapping(subs[name], expect_accept=False)
            self.assertEqual((check, reply), ([("Auth-Type", ":=", "Reject")], []), name)
        check, reply = self.assertViewsMatchMapping(subs["pool"], expect_accept=True)
        self.assertEqual(reply, [("Framed-Pool", ":=", "t-suspended"),
                                 ("Mikrotik-Address-List", ":=", "unpaid"),
                                 ("Acct-Interim-Interval", ":=", "300")])

    def test_router_speed_control_and_no_sync_lag(self):
        master = self.env["isp.master.package"].create({
            "name": "T router speed", "download_kbps": 10240, "upload_kbps": 5120,
            "ppp_profile": "t-router"})
        plan = self.env["isp.service.plan"].create({
            "name": "T router speed", "master_package_id": master.id,
            "customer_price": 800.0})
        sub = self.new_sub(username="r.router", plan_id=plan.id)
        sub.action_activate()
        self.assertIn(("Mikrotik-Rate-Limit", ":=", "5M/10M"),
                      self.view_rows("radreply", "r.router"))
        # changes are seen by the very next request: no copy to refresh
        master.write({"download_kbps": 20480})
        self.assertIn(("Mikrotik-Rate-Limit", ":=", "5M/20M"),
                      self.view_rows("radreply", "r.router"))
        master.speed_controller = "router"
        self.assertViewsMatchMapping(sub, expect_accept=True)
        self.assertNotIn("Mikrotik-Rate-Limit",
                         [r[0] for r in self.view_rows("radreply", "r.router")])
        sub.action_suspend("unpaid")
        self.assertEqual(self.view_rows("radreply", "r.router"), [])

    def assertValuesAgree(self):
        """The radius_* columns of every subscription say what the joins of
        radius.account (package, pools, profile) and the parameter say."""
        interim = self.Radius._int_param("interim_interval") or None
        self.env.cr.execute("SELECT username FROM isp_subscription WHERE "
                            "radius_interim_interval IS DISTINCT FROM %s", (interim,))
        self.assertEqual(self.env.cr.fetchall(), [])
        self.env.cr.execute("""
            SELECT s.username FROM isp_subscription s
              JOIN radius.account a ON a.subscription_id = s.id
              LEFT JOIN isp_billing_profile bp ON bp.id = s.billing_profile_id
             WHERE (s.radius_rate_limit, s.radius_group, s.radius_pool,
                    s.radius_suspended_pool, s.radius_address_list,
                    s.radius_suspend_to_pool)
                   IS DISTINCT FROM (a.rate_limit, a.ppp_profile, a.pool, a.suspended_pool,
                    a.suspended_address_list, bp.suspend_action = 'suspended_pool')""")
        self.assertEqual(self.env.cr.fetchall(), [])

    def test_package_pool_and_profile_changes_reach_the_next_request(self):
        """The views read the package's, pool's and profile's values from
        columns of the subscription: every change of them is in those
        columns in the same statement (no refresh, no lag)."""
        active = self.new_sub(username="r.values", plan_id=self.plan_fast.id)
        suspended = self.new_sub(username="r.values.susp", plan_id=self.plan_fast.id,
                                 billing_profile_id=self.profile_pool.id)
        (active | suspended).action_activate()
        suspended.action_suspend("unpaid")
        self.assertIn(("Framed-Pool", ":=", "t-dynamic"), self.view_rows("radreply", "r.values"))
        # the pool renamed, then taken off the package
        self.pool_dyn.name = "t-dynamic-2"
        self.assertIn(("Framed-Pool", ":=", "t-dynamic-2"),
                      self.view_rows("radreply", "r.values"))
        self.master_fast.ip_pool_id = False
        self.assertNotIn("Framed-Pool", [r[0] for r in self.view_rows("radreply", "r.values")])
        # the package's RADIUS group and speed
        self.master_fast.write({"ppp_profile": "t-10M-new", "download_kbps": 15360})
        reply = self.view_rows("radreply", "r.values")
        self.assertIn(("Mikrotik-Group", ":=", "t-10M-new"), reply)
        self.assertIn(("Mikrotik-Rate-Limit", ":=", "5M/15M 10M/20M 3840k/7680k 10/10"), reply)
        self.assertViewsMatchMapping(active, expect_accept=True)
        # the suspended pool renamed, the address list changed, the profile
        # told to reject, the account moved to another profile
        self.pool_suspended.name = "t-payment-page"
        self.profile_pool.suspended_address_list = "pay-first"
        self.assertEqual(self.view_rows("radreply", "r.values.susp"), [
            ("Framed-Pool", ":=", "t-payment-page"),
            ("Mikrotik-Address-List", ":=", "pay-first"),
            ("Acct-Interim-Interval", ":=", "300")])
        self.profile_pool.suspend_action = "reject"
        self.assertViewsMatchMapping(suspended, expect_accept=False)
        self.profile_pool.suspend_action = "suspended_pool"
        self.assertViewsMatchMapping(suspended, expect_accept=True)
        suspended.billing_profile_id = self.profile
        self.assertViewsMatchMapping(suspended, expect_accept=False)
        # another package (its plan)
        active.action_change_plan(self.plan_monthly_b)
        self.assertViewsMatchMapping(active, expect_accept=True)
        self.assertNotIn("Mikrotik-Group", [r[0] for r in self.view_rows("radreply", "r.values")])
        # a pool deleted: the package's reference goes (ON DELETE SET NULL)
        self.master_b.ip_pool_id = self.pool_suspended
        self.assertIn(("Framed-Pool", ":=", "t-payment-page"),
                      self.view_rows("radreply", "r.values"))
        suspended.billing_profile_id = self.profile_pool
        self.profile_pool.write({"suspend_action": "reject", "suspended_pool_id": False})
        self.pool_suspended.unlink()
        self.assertNotIn("Framed-Pool", [r[0] for r in self.view_rows("radreply", "r.values")])
        self.assertValuesAgree()

    def test_values_cannot_be_written_and_a_refresh_repairs_them(self):
        sub = self.new_sub(username="r.repair", plan_id=self.plan_fast.id)
        sub.action_activate()
        cr = self.env.cr
        # whoever writes them gets what the package says
        cr.execute("UPDATE isp_subscription SET radius_rate_limit = '1k/1k', "
                   "radius_pool = 'elsewhere' WHERE id = %s", (sub.id,))
        self.assertViewsMatchMapping(sub, expect_accept=True)
        # the attribute rows are generated columns: nobody can write them
        for column in ("radius_check_value", "radius_reply_value", "radius_cut_at"):
            with self.assertRaises(psycopg2.Error) as caught, mute_logger("odoo.sql_db"), \
                    cr.savepoint():
                cr.execute("UPDATE isp_subscription SET %s = NULL WHERE id = %%s" % column,
                           (sub.id,))
            self.assertEqual(caught.exception.pgcode, "428C9", column)
        # a database where they differ (triggers off, as before the addon's
        # upgrade): the schema refresh puts them right
        cr.execute("ALTER TABLE isp_subscription DISABLE TRIGGER isp_radius_values")
        cr.execute("UPDATE isp_subscription SET radius_rate_limit = NULL, radius_group = 'x' "
                   "WHERE id = %s", (sub.id,))
        cr.execute("ALTER TABLE isp_subscription ENABLE TRIGGER isp_radius_values")
        self.assertNotIn("Mikrotik-Rate-Limit",
                         [r[0] for r in self.view_rows("radreply", "r.repair")])
        self.Radius._radius_make_schema()
        self.assertViewsMatchMapping(sub, expect_accept=True)
        self.assertValuesAgree()

    def test_every_subscription_answers_the_mapping(self):
        """Accounts of every kind in one go (and those of the fixtures): the
        rows of the views are the mapping's."""
        made = [
            self.new_sub(username="m.active", mac_address="AA:BB:CC:00:00:09"),
            self.new_sub(username="m.daily", plan_id=self.plan_daily.id,
                         billing_type="daily", billing_profile_id=False),
            self.new_sub(username="m.hotspot", connection_type="hotspot",
                         plan_id=self.plan_hotspot_hours.id, billing_type="daily",
                         billing_profile_id=False),
            self.new_sub(username="m.pool", billing_profile_id=self.profile_pool.id),
            self.new_sub(username="m.susp"),
            self.new_sub(username="m.static"),
            self.new_sub(username="m.disabled"),
            self.new_sub(username="m.draft"),
        ]
        made[5].action_allocate_static_ipv4()
        for sub in made[:7]:
            sub.action_activate()
        (made[3] | made[4]).action_suspend("unpaid")
        made[6].action_disable("left")
        made[1].validity_end = fields.Datetime.to_string(now() - days(1))
        self.assertEqual(made[7].state, "draft")
        subs = self.env["isp.subscription"].search([("username", "!=", False)])
        self.assertGreater(len(subs), len(made))
        for sub in subs:
            self.assertViewsMatchMapping(sub)

    def test_a_refresh_that_changes_nothing_lets_lookups_go_on(self):
        """Install, upgrade and parameter changes refresh the schema in a
        transaction: FreeRADIUS reading the views from another connection
        is not held up by it unless a column or a view really changes."""
        sub = self.new_sub(username="r.locks")
        sub.action_activate()
        self.Radius._radius_make_schema()
        self.env["ir.config_parameter"].sudo().set_param("isp_radius.interim_interval", "120")
        self.assertIn(("Acct-Interim-Interval", ":=", "120"),
                      self.view_rows("radreply", "r.locks"))
        self.assertValuesAgree()
        self.assertEqual(self.lookup_from_another_connection(), "answered")
        # (and the test sees it when it is held up: a changed generated
        # column is made again, with its views)
        self.env.cr.execute("COMMENT ON COLUMN isp_subscription.radius_reply_value IS 'old'")
        self.Radius._radius_make_schema()
        self.assertEqual(self.lookup_from_another_connection(), "waited")
        self.assertViewsMatchMapping(sub, expect_accept=True)

    def lookup_from_another_connection(self):
        """What FreeRADIUS's lookup meets, on a connection of its own, while
        this test's transaction is open."""
        db = odoo.sql_db.db_connect(self.env.cr.dbname)
        with contextlib.closing(db.cursor()) as other, mute_logger("odoo.sql_db"):
            other.execute("SET lock_timeout = '500ms'")
            try:
                for view in ("radcheck", "radreply"):
                    other.execute("SELECT * FROM radius.%s WHERE username = 'r.locks'" % view)
                other.execute("SELECT count(*) FROM radius.radacct WHERE acctstoptime IS NULL")
                # accounting, as FreeRADIUS writes it
                other.execute("""INSERT INTO radius.radacct (acctsessionid, acctuniqueid,
                                 username, nasipaddress, acctstarttime, acctinputoctets)
                                 VALUES ('lk1', 'lk1', 'r.locks', '127.0.0.11', now(), 5)""")
                other.execute("UPDATE radius.radacct SET acctinputoctets = 9 "
                              "WHERE acctuniqueid = 'lk1'")
            except psycopg2.errors.LockNotAvailable:
                return "waited"
            finally:
                other.rollback()
        return "answered"

    def test_suspended_without_billing_profile_is_rejected(self):
        sub = self.new_sub(username="r.noprofile", plan_id=self.plan_daily.id,
                           billing_type="daily", billing_profile_id=False)
        sub.action_activate()
        sub.action_suspend("unpaid")
        check, reply = self.assertViewsMatchMapping(sub, expect_accept=False)
        self.assertEqual((check, reply), ([("Auth-Type", ":=", "Reject")], []))

    def test_uninstall_leaves_no_trigger_or_column_in_the_billing_tables(self):
        from .. import uninstall_hook
        uninstall_hook(self.env.cr, self.env.registry)
        cr = self.env.cr
        cr.execute("""SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                       WHERE t.tgname = 'isp_radius_values'""")
        self.assertEqual(cr.fetchall(), [])
        cr.execute("""SELECT column_name FROM information_schema.columns
                       WHERE table_name = 'isp_subscription' AND column_name LIKE 'radius\\_%'""")
        self.assertEqual(cr.fetchall(), [])
        # the billing goes on without them
        self.master_fast.ppp_profile = "after-uninstall"
        self.new_sub(username="r.after", plan_id=self.plan_fast.id).action_activate()

    def test_username_any_case(self):
        sub = self.new_sub(username="Ali.Khan")
        sub.action_activate()
        self.assertEqual(self.view_rows("radcheck", "ALI.KHAN"),
                         self.view_rows("radcheck", "ali.khan"))
        self.assertIn(("Cleartext-Password", ":=", "s3cret-pw"),
                      self.view_rows("radcheck", "aLi.kHaN"))
        self.assertEqual(self.view_rows("radcheck", "ali.kha"), [])

    def test_usergroup_and_nas(self):
        sub = self.new_sub(username="r.group")
        cr = self.env.cr
        cr.execute("SELECT groupname FROM radius.radusergroup WHERE username = 'r.group'")
        self.assertEqual(cr.fetchall(), [(sub.master_package_id.name,)])
        cr.execute("SELECT count(*) FROM radius.radgroupcheck")
        self.assertEqual(cr.fetchone(), (0,))
        no_secret = self.env["isp.router"].create({"name": "no secret", "host": "192.0.2.77"})
        archived = self.env["isp.router"].create({"name": "old", "host": "192.0.2.78",
                                                  "radius_secret": "x", "active": False})
        cr.execute("SELECT nasname, shortname, secret, type FROM radius.nas")
        nas = {r[0]: r for r in cr.fetchall()}
        self.assertEqual(nas[NAS_IP], (NAS_IP, "Test NAS", "coa-secret", "mikrotik"))
        self.assertNotIn(no_secret.host, nas)
        self.assertNotIn(archived.host, nas)


@at_install(False)
@post_install(True)
class TestRole(RadiusCase):

    def test_radius_role_reads_views_writes_accounting_only(self):
        sub = self.new_sub(username="r.role")
        sub.action_activate()
        cr = self.env.cr
        with self.as_radius_role():
            cr.execute("SELECT value FROM radius.radcheck WHERE username = 'r.role' "
                       "AND attribute = 'Cleartext-Password'")
            self.assertEqual(cr.fetchone(), ("s3cret-pw",))
            cr.execute("SELECT count(*) FROM radius.nas")
            cr.execute("""INSERT INTO radius.radacct (acctsessionid, acctuniqueid, username,
                          nasipaddress, acctstarttime) VALUES ('s1', 'u1', 'r.role',
                          '127.0.0.11', now()) RETURNING radacctid""")
            cr.execute("UPDATE radius.radacct SET acctinputoctets = 10 WHERE acctuniqueid = 'u1'")
            cr.execute("INSERT INTO radius.radpostauth (username, reply) "
                       "VALUES ('r.role', 'Access-Accept')")
            cr.execute("INSERT INTO radius.nasreload VALUES ('127.0.0.11', now())")
            # nothing else: the billing tables, deleting history, the usage
            self.assertRefused("SELECT password FROM public.isp_subscription")
            self.assertRefused("SELECT * FROM public.res_users")
            self.assertRefused("DELETE FROM radius.radacct")
            self.assertRefused("UPDATE radius.usage_daily SET upload_bytes = 0")
            self.assertRefused("DELETE FROM radius.radpostauth")
            self.assertRefused("TRUNCATE radius.radacct")
            self.assertRefused("CREATE TABLE radius.evil (id int)")
        # the accounting it wrote found its subscription and counted usage
        cr.execute("SELECT subscription_id FROM radius.radacct WHERE acctuniqueid = 'u1'")
        self.assertEqual(cr.fetchone(), (sub.id,))
        cr.execute("SELECT upload_bytes, sessions FROM radius.usage_daily "
                   "WHERE subscription_id = %s", (sub.id,))
        self.assertEqual(cr.fetchone(), (10, 1))

    def test_schema_refresh_keeps_data_and_follows_parameters(self):
        sub = self.new_sub(username="r.refresh")
        sub.action_activate()
        radacct_id = self.open_session(sub, upload=1000)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("isp_radius.interim_interval", "600")
        self.assertIn(("Acct-Interim-Interval", ":=", "600"),
                      self.view_rows("radreply", "r.refresh"))
        self.assertEqual(sub._radius_attributes()[1][-1],
                         ("Acct-Interim-Interval", ":=", "600"))
        self.assertEqual(self.session_row(radacct_id), (None, None))
        with self.assertRaises(ValidationError):
            params.set_param("isp_radius.usage_timezone", "Mars/Olympus")
        self.assertNotEqual(params.get_param("isp_radius.usage_timezone"), "Mars/Olympus")
