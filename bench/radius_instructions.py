#!/usr/bin/env python3
"""PostgreSQL instructions per RADIUS lookup and per authentication, views
vs plain tables: counted, not timed, so the same from run to run whatever
else the machine does.

Needs the database kept by `bench/bench_radius_auth.py --keep` (100,000
subscriptions, schema radius_plain) and valgrind. The project's cluster is
copied (pg_basebackup) into a temporary folder; a single-user PostgreSQL
backend of the copy runs FreeRADIUS's prepared statements (read from
freeradius/mods/sql.conf) for random users under `valgrind --tool=callgrind`,
once for 100 users and once for 100 + --users; the difference divided by
--users is what one more lookup costs (start-up of the backend excluded).

    .venv/bin/python bench/radius_instructions.py [--users 500]
        [--schemas radius radius_plain,radius ...]

Each schema is a search_path: its radcheck/radreply first, radacct and
radpostauth from `radius`.
"""
import argparse
import contextlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import isp_dev  # noqa: E402

DB = "radius_bench"
PGBIN = "/usr/lib/postgresql/15/bin"
SQL_CONF = os.path.join(ROOT, "freeradius", "mods", "sql.conf")


def prepared_statements():
    """The per-request statements each FreeRADIUS connection prepares: the
    open_query of freeradius/mods/sql.conf, its ${..._table} names filled in
    from the same file."""
    with open(SQL_CONF) as fh:
        conf = fh.read()
    tables = dict(re.findall(r'^\s*(\w+_table\d?) = "(\w+)"', conf, re.M))
    query = re.search(r'^\s*open_query = "(.*)"$', conf, re.M).group(1)
    query = re.sub(r"\$\{(\w+)\}", lambda m: tables[m.group(1)], query)
    return [statement.strip() for statement in query.split(";")]


#: what is counted: the statements run for each user
KINDS = {
    "radcheck lookup": ["EXECUTE radius_check('{u}')"],
    "radreply lookup": ["EXECUTE radius_reply('{u}')"],
    "authentication": ["EXECUTE radius_check('{u}')", "EXECUTE radius_reply('{u}')",
                       "EXECUTE radius_simul('{u}')",
                       "EXECUTE radius_postauth('{u}', 'Access-Accept', '127.0.0.31', '')"],
}


def as_postgres(cmd, **kwargs):
    """Run as the cluster's owner (the data folder belongs to it)."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    return subprocess.run(cmd, check=True, **kwargs)


def copy_cluster(target):
    """pg_basebackup of the project's cluster (scripts/pg.sh: its socket
    folder, its superuser)."""
    as_postgres([os.path.join(PGBIN, "pg_basebackup"), "-h",
                 os.path.join(isp_dev.LOCAL, "pg", "run"), "-p", str(isp_dev.conf()["db_port"]),
                 "-U", "postgres", "-D", target, "-X", "stream", "-c", "fast"])


def count(datadir, workdir, schema, statements, users, seed=7):
    """Instructions of a single-user backend running `statements` for
    `users` random users."""
    rng = random.Random(seed)
    lines = ["SET plan_cache_mode = force_generic_plan", "SET enable_seqscan = off",
             "SET timezone = UTC", "SET search_path = %s" % schema] + prepared_statements()
    for _i in range(users):
        user = "bench%d" % rng.randint(1, 100000)
        lines += [s.format(u=user) for s in statements]
    out = os.path.join(workdir, "callgrind.out")
    with open(os.path.join(workdir, "in.sql"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(os.path.join(workdir, "in.sql")) as stdin:
        as_postgres(["valgrind", "--tool=callgrind", "--callgrind-out-file=%s" % out,
                     os.path.join(PGBIN, "postgres"), "--single", "-D", datadir, DB],
                    stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as fh:
        return int(re.search(r"^summary: (\d+)", fh.read(), re.M).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--schemas", nargs="+", default=["radius", "radius_plain,radius"])
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is needed (apt-get install valgrind)")
    isp_dev.ensure_pg()
    if not isp_dev.db_exists(DB):
        sys.exit("no %s: run bench/bench_radius_auth.py --keep first" % DB)
    with tempfile.TemporaryDirectory(prefix="radius-instr-") as tmp:
        os.chmod(tmp, 0o777)
        datadir, workdir = os.path.join(tmp, "data"), os.path.join(tmp, "work")
        os.makedirs(workdir)
        os.chmod(workdir, 0o777)
        copy_cluster(datadir)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(datadir, "postmaster.pid"))
        print("PostgreSQL instructions per execution (%d users, callgrind)" % args.users)
        print("%-16s %s" % ("", " ".join("%22s" % s for s in args.schemas)))
        for kind, statements in KINDS.items():
            row = []
            for schema in args.schemas:
                low = count(datadir, workdir, schema, statements, 100)
                high = count(datadir, workdir, schema, statements, 100 + args.users)
                row.append((high - low) // args.users)
            print("%-16s %s" % (kind, " ".join("%22s" % format(v, ",") for v in row)),
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
