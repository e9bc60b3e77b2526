# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures of the isp_mikrotik tests: isp_base's small ISP, its router
pointed at a RouterOS API test server of its own (one per test), and a
helper that runs the queued router jobs as the job runner does."""
from odoo.addons.isp_base.tests.common import IspCase
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .routeros_server import RouterOSServer

API_USER, API_PASSWORD = "billing", "r0uter-pw"


class MikrotikCase(IspCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # other routers of the database (demo data) stay out of the tests
        cls.env["isp.router"].search([("id", "!=", cls.router.id)]).write(
            {"api_user": False})
        cls.router.write({"host": "127.0.0.1", "mode": "api", "api_user": API_USER,
                          "api_password": API_PASSWORD, "api_timeout": 2})
        cls.reseller = cls.new_reseller_login("T Reseller", "t.reseller")

    def setUp(self):
        super().setUp()
        self.ros = self.start_server(self.router)

    def start_server(self, router, **kw):
        """A fresh RouterOS server for `router` (stopped after the test)."""
        server = RouterOSServer(users={API_USER: API_PASSWORD}, **kw).start()
        self.addCleanup(server.stop)
        router.write({"host": "127.0.0.1", "api_port": server.port})
        return server

    def new_router(self, name, **vals):
        values = {"name": name, "host": "127.0.0.1", "mode": "api", "api_user": API_USER,
                  "api_password": API_PASSWORD, "api_timeout": 2}
        values.update(vals)
        return self.env["isp.router"].create(values)

    # -- jobs ---------------------------------------------------------------------

    def jobs(self, states=("pending",)):
        return self.env["queue.job"].search([("model_name", "=", "isp.router"),
                                             ("state", "in", list(states))], order="id")

    def run_jobs(self, states=("pending",)):
        """Run the router jobs as queue_job's /runjob does (done, postponed
        on RetryableJobError, failed); returns [(job record, result or
        exception)]."""
        outcome = []
        for record in self.jobs(states):
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            try:
                result = job.perform()
            except RetryableJobError as exc:
                job.postpone(result=str(exc), seconds=exc.seconds)
                job.set_pending(reset_retry=False)
                job.store()
                outcome.append((record, exc))
                continue
            except Exception as exc:  # noqa: BLE001 - a failed job, as the runner sees it
                job.set_failed(exc_info=str(exc))
                job.store()
                outcome.append((record, exc))
                continue
            job.set_done(result=result)
            job.store()
            outcome.append((record, result))
        return outcome

    def secret(self, name, server=None):
        rows = (server or self.ros).find("/ppp/secret", name=name)
        return rows[0] if rows else None

    def activate(self, **vals):
        sub = self.new_sub(**vals)
        sub.action_activate()
        return sub
