"""The test runner behind `make test` catches what Odoo alone lets through:
run on throwaway addons in a temporary addons folder."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT

RUNNER = os.path.join(ROOT, "scripts", "runtests.py")

MANIFEST = """{"name": "%s", "version": "11.0.1.0.0", "license": "LGPL-3",
 "depends": ["base"], "data": %r, "installable": True}"""

TEST_HEAD = """
import logging
from odoo.tests.common import TransactionCase
_logger = logging.getLogger(__name__)


class TestThrowaway(TransactionCase):
"""

CASES = {
    # name: (test body, tests/__init__.py, data files {path: content})
    "tt_pass": ("""
    def test_ok(self):
        self.assertEqual(self.env["res.partner"].create({"name": "x"}).name, "x")

    def test_ok_too(self):
        self.assertTrue(self.env.user)
""", "from . import test_it\n", {}),
    "tt_assert": ("""
    def test_ok(self):
        self.assertTrue(True)

    def test_wrong(self):
        self.assertEqual(1 + 1, 3)
""", "from . import test_it\n", {}),
    "tt_import": ("""
    def test_ok(self):
        self.assertTrue(True)
""", "from . import test_it\nfrom . import test_missing\n", {}),
    "tt_errorlog": ("""
    def test_logs_an_error(self):
        _logger.error("something went wrong but the test passed")
""", "from . import test_it\n", {}),
    "tt_install": ("""
    def test_ok(self):
        self.assertTrue(True)
""", "from . import test_it\n", {
        "data.xml": '<odoo><record id="x" model="res.partner">'
                    '<field name="no_such_field">1</field></record></odoo>'}),
    "tt_notests": (None, None, {}),
    "tt_hang": ("""
    def test_hangs_forever(self):
        import time
        time.sleep(3600)
""", "from . import test_it\n", {}),
}


def make_addon(root, name):
    body, tests_init, data = CASES[name]
    path = os.path.join(root, name)
    os.makedirs(path)
    with open(os.path.join(path, "__manifest__.py"), "w") as fh:
        fh.write(MANIFEST % (name, sorted(data)))
    open(os.path.join(path, "__init__.py"), "w").close()
    for fname, content in data.items():
        with open(os.path.join(path, fname), "w") as fh:
            fh.write(content)
    if body:
        os.makedirs(os.path.join(path, "tests"))
        with open(os.path.join(path, "tests", "__init__.py"), "w") as fh:
            fh.write(tests_init)
        with open(os.path.join(path, "tests", "test_it.py"), "w") as fh:
            fh.write(TEST_HEAD + body)


def run_runner(tmp_path, name, **env):
    make_addon(str(tmp_path), name)
    proc = subprocess.run(
        [sys.executable, RUNNER, "--addons-path-extra", str(tmp_path), "--modules", name,
         "--db", "pt_runner_%s_%d" % (name, os.getpid()), "--no-pytest", "--no-lint",
         "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
        env=dict(os.environ, **env))
    lines = proc.stdout.strip().splitlines()
    return proc.returncode, proc.stdout, lines[-1] if lines else ""


def test_passing_addon_exits_zero(tmp_path):
    rc, out, last = run_runner(tmp_path, "tt_pass")
    assert rc == 0, out
    assert last == "2 passed, 0 failed", out


@pytest.mark.parametrize("name,last_line,reason", [
    ("tt_assert", "1 passed, 1 failed", "1 failures"),
    ("tt_import", "0 passed, 1 failed", "tests failed to import"),
    ("tt_errorlog", "1 passed, 1 failed", "ERROR/CRITICAL log lines"),
    ("tt_install", "0 passed, 1 failed", "install error"),
    ("tt_notests", "0 passed, 1 failed", "no test ran"),
])
def test_runner_fails_on(tmp_path, name, last_line, reason):
    rc, out, last = run_runner(tmp_path, name)
    assert rc != 0, out
    assert reason in out, out
    assert last == last_line, out


def test_runner_stops_a_hung_run(tmp_path):
    """A test that never returns is stopped after a silence, its stack is
    in the output, and the run fails (CI's time is not eaten)."""
    rc, out, last = run_runner(tmp_path, "tt_hang", ISP_STALL_SECONDS="20")
    assert rc != 0, out
    assert "hung (no output for 20 s)" in out, out
    assert "test_hangs_forever" in out, out
    assert last == "0 passed, 1 failed", out
