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
