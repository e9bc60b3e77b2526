"""Harness of the cross-process RADIUS tests (tests/test_radius.py).

On a database cloned from the app template (the ``app_db`` fixture, run with
ISP_APP_MODULES=isp_base,isp_radius) it

* opens the database with Odoo in this process and commits its own data
  (packages, subscriptions, routers with their RADIUS secrets) as the
  business would, through the ORM and the lifecycle actions;
* starts FreeRADIUS from the project's configuration (freeradius/) on free
  loopback ports, logging in as the database's FreeRADIUS role; its NAS
  clients come from the `nas` view (the routers registered in Odoo);
* plays two NAS (routers) on their own loopback addresses: a RADIUS client
  sending Access/Accounting-Requests, and a CoA receiver (pyrad server) that
  records the Disconnect/CoA-Requests it gets and, like a router, sends the
  Acct-Stop of a session it disconnects;
* runs the queued jobs of the network actions as queue_job's runner does
  (one transaction per job, RetryableJobError postpones);
* cleans up: FreeRADIUS and the receivers stopped, the role dropped, Odoo's
  registry closed (the fixture drops the database).
"""
import contextlib
import datetime
import importlib.util
import os
import sys
import time
import traceback

os.environ["TZ"] = "UTC"
time.tzset()

from conftest import ROOT, isp_dev  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import radius as radius_ctl  # noqa: E402


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: the addon's test NAS (CoA receiver, RADIUS client), without importing Odoo
nas = _load("isp_radius_test_nas", os.path.join(ROOT, "addons", "isp_radius", "tests",
                                                 "nas.py"))

#: the two routers the harness plays: name -> (address, RADIUS secret)
NAS = {"A": ("127.0.0.21", "nas-a-secret"), "B": ("127.0.0.22", "nas-b-secret")}


def odoo_registry(dbname):
    """The Odoo registry of `dbname`, in this process."""
    import odoo
    if not odoo.tools.config.get("db_host"):
        odoo.tools.config.parse_config(["-c", isp_dev.ODOO_CONF, *isp_dev.conf_args()])
    return odoo.registry(dbname)


