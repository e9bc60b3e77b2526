#!/usr/bin/env python3
"""The test runner behind `make test`.

1. Odoo tests: clone the Odoo+OCA template into a fresh database, install the
   isp_* addons there with --test-enable (at_install and post_install tests
   run), and read the log.
2. pytest tests/ (cross-process tests: servers, FreeRADIUS, routers), run at
   the same time on the other core.
3. lint (ruff + pylint-odoo), also at the same time.

It fails when Odoo exits non-zero, when any log line is ERROR or CRITICAL,
when a tests package fails to import (Odoo only logs that), when no test
ran, when pytest or lint fails. The last line is `N passed, N failed`.

    scripts/runtests.py                        # everything
    scripts/runtests.py --modules isp_base --no-pytest --no-lint
    scripts/runtests.py --no-odoo -- -k radius # pytest only, with pytest args
"""
import argparse
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import isp_dev  # noqa: E402

MESSAGE = re.compile(r"^\S+ \S+ \d+ (\w+) \S+ ([\w.]+): (.*)$")
RAN = re.compile(r"^Ran (\d+) tests? in ")
# unittest writes "FAILED" and " (failures=1, errors=2)" in two pieces
OUTCOME = re.compile(r"^(?:OK|FAILED)?\s*\((\w+=\d+(?:, \w+=\d+)*)\)$")


def parse_odoo_log(logfile):
    """Counts of an Odoo --test-enable log: ran/failures/errors/skipped,
    the ERROR/CRITICAL lines and the test import errors."""
    res = {"ran": 0, "failures": 0, "errors": 0, "skipped": 0, "suites": 0,
           "bad": [], "import_errors": []}
    with open(logfile, errors="replace") as fh:
        for line in fh:
            match = MESSAGE.match(line.rstrip("\n"))
            if not match:
                continue
            level, _logger, message = match.groups()
            if level in isp_dev.BAD_LEVELS:
                res["bad"].append(line.rstrip("\n"))
                # logged again at each phase (at_install, post_install)
                if message.startswith("Can not `import") \
                        and message not in res["import_errors"]:
                    res["import_errors"].append(message)
            ran = RAN.match(message)
            if ran:
                res["ran"] += int(ran.group(1))
                res["suites"] += 1
                continue
            outcome = OUTCOME.match(message)
            if outcome:
                for part in outcome.group(1).split(","):
                    key, _sep, value = part.strip().partition("=")
                    if key in ("failures", "errors", "skipped") and value.isdigit():
                        res[key] += int(value)
    return res


def echo_line(line):
    """What of the Odoo log goes to the console while tests run."""
    match = MESSAGE.match(line.rstrip("\n"))
    if not match:
        return line.startswith("`") or line.startswith("Traceback")
    level, _logger, message = match.groups()
    return (level not in ("INFO", "DEBUG") or RAN.match(message) is not None
            or message.endswith("running tests.") or message.startswith("` "))


def parse_junit(path):
    res = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if not os.path.exists(path):
        return None
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    for suite in suites:
        for key in res:
            res[key] += int(suite.get(key, 0))
    return res


def run_odoo_tests(args, addons_path):
    modules = args.modules
    base = isp_dev.base_template(args.addons_dirs)
    db = args.db
    isp_dev.clone_db(base, db)
    logfile = os.path.join(isp_dev.LOGS, "test-odoo-%s.log" % db)
    isp_dev.log("Odoo tests: installing %s into %s (log: %s)"
                % (",".join(modules), db, os.path.relpath(logfile, isp_dev.ROOT)))
    t0 = time.time()
    cmd = isp_dev.odoo_cmd(db, "-i", ",".join(modules), "--test-enable",
                           "--stop-after-init", "--log-level=info",
                           addons_path=addons_path)
    rc = isp_dev.run_odoo(cmd, logfile, echo=None if args.quiet else echo_line)
    res = parse_odoo_log(logfile)
    res["rc"] = rc
    res["seconds"] = time.time() - t0
    if not args.keep_db:
        isp_dev.drop_db(db)
    return res


def start_pytest(args, base):
    junit = os.path.join(isp_dev.LOGS, "pytest-%s.xml" % args.db)
    logfile = os.path.join(isp_dev.LOGS, "pytest-%s.log" % args.db)
    if os.path.exists(junit):
        os.unlink(junit)
    paths = [a for a in args.pytest_args if a.startswith("tests")]
    cmd = [sys.executable, "-m", "pytest"] + ([] if paths else ["tests"]) + [
        "-p", "no:cacheprovider", "--junitxml=" + junit, "-rfEs", "--tb=short"
    ] + args.pytest_args
    env = dict(os.environ, ISP_BASE_TEMPLATE=base, ISP_ROOT=isp_dev.ROOT)
    out = open(logfile, "w")
    proc = subprocess.Popen(cmd, cwd=isp_dev.ROOT, stdout=out, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)
    return proc, out, junit, logfile


