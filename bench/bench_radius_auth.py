#!/usr/bin/env python3
"""FreeRADIUS authentication through the isp_radius views vs the same users
in plain tables, in the same run.

* a database cloned from the app template (isp_base + isp_radius), with
  100,000 subscriptions inserted in SQL (80 % active, the rest suspended,
  expired or disabled; 10 % with a MAC binding);
* schema radius_plain: radcheck/radreply/... as plain tables holding what
  the views return, indexed on username (the stock FreeRADIUS schema);
* two FreeRADIUS instances from the project's config (same queries, same
  number of threads = SQL connections: two per core, as `make run`), one
  reading the views (search_path radius), one the tables (search_path
  radius_plain, radius: same radacct and radpostauth);
* the same Access-Requests (PAP, random users; about two thirds accepted,
  the others wrong passwords or suspended/expired/disabled accounts, each
  answer checked) sent to each with 16 requests in flight by a one-thread
  epoll client, in short alternating runs (both see the same machine);
  requests/s, p50, p99, and the median of the paired views/plain ratios.

    .venv/bin/python bench/bench_radius_auth.py [--subscriptions 100000]
        [--requests 20000] [--rounds 4] [--chunk 2000] [--parallel 16] [--threads N]
        [--keep] [--reuse] [--against SCHEMA]
"""
import argparse
import contextlib
import os
import random
import select
import socket
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
os.environ.setdefault("ISP_APP_MODULES", "isp_base,isp_radius")

import isp_dev  # noqa: E402
import psycopg2  # noqa: E402
import radius as radius_ctl  # noqa: E402
from pyrad import packet  # noqa: E402
from pyrad.client import Client  # noqa: E402
from pyrad.dictionary import Dictionary  # noqa: E402

DB = "radius_bench"
NAS_IP, SECRET = "127.0.0.31", "bench-secret"
DICTIONARY = os.path.join(ROOT, "addons", "isp_radius", "lib", "dictionary")


def fill(dbname, count):
    """`count` subscriptions in SQL (of the company's own partner, on the demo
    package)."""
    with contextlib.closing(isp_dev.connect(dbname)) as cnx, cnx.cursor() as cr:
        cr.execute("""SELECT p.id, p.master_package_id FROM isp_service_plan p
                        JOIN isp_master_package m ON m.id = p.master_package_id
                       WHERE p.billing_type = 'monthly' AND m.ip_pool_id IS NOT NULL
                         AND m.speed_controller = 'radius' ORDER BY p.id LIMIT 1""")
        plan_id, master_id = cr.fetchone()
        cr.execute("SELECT id FROM isp_billing_profile WHERE suspend_action = 'reject' "
                   "ORDER BY id LIMIT 1")
        profile_id = cr.fetchone()[0]
        cr.execute("SELECT id, partner_id FROM res_company ORDER BY id LIMIT 1")
        company_id, company_partner = cr.fetchone()
        partner_id = company_partner
        cr.execute("""
            INSERT INTO isp_subscription (name, username, password, partner_id, company_id,
                   operator_id, connection_type, billing_type, plan_id, master_package_id,
                   billing_profile_id, state, validity_end, mac_address, router_id,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'bench' || i, 'bench' || i, 'pw' || i, %(partner)s, %(company)s,
                   %(operator)s, 'pppoe', 'monthly', %(plan)s, %(master)s, %(profile)s,
                   CASE WHEN i %% 20 < 16 THEN 'active' WHEN i %% 20 < 18 THEN 'suspended'
                        WHEN i %% 20 = 18 THEN 'expired' ELSE 'disabled' END,
                   (now() AT TIME ZONE 'UTC') + interval '20 days',
                   CASE WHEN i %% 10 = 3 THEN 'AA:BB:CC:' || upper(lpad(to_hex(i %% 256), 2,
                        '0')) || ':00:' || upper(lpad(to_hex(i / 256 %% 256), 2, '0')) END,
                   NULL, 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM generate_series(1, %(count)s) AS i""", {
            "partner": partner_id, "company": company_id, "operator": company_partner,
            "plan": plan_id, "master": master_id, "profile": profile_id, "count": count})
        cr.execute("""INSERT INTO isp_router (name, host, company_id, active, radius_secret,
                                              coa_port, nas_type)
                      VALUES ('Bench NAS', %s, %s, true, %s, 3799, 'mikrotik')""",
                   (NAS_IP, company_id, SECRET))
        cr.execute("ANALYZE isp_subscription")