class RadiusHarness:

    def __init__(self, dbname, run_dir=None):
        self.dbname = dbname
        self.run_dir = run_dir or os.path.join(isp_dev.LOCAL, "radius", dbname)
        self.registry = None
        self.radius = None
        self.receivers = {}
        self.routers = {}
        self.clients = {}

    # Odoo -------------------------------------------------------------------

    @contextlib.contextmanager
    def env(self):
        """An environment whose work is committed at the end."""
        from odoo import SUPERUSER_ID, api
        with api.Environment.manage(), self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})
            cr.commit()

    def setup_business(self):
        """Routers (NAS A and B) and the parameters of a test run."""
        with self.env() as env:
            params = env["ir.config_parameter"]
            for key, value in (("coa_timeout", "1"), ("coa_tries", "1"),
                               ("disconnect_attempts", "3"), ("retry_delay", "1"),
                               ("verify_seconds", "3")):
                params.set_param("isp_radius." + key, value)
            for name, (ip, secret) in sorted(NAS.items()):
                router = env["isp.router"].create({
                    "name": "Harness NAS %s" % name, "host": ip, "radius_secret": secret})
                self.routers[name] = router.id

    # processes --------------------------------------------------------------

    def start(self):
        self.registry = odoo_registry(self.dbname)
        self.setup_business()
        self.radius = radius_ctl.FreeRadius(self.dbname, threads=4, run_dir=self.run_dir,
                                            log_dir=self.run_dir)
        self.radius.start()
        for name, (ip, secret) in sorted(NAS.items()):
            receiver = nas.CoaReceiver(host=ip, secret=secret)
            receiver.on_disconnect = self._nas_disconnects(name)
            self.receivers[name] = receiver.start()
            self.clients[name] = nas.NasClient("127.0.0.1", secret, nas_ip=ip,
                                               authport=self.radius.auth_port,
                                               acctport=self.radius.acct_port)
        with self.env() as env:
            for name, receiver in self.receivers.items():
                env["isp.router"].browse(self.routers[name]).coa_port = receiver.port
        return self

    def stop(self):
        """Everything this harness started, each step whatever the others
        did (a FreeRADIUS left running would keep the database open)."""
        if self.radius:
            self.radius.stop()
        for receiver in self.receivers.values():
            with contextlib.suppress(Exception):
                receiver.stop()
        for client in self.clients.values():
            with contextlib.suppress(Exception):
                client._CloseSocket()
        if self.registry is not None:
            import odoo
            odoo.modules.registry.Registry.delete(self.dbname)
            odoo.sql_db.close_db(self.dbname)
        with contextlib.suppress(Exception):
            radius_ctl.drop_role(self.dbname)

    def radius_errors(self, expected=("unknown client", "creating dynamic client failed")):
        """Error lines of FreeRADIUS's log, but those a test caused on purpose."""
        return [line for line in self.radius.log_text().splitlines()
                if " Error: " in line and not any(e in line for e in expected)]

    def _nas_disconnects(self, name):
        """A router that accepts a Disconnect-Request ends the session and
        sends its Acct-Stop."""
        def on_disconnect(attrs):
            ip, secret = NAS[name]
            client = nas.NasClient("127.0.0.1", secret, nas_ip=ip,
                                   authport=self.radius.auth_port,
                                   acctport=self.radius.acct_port)
            try:
                client.acct("Stop", attrs["User-Name"][0], attrs["Acct-Session-Id"][0],
                            Acct_Terminate_Cause="Admin-Reset", Acct_Session_Time=60)
            finally:
                client._CloseSocket()
        return on_disconnect

    # the business side -------------------------------------------------------

    def make_package(self, env, name, **vals):
        values = {"name": name, "download_kbps": 10240, "upload_kbps": 5120}
        values.update(vals)
        return env["isp.master.package"].create(values)

    def make_subscription(self, env, username, plan, activate=True, **vals):
        partner = env["res.partner"].create({"name": "Harness %s" % username})
        values = {"partner_id": partner.id, "username": username, "password": "pw-" + username,
                  "plan_id": plan.id, "router_id": self.routers["A"]}
        if plan.billing_type == "monthly" and "billing_profile_id" not in vals:
            values["billing_profile_id"] = env["isp.billing.profile"].create(
                {"name": "Harness profile %s" % username}).id
        values.update(vals)
        sub = env["isp.subscription"].create(values)
        if activate:
            sub.action_activate()
        return sub

    # the job runner ----------------------------------------------------------

    def run_jobs(self, timeout=20.0):
        """Run the network actions' jobs as queue_job's runner does, until
        none is pending (jobs with a future eta are waited for). Returns
        the number of jobs run."""
        from odoo import fields
        deadline = time.time() + timeout
        ran = 0
        while time.time() < deadline:
            with self.env() as env:
                jobs = env["queue.job"].search([
                    ("state", "in", ("pending", "enqueued")),
                    ("model_name", "=", "isp.network.action")], order="id")
                now = fields.Datetime.now()
                due = [j.uuid for j in jobs if not j.eta or j.eta <= now]
                waiting = len(jobs)
            if not waiting:
                return ran
            for uuid in due:
                self._run_job(uuid)
                ran += 1
            if not due:
                time.sleep(0.2)
        raise AssertionError("network action jobs still pending after %ss" % timeout)

    def _run_job(self, uuid):
        from odoo import SUPERUSER_ID, api
        from odoo.addons.queue_job.exception import RetryableJobError
        from odoo.addons.queue_job.job import Job
        with self.env() as env:
            job = Job.load(env, uuid)
            job.set_started()
            job.store()
        with api.Environment.manage(), self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            job = Job.load(env, uuid)
            try:
                job.perform()
                job.set_done()
                job.store()
                cr.commit()
                return
            except RetryableJobError as err:
                cr.rollback()
                postpone, error = err.seconds or 1, str(err)
            except Exception:  # noqa: BLE001 - recorded on the job, as the runner does
                cr.rollback()
                postpone, error = None, traceback.format_exc()
        with self.env() as env:
            job.env = env
            if postpone:
                job.postpone(result=error, seconds=postpone)
                job.set_pending(reset_retry=False)
            else:
                job.set_failed(exc_info=error)
            job.store()

    def failed_jobs(self):
        with self.env() as env:
            return env["queue.job"].search([("state", "=", "failed")]).mapped("exc_info")

    # SQL helpers --------------------------------------------------------------

    def sql(self, query, params=None):
        with contextlib.closing(isp_dev.connect(self.dbname)) as cnx, cnx.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else None


def utcnow():
    return datetime.datetime.utcnow().replace(microsecond=0)
