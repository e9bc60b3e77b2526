"""Development helpers shared by the test runner, `make run` and tests/.

Databases live on the project's cluster (scripts/pg.sh). Two kinds of
template database are cached and cloned with CREATE DATABASE ... TEMPLATE:

* ``isp_base_<hash>``: Odoo + OCA modules the isp_* addons depend on, with
  demo data; the hash covers requirements, the compat module and that module
  list, so a new dependency rebuilds it;
* ``isp_app_<hash>``: the base template plus every isp_* addon installed
  (no tests); the hash also covers the addons' sources. `make run` and the
  cross-process tests in tests/ clone it.
"""
import ast
import configparser
import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import psycopg2
from psycopg2 import sql

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = os.path.join(ROOT, "addons")
VENV = os.path.join(ROOT, ".venv")
LOCAL = os.path.join(ROOT, ".local")
LOGS = os.path.join(LOCAL, "log")
ODOO_BIN = os.path.join(VENV, "bin", "odoo")
ODOO_CONF = os.path.join(ROOT, "odoo.conf")
ODOO_ADDONS = os.path.join(VENV, "lib", "python3.11", "site-packages", "odoo", "addons")

#: platform modules every template gets, whatever the isp_* manifests say
#: (the suite's known needs: a new dependency in a manifest is added anyway)
PLATFORM_MODULES = ["base", "web", "mail", "account", "account_invoicing", "l10n_generic_coa",
                    "portal", "website", "payment", "queue_job", "auditlog",
                    "helpdesk_mgmt"]

#: `<date> <time> <pid> LEVEL ...`: the line format of Odoo's log
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
BAD_LEVELS = ("ERROR", "CRITICAL")

os.environ.setdefault("ISP_ROOT", ROOT)


def load_file(name, *path):
    """Import the Python file at ROOT/`path` as module `name` without
    importing its package (test stand-ins of an addon, which would pull Odoo
    in through the addon's __init__)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, *path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: environment variables that override odoo.conf, so that a second instance
#: (another checkout, the newcomer test) runs beside the first one
PORT_OVERRIDES = {"ISP_HTTP_PORT": "http_port", "ISP_LONGPOLLING_PORT": "longpolling_port",
                  "ISP_PGPORT": "db_port"}


def conf():
    parser = configparser.RawConfigParser(inline_comment_prefixes=(";",))
    parser.read(ODOO_CONF)
    options = dict(parser.items("options"))
    for var, key in PORT_OVERRIDES.items():
        if os.environ.get(var):
            options[key] = os.environ[var]
    if os.environ.get("ISP_HTTP_PORT") and not os.environ.get("ISP_LONGPOLLING_PORT"):
        # longpolling beside its HTTP port, as 8069 / 8072
        options["longpolling_port"] = str(int(options["http_port"]) + 3)
    return options


def conf_args():
    """Odoo command-line options for what the environment overrides."""
    c = conf()
    return ["--db_port=%s" % c["db_port"]]


def data_dir():
    return conf()["data_dir"].replace("${ISP_ROOT}", ROOT)


def connect(dbname="postgres"):
    c = conf()
    cnx = psycopg2.connect(host=c["db_host"], port=int(c["db_port"]), user=c["db_user"],
                           password=c["db_password"], dbname=dbname)
    cnx.autocommit = True
    return cnx


def ensure_pg():
    """Start the project's cluster when it is not running (as make does)."""
    try:
        connect().close()
    except psycopg2.OperationalError:
        subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "start"], check=True)


def dsn(dbname):
    c = conf()
    return "host=%s port=%s user=%s password=%s dbname=%s" % (
        c["db_host"], c["db_port"], c["db_user"], c["db_password"], dbname)


def log(msg):
    print("[isp] %s" % msg, flush=True)


# --------------------------------------------------------------------------
# databases
# --------------------------------------------------------------------------

def list_dbs(prefix=""):
    with contextlib.closing(connect()) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                   (prefix.replace("_", r"\_") + "%",))
        return sorted(r[0] for r in cr.fetchall())


def db_exists(name):
    return name in list_dbs(name)


def db_comment(name):
    with contextlib.closing(connect()) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                   "WHERE datname = %s", (name,))
        row = cr.fetchone()
        return row and row[0]


def set_db_comment(name, comment):
    with contextlib.closing(connect()) as cnx, cnx.cursor() as cr:
        cr.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(name), sql.Literal(comment)))


def filestore(name):
    return os.path.join(data_dir(), "filestore", name)


def drop_db(name):
    with contextlib.closing(connect()) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    shutil.rmtree(filestore(name), ignore_errors=True)


def clone_db(template, name):
    """CREATE DATABASE name TEMPLATE template, filestore included (~0.5 s)."""
    drop_db(name)
    with contextlib.closing(connect()) as cnx, cnx.cursor() as cr:
        cr.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)))
    src = filestore(template)
    if os.path.isdir(src):
        # attachments are write-once files named by their checksum: hard links
        subprocess.run(["cp", "-al", src, filestore(name)], check=True)


