# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
import uuid

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from .common import IspCase, committed_env


@at_install(False)
@post_install(True)
class TestIpam(IspCase):

    def test_static_allocation_skips_reserved_and_taken(self):
        a, b = self.new_sub(), self.new_sub(static_ipv4="198.51.100.3")
        a.action_allocate_static_ipv4()
        self.assertEqual(a.static_ipv4, "198.51.100.2")  # .1 reserved
        c = self.new_sub()
        c.action_allocate_static_ipv4()
        self.assertEqual(c.static_ipv4, "198.51.100.4")  # .3 taken by b
        self.pool_v4.invalidate_cache()
        self.assertEqual((self.pool_v4.size, self.pool_v4.used, self.pool_v4.free), (5, 3, 2))
        self.assertEqual(self.pool_v4.range_text, "198.51.100.1-198.51.100.6")
        self.assertEqual(b.static_ipv4, "198.51.100.3")

    def test_same_address_at_every_reconnect(self):
        sub = self.new_sub(connection_type="static")
        sub.action_activate()
        address = sub.static_ipv4
        sub.action_suspend("x")
        sub.action_resume()
        sub.action_allocate_static_ipv4()  # already has one: kept
        self.assertEqual(sub.static_ipv4, address)

    def test_full_pool(self):
        for _i in range(5):
            self.new_sub().action_allocate_static_ipv4()
        with self.assertRaisesRegex(UserError, "No static IPv4 pool has a free address"):
            self.new_sub().action_allocate_static_ipv4()
        with self.assertRaisesRegex(UserError, "is full"):
            self.pool_v4.allocate(self.new_sub())

    def test_conflicting_address_refused_in_words(self):
        self.new_sub(static_ipv4="198.51.100.5")
        with self.assertRaisesRegex(ValidationError, "198.51.100.5 is already given to"):
            self.new_sub(static_ipv4="198.51.100.5")

    def test_database_refuses_a_second_holder(self):
        a, b = self.new_sub(static_ipv4="198.51.100.5"), self.new_sub()
        with self.assertRaises(psycopg2.IntegrityError) as ctx, mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self.env.cr.execute("UPDATE isp_subscription SET static_ipv4 = '198.51.100.5' "
                                "WHERE id = %s", (b.id,))
        self.assertEqual(ctx.exception.diag.constraint_name, "isp_subscription_ipv4_unique")
        c = self.new_sub(ipv6_prefix="2001:db8:aa00:100::/56")
        with self.assertRaises(psycopg2.IntegrityError) as ctx, mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            # a /64 inside another customer's /56 overlaps it
            self.env.cr.execute("UPDATE isp_subscription SET ipv6_prefix = "
                                "'2001:db8:aa00:1ff::/64' WHERE id = %s", (b.id,))
        self.assertEqual(ctx.exception.diag.constraint_name, "isp_subscription_ipv6_unique")
        self.assertTrue(a.static_ipv4 and c.ipv6_prefix)

    def test_ipv6_prefix_allocation(self):
        subs = [self.new_sub() for _i in range(3)]
        subs[1].ipv6_prefix = "2001:db8:aa00:100::/56"
        for sub in subs:
            sub.action_allocate_ipv6_prefix()
        self.assertEqual([s.ipv6_prefix for s in subs],
                         ["2001:db8:aa00::/56", "2001:db8:aa00:100::/56",
                          "2001:db8:aa00:200::/56"])
        self.pool_v6.invalidate_cache()
        self.assertEqual((self.pool_v6.size, self.pool_v6.used), (256, 3))
        pool64 = self.env["isp.ip.pool"].create({
            "name": "t-v6-64", "network": "2001:db8:bb00::/48", "purpose": "static",
            "prefix_length": 64})
        sub = self.new_sub()
        pool64.allocate(sub)
        self.assertEqual(sub.ipv6_prefix, "2001:db8:bb00::/64")

    def test_pools_never_overlap(self):
        with self.assertRaisesRegex(ValidationError, "overlaps the pool t-static"):
            self.env["isp.ip.pool"].create({"name": "x", "network": "198.51.100.4/30"})
        with self.assertRaisesRegex(ValidationError, "CIDR"):
            self.env["isp.ip.pool"].create({"name": "y", "network": "198.51.100.300/30"})
        with self.assertRaisesRegex(ValidationError, "must fit"):
            self.env["isp.ip.pool"].create({"name": "z", "network": "2001:db8:cc00::/48",
                                            "prefix_length": 40})
        with self.assertRaises(psycopg2.IntegrityError) as ctx, mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self.env.cr.execute("UPDATE isp_ip_pool SET network = '198.51.100.0/28' "
                                "WHERE id = %s", (self.pool_dyn.id,))
        self.assertEqual(ctx.exception.diag.constraint_name, "isp_ip_pool_no_overlap")


@at_install(False)
@post_install(True)
class TestIpamConcurrency(IspCase):
    """Two transactions allocating from the same pool at the same time (each
    on its own database cursor, committed) get two different addresses."""

    def test_two_cursors_racing(self):
        tag = uuid.uuid4().hex[:8]
        with committed_env(self.registry) as env:
            pool = env["isp.ip.pool"].create({
                "name": "race-%s" % tag, "network": "192.0.2.64/29", "purpose": "static"})
            partner = env["res.partner"].create({"name": "Race %s" % tag})
            master = env["isp.master.package"].create({
                "name": "race-%s" % tag, "download_kbps": 1024, "upload_kbps": 1024})
            plan = env["isp.service.plan"].create({
                "name": "race-%s" % tag, "master_package_id": master.id,
                "customer_price": 1.0})
            subs = [env["isp.subscription"].create({
                "partner_id": partner.id, "plan_id": plan.id,
                "username": "race-%s-%d" % (tag, i), "password": "pw-%d" % i})
                for i in range(2)]
            ids = (pool.id, partner.id, [s.id for s in subs], plan.id, master.id)
        barrier = threading.Barrier(2)
        results, errors = {}, []

        def allocate(sub_id):
            try:
                with committed_env(self.registry) as env:
                    sub = env["isp.subscription"].browse(sub_id)
                    sub.read(["name"])  # the transaction's snapshot starts here
                    barrier.wait(timeout=30)
                    results[sub_id] = env["isp.ip.pool"].browse(ids[0]).allocate(sub)
            except Exception as exc:  # reported below
                errors.append(exc)
        try:
            threads = [threading.Thread(target=allocate, args=(i,)) for i in ids[2]]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            self.assertFalse(errors, errors)
            self.assertEqual(sorted(results.values()), ["192.0.2.65", "192.0.2.66"])
            with committed_env(self.registry) as env:
                stored = env["isp.subscription"].browse(ids[2]).mapped("static_ipv4")
            self.assertEqual(sorted(stored), ["192.0.2.65", "192.0.2.66"])
        finally:
            with committed_env(self.registry) as env:
                env["isp.subscription"].browse(ids[2]).unlink()
                plan = env["isp.service.plan"].browse(ids[3])
                product = plan.product_id
                plan.unlink()
                product.product_tmpl_id.unlink()
                env["isp.master.package"].browse(ids[4]).unlink()
                env["res.partner"].browse(ids[1]).unlink()
                env["isp.ip.pool"].browse(ids[0]).unlink()