def start_lint():
    logfile = os.path.join(isp_dev.LOGS, "lint.log")
    out = open(logfile, "w")
    proc = subprocess.Popen([os.path.join(isp_dev.ROOT, "scripts", "lint.sh")],
                            cwd=isp_dev.ROOT, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    return proc, out, logfile


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", help="comma-separated addons (default: all isp_*)")
    parser.add_argument("--addons-path-extra", action="append", default=[],
                        help="another addons folder (its isp_* addons are tested)")
    parser.add_argument("--db", default="isp_test", help="name of the test database")
    parser.add_argument("--no-odoo", action="store_true", help="skip the Odoo tests")
    parser.add_argument("--no-pytest", action="store_true", help="skip pytest tests/")
    parser.add_argument("--no-lint", action="store_true", help="skip lint")
    parser.add_argument("--keep-db", action="store_true", help="keep the test database")
    parser.add_argument("--quiet", action="store_true", help="do not echo the Odoo log")
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --)")
    args = parser.parse_args(argv)

    extra = [os.path.abspath(p) for p in args.addons_path_extra]
    args.addons_dirs = tuple([isp_dev.ADDONS] + extra)
    addons_path = ",".join([isp_dev.ODOO_ADDONS] + list(args.addons_dirs))
    if args.modules:
        args.modules = [m.strip() for m in args.modules.split(",") if m.strip()]
    else:
        args.modules = [m for d in args.addons_dirs for m in isp_dev.isp_addons(d)]
    os.makedirs(isp_dev.LOGS, exist_ok=True)
    t0 = time.time()

    isp_dev.ensure_pg()
    base = isp_dev.base_template(args.addons_dirs)
    lint = None if args.no_lint else start_lint()
    pytest = None if args.no_pytest else start_pytest(args, base)

    problems = []
    passed = failed = 0
    try:
        if not args.no_odoo:
            if not args.modules:
                problems.append("odoo: no isp_* addon to test")
            else:
                res = run_odoo_tests(args, addons_path)
                bad_tests = res["failures"] + res["errors"]
                passed += res["ran"] - bad_tests - res["skipped"]
                failed += bad_tests
                isp_dev.log("Odoo: %d tests ran in %d suites (%d failures, %d errors, "
                            "%d skipped), exit code %s, %d ERROR/CRITICAL lines, %.0f s"
                            % (res["ran"], res["suites"], res["failures"], res["errors"],
                               res["skipped"], res["rc"], len(res["bad"]), res["seconds"]))
                # count each root cause once: a failing test also exits 1
                # and logs ERROR lines; an install or import error also
                # means that no test ran
                install_error = bool(res["rc"]) and not bad_tests
                if res["rc"] == 124:
                    problems.append("odoo: hung (no output for %d s), stopped"
                                    % isp_dev.STALL_SECONDS)
                elif install_error:
                    problems.append("odoo: exit code %s (install error)" % res["rc"])
                for message in res["import_errors"]:
                    problems.append("odoo: tests failed to import: " + message)
                explained = bad_tests or install_error or res["import_errors"]
                if res["bad"] and not explained:
                    problems.append("odoo: %d ERROR/CRITICAL log lines" % len(res["bad"]))
                if res["bad"]:
                    print("ERROR/CRITICAL lines of the Odoo log:\n    "
                          + "\n    ".join(b[:300] for b in res["bad"][:30]))
                if not res["ran"] and not explained:
                    problems.append("odoo: no test ran")
        if pytest:
            proc, out, junit, logfile = pytest
            rc = proc.wait()
            out.close()
            with open(logfile, errors="replace") as fh:
                sys.stdout.write("\n----- pytest tests/ -----\n" + fh.read())
            res = parse_junit(junit)
            if res is None:
                problems.append("pytest: no report (exit code %s)" % rc)
            else:
                bad_tests = res["failures"] + res["errors"]
                passed += res["tests"] - bad_tests - res["skipped"]
                failed += bad_tests
                if rc and not bad_tests:
                    problems.append("pytest: exit code %s" % rc)
                if not res["tests"]:
                    problems.append("pytest: no test ran")
        if lint:
            proc, out, logfile = lint
            rc = proc.wait()
            out.close()
            if rc:
                with open(logfile, errors="replace") as fh:
                    sys.stdout.write("\n----- lint -----\n" + fh.read())
                problems.append("lint: exit code %s (see %s)" % (rc, logfile))
            else:
                isp_dev.log("lint: clean")
    finally:
        for started in (pytest, lint):
            if started:
                isp_dev.kill_group(started[0])

    isp_dev.log("total time %.0f s" % (time.time() - t0))
    for problem in problems:
        print("FAILED CHECK: " + problem)
    print("%d passed, %d failed" % (passed, failed + len(problems)))
    return 1 if (problems or failed) else 0


if __name__ == "__main__":
    sys.exit(main())
