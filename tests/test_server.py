"""The production server mode (prefork, --workers 2) starts with the compat
module and serves pages; queue_job's runner starts with it (server-wide)."""
import re

import requests

from conftest import isp_dev


def test_workers_mode_serves_login_and_runs_the_job_runner(base_db):
    server = isp_dev.OdooServer(base_db, "--workers=2", "--max-cron-threads=1")
    with server:
        resp = requests.get(server.url + "/web/login", timeout=30)
        assert resp.status_code == 200
        assert 'name="login"' in resp.text and 'name="csrf_token"' in resp.text
        # log in through the worker processes, as a user would
        session = requests.Session()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                         session.get(server.url + "/web/login", timeout=30).text).group(1)
        resp = session.post(server.url + "/web/login", timeout=30, data={
            "login": "admin", "password": "admin", "csrf_token": csrf})
        assert resp.status_code == 200
        resp = session.get(server.url + "/web", timeout=60)
        assert resp.status_code == 200 and "odoo.session_info" in resp.text
        assert '"uid": 1' in resp.text
        with open(server.logfile) as fh:
            log = fh.read()
    assert re.search(r"Worker WorkerHTTP \(\d+\) alive", log)
    assert "starting jobrunner thread (in prefork server)" in log
    assert not server.bad_lines(), server.bad_lines()
    # the workers crashed at start before the compat module's setrlimit fix
    assert "cannot be interpreted as an integer" not in log


COLD_STARTS = 6


def _poll(url, stop, answers):
    """Ask for the login page as fast as a browser reloading it would."""
    while not stop.is_set():
        try:
            answers.append(requests.get(url + "/web/login", timeout=120).status_code)
        except requests.RequestException:
            pass
        stop.wait(0.02)


def test_cold_starts_load_the_registry_the_first_time(app_db, tmp_path):
    """`make run` on a fresh clone: no compiled bytecode, the database of
    odoo.conf preloaded, requests from the first moment. The first registry
    load failed there (KeyError 'res.partner', "Model 'auditlog.http.request'
    does not exist") when the first request imported the addons in the HTTP
    thread while the main thread loaded them. Every start must load it once,
    with no error, and serve a logged-in page."""
    import threading
    for attempt in range(COLD_STARTS):
        pycache = tmp_path / ("pycache-%d" % attempt)
        server = isp_dev.OdooServer(app_db, env={"PYTHONPYCACHEPREFIX": str(pycache)},
                                    logfile=str(tmp_path / ("start-%d.log" % attempt)))
        stop, answers = threading.Event(), []
        pollers = [threading.Thread(target=_poll, args=(server.url, stop, answers))
                   for _i in range(2)]
        with server:
            for poller in pollers:
                poller.start()
            session = requests.Session()
            csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                             session.get(server.url + "/web/login", timeout=120).text).group(1)
            session.post(server.url + "/web/login", timeout=120, data={
                "login": "admin", "password": "admin", "csrf_token": csrf})
            resp = session.get(server.url + "/web", timeout=120)
            stop.set()
            for poller in pollers:
                poller.join(150)
            assert resp.status_code == 200 and '"uid": 1' in resp.text, \
                "start %d: no web client for admin" % attempt
        with open(server.logfile) as fh:
            log = fh.read()
        assert not server.bad_lines(), "start %d:\n%s" % (attempt, "\n".join(server.bad_lines()))
        assert log.count("Modules loaded.") == 1, "start %d: registry loaded %d times" % (
            attempt, log.count("Modules loaded."))
        assert set(answers) == {200}, "start %d: answers %s" % (attempt, sorted(set(answers)))


def test_first_request_does_not_import_addons():
    """The cause of the failed first loads, checked without timing: Odoo
    11's http.Root.load_addons imports every addon with a static/ folder
    unless ODOO_PRELOAD_ADDONS=no, which the compat module sets."""
    import subprocess
    import sys
    code = ("import sys, odoo; odoo.tools.config.parse_config(['-c', %r]); "
            "odoo.modules.module.initialize_sys_path(); "
            "odoo.http.Root().load_addons(); "
            "print(sorted(m for m in sys.modules if m.startswith('odoo.addons.') "
            "and m.count('.') == 2))" % isp_dev.ODOO_CONF)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=dict(__import__("os").environ)).stdout
    imported = eval(out.strip().splitlines()[-1])  # noqa: S307 - our own printed list
    # only the server-wide modules of odoo.conf (web, queue_job) and base
    assert set(imported) <= {"odoo.addons.base", "odoo.addons.web",
                             "odoo.addons.queue_job"}, imported
    assert "odoo.addons.isp_base" not in imported and "odoo.addons.auditlog" not in imported
