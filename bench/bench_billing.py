#!/usr/bin/env python3
"""Monthly billing speed: real posted account.invoice records with their
journal entries, one tax line each.

    .venv/bin/python bench/bench_billing.py            # 1,000 and 10,000 accounts
    .venv/bin/python bench/bench_billing.py --sizes 300 --naive 100 --workers 1

For each size, on a fresh database (a clone of the app template with
isp_base + isp_billing): N monthly accounts on one package with a 15 % tax;
then
  * naive: `create` + `action_invoice_open` per invoice (as a plain loop
    would), on a sample of the accounts;
  * the monthly run: `_isp_bill_chunk` over chunks of 50 accounts, each
    chunk its own transaction (what one queued job does), chunks split
    between W worker processes (the queue_job channel capacity).
It prints invoices/s of both, the ratio, time per invoice, and checks the
accounting of the run (every account billed once, posted, numbered without
gaps, taxes, receivable balance = billed total).
"""
import argparse
import multiprocessing
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
os.environ.setdefault("ISP_APP_MODULES", "isp_base,isp_billing")

import isp_dev  # noqa: E402

BILL_DAY = "2031-04-01"


def odoo_env(dbname):
    import odoo
    from odoo.tools import config
    if not getattr(odoo_env, "configured", False):
        config.parse_config(["-c", isp_dev.ODOO_CONF, *isp_dev.conf_args(), "-d", dbname,
                             "--db-filter=.*", "--log-level=warn"])
        odoo_env.configured = True
    return odoo, odoo.registry(dbname)


def prepare(dbname, size):
    """N active monthly accounts, billed through March 2031."""
    odoo, registry = odoo_env(dbname)
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True,
                                                 "mail_create_nolog": True,
                                                 "mail_notrack": True})
        env.user.company_id.partner_id.tz = "UTC"
        env["isp.notice.template"].search([]).write({"active": False})
        tax = env["account.tax"].create({"name": "VAT 15% (bench)", "amount": 15.0,
                                         "amount_type": "percent", "type_tax_use": "sale"})
        master = env["isp.master.package"].create({"name": "bench 20M", "download_kbps": 20480,
                                                   "upload_kbps": 20480})
        plan = env["isp.service.plan"].create({
            "name": "Bench 20M", "master_package_id": master.id, "billing_type": "monthly",
            "customer_price": 1000.0, "tax_ids": [(6, 0, tax.ids)]})
        profile = env["isp.billing.profile"].create({
            "name": "bench", "auto_bill": True, "auto_suspend": True, "billing_day": 1,
            "cycle_ends_with_month": True, "due_days": 7})
        # the accounts themselves (partners and subscriptions, no accounting
        # table) are inserted in SQL: 10,000 ORM creates take half an hour
        # and are not what is measured; they have no first bill, so the run
        # bills April for every one of them
        company = env.user.company_id
        cr.execute("""
            INSERT INTO res_partner (name, display_name, active, type, customer, company_id,
                   lang, isp_is_subscriber, invoice_warn, isp_customer_code,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Bench ' || lpad(i::text, 5, '0'), 'Bench ' || lpad(i::text, 5, '0'), true,
                   'contact', true, %(company)s, 'en_US', true, 'no-message',
                   'BENCH' || lpad(i::text, 6, '0'), 1, 1,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM generate_series(0, %(n)s - 1) AS i""", {"company": company.id, "n": size})
        cr.execute("UPDATE res_partner SET commercial_partner_id = id "
                   "WHERE isp_customer_code LIKE 'BENCH%%'")
        cr.execute("""
            INSERT INTO isp_subscription (name, username, password, partner_id, company_id,
                   operator_id, connection_type, billing_type, plan_id, master_package_id,
                   billing_profile_id, state, billing_anchor_day, activation_date,
                   validity_end, create_uid, write_uid, create_date, write_date)
            SELECT p.name, 'bench' || substr(p.isp_customer_code, 6), 'pw', p.id, %(company)s,
                   %(operator)s, 'pppoe', 'monthly', %(plan)s, %(master)s, %(profile)s,
                   'active', 1, '2031-03-01 00:00:00', '2031-03-31 23:59:59', 1, 1,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM res_partner p WHERE p.isp_customer_code LIKE 'BENCH%%'""", {
            "company": company.id, "operator": company.partner_id.id, "plan": plan.id,
            "master": master.id, "profile": profile.id})
        cr.execute("ANALYZE res_partner")
        cr.execute("ANALYZE isp_subscription")
        cr.commit()
        return plan.id


def naive(dbname, plan_id, count):
    """What a plain loop does: build the invoice, validate it, one by one."""
    odoo, registry = odoo_env(dbname)
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        subs = env["isp.subscription"].search([("plan_id", "=", plan_id)], limit=count)
        journal = env["account.invoice"].with_context(type="out_invoice")._default_journal()
        t0 = time.time()
        for sub in subs:
            line = {"product_id": sub.plan_id.product_id.id, "name": "Bench naive",
                    "quantity": 1, "price_unit": 1000.0,
                    "account_id": sub.plan_id.product_id.categ_id
                    .property_account_income_categ_id.id,
                    "invoice_line_tax_ids": [(6, 0, sub.plan_id.tax_ids.ids)]}
            inv = env["account.invoice"].create({
                "partner_id": sub.partner_id.id, "type": "out_invoice",
                "journal_id": journal.id, "invoice_line_ids": [(0, 0, line)]})
            inv.compute_taxes()
            inv.action_invoice_open()
        elapsed = time.time() - t0
        cr.rollback()
    return len(subs), elapsed


