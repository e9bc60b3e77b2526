#!/usr/bin/env python3
"""FreeRADIUS of the ISP suite, run from the project's own configuration
(freeradius/, never /etc/freeradius) against a billing database.

    scripts/radius.py start   # `make run`: the database of odoo.conf, ports
                              # from its isp_radius.* parameters, pid file
                              # .local/run/radiusd.pid, log .local/log/radiusd.log
    scripts/radius.py stop
    scripts/radius.py status

The tests (tests/radius_harness.py) and the benchmark use the class
:class:`FreeRadius` with their own database, ports and folders.

The database side (schema `radius`, its views and tables) is made by the
addon isp_radius; this file creates the database's FreeRADIUS role (roles
are cluster-wide, grants per database) with the addon's own SQL
(addons/isp_radius/lib/schema.py) before starting the server.
"""
import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import isp_dev  # noqa: E402

CONF_DIR = os.path.join(isp_dev.ROOT, "freeradius")
FREERADIUS = shutil.which("freeradius") or "/usr/sbin/freeradius"
RUN = os.path.join(isp_dev.LOCAL, "run")
PIDFILE = os.path.join(RUN, "radiusd.pid")
READY = "Ready to process requests"


def schema_lib():
    """addons/isp_radius/lib/schema.py, loaded without Odoo."""
    path = os.path.join(isp_dev.ADDONS, "isp_radius", "lib", "schema.py")
    spec = importlib.util.spec_from_file_location("isp_radius_schema", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_udp_port(host="127.0.0.1"):
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def db_params(dbname):
    """The isp_radius.* system parameters of a database."""
    with contextlib.closing(isp_dev.connect(dbname)) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT key, value FROM ir_config_parameter WHERE key LIKE 'isp\\_radius.%%'")
        return {k[len("isp_radius."):]: v for k, v in cr.fetchall()}


def prepare_role(dbname, password=None):
    """Create or update the FreeRADIUS role of `dbname` (password: the
    database's isp_radius.db_password). Returns (role, password)."""
    if password is None:
        password = db_params(dbname).get("db_password")
        if not password:
            raise RuntimeError("%s has no isp_radius.db_password: is isp_radius installed?"
                               % dbname)
    lib = schema_lib()
    with contextlib.closing(isp_dev.connect(dbname)) as cnx, cnx.cursor() as cr:
        role = lib.ensure_role(cr, dbname, password)
    return role, password


def drop_role(dbname):
    """Remove the FreeRADIUS role of `dbname` (tests clean up with it)."""
    lib = schema_lib()
    with contextlib.closing(isp_dev.connect(dbname)) as cnx, cnx.cursor() as cr:
        lib.drop_role(cr, dbname)


def default_threads():
    """FreeRADIUS threads (= SQL connections) for this machine: two per CPU
    core. A request waits on PostgreSQL on the same machine; more threads
    only add context switches (bench/bench_radius_auth.py on 2 cores: p99
    about 9 ms with 4 threads, 10-11 ms with 8, same requests/s or fewer)."""
    return 2 * (os.cpu_count() or 2)


class FreeRadius:
    """One FreeRADIUS process (foreground, its own process group)."""

    def __init__(self, dbname, auth_port=None, acct_port=None, listen="127.0.0.1",
                 threads=4, run_dir=None, log_dir=None, schema="radius", role=None,
                 password=None, debug=False):
        self.dbname = dbname
        self.listen = listen
        self.auth_port = auth_port or free_udp_port(listen)
        self.acct_port = acct_port or free_udp_port(listen)
        self.threads = threads
        base = os.path.join(isp_dev.LOCAL, "radius", "%s-%d" % (dbname, self.auth_port))
        self.run_dir = run_dir or base
        self.log_dir = log_dir or base
        self.schema = schema
        self.role = role
        self.password = password
        self.debug = debug
        self.proc = None

    @property
    def logfile(self):
        return os.path.join(self.log_dir, "radiusd.log")

    def env(self):
        conf = isp_dev.conf()
        return dict(
            os.environ, TZ="UTC",
            RADIUS_CONF_DIR=CONF_DIR, RADIUS_RUN_DIR=self.run_dir,
            RADIUS_LOG_DIR=self.log_dir, RADIUS_LISTEN=self.listen,
            RADIUS_AUTH_PORT=str(self.auth_port), RADIUS_ACCT_PORT=str(self.acct_port),
            RADIUS_THREADS=str(self.threads), RADIUS_DB_HOST=conf["db_host"],
            RADIUS_DB_PORT=str(conf["db_port"]), RADIUS_DB_NAME=self.dbname,
            RADIUS_DB_USER=self.role, RADIUS_DB_PASSWORD=self.password,
            RADIUS_DB_SCHEMA=self.schema)

    def start(self, timeout=15):
        if self.role is None:
            self.role, self.password = prepare_role(self.dbname, self.password)
        os.makedirs(self.run_dir, exist_ok=True)
        os.makedirs(self.log_dir, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.logfile)
        cmd = [FREERADIUS, "-f", "-d", CONF_DIR, "-n", "radiusd"]
        if self.debug:
            cmd += ["-X", "-l", self.logfile]
        self.proc = subprocess.Popen(cmd, env=self.env(), cwd=self.run_dir,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("freeradius exited with %s:\n%s"
                                   % (self.proc.returncode, self.log_tail()))
            if READY in self.log_text():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("freeradius not ready within %ss:\n%s" % (timeout, self.log_tail()))

    def stop(self):
        if self.proc is not None:
            isp_dev.kill_group(self.proc)
            self.proc = None

    def log_text(self):
        try:
            with open(self.logfile, errors="replace") as fh:
                return fh.read()
        except FileNotFoundError:
            return ""

    def log_tail(self, lines=30):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# ---------------------------------------------------------------------------
# `make run` / `make stop`
# ---------------------------------------------------------------------------

def running_pid():
    try:
        with open(PIDFILE) as fh:
            pid = int(fh.read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def stop_running(timeout=10):
    pid = running_pid()
    if pid:
        isp_dev.log("stopping FreeRADIUS (pid %d)" % pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.time() + timeout
        while time.time() < deadline and running_pid():
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(PIDFILE)


def start_for_run(dbname=None):
    """FreeRADIUS for the demo database, on the ports its parameters say
    (where the routers are told to send RADIUS). Prints them."""
    dbname = dbname or isp_dev.conf()["db_name"]
    stop_running()
    params = db_params(dbname)
    host = params.get("server_host") or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1"):
        # `make run` is a local demo: it listens on loopback only
        host = "127.0.0.1"
    # ISP_RADIUS_AUTH_PORT / ISP_RADIUS_ACCT_PORT: a second instance beside
    auth_port = os.environ.get("ISP_RADIUS_AUTH_PORT") or params.get("auth_port") or 1812
    acct_port = os.environ.get("ISP_RADIUS_ACCT_PORT") or params.get("acct_port") or 1813
    server = FreeRadius(dbname, auth_port=int(auth_port), acct_port=int(acct_port), listen=host,
                        threads=default_threads(), run_dir=RUN, log_dir=isp_dev.LOGS)
    server.start()
    with open(PIDFILE, "w") as fh:
        fh.write(str(server.proc.pid))
    # the process outlives this script (its own session); `make stop` ends it
    server.proc = None
    return server


def main(argv):
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        server = start_for_run(argv[2] if len(argv) > 2 else None)
        print("FreeRADIUS: auth %s:%d, accounting %s:%d (database %s, log %s)" % (
            server.listen, server.auth_port, server.listen, server.acct_port, server.dbname,
            os.path.relpath(server.logfile, isp_dev.ROOT)))
        return 0
    if command == "stop":
        stop_running()
        return 0
    if command == "status":
        pid = running_pid()
        print("FreeRADIUS running (pid %d)" % pid if pid else "FreeRADIUS not running")
        return 0 if pid else 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
