# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Why a router job waits, on the job and on the router, against the
RouterOS protocol server (reachable) and a closed port (unreachable); a
router whose API is not used (the demo routers) gets no work queued."""
import re

from odoo.tests.common import SavepointCase, at_install, post_install

from .common import MikrotikCase


@at_install(False)
@post_install(True)
class TestRouterState(MikrotikCase):

    def state(self, router=None):
        router = router or self.router
        router.invalidate_cache()
        return (router.api_state, router.api_error, router.api_down_since, router.api_next_retry)

    def test_reachable_router_job_done_router_ok(self):
        self.activate(username="reach.me")
        ((job, _result),) = self.run_jobs()
        self.assertEqual(job.state, "done")
        self.assertRegex(job.result, r"^\d+ changes, 0 sessions ended$")
        self.assertTrue(self.secret("reach.me"))
        state, error, down_since, next_retry = self.state()
        self.assertEqual((state, error, down_since, next_retry), ("ok", False, False, False))
        self.assertEqual(self.router.api_last_ok, self.router.api_checked)
        self.assertEqual(self.router.mikrotik_job_count, 0)

    def test_unreachable_router_says_why_on_the_job_and_on_the_router(self):
        self.activate(username="first")
        self.run_jobs()
        last_ok = self.router.api_last_ok
        self.assertTrue(last_ok)
        port = self.ros.port
        self.ros.stop()                       # nothing listens on the port any more
        sub = self.activate(username="waits")
        ((job, _error),) = self.run_jobs()
        # the job: pending, why, which try, when the next one comes
        self.assertEqual((job.state, job.retry), ("pending", 1))
        self.assertEqual(job.result, (
            "Waiting for router Test NAS: 127.0.0.1:%d refused the connection (is the RouterOS "
            "API service enabled on port %d? /ip service). Try 1 failed; tried again in 10 s, "
            "and until the router answers." % (port, port)))
        # the router: the error, since when, the last contact, the next retry
        state, error, down_since, next_retry = self.state()
        self.assertEqual(state, "error")
        self.assertEqual(error, "127.0.0.1:%d refused the connection (is the RouterOS API "
                                "service enabled on port %d? /ip service)" % (port, port))
        self.assertEqual(down_since, self.router.api_checked)
        self.assertEqual(self.router.api_last_ok, last_ok)
        self.assertEqual(next_retry, job.eta)
        self.assertEqual(self.router.mikrotik_job_count, 1)
        # still down: "unreachable since" stays, the next retry moves on
        ((job, _error),) = self.run_jobs()
        self.assertIn("Try 2 failed; tried again in 20 s", job.result)
        state, _error, still_down_since, next_retry = self.state()
        self.assertEqual((state, still_down_since, next_retry), ("error", down_since, job.eta))
        # the list of the router's waiting changes shows why each waits
        action = self.router.action_view_jobs()
        tree = self.env["queue.job"].fields_view_get(view_id=action["views"][0][0],
                                                     view_type="tree")["arch"]
        self.assertTrue(re.search(r'name="result"', tree) and re.search(r'name="eta"', tree))
        self.assertEqual(self.env["queue.job"].search(action["domain"]), job)
        # back on the same port: applied, the router is fine again
        self.ros.start()
        ((job, _result),) = self.run_jobs()
        self.assertEqual(job.state, "done")
        self.assertEqual(self.secret("waits")["name"], sub.username)
        state, error, down_since, next_retry = self.state()
        self.assertEqual((state, error, down_since, next_retry), ("ok", False, False, False))
        self.assertGreaterEqual(self.router.api_last_ok, last_ok)

    def test_health_check_of_an_unreachable_router(self):
        self.ros.stop()
        self.router.action_test_connection()
        state, error, down_since, _next = self.state()
        self.assertEqual(state, "error")
        self.assertIn("refused the connection", error)
        self.assertTrue(down_since)
        self.assertFalse(self.router.api_last_ok)

    def test_a_router_whose_api_is_not_used_gets_no_work(self):
        self.router.api_enabled = False
        self.assertFalse(self.router.api_configured)
        sub = self.activate(username="quiet")
        sub.action_suspend(reason="unpaid")
        self.env["isp.router"].cron_check_routers()
        self.assertFalse(self.jobs(("pending", "enqueued", "started", "failed")))
        self.assertEqual(self.ros.commands(), [], "the router was not contacted")
        # "Test connection" still tries it (before the API is turned on)
        self.router.action_test_connection()
        self.assertEqual(self.router.api_state, "ok")
        # a change queued before the API was turned off ends without writing
        self.router.api_enabled = True
        sub.action_resume(reason="paid")
        self.router.api_enabled = False
        ((job, result),) = self.run_jobs()
        self.assertEqual(job.state, "done")
        self.assertIn("its API is not used", result)
        self.assertFalse(self.secret("quiet"))


@at_install(False)
@post_install(True)
class TestDemoRouters(SavepointCase):
    """The demo routers (TEST-NET addresses nobody reaches) are marked as
    not used: a change to a demo customer queues no job that can never run."""

    def test_demo_routers_get_no_work(self):
        routers = [self.env.ref(xmlid, raise_if_not_found=False)
                   for xmlid in ("isp_base.router_gulshan", "isp_base.router_mirpur")]
        if not all(routers):
            self.skipTest("no demo data")
        for router in routers:
            self.assertEqual((router.api_enabled, router.api_configured), (False, False),
                             router.name)
        sub = self.env["isp.subscription"].search(
            [("router_id", "in", [r.id for r in routers]), ("state", "=", "active"),
             ("connection_type", "=", "pppoe")], limit=1)
        self.assertTrue(sub)
        Job = self.env["queue.job"]
        before = Job.search_count([("model_name", "=", "isp.router")])
        sub.action_suspend(reason="demo")
        self.env["isp.router"].cron_check_routers()
        self.assertEqual(Job.search_count([("model_name", "=", "isp.router")]), before)
        # what the form says about it
        form = self.env["isp.router"].fields_view_get(view_type="form")["arch"]
        self.assertIn("The API of this router is not used", form)
