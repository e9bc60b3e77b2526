# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Router jobs: retried with backoff while a router is down and applied
when it comes back, errors in words, one router never blocks another, one
writer per router."""
import datetime

from odoo import fields
from odoo.tests.common import at_install, post_install

from odoo.addons.isp_base.tests.common import committed_env
from odoo.addons.queue_job.exception import RetryableJobError

from ..models.isp_router import LOCK_NAMESPACE
from .common import MikrotikCase


@at_install(False)
@post_install(True)
class TestJobs(MikrotikCase):

    def eta_in(self, job):
        """Seconds from now to the job's eta."""
        return (fields.Datetime.from_string(job.eta) - datetime.datetime.now()).total_seconds()

    def test_router_down_jobs_retried_then_applied_when_it_comes_back(self):
        sub = self.activate(username="patient")
        self.run_jobs()
        self.ros.stop()
        sub.action_suspend(reason="unpaid")
        ((job, error),) = self.run_jobs()
        self.assertIsInstance(error, RetryableJobError)
        self.assertIn("refused the connection", str(error))
        self.assertEqual((job.state, job.retry, job.max_retries), ("pending", 1, 0))
        self.assertAlmostEqual(self.eta_in(job), 10, delta=3)
        self.assertEqual(self.router.api_state, "error")
        self.assertIn("127.0.0.1:%d refused the connection" % self.router.api_port,
                      self.router.api_error)
        # still down: the next retry waits twice as long, and so on
        self.run_jobs()
        self.assertEqual(job.retry, 2)
        self.assertAlmostEqual(self.eta_in(job), 20, delta=3)
        self.run_jobs()
        self.assertAlmostEqual(self.eta_in(job), 40, delta=3)
        # the router comes back (same port): the change is applied
        self.ros.start()
        self.assertEqual(self.secret("patient")["disabled"], "false")
        ((job2, _result),) = self.run_jobs()
        self.assertEqual(job2, job)
        self.assertEqual(job.state, "done")
        self.assertEqual(self.secret("patient")["disabled"], "true")
        self.assertEqual((self.router.api_state, self.router.api_error), ("ok", False))

    def test_backoff_is_capped(self):
        self.env["ir.config_parameter"].set_param("isp_mikrotik.retry_max_seconds", "60")
        self.activate(username="capped")
        self.ros.stop()
        for _attempt in range(5):
            ((job, _error),) = self.run_jobs()
        self.assertEqual(job.retry, 5)
        self.assertAlmostEqual(self.eta_in(job), 60, delta=3)

    def test_bad_credentials_and_timeouts_in_words(self):
        self.activate(username="pw.check")
        self.ros.refuse_logins = True
        ((job, error),) = self.run_jobs()
        self.assertIsInstance(error, RetryableJobError)
        self.assertIn("login refused: invalid user name or password (6)", str(error))
        self.assertIn("login refused", self.router.api_error)
        self.assertEqual(job.state, "pending")
        self.ros.refuse_logins = False
        self.ros.delay = 3  # the router answers, too late (timeout 2 s)
        ((job, error),) = self.run_jobs()
        self.assertIn("no answer from 127.0.0.1:%d within 2 s" % self.router.api_port,
                      str(error))
        self.ros.delay = 0
        self.ros.drop_connections = True
        ((job, error),) = self.run_jobs()
        self.assertIn("closed the connection", str(error))
        self.ros.drop_connections = False
        self.run_jobs()
        self.assertEqual(job.state, "done")
        self.assertTrue(self.secret("pw.check"))

    def test_one_unreachable_router_never_blocks_the_others(self):
        down = self.new_router("T NAS down")
        down_ros = self.start_server(down)
        down_ros.stop()
        sub_up = self.activate(username="on.up")
        sub_down = self.activate(username="on.down", router_id=down.id)
        self.assertEqual(len(self.jobs()), 2, "one job per router")
        outcome = dict((job.record_ids[0], res) for job, res in self.run_jobs())
        self.assertEqual(len(outcome), 2)
        self.assertTrue(self.secret("on.up"))
        self.assertIsInstance(outcome[down.id], RetryableJobError)
        # a batch over both routers (one action): still one job each
        (sub_up | sub_down).action_suspend(reason="batch")
        self.run_jobs()
        self.assertEqual(self.secret("on.up")["disabled"], "true")
        self.assertEqual(len(self.jobs()), 2, "the down router's jobs wait, not lost")
        down_ros.start()
        self.run_jobs()
        self.assertEqual(self.secret("on.down", down_ros)["disabled"], "true")
        self.assertFalse(self.jobs())

    def test_same_change_queued_twice_is_one_job(self):
        sub = self.activate(username="twice")
        sub.action_mikrotik_sync()
        sub.action_mikrotik_sync()
        self.assertEqual(len(self.jobs()), 1)

    def test_one_writer_per_router(self):
        """Another transaction writing to the router (a job, a repair):
        the job waits for its turn without using up a retry."""
        self.activate(username="waiting")
        with committed_env(self.registry) as other:
            other.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                             (LOCK_NAMESPACE, self.router.id))
            ((job, error),) = self.run_jobs()
            self.assertIsInstance(error, RetryableJobError)
            self.assertIn("Another job is writing to this router", str(error))
            self.assertEqual(job.retry, 0)
            other.cr.rollback()
        self.run_jobs()
        self.assertEqual(job.state, "done")
        self.assertTrue(self.secret("waiting"))

    def test_health_check_cron_one_job_per_router(self):
        down = self.new_router("T NAS down")
        self.start_server(down).stop()
        self.activate(username="checked")
        self.run_jobs()
        self.env["isp.router"].cron_check_routers()
        checks = self.jobs().filtered(lambda j: j.method_name == "_mikrotik_job_check")
        self.assertEqual(len(checks), 2)
        self.run_jobs()
        self.assertEqual((self.router.api_state, self.router.ros_version,
                          self.router.ros_board, self.router.drift_count),
                         ("ok", "7.18.2 (stable)", "CCR2004-16G-2S+", 0))
        self.assertEqual(down.api_state, "error")
        self.assertIn("refused the connection", down.api_error)