def rename_db(old, new):
    with contextlib.closing(connect()) as cnx, cnx.cursor() as cr:
        cr.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
            sql.Identifier(old), sql.Identifier(new)))
    if os.path.isdir(filestore(old)):
        shutil.rmtree(filestore(new), ignore_errors=True)
        os.rename(filestore(old), filestore(new))


@contextlib.contextmanager
def file_lock(name):
    os.makedirs(os.path.join(LOCAL, "locks"), exist_ok=True)
    with open(os.path.join(LOCAL, "locks", name + ".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --------------------------------------------------------------------------
# addons
# --------------------------------------------------------------------------

def read_manifest(path):
    with open(os.path.join(path, "__manifest__.py")) as fh:
        return ast.literal_eval(fh.read())


def isp_addons(addons_dir=ADDONS):
    """Installable isp_* addons of a folder, in dependency order."""
    found = {}
    for name in sorted(os.listdir(addons_dir)):
        path = os.path.join(addons_dir, name)
        if name.startswith("isp_") and os.path.isfile(os.path.join(path, "__manifest__.py")):
            manifest = read_manifest(path)
            if manifest.get("installable", True):
                found[name] = manifest
    ordered, seen = [], set()

    def visit(name):
        if name in seen or name not in found:
            return
        seen.add(name)
        for dep in found[name].get("depends", []):
            visit(dep)
        ordered.append(name)
    for name in found:
        visit(name)
    return ordered


def external_depends(addons_dirs=(ADDONS,)):
    """Non-isp modules the isp_* addons depend on, plus the platform ones."""
    deps = set(PLATFORM_MODULES)
    for addons_dir in addons_dirs:
        for name in isp_addons(addons_dir):
            manifest = read_manifest(os.path.join(addons_dir, name))
            deps.update(d for d in manifest.get("depends", []) if not d.startswith("isp_"))
    return sorted(deps)


def tree_hash(paths, extra=""):
    """Hash of file names + contents under paths (ignores caches)."""
    digest = hashlib.sha256(extra.encode())
    for top in paths:
        if os.path.isfile(top):
            files = [top]
        else:
            files = []
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames[:] = sorted(d for d in dirnames if d != "__pycache__"
                                     and not d.startswith("."))
                files.extend(os.path.join(dirpath, f) for f in sorted(filenames)
                             if not f.endswith((".pyc", ".pyo")))
        for path in files:
            digest.update(os.path.relpath(path, ROOT).encode())
            with open(path, "rb") as fh:
                digest.update(hashlib.sha256(fh.read()).digest())
    return digest.hexdigest()[:12]


def platform_hash(modules):
    return tree_hash([os.path.join(ROOT, f) for f in (
        "requirements.txt", "requirements-odoo.txt", "compat/odoo11_py311_compat.py")],
        extra=",".join(modules))


# --------------------------------------------------------------------------
# running Odoo
# --------------------------------------------------------------------------

def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_cmd(dbname, *args, addons_path=None, http_port=None):
    cmd = [ODOO_BIN, "-c", ODOO_CONF, *conf_args(), "-d", dbname,
           "--db-filter=^%s$" % re.escape(dbname),
           "--http-port=%d" % (http_port or free_port()),
           "--longpolling-port=%d" % free_port()]
    if addons_path:
        cmd.append("--addons-path=%s" % addons_path)
    return cmd + list(args)


STALL_SECONDS = int(os.environ.get("ISP_STALL_SECONDS", "600"))


def run_odoo(cmd, logfile, echo=None, stall=STALL_SECONDS):
    """Run an Odoo command to the end, its log in `logfile`. `echo(line)`
    decides which lines are also printed. Returns the exit code.

    A run that prints nothing for `stall` seconds is hung (a test waiting on
    a lock, a socket without timeout): its threads' stacks are dumped to the
    log (SIGUSR2, see the launcher), it is stopped and the exit code is 124."""
    os.makedirs(os.path.dirname(logfile), exist_ok=True)
    env = dict(os.environ, ISP_ROOT=ROOT, PYTHONUNBUFFERED="1")
    last = [time.time()]
    stalled = threading.Event()
    with open(logfile, "w") as out:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=env, cwd=ROOT, start_new_session=True, text=True,
                                errors="replace")

        def watchdog():
            while proc.poll() is None:
                time.sleep(5)
                if time.time() - last[0] > stall and proc.poll() is None:
                    stalled.set()
                    message = ("ISP RUNNER CRITICAL: no output for %d s, the run is hung; "
                               "stacks follow, then it is stopped\n" % stall)
                    sys.stdout.write(message)
                    out.write(message)
                    out.flush()
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(proc.pid, signal.SIGUSR2)
                    time.sleep(5)
                    kill_group(proc)
                    return
        threading.Thread(target=watchdog, daemon=True).start()
        try:
            for line in proc.stdout:
                last[0] = time.time()
                out.write(line)
                if stalled.is_set() or (echo and echo(line)):
                    sys.stdout.write(line)
                    sys.stdout.flush()
            rc = proc.wait()
            return 124 if stalled.is_set() else rc
        finally:
            kill_group(proc)


def kill_group(proc, timeout=10):
    """Stop a process started with start_new_session=True and its children."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    # workers or helpers may outlive the leader
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)


def bad_log_lines(logfile):
    """ERROR/CRITICAL lines of an Odoo log (the first line of each record)."""
    bad = []
    with open(logfile, errors="replace") as fh:
        for line in fh:
            match = LOG_LINE.match(line)
            if match and match.group(1) in BAD_LEVELS:
                bad.append(line.rstrip("\n"))
    return bad


def install(dbname, modules, logfile, extra_args=(), addons_path=None):
    cmd = odoo_cmd(dbname, "-i", ",".join(modules), "--stop-after-init",
                   "--log-level=warn", *extra_args, addons_path=addons_path)
    rc = run_odoo(cmd, logfile)
    bad = bad_log_lines(logfile)
    if rc or bad:
        raise RuntimeError("installing %s into %s failed (rc=%s, %d ERROR lines); see %s\n%s"
                           % (",".join(modules), dbname, rc, len(bad), logfile,
                              "\n".join(bad[:20])))


def _build_template(name, source, modules, logfile):
    """Build template `name` atomically: install into a scratch DB, rename."""
    scratch = name + "_building"
    if source:
        clone_db(source, scratch)
    else:
        drop_db(scratch)
        with contextlib.closing(connect()) as cnx, cnx.cursor() as cr:
            cr.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                       .format(sql.Identifier(scratch)))
    t0 = time.time()
    install(scratch, modules, logfile)
    rename_db(scratch, name)
    log("built %s in %.0f s" % (name, time.time() - t0))


def _drop_stale(prefix, keep):
    # ISP_KEEP_TEMPLATES=1: several people (or tests) work on one cluster with
    # different trees; nobody drops a template another one still clones
    if os.environ.get("ISP_KEEP_TEMPLATES"):
        return
    for old in list_dbs(prefix):
        if old != keep and not old.endswith("_building"):
            drop_db(old)


def base_template(addons_dirs=(ADDONS,)):
    """Name of the Odoo + OCA template, built when missing."""
    modules = external_depends(addons_dirs)
    name = "isp_base_" + platform_hash(modules)
    with file_lock("isp_base"):
        if not db_exists(name):
            log("building template %s (Odoo + OCA: %s)" % (name, ", ".join(modules)))
            _build_template(name, None, modules, os.path.join(LOGS, "template-base.log"))
            if tuple(addons_dirs) == (ADDONS,):
                _drop_stale("isp_base_", name)
    return name


def app_modules():
    """The isp_* addons of the app template: all of them, or those named in
    $ISP_APP_MODULES (comma-separated; their dependencies come along)."""
    wanted = [m.strip() for m in os.environ.get("ISP_APP_MODULES", "").split(",")
              if m.strip()]
    return wanted or isp_addons()


def app_hash(base, modules):
    return tree_hash([ADDONS], extra=base + ":" + ",".join(modules))


def app_template():
    """Name of the template with the isp_* addons installed (demo data)."""
    base = base_template()
    modules = app_modules()
    name = "isp_app_" + app_hash(base, modules)
    with file_lock("isp_app"):
        if not db_exists(name):
            log("building template %s (%s)" % (name, ", ".join(modules)))
            _build_template(name, base, modules,
                            os.path.join(LOGS, "template-app-%s.log" % name))
            if modules == isp_addons():
                _drop_stale("isp_app_", name)
    return name


class OdooServer:
    """An Odoo HTTP server in its own process group, for cross-process tests."""

    def __init__(self, dbname, *args, http_port=None, logfile=None, env=None):
        self.dbname = dbname
        self.port = http_port or free_port()
        self.args = list(args)
        self.logfile = logfile or os.path.join(LOGS, "server-%s-%d.log" % (dbname, self.port))
        self.env = env or {}
        self.proc = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, timeout=90):
        import requests
        os.makedirs(os.path.dirname(self.logfile), exist_ok=True)
        cmd = odoo_cmd(self.dbname, *self.args, http_port=self.port)
        env = dict(os.environ, ISP_ROOT=ROOT, PYTHONUNBUFFERED="1", **self.env)
        self._out = open(self.logfile, "w")
        self.proc = subprocess.Popen(cmd, stdout=self._out, stderr=subprocess.STDOUT, env=env,
                                     cwd=ROOT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("odoo exited with %s; see %s" % (self.proc.returncode,
                                                                    self.logfile))
            # asked at once, as `make run` and users do: a request during the
            # registry's first load must not break it (see the compat module)
            with contextlib.suppress(requests.RequestException):
                # the first page compiles the assets: slow on a busy machine
                if requests.get(self.url + "/web/login",
                                timeout=max(5, deadline - time.time())).status_code == 200:
                    return self
            time.sleep(0.3)
        raise RuntimeError("odoo did not answer on %s within %ss" % (self.url, timeout))

    def stop(self):
        if self.proc:
            kill_group(self.proc)
            self._out.close()
            self.proc = None

    def bad_lines(self):
        return bad_log_lines(self.logfile)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
