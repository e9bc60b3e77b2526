#!/usr/bin/env python3
"""`make run`: the demo database with every isp_* addon, Odoo on
127.0.0.1:8069 in the background, then the URL and the demo logins.

The database (db_name in odoo.conf) is created once from the isp_app
template; when the addons changed since, it is upgraded in place (-u for the
installed isp_* addons, -i for new ones) so that data entered is kept.
"""
import contextlib
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import isp_dev  # noqa: E402

RUN = os.path.join(isp_dev.LOCAL, "run")
PIDFILE = os.path.join(RUN, "odoo.pid")
LOGFILE = os.path.join(isp_dev.LOGS, "odoo.log")


def running_pid(pidfile):
    try:
        with open(pidfile) as fh:
            pid = int(fh.read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def stop_pid(pidfile, name, timeout=30):
    pid = running_pid(pidfile)
    if pid:
        isp_dev.log("stopping %s (pid %d)" % (name, pid))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.time() + timeout
        while time.time() < deadline and running_pid(pidfile):
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(pidfile)


def prepare_db(dbname):
    app = isp_dev.app_template()
    stamp = "isp-app:" + app
    if not isp_dev.db_exists(dbname):
        isp_dev.log("creating database %s from %s" % (dbname, app))
        isp_dev.clone_db(app, dbname)
    elif isp_dev.db_comment(dbname) != stamp:
        with contextlib.closing(isp_dev.connect(dbname)) as cnx, cnx.cursor() as cr:
            cr.execute("SELECT name FROM ir_module_module WHERE name LIKE 'isp\\_%%' "
                       "AND state = 'installed'")
            installed = {r[0] for r in cr.fetchall()}
        wanted = isp_dev.isp_addons()
        args = []
        if installed:
            args += ["-u", ",".join(sorted(installed))]
        new = [m for m in wanted if m not in installed]
        if new:
            args += ["-i", ",".join(new)]
        isp_dev.log("addons changed: upgrading %s in place (%s)" % (dbname, " ".join(args)))
        _upgrade(dbname, args)
    isp_dev.set_db_comment(dbname, stamp)


def _upgrade(dbname, args):
    logfile = os.path.join(isp_dev.LOGS, "upgrade.log")
    cmd = isp_dev.odoo_cmd(dbname, *args, "--stop-after-init", "--log-level=warn")
    rc = isp_dev.run_odoo(cmd, logfile)
    bad = isp_dev.bad_log_lines(logfile)
    if rc or bad:
        sys.exit("upgrade of %s failed (rc=%s); see %s\n%s" % (dbname, rc, logfile,
                                                                "\n".join(bad[:20])))


def start_radius(dbname):
    """FreeRADIUS next to Odoo when isp_radius is installed (scripts/radius.sh);
    the line to print."""
    with contextlib.closing(isp_dev.connect(dbname)) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT 1 FROM ir_module_module WHERE name = 'isp_radius' "
                   "AND state = 'installed'")
        if not cr.fetchone():
            return None
    res = subprocess.run([os.path.join(isp_dev.ROOT, "scripts", "radius.sh"), "start", dbname],
                         capture_output=True, text=True)
    if res.returncode:
        return "WARNING: FreeRADIUS did not start:\n%s" % (res.stdout + res.stderr)[-2000:]
    return res.stdout.strip().splitlines()[-1]


def demo_logins(dbname):
    with contextlib.closing(isp_dev.connect(dbname)) as cnx, cnx.cursor() as cr:
        cr.execute("""
            SELECT u.login, string_agg(DISTINCT g.name, ', ' ORDER BY g.name)
              FROM res_users u
              JOIN res_groups_users_rel r ON r.uid = u.id
              JOIN res_groups g ON g.id = r.gid
              LEFT JOIN ir_module_category c ON c.id = g.category_id
             WHERE u.active AND (c.name = 'ISP' OR g.id IN (
                   SELECT res_id FROM ir_model_data
                    WHERE model = 'res.groups' AND module = 'base'
                      AND name IN ('group_portal')))
             GROUP BY u.login ORDER BY min(u.id)""")
        return cr.fetchall()


def main():
    c = isp_dev.conf()
    dbname = c["db_name"]
    port = int(c["http_port"])
    os.makedirs(RUN, exist_ok=True)
    os.makedirs(isp_dev.LOGS, exist_ok=True)
    stop_pid(PIDFILE, "Odoo")
    prepare_db(dbname)
    with open(LOGFILE, "a") as out:
        proc = subprocess.Popen(
            [isp_dev.ODOO_BIN, "-c", isp_dev.ODOO_CONF, *isp_dev.conf_args(),
             "--http-port=%d" % port, "--longpolling-port=%s" % c["longpolling_port"]],
            stdout=out, stderr=subprocess.STDOUT,
            cwd=isp_dev.ROOT, start_new_session=True, env=dict(os.environ, ISP_ROOT=isp_dev.ROOT))
    with open(PIDFILE, "w") as fh:
        fh.write(str(proc.pid))
    import requests
    url = "http://127.0.0.1:%d" % port
    deadline = time.time() + 120
    while True:
        if proc.poll() is not None:
            sys.exit("Odoo exited (%s); see %s" % (proc.returncode, LOGFILE))
        with contextlib.suppress(requests.RequestException):
            if requests.get(url + "/web/login", timeout=5).status_code == 200:
                break
        if time.time() > deadline:
            sys.exit("Odoo does not answer on %s; see %s" % (url, LOGFILE))
        time.sleep(0.5)
    radius = start_radius(dbname)
    print()
    print("ISP suite running: %s/web/login   (database %s, log %s)"
          % (url, dbname, os.path.relpath(LOGFILE, isp_dev.ROOT)))
    print("PostgreSQL: 127.0.0.1:%s   stop everything with: make stop" % c["db_port"])
    if radius:
        print(radius)
    print()
    print("Demo logins (password = login, except admin/admin):")
    print("  %-28s %s" % ("admin", "ISP admin (superuser)"))
    for login, groups in demo_logins(dbname):
        if login != "admin":
            print("  %-28s %s" % (login, groups))


if __name__ == "__main__":
    main()