def worker(args):
    dbname, chunks = args
    odoo, registry = odoo_env(dbname)
    from odoo import SUPERUSER_ID, api
    from odoo.addons.queue_job.exception import RetryableJobError
    done = retries = 0
    with api.Environment.manage():
        for chunk in chunks:
            while True:  # what the job runner does with a RetryableJobError
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    run = env["isp.billing.run"].search([], order="id desc", limit=1)
                    try:
                        created = env["isp.subscription"].browse(chunk)._isp_bill_chunk(
                            run.id, BILL_DAY)
                    except RetryableJobError:
                        cr.rollback()
                        retries += 1
                        time.sleep(0.2)
                        continue
                    done += len(created)
                    cr.commit()
                    break
    return done, retries


def monthly_run(dbname, plan_id, workers, chunk_size=50):
    odoo, registry = odoo_env(dbname)
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["isp.billing.run"].create({})
        bench_subs = env["isp.subscription"].search([("plan_id", "=", plan_id)]).ids
        ids = [c[0] for c in env["isp.subscription"]._isp_billing_candidates(
            odoo.fields.Date.from_string(BILL_DAY), only=bench_subs)]
        cr.commit()
    chunks = [ids[i:i + chunk_size] for i in range(0, len(ids), chunk_size)]
    parts = [(dbname, chunks[w::workers]) for w in range(workers)]
    # forked workers must not share this process's PostgreSQL connections
    odoo.sql_db.close_all()
    t0 = time.time()
    if workers == 1:
        results = [worker(parts[0])]
    else:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            results = pool.map(worker, parts)
    monthly_run.retries = sum(r[1] for r in results)
    return sum(r[0] for r in results), time.time() - t0, len(ids)


def check(dbname, plan_id, expected):
    odoo, registry = odoo_env(dbname)
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        cr.execute("""
            SELECT count(*), count(DISTINCT isp_subscription_id),
                   count(*) FILTER (WHERE state = 'open' AND move_id IS NOT NULL),
                   sum(amount_total), sum(amount_tax)
              FROM account_invoice WHERE isp_plan_id = %s AND isp_kind = 'period'""",
                   (plan_id,))
        count, subs, posted, total, tax = cr.fetchone()
        cr.execute("""
            SELECT coalesce(sum(l.balance), 0) FROM account_move_line l
              JOIN account_invoice i ON i.move_id = l.move_id
              JOIN account_account a ON a.id = l.account_id
             WHERE i.isp_plan_id = %s AND i.isp_kind = 'period'
               AND a.internal_type = 'receivable'""", (plan_id,))
        receivable = cr.fetchone()[0]
        cr.execute("""
            SELECT count(*) FROM account_move m JOIN account_invoice i ON i.move_id = m.id
             WHERE i.isp_plan_id = %s AND m.state = 'posted'
               AND i.number IS NOT NULL AND m.name = i.number""", (plan_id,))
        numbered = cr.fetchone()[0]
        env = api.Environment(cr, SUPERUSER_ID, {})
        problems = []
        if not (count == subs == posted == numbered == expected):
            problems.append("billed %s / accounts %s / posted %s / numbered %s, expected %s"
                            % (count, subs, posted, numbered, expected))
        if round(total, 2) != round(expected * 1150.0, 2) or round(tax, 2) != expected * 150.0:
            problems.append("totals %s tax %s" % (total, tax))
        if round(receivable, 2) != round(total, 2):
            problems.append("receivable %s != billed %s" % (receivable, total))
        del env
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--naive", type=int, default=200, help="invoices of the naive loop")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes running chunks (production: 1, the channel "
                             "root.isp_billing; gapless numbering serialises posting)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    isp_dev.ensure_pg()
    template = isp_dev.app_template()
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        dbname = "bench_billing_%d" % size
        isp_dev.clone_db(template, dbname)
        t0 = time.time()
        plan_id = prepare(dbname, size)
        print("[bench] %d accounts ready in %.0f s" % (size, time.time() - t0), flush=True)
        n_naive, t_naive = naive(dbname, plan_id, min(args.naive, size))
        created, t_run, candidates = monthly_run(dbname, plan_id, args.workers)
        problems = check(dbname, plan_id, size)
        rate_naive, rate_run = n_naive / t_naive, created / t_run
        results.append((size, rate_naive, rate_run, t_run))
        print("[bench] %6d accounts: naive %.1f invoices/s (%d in %.1f s); monthly run "
              "%.1f invoices/s (%d in %.1f s, %d workers, %d chunk retries); ratio %.1fx; "
              "%.1f ms/invoice; load %s; %s"
              % (size, rate_naive, n_naive, t_naive, rate_run, created, t_run, args.workers,
                 monthly_run.retries,
                 rate_run / rate_naive, 1000.0 * t_run / max(created, 1),
                 "/".join("%.1f" % x for x in os.getloadavg()),
                 "accounting checks OK" if not problems else "PROBLEMS: " + "; ".join(problems)),
              flush=True)
        if not args.keep:
            isp_dev.drop_db(dbname)
    if len(results) > 1:
        small, large = results[0], results[-1]
        print("[bench] time per invoice at %d vs %d accounts: %.2fx" % (
            large[0], small[0], (large[3] / large[0]) / (small[3] / small[0])))


if __name__ == "__main__":
    main()
