"""The first hour of a newcomer, as a test: clone the repository's HEAD into
an empty folder, `make run` there (on ports of its own, beside any other
instance), log in as every demo login it prints and land on a working page
in a real browser, then `make stop` leaves no process and no listening port
behind."""
import contextlib
import os
import re
import shutil
import subprocess
import tempfile

import psutil
import pytest

from browser import DESKTOP, Browser
from conftest import ROOT, isp_dev

ARTIFACTS = os.path.join(ROOT, "tests", "artifacts", "newcomer")
SCREENSHOTS = os.path.join(ROOT, "docs", "screenshots")
LOGIN_LINE = re.compile(r"^  (\S+)\s{2,}(.+)$")


def _clean_env(ports):
    """The environment of a person in a new shell: nothing of this checkout
    (its venv, its root, the test runner's templates)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ISP_", "VIRTUAL_ENV", "PYTHON", "ODOO_", "PYTEST"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(ROOT))
    env.update({k: str(v) for k, v in ports.items()})
    return env


def _processes_of(folder):
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
        with contextlib.suppress(psutil.Error):
            cmdline = " ".join(proc.info["cmdline"] or [])
            if folder in cmdline or (proc.info["cwd"] or "").startswith(folder):
                found.append("%d %s" % (proc.info["pid"], cmdline[:200]))
    return found


def _listening(ports):
    return sorted({c.laddr.port for c in psutil.net_connections("inet")
                   if c.laddr and c.laddr.port in ports
                   and (c.status == psutil.CONN_LISTEN or c.type == 2)})  # 2: UDP


def demo_logins(output):
    """(login, roles) lines under "Demo logins" of `make run`'s output."""
    lines = output.split("Demo logins", 1)[1].splitlines()[1:]
    return [m.groups() for m in map(LOGIN_LINE.match, lines) if m]


def land(browser, url, login):
    """Log in through the login form; wait for the page a person lands on
    to be working: the back office's web client with its home action for
    staff, the portal's account page for portal logins. Returns a label."""
    browser.login(url, login, "admin" if login == "admin" else login)
    if "/web" in browser.url and "/my" not in browser.url:
        # Odoo 11's web client: the navbar, an action rendered in the main
        # content, the "Loading" indicator hidden and the UI not blocked
        browser.wait_js("document.querySelector('body.o_web_client nav.navbar')"
                        " && document.querySelector('.o_main_content .o_content > *')"
                        " && getComputedStyle(document.querySelector('.o_loading'))"
                        ".display === 'none' && !document.querySelector('.blockUI')",
                        timeout=120)
        return "back office"
    browser.wait_js("document.readyState === 'complete'")
    assert "/my" in browser.url, "%s landed on %s" % (login, browser.url)
    assert browser.execute("return !!document.querySelector('.o_portal_my_home, "
                           "#wrap .o_portal_my_doc_table, #wrap')"), browser.url
    return "portal"


@pytest.mark.timeout(1500)
def test_make_run_on_a_fresh_clone_then_make_stop():
    folder = tempfile.mkdtemp(prefix="isp-newcomer-")
    clone = os.path.join(folder, "isp")
    ports = {"ISP_HTTP_PORT": isp_dev.free_port(), "ISP_LONGPOLLING_PORT": isp_dev.free_port(),
             "ISP_PGPORT": isp_dev.free_port(), "ISP_RADIUS_AUTH_PORT": isp_dev.free_port(),
             "ISP_RADIUS_ACCT_PORT": isp_dev.free_port()}
    env = _clean_env(ports)
    url = "http://127.0.0.1:%d" % ports["ISP_HTTP_PORT"]
    try:
        subprocess.run(["git", "clone", "-q", ROOT, clone], check=True)
        run = subprocess.run(["make", "run"], cwd=clone, env=env, capture_output=True,
                             text=True, timeout=1200)
        os.makedirs(ARTIFACTS, exist_ok=True)
        with open(os.path.join(ARTIFACTS, "make-run.txt"), "w") as fh:
            fh.write(run.stdout + run.stderr)
        assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
        assert "ISP suite running: %s/web/login" % url in run.stdout, run.stdout[-2000:]
        logins = demo_logins(run.stdout)
        assert {"admin", "isp.manager", "isp.cashier", "isp.helpdesk", "customer",
                "reseller.dhakanet", "distributor.demo"} <= {login for login, _r in logins}

        landed = {}
        for login, roles in logins:
            with Browser(size=DESKTOP) as browser:
                landed[login] = land(browser, url, login)
                # the portal logins' first page illustrates the README (the
                # back office's are taken by test_backoffice_browser.py)
                browser.screenshot(os.path.join(ARTIFACTS, "%s.png" % login)
                                   if landed[login] != "portal" else
                                   os.path.join(SCREENSHOTS, "portal-%s.png" % login))
                problems = browser.problems()
                assert not problems, "%s (%s): %s" % (login, roles, problems)
            staff = "Portal" not in roles and "Reseller" not in roles \
                and "Card distributor" not in roles
            assert landed[login] == ("back office" if staff else "portal"), (login, roles)
        odoo_log = os.path.join(clone, ".local", "log", "odoo.log")
        bad = isp_dev.bad_log_lines(odoo_log)
        assert not bad, "\n".join(bad[:20])
    finally:
        stop = subprocess.run(["make", "stop"], cwd=clone, env=env, capture_output=True,
                              text=True, timeout=300) if os.path.isdir(clone) else None
        if os.path.isdir(os.path.join(clone, ".local", "log")):
            shutil.copytree(os.path.join(clone, ".local", "log"),
                            os.path.join(ARTIFACTS, "log"), dirs_exist_ok=True)
        left, listening = _processes_of(clone), _listening(set(ports.values()))
        for line in left:
            with contextlib.suppress(psutil.Error, ValueError):
                psutil.Process(int(line.split()[0])).kill()
        shutil.rmtree(folder, ignore_errors=True)
    assert stop.returncode == 0, stop.stdout + stop.stderr
    assert not left, "make stop left processes behind:\n%s" % "\n".join(left)
    assert not listening, "make stop left ports listening: %s" % listening
