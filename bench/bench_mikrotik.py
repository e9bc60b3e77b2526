#!/usr/bin/env python3
"""isp_mikrotik figures, against the RouterOS API test server on loopback
(what the bridge costs on our side; a real router adds its own time).

1. the client: adds one by one, a full print, a query for 20 names;
2. drift: comparing billing and a router of N accounts (plain Python);
3. Odoo: one sync job for N accounts of one router (first write, then
   nothing to do), a batch suspension of N accounts, a drift check.

    .venv/bin/python bench/bench_mikrotik.py [--accounts 2000] [--no-odoo]

Part 3 clones the app template (ISP_APP_MODULES=isp_mikrotik by default) into
a database of its own and drops it afterwards.
"""
import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
os.environ.setdefault("ISP_APP_MODULES", "isp_mikrotik")
import isp_dev  # noqa: E402


ros_server = isp_dev.load_file("routeros_server", "addons", "isp_mikrotik", "tests",
                              "routeros_server.py")


def odoo_setup():
    import odoo
    if not odoo.tools.config.get("db_host"):
        odoo.tools.config.parse_config(["-c", isp_dev.ODOO_CONF, *isp_dev.conf_args(),
                                        "--log-level=warn"])
    odoo.modules.module.initialize_sys_path()
    return odoo


def report(label, seconds, count=None, unit="ops"):
    rate = " (%.0f %s/s)" % (count / seconds, unit) if count and seconds else ""
    print("  %-58s %8.3f s%s" % (label, seconds, rate), flush=True)


def bench_client(n):
    from odoo.addons.isp_mikrotik.lib import client as ros
    from odoo.addons.isp_mikrotik.lib import commands as cmd
    print("client (librouteros) -> test server, %d PPP secrets" % n)
    server = ros_server.RouterOSServer(users={"b": "p"}).start()
    try:
        with ros.RouterClient("127.0.0.1", "b", "p", port=server.port) as client:
            client.add(cmd.PROFILE, {"name": "p10"})
            t0 = time.perf_counter()
            for i in range(n):
                client.add(cmd.SECRET, {"name": "u%05d" % i, "password": "x",
                                        "profile": "p10", "comment": "isp:C%06d" % i})
            report("add, one command each", time.perf_counter() - t0, n)
            t0 = time.perf_counter()
            rows = client.print(cmd.SECRET, proplist=[".id", "name", "profile", "disabled"])
            report("print all (%d rows, 4 properties)" % len(rows), time.perf_counter() - t0,
                   len(rows), "rows")
            names = ["u%05d" % i for i in range(0, n, max(n // 20, 1))][:20]
            t0 = time.perf_counter()
            for _i in range(50):
                found = client.print(cmd.SECRET, where={"name": names})
            report("query 20 names (OR stack), x50", time.perf_counter() - t0, 50, "queries")
            assert len(found) == len(names)
    finally:
        server.stop()


def bench_drift(n):
    from odoo.addons.isp_mikrotik.lib import commands as cmd
    from odoo.addons.isp_mikrotik.lib import drift
    print("drift of a router with %d accounts (1%% drifted), plain Python" % n)
    accounts = [cmd.Account("u%06d" % i, "pppoe", "suspended" if i % 10 == 0 else "active",
                            password="pw%d" % i, code="C%06d" % i, profile="p10")
                for i in range(n)]
    wanted = [item for acc in accounts for item in cmd.account_items(acc)]
    rows = []
    for i, w in enumerate(wanted):
        row = {".id": "*%X" % (i + 1), "name": w.key[0]}
        row.update(w.values)
        if i % 100 == 0:
            row["profile"] = "other"
        rows.append(row)
    t0 = time.perf_counter()
    lines = drift.compare(wanted, {cmd.SECRET: rows})
    report("compare (%d differences found)" % len(lines), time.perf_counter() - t0, n,
           "accounts")


def bench_odoo(n):
    odoo = odoo_setup()
    from odoo import SUPERUSER_ID, api, fields
    from odoo.addons.queue_job.job import Job
    print("Odoo: one router job for %d accounts (app template, in-process)" % n)
    isp_dev.ensure_pg()
    template = isp_dev.app_template()
    db = "bench_mikrotik_%d" % os.getpid()
    isp_dev.clone_db(template, db)
    server = ros_server.RouterOSServer(users={"b": "p"}).start()
    registry = odoo.registry(db)
    try:
        with api.Environment.manage(), registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True,
                                                     "mail_notrack": True})
            env["isp.router"].search([]).write({"api_user": False})
            router = env["isp.router"].create({
                "name": "Bench POP", "host": "127.0.0.1", "api_port": server.port,
                "api_user": "b", "api_password": "p", "api_timeout": 30})
            plan = env["isp.service.plan"].search([("allow_pppoe", "=", True),
                                                    ("billing_type", "=", "monthly")], limit=1)
            profile = env["isp.billing.profile"].search([], limit=1)
            partner = env["res.partner"].create({"name": "Bench", "isp_is_subscriber": True})
            end = fields.Datetime.to_string(fields.Datetime.from_string(
                fields.Datetime.now()).replace(year=2099))
            Sub = env["isp.subscription"].with_context(isp_mikrotik_no_sync=True)
            t0 = time.perf_counter()
            subs = Sub.browse()
            for i in range(n):
                subs |= Sub.create({
                    "partner_id": partner.id, "username": "bench%05d" % i,
                    "password": "pw%05d" % i, "plan_id": plan.id,
                    "billing_profile_id": profile.id, "router_id": router.id,
                    "state": "active", "validity_end": end})
            report("create %d active subscriptions (setup)" % n, time.perf_counter() - t0)

            def run_jobs():
                for record in env["queue.job"].search([("state", "=", "pending"),
                                                       ("model_name", "=", "isp.router")]):
                    job = Job.load(env, record.uuid)
                    job.perform()
                    job.set_done()
                    job.store()

            for label in ("first write of every account (+ pool, profile)",
                          "again: nothing differs"):
                server.clear_log()
                t0 = time.perf_counter()
                subs._mikrotik_enqueue()
                run_jobs()
                report("sync job: %s, %d commands" % (label, len(server.commands())),
                       time.perf_counter() - t0, n, "accounts")
            server.clear_log()
            t0 = time.perf_counter()
            subs = subs.with_context(isp_mikrotik_no_sync=False)
            subs.action_suspend(reason="bench")
            report("suspend the %d (one batch action, queues 1 job)" % n,
                   time.perf_counter() - t0, n, "accounts")
            t0 = time.perf_counter()
            run_jobs()
            report("its job: %d commands" % len(server.commands()), time.perf_counter() - t0,
                   n, "accounts")
            assert all(r["disabled"] == "true" for r in server.table("/ppp/secret"))
            t0 = time.perf_counter()
            lines = router._mikrotik_drift()
            report("drift check of the router (%d differences)" % len(lines),
                   time.perf_counter() - t0, n, "accounts")
            cr.rollback()
    finally:
        server.stop()
        odoo.modules.registry.Registry.delete(db)
        odoo.sql_db.close_db(db)
        isp_dev.drop_db(db)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--no-odoo", action="store_true")
    args = parser.parse_args()
    odoo_setup()
    bench_client(args.accounts)
    bench_drift(args.accounts * 10)
    if not args.no_odoo:
        bench_odoo(args.accounts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