def make_plain_tables(dbname, role):
    """radius_plain: the views' rows as plain tables (the usual FreeRADIUS
    setup, which a billing has to keep in sync)."""
    with contextlib.closing(isp_dev.connect(dbname)) as cnx, cnx.cursor() as cr:
        cr.execute("DROP SCHEMA IF EXISTS radius_plain CASCADE")
        cr.execute("CREATE SCHEMA radius_plain")
        for table in ("radcheck", "radreply", "radusergroup", "radgroupcheck",
                      "radgroupreply", "nas"):
            cr.execute("CREATE TABLE radius_plain.%s AS SELECT * FROM radius.%s"
                       % (table, table))
        cr.execute("CREATE INDEX ON radius_plain.radcheck (username, attribute)")
        cr.execute("CREATE INDEX ON radius_plain.radreply (username, attribute)")
        cr.execute("CREATE INDEX ON radius_plain.radusergroup (username)")
        cr.execute("ANALYZE")
        cr.execute('GRANT USAGE ON SCHEMA radius_plain TO "%s"' % role)
        cr.execute('GRANT SELECT ON ALL TABLES IN SCHEMA radius_plain TO "%s"' % role)


def requests_for(count, subscriptions, seed=42):
    """(username, password, expect_accept) of the requests, the same for
    both runs."""
    rng = random.Random(seed)
    out = []
    for _i in range(count):
        i = rng.randint(1, subscriptions)
        active, has_mac = i % 20 < 16, i % 10 == 3
        if rng.random() < 0.9 and active and not has_mac:
            out.append(("bench%d" % i, "pw%d" % i, True))
        elif rng.random() < 0.5:
            out.append(("bench%d" % i, "wrong", False))
        else:
            out.append(("bench%d" % i, "pw%d" % i, active and not has_mac))
    return out


def encode(requests, ident_base=0):
    """Pre-encoded Access-Requests (so the client measures the server)."""
    dictionary = Dictionary(DICTIONARY)
    client = Client(server="127.0.0.1", secret=SECRET.encode(), dict=dictionary)
    out = []
    for n, (user, password, expect) in enumerate(requests):
        req = client.CreateAuthPacket(code=packet.AccessRequest, User_Name=user,
                                      id=(ident_base + n) % 256)
        req["User-Password"] = req.PwCrypt(password)
        req["NAS-IP-Address"] = NAS_IP
        out.append((req.RequestPacket(), req.id, expect))
    return out


def run(port, encoded, parallel):
    """Send with `parallel` requests in flight (one socket each, one thread:
    epoll, so that the client takes little of the CPU the server needs);
    returns (seconds, latencies in ms, accepts, mismatches)."""
    poller = select.epoll()
    socks, todo = {}, list(reversed(encoded))
    latencies, accepts, wrong = [], 0, 0
    inflight = {}

    def send(sock):
        raw, ident, expect = todo.pop()
        inflight[sock.fileno()] = (ident, expect, time.perf_counter())
        sock.send(raw)

    t0 = time.perf_counter()
    for _i in range(min(parallel, len(todo))):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((NAS_IP, 0))
        sock.connect(("127.0.0.1", port))
        sock.setblocking(False)
        socks[sock.fileno()] = sock
        poller.register(sock.fileno(), select.EPOLLIN)
        send(sock)
    while inflight:
        events = poller.poll(5)
        if not events:
            raise RuntimeError("no answer for 5 s (%d requests in flight)" % len(inflight))
        for fd, _event in events:
            data = socks[fd].recv(4096)
            ident, expect, sent = inflight[fd]
            if data[1] != ident:
                continue  # a late answer to an earlier request
            latencies.append((time.perf_counter() - sent) * 1000)
            accepted = data[0] == packet.AccessAccept
            accepts += accepted
            wrong += accepted != expect
            del inflight[fd]
            if todo:
                send(socks[fd])
    seconds = time.perf_counter() - t0
    for sock in socks.values():
        sock.close()
    poller.close()
    return seconds, latencies, accepts, wrong


def percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * pct / 100.0))]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscriptions", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--chunk", type=int, default=2000,
                        help="requests per run; runs alternate between the two")
    parser.add_argument("--parallel", type=int, default=16)
    parser.add_argument("--threads", type=int, default=radius_ctl.default_threads(),
                        help="FreeRADIUS threads = SQL connections (default: two per core, "
                             "as `make run`)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true",
                        help="use the database kept by an earlier --keep run")
    parser.add_argument("--against", default="radius_plain", metavar="SCHEMA",
                        help="schema of the second server's radcheck/radreply (default: "
                             "radius_plain, the plain tables; e.g. a schema holding other "
                             "views to compare two versions head to head)")
    args = parser.parse_args()

    isp_dev.ensure_pg()
    t0 = time.time()
    reuse = args.reuse and isp_dev.db_exists(DB)
    if not reuse:
        isp_dev.clone_db(isp_dev.app_template(), DB)
    servers = []
    try:
        if not reuse:
            fill(DB, args.subscriptions)
        role, password = radius_ctl.prepare_role(DB)
        if not reuse:
            make_plain_tables(DB, role)
        print("setup: %d subscriptions in %s (%.0f s)" % (args.subscriptions, DB,
                                                          time.time() - t0), flush=True)
        for schema in ("radius", "%s,radius" % args.against):
            server = radius_ctl.FreeRadius(DB, threads=args.threads, schema=schema,
                                           role=role, password=password)
            servers.append(server.start())
        reqs = requests_for(args.requests, args.subscriptions)
        encoded = encode(reqs)
        # warm up both (connections, caches)
        for server in servers:
            run(server.auth_port, encoded[:2000], args.parallel)
        # short alternating runs (views, plain, plain, views...): both see
        # the same machine (a shared one is noisy); paired ratios per chunk
        other = "plain" if args.against == "radius_plain" else args.against
        stats = {"views": [], other: []}
        pairs = []
        chunks = [encoded[i:i + args.chunk] for i in range(0, len(encoded), args.chunk)]
        for _round in range(args.rounds):
            for n, chunk in enumerate(chunks):
                order = (("views", servers[0]), (other, servers[1]))
                if n % 2:
                    order = order[::-1]
                rates = {}
                for name, server in order:
                    seconds, lat, accepts, wrong = run(server.auth_port, chunk, args.parallel)
                    stats[name].append((seconds, lat, accepts, wrong))
                    rates[name] = len(lat) / seconds
                pairs.append(rates["views"] / rates[other])
        print("%-12s %9s %9s %8s %8s %8s %8s" % ("source", "requests", "req/s", "p50 ms",
                                               "p99 ms", "accepts", "wrong"))
        rates = {}
        for name, rounds in stats.items():
            total = sum(len(r[1]) for r in rounds)
            seconds = sum(r[0] for r in rounds)
            lat = [v for r in rounds for v in r[1]]
            rates[name] = total / seconds
            print("%-12s %9d %9.0f %8.2f %8.2f %8d %8d" % (
                name, total, rates[name], statistics.median(lat), percentile(lat, 99),
                sum(r[2] for r in rounds), sum(r[3] for r in rounds)))
        print("views / %s: %.2fx overall, %.2fx median of %d paired runs of %d "
              "requests (%d subscriptions, %d in flight, %d FreeRADIUS threads)" % (
                  "plain tables" if other == "plain" else other,
                  rates["views"] / rates[other], statistics.median(pairs), len(pairs),
                  args.chunk, args.subscriptions, args.parallel, args.threads))
        return 0 if all(r[3] == 0 for rounds in stats.values() for r in rounds) else 1
    finally:
        for server in servers:
            server.stop()
        if not args.keep:
            # its rights go with the database, then the role can go (an
            # autovacuum worker of the database cannot be ended: wait)
            for attempt in range(12):
                try:
                    isp_dev.drop_db(DB)
                    break
                except psycopg2.Error:
                    if attempt == 11:
                        raise
                    time.sleep(5)
            with contextlib.closing(isp_dev.connect()) as cnx, cnx.cursor() as cr:
                cr.execute('DROP ROLE IF EXISTS "%s"' % radius_ctl.schema_lib().role_name(DB))


if __name__ == "__main__":
    sys.exit(main())
