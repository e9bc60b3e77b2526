# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

import psycopg2
from num2words import num2words

from odoo import _
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from odoo.addons.isp_base.tests.common import committed_env
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..models import isp_subscription
from .common import D, BillingCase

# dates far enough ahead that a paid period is still running "now"
Y = 2031


@at_install(False)
@post_install(True)
class TestMonthlyBills(BillingCase):

    def test_first_bill_rest_of_the_month_prorated(self):
        # note 5: cycle ends with month = yes -> the rest of the month
        sub = self.monthly_sub()
        with self.today(D(Y, 2, 19)):  # 10 days of a 28-day February
            sub.action_activate()
        bill = self.bills(sub)
        self.assertEqual(len(bill), 1)
        self.assertEqual((bill.isp_kind, bill.state), ("first", "open"))
        self.assertEqual((bill.isp_period_start, bill.isp_period_end),
                         ("%d-02-19" % Y, "%d-02-28" % Y))
        self.assertEqual(bill.amount_untaxed, 321.43)  # 900 * 10 / 28
        self.assertEqual(bill.date_due, "%d-02-26" % Y)  # + 7 due days
        self.assertIn("19/02/%d - 28/02/%d (10 of 28 days)" % (Y, Y),
                      bill.invoice_line_ids.name)
        self.assertTrue(bill.number and bill.move_id.state == "posted")
        # active for the billed period; the cycle of this account starts on the 1st
        self.assertEqual(sub.validity_end, "%d-02-28 23:59:59" % Y)
        self.assertEqual(sub.billing_anchor_day, 1)

    def test_first_bill_full_cycle_until_the_next_payment_date(self):
        # note 4: cycle ends with month = no -> a full cycle, 20th to 19th
        sub = self.monthly_sub(billing_profile_id=self.profile_own_cycle.id)
        with self.today(D(Y, 1, 20)):
            sub.action_activate()
        bill = self.bills(sub)
        self.assertEqual((bill.isp_period_start, bill.isp_period_end, bill.amount_untaxed),
                         ("%d-01-20" % Y, "%d-02-19" % Y, 900.0))
        self.assertEqual(sub.billing_anchor_day, 20)
        # next bill on the 20th, not on the 1st
        self.run_billing("%d-02-01" % Y)
        self.assertEqual(len(self.bills(sub)), 1)
        self.run_billing("%d-02-20" % Y)
        second = self.bills(sub)[1]
        self.assertEqual((second.isp_period_start, second.isp_period_end,
                          second.amount_untaxed, second.isp_kind),
                         ("%d-02-20" % Y, "%d-03-19" % Y, 900.0, "period"))

    def test_the_run_bills_on_the_billing_day(self):
        sub = self.monthly_sub(special_price=750.0)
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        self.assertEqual(self.bills(sub).amount_untaxed, 750.0)  # whole March, special price
        run = self.run_billing("%d-03-31" % Y)
        self.assertFalse(run.invoice_ids.filtered(lambda i: i.isp_subscription_id == sub))
        run = self.run_billing("%d-04-01" % Y)
        april = run.invoice_ids.filtered(lambda i: i.isp_subscription_id == sub)
        self.assertEqual((april.isp_period_start, april.isp_period_end, april.amount_untaxed,
                          april.date_invoice, april.date_due, april.state),
                         ("%d-04-01" % Y, "%d-04-30" % Y, 750.0, "%d-04-01" % Y,
                          "%d-04-08" % Y, "open"))
        self.assertIn("01/04/%d - 30/04/%d" % (Y, Y), april.invoice_line_ids.name)
        self.assertEqual(april.reference, "%s-%d0401" % (self.partner.isp_customer_code, Y))

    def test_missed_days_are_caught_up(self):
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        self.run_billing("%d-05-15" % Y)
        self.assertEqual(self.bills(sub).mapped("isp_period_start"),
                         ["%d-03-01" % Y, "%d-04-01" % Y, "%d-05-01" % Y])

    def test_running_twice_bills_once(self):
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        for _i in range(2):
            self.run_billing("%d-04-01" % Y)
        self.assertEqual(len(self.bills(sub)), 2)

    def test_a_crash_in_the_middle_leaves_nothing_half_done(self):
        subs = self.monthly_sub() | self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            subs.action_activate()
        Move = type(self.env["account.move"])
        real = Move.create
        calls = []

        def crash_on_second(moves, vals):
            calls.append(vals.get("ref"))
            if len(calls) == 2:  # the first bill's entry is made, not the second's
                raise KeyboardInterrupt("power cut")
            return real(moves, vals)
        run = self.env["isp.billing.run"].create({})
        # the chunk's transaction: a crash (the process dies) loses all of it
        self.env.cr.execute("SAVEPOINT chunk_transaction")
        with self.assertRaises(KeyboardInterrupt), \
                patch.object(Move, "create", crash_on_second):
            subs._isp_bill_chunk(run.id, "%d-04-01" % Y)
        self.env.cr.execute("ROLLBACK TO SAVEPOINT chunk_transaction")
        self.env.clear()
        self.assertEqual(len(calls), 2)
        self.assertEqual([len(self.bills(s)) for s in subs], [1, 1])
        # the next run (the job is retried) bills each account once
        subs._isp_bill_chunk(run.id, "%d-04-01" % Y)
        self.assertEqual([len(self.bills(s)) for s in subs], [2, 2])
        subs._isp_bill_chunk(run.id, "%d-04-01" % Y)
        self.assertEqual([len(self.bills(s)) for s in subs], [2, 2])

    def test_the_scheduled_run_queues_chunks_in_the_billing_channel(self):
        """What the hourly cron does (not `sync`): one job per chunk, in the
        one-at-a-time channel; running the jobs bills every account."""
        subs = self.monthly_sub() | self.monthly_sub() | self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            subs.action_activate()
        before = self.env["queue.job"].search([]).ids
        run = subs._isp_run_billing(today="%d-04-01" % Y, chunk_size=2)
        jobs = self.env["queue.job"].search([("id", "not in", before)], order="id")
        self.assertEqual(run.subscription_count, 3)
        self.assertEqual((len(jobs), set(jobs.mapped("channel"))), (2, {"root.isp_billing"}))
        for record in jobs:
            Job.load(self.env, record.uuid).perform()
        self.assertEqual([len(self.bills(s)) for s in subs], [2, 2, 2])
        self.assertTrue(all(b.state == "open" for s in subs for b in self.bills(s)))

    def assertChunkRetried(self, subs, run, post):
        """The April chunk of `subs`, posting with `post`, ends in
        RetryableJobError (a conflict: queue_job retries it whole); what it
        wrote is rolled back as its transaction would be."""
        Invoice = type(self.env["account.invoice"])
        self.env.cr.execute("SAVEPOINT chunk_transaction")
        with self.assertRaises(RetryableJobError), mute_logger("odoo.sql_db"), \
                patch.object(Invoice, "_isp_post", post):
            subs._isp_bill_chunk(run.id, "%d-04-01" % Y)
        self.env.cr.execute("ROLLBACK TO SAVEPOINT chunk_transaction")

    def test_a_chunk_meeting_another_transaction_is_retried_whole(self):
        """A lock held by another transaction while the chunk posts (as when
        another transaction numbers bills) is no bad account: the job is
        retried, no error is recorded against the accounts."""
        subs = self.monthly_sub() | self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            subs.action_activate()
        run = self.env["isp.billing.run"].create({})
        # a lock of no row (a row could be held by this very test's
        # transaction or by the module loader): an advisory lock, waited
        # for at most 100 ms -> PostgreSQL's "lock not available"
        key = 764127

        def post_under_a_lock(invoices):
            invoices.env.cr.execute("SELECT set_config('lock_timeout', '100ms', true)")
            invoices.env.cr.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
        with committed_env(self.registry) as other:
            other.cr.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
            self.assertChunkRetried(subs, run, post_under_a_lock)
            other.cr.rollback()
        self.env.clear()
        self.assertFalse(run.error_ids)
        subs._isp_bill_chunk(run.id, "%d-04-01" % Y)
        self.assertEqual([len(self.bills(s)) for s in subs], [2, 2])

    def test_a_bill_number_taken_by_another_transaction_retries_the_chunk(self):
        """Two transactions numbering the first bills of a new year each
        create the year's range of the sequence and take the same number; the
        later one is refused by the unique index of numbers. For the monthly
        run that is a conflict (the chunk is retried whole and the retry sees
        the committed range), not bad accounts."""
        subs = self.monthly_sub() | self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            subs.action_activate()
        first, second = self.bills(subs[0]), self.bills(subs[1])
        run = self.env["isp.billing.run"].create({})

        def post_a_number_taken(invoices):
            # the refusal of a number already given, by the real index
            second.move_id.write({"name": first.number})

        self.assertChunkRetried(subs, run, post_a_number_taken)
        self.env.clear()
        self.assertFalse(run.error_ids)
        self.assertEqual([len(self.bills(s)) for s in subs], [1, 1])
        # any other unique index refusing a row is a bad record, not a conflict
        self.env.cr.execute("CREATE TEMP TABLE isp_billing_test_u (x int UNIQUE)")
        self.env.cr.execute("INSERT INTO isp_billing_test_u VALUES (1)")
        with self.assertRaises(psycopg2.IntegrityError) as caught, \
                mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute("INSERT INTO isp_billing_test_u VALUES (1)")
        self.assertFalse(isp_subscription._concurrency_error(caught.exception))
        subs._isp_bill_chunk(run.id, "%d-04-01" % Y)
        self.assertEqual([len(self.bills(s)) for s in subs], [2, 2])

    def test_the_database_refuses_a_second_bill_for_a_period(self):
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        bill = self.bills(sub)
        with self.assertRaises(psycopg2.IntegrityError) as ctx, mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            bill.copy({"isp_subscription_id": sub.id, "isp_kind": "period",
                       "isp_period_start": bill.isp_period_start,
                       "isp_period_end": bill.isp_period_end})
        self.assertEqual(ctx.exception.diag.constraint_name, "account_invoice_isp_period_uniq")
        # a cancelled bill does not count: the period can be billed again
        bill.journal_id.update_posted = True
        bill.action_invoice_cancel()
        with self.today(D(Y, 3, 15)):
            sub.action_generate_bill()
        self.assertEqual(len(self.bills(sub).filtered(lambda i: i.state == "open")), 1)

    def test_one_bad_account_is_logged_and_skipped(self):
        good, bad, good2 = self.monthly_sub(), self.monthly_sub(), self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            (good | bad | good2).action_activate()
        real = type(self.Sub)._isp_create_period_invoice

        def fail_for_bad(sub, *args, **kwargs):
            if sub == bad:
                raise UserError(_("No income account for T monthly 10M"))
            return real(sub, *args, **kwargs)
        with patch.object(type(self.Sub), "_isp_create_period_invoice", fail_for_bad), \
                mute_logger("odoo.addons.isp_billing.models.isp_subscription"):
            run = self.run_billing("%d-04-01" % Y)
        self.assertEqual([len(self.bills(s)) for s in (good, bad, good2)], [2, 1, 2])
        self.assertEqual(run.error_ids.subscription_id, bad)
        self.assertIn("No income account", run.error_ids.message)
        # next run bills it once the cause is fixed
        self.run_billing("%d-04-02" % Y)
        self.assertEqual(len(self.bills(bad)), 2)

    def test_daily_and_hotspot_accounts_never_get_monthly_bills(self):
        daily = self.daily_sub()
        hotspot = self.daily_sub(connection_type="hotspot",
                                 plan_id=self.plan_hotspot_hours.id)
        (daily | hotspot).action_activate()
        self.run_billing("%d-04-01" % Y)
        self.assertFalse(self.Invoice.search([("isp_subscription_id", "in",
                                               (daily | hotspot).ids)]))

    def test_profile_without_automatic_bill(self):
        profile = self.profile_bill.copy({"name": "manual", "auto_bill": False})
        sub = self.monthly_sub(billing_profile_id=profile.id)
        sub.action_activate()
        self.run_billing("%d-04-01" % Y)
        self.assertFalse(self.bills(sub))

    def test_other_charges_with_the_next_bill_or_at_once(self):
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        product = self.env["product.product"].create({"name": "Installation", "type": "service",
                                                      "list_price": 500})
        later = self.env["isp.other.charge"].create({
            "subscription_id": sub.id, "product_id": product.id, "name": "Installation",
            "amount": 500.0, "bill_with": "next"})
        now = self.env["isp.other.charge"].create({
            "subscription_id": sub.id, "product_id": product.id, "name": "Router",
            "amount": 1800.0, "bill_with": "now"})
        self.assertEqual((now.state, now.invoice_id.amount_untaxed, now.invoice_id.state),
                         ("billed", 1800.0, "open"))
        self.assertEqual(later.state, "pending")
        self.run_billing("%d-04-01" % Y)
        april = self.bills(sub)[-1]
        self.assertEqual(later.invoice_id, april)
        self.assertEqual(sorted(april.invoice_line_ids.mapped("price_subtotal")), [500.0, 900.0])

    def test_plan_change_credits_the_old_and_charges_the_new(self):
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        period = self.bills(sub)
        with self.today(D(Y, 3, 21)):  # 11 of 31 days left
            sub.action_change_plan(self.plan_monthly_b)
        refund = self.Invoice.search([("isp_subscription_id", "=", sub.id),
                                      ("type", "=", "out_refund")])
        charge = self.bills(sub, kinds=("plan_change",)).filtered(
            lambda i: i.type == "out_invoice")
        self.assertEqual((refund.amount_total, refund.state), (319.35, "paid"))
        self.assertEqual((charge.amount_total, charge.state), (532.26, "open"))  # 1500*11/31
        # the credit note paid part of the open March bill
        self.assertEqual(period.residual, 900.0 - 319.35)
        self.run_billing("%d-04-01" % Y)
        self.assertEqual(self.bills(sub)[-1].amount_untaxed, 1500.0)

    def test_generate_bill_needs_a_period_to_bill(self):
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
            with self.assertRaisesRegex(UserError, "already billed"):
                sub.action_generate_bill()
        with self.assertRaisesRegex(UserError, "prepaid"):
            self.daily_sub().action_generate_bill()

    def test_bill_amount_in_words_and_qr(self):
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        bill = self.bills(sub)
        self.assertEqual(bill.isp_amount_words, bill.currency_id.amount_to_text(900.0))
        self.assertIn("Nine Hundred", bill.isp_amount_words)
        self.assertEqual(bill.isp_qr_payload(), "ISP-PAY|%s|%s|%s|900.00 %s" % (
            bill.reference, bill.number, self.partner.isp_customer_code,
            bill.currency_id.name))
        self.assertTrue(bill.isp_qr_data_uri().startswith("data:image/png;base64,"))
        self.env["res.lang"].load_lang("bn_BD")
        self.partner.lang = "bn_BD"
        bill.invalidate_cache()
        # num2words' Bangla (since 0.5.14): "নয়শত"
        self.assertIn(num2words(900, lang="bn"), bill.isp_amount_words)
        self.assertNotIn("Nine", bill.isp_amount_words)

    def test_deleting_a_billed_account_is_refused(self):
        sub = self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            sub.action_activate()
        sub.action_disable("gone")
        with self.assertRaisesRegex(UserError, "has bills"):
            sub.unlink()


