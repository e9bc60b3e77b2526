#!/usr/bin/env python3
"""The every-minute suspension/expiry job and the expiry-warning job on a
large base.

    .venv/bin/python bench/bench_suspension.py             # 100,000 accounts
    .venv/bin/python bench/bench_suspension.py --count 20000 --due 200

On a clone of the app template (isp_base + isp_billing), N accounts are
inserted in SQL (half monthly PPPoE, half daily hotspot, all active, valid
for 20 more days). It times, as the cron runs them (superuser, one
transaction, rolled back):
  * `cron_suspend_expired()` with nothing to do (the case of almost every
    minute);
  * `cron_expiry_warnings()` with nothing to warn;
  * `cron_suspend_expired()` when `--due` daily accounts have just expired
    (each goes through isp_base's state action: log, network hook, notice).
Each figure is the median of --rounds runs.
"""
import argparse
import contextlib
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
os.environ.setdefault("ISP_APP_MODULES", "isp_base,isp_billing")

import isp_dev  # noqa: E402

DB = "billing_bench_suspension"


def fill(dbname, count):
    with contextlib.closing(isp_dev.connect(dbname)) as cnx, cnx.cursor() as cr:
        cr.execute("""SELECT id, master_package_id, billing_type FROM isp_service_plan
                       WHERE billing_type IN ('monthly', 'daily') ORDER BY id""")
        plans = {}
        for plan_id, master_id, billing in cr.fetchall():
            plans.setdefault(billing, (plan_id, master_id))
        cr.execute("SELECT id FROM isp_billing_profile WHERE auto_suspend ORDER BY id LIMIT 1")
        profile_id = cr.fetchone()[0]
        cr.execute("SELECT id, partner_id FROM res_company ORDER BY id LIMIT 1")
        company_id, company_partner = cr.fetchone()
        cr.execute("""
            INSERT INTO isp_subscription (name, username, password, partner_id, company_id,
                   operator_id, connection_type, billing_type, plan_id, master_package_id,
                   billing_profile_id, state, validity_end,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'bench' || i, 'bench' || i, 'pw' || i, %(partner)s, %(company)s,
                   %(partner)s,
                   CASE WHEN i %% 2 = 0 THEN 'pppoe' ELSE 'hotspot' END,
                   CASE WHEN i %% 2 = 0 THEN 'monthly' ELSE 'daily' END,
                   CASE WHEN i %% 2 = 0 THEN %(mplan)s ELSE %(dplan)s END,
                   CASE WHEN i %% 2 = 0 THEN %(mmaster)s ELSE %(dmaster)s END,
                   CASE WHEN i %% 2 = 0 THEN %(profile)s END, 'active',
                   (now() AT TIME ZONE 'UTC') + interval '20 days',
                   1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM generate_series(1, %(count)s) AS i""", {
            "partner": company_partner, "company": company_id, "count": count,
            "mplan": plans["monthly"][0], "mmaster": plans["monthly"][1],
            "dplan": plans["daily"][0], "dmaster": plans["daily"][1], "profile": profile_id})
        cr.execute("ANALYZE isp_subscription")
        cnx.commit()


def timed(fn, rounds):
    """Median seconds of `fn(env)` over `rounds`, each in a transaction
    rolled back afterwards; returns (median, result of the last run)."""
    import odoo
    from odoo import SUPERUSER_ID, api
    registry = odoo.registry(DB)
    times, result = [], None
    for _i in range(rounds):
        with api.Environment.manage(), registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            t0 = time.perf_counter()
            result = fn(env)
            times.append(time.perf_counter() - t0)
            cr.rollback()
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--due", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    isp_dev.ensure_pg()
    isp_dev.clone_db(isp_dev.app_template(), DB)
    try:
        t0 = time.time()
        fill(DB, args.count)
        print("%d active accounts inserted in %.1f s" % (args.count, time.time() - t0))
        import odoo
        odoo.tools.config.parse_config(["-c", isp_dev.ODOO_CONF, *isp_dev.conf_args(), "-d", DB,
                                        "--db-filter=.*", "--log-level=warn"])
        Sub = "isp.subscription"
        secs, n = timed(lambda env: env[Sub].cron_suspend_expired(), args.rounds)
        print("cron_suspend_expired, nothing due:     %7.1f ms (%d changed)" % (secs * 1000, n))
        secs, n = timed(lambda env: env[Sub].cron_expiry_warnings(), args.rounds)
        print("cron_expiry_warnings, nothing to warn: %7.1f ms (%d warned)" % (secs * 1000, n))

        def expire_some(env):
            env.cr.execute("""UPDATE isp_subscription
                                 SET validity_end = (now() AT TIME ZONE 'UTC') - interval '1 minute'
                               WHERE id IN (SELECT id FROM isp_subscription
                                             WHERE billing_type = 'daily' AND name LIKE 'bench%%'
                                             ORDER BY id LIMIT %s)""", (args.due,))
            t0 = time.perf_counter()
            changed = env[Sub].cron_suspend_expired()
            return changed, time.perf_counter() - t0
        _secs, (n, inner) = timed(expire_some, 1)
        print("cron_suspend_expired, %d just expired: %7.1f ms (%d changed, %.1f ms each)"
              % (args.due, inner * 1000, n, inner * 1000 / max(n, 1)))
    finally:
        import odoo
        with contextlib.suppress(Exception):
            odoo.sql_db.close_db(DB)
        if not args.keep:
            isp_dev.drop_db(DB)


if __name__ == "__main__":
    main()