@at_install(False)
@post_install(True)
class TestBatchPosting(BillingCase):
    """The monthly run posts bills in batches: the journal entries must be
    exactly those Odoo's own action_invoice_open makes."""

    def entries(self, invoice):
        return sorted((ln.account_id.id, ln.debit, ln.credit, ln.partner_id.id,
                       ln.tax_line_id.id, tuple(ln.tax_ids.ids), ln.name, ln.date_maturity,
                       ln.quantity, ln.product_id.id, ln.amount_residual, ln.journal_id.id)
                      for ln in invoice.move_id.line_ids)

    def test_batch_posting_makes_the_same_entries(self):
        tax = self.env["account.tax"].create({"name": "VAT 15", "amount": 15.0,
                                              "amount_type": "percent",
                                              "type_tax_use": "sale"})
        self.plan_monthly.tax_ids = tax
        subs = self.monthly_sub() | self.monthly_sub(partner_id=self.partner2.id)
        with self.today(D(Y, 3, 1)):
            subs.action_activate()  # first bills: Odoo's own path
        odoo_way = self.bills(subs[0]) | self.bills(subs[1])
        self.assertTrue(all(i.state == "open" for i in odoo_way))
        self.run_billing("%d-04-01" % Y, subs)  # the batch path
        batch = (self.bills(subs[0]) | self.bills(subs[1])) - odoo_way
        self.assertEqual(len(batch), 2)
        for old, new in zip(odoo_way.sorted("id"), batch.sorted("id"), strict=True):
            self.assertEqual(new.state, "open")
            self.assertEqual((new.amount_untaxed, new.amount_tax, new.amount_total,
                              new.residual), (900.0, 135.0, 1035.0, 1035.0))
            self.assertEqual((new.move_id.state, new.number, new.move_name),
                             ("posted", new.move_id.name, new.move_id.name))
            self.assertEqual(new.move_id.ref, new.reference)
            # the customer follows its bill, as with action_invoice_open
            self.assertIn(new.partner_id, new.message_partner_ids)
            self.assertEqual(new.date, new.move_id.date)
            shape = [e[:6] for e in self.entries(old)]
            self.assertEqual([e[:6] for e in self.entries(new)], shape)
            # same sequence, numbers in a row
            self.assertEqual(new.journal_id, old.journal_id)
        numbers = sorted(batch.mapped("number"))
        self.assertEqual(int(numbers[1][-4:]) - int(numbers[0][-4:]), 1)
        # and it is paid like any bill
        self.pay(batch[0])
        self.assertEqual(batch[0].state, "paid")

    def test_a_bill_that_cannot_be_posted_is_left_out(self):
        subs = self.monthly_sub() | self.monthly_sub() | self.monthly_sub()
        with self.today(D(Y, 3, 1)):
            subs.action_activate()
        bad = subs[1]
        real = type(self.Invoice).finalize_invoice_move_lines

        def refuse_bad(invoice, move_lines):
            if invoice.isp_subscription_id == bad:
                raise UserError(_("The journal of this bill is locked"))
            return real(invoice, move_lines)
        with patch.object(type(self.Invoice), "finalize_invoice_move_lines", refuse_bad), \
                mute_logger("odoo.addons.isp_billing.models.isp_subscription"):
            run = self.run_billing("%d-04-01" % Y, subs)
        self.assertEqual([len(self.bills(s)) for s in subs], [2, 1, 2])
        self.assertEqual(run.error_ids.subscription_id, bad)
        self.assertFalse(self.Invoice.search([("isp_subscription_id", "=", bad.id),
                                              ("state", "=", "draft")]))
