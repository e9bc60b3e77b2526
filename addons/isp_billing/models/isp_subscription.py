# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import logging

import psycopg2
import psycopg2.errorcodes

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job

from odoo.addons.isp_base.lib import billing_profile as bp
from odoo.addons.isp_base.lib import localtime

from ..lib import proration
from .account_invoice import PERIOD_KINDS

_logger = logging.getLogger(__name__)


#: the unique index of bill numbers: a number another transaction took first
#: (two transactions numbering the first bills of a new year each create the
#: year's range of the gapless sequence, unseen by the other, and both start
#: at 1; the later one is refused by this index)
NUMBER_UNIQUE_INDEX = "account_invoice_number_uniq"


def _concurrency_error(exc):
    """A conflict with another transaction (retried), not a bad record."""
    if isinstance(exc, psycopg2.OperationalError):
        return exc.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY
    return isinstance(exc, psycopg2.IntegrityError) \
        and exc.pgcode == psycopg2.errorcodes.UNIQUE_VIOLATION \
        and exc.diag.constraint_name == NUMBER_UNIQUE_INDEX


class IspSubscription(models.Model):
    _inherit = "isp.subscription"

    currency_id = fields.Many2one(related="plan_id.currency_id", readonly=True)
    special_price = fields.Monetary(
        help="Monthly price of this account instead of the package's customer price.")
    invoice_ids = fields.One2many("account.invoice", "isp_subscription_id", string="Bills",
                                  readonly=True)
    invoice_count = fields.Integer(compute="_compute_billing_figures")
    amount_due = fields.Monetary(
        compute="_compute_billing_figures",
        help="What is left to pay on this account's open bills (from the journal entries).")
    other_charge_ids = fields.One2many("isp.other.charge", "subscription_id",
                                       string="Other charges")
    suspension_status = fields.Char(
        compute="_compute_suspension_status",
        help="What the suspension job would do now, and why (seed 000 FAQ).")

    def _compute_billing_figures(self):
        groups = self.env["account.invoice"].sudo().read_group(
            [("isp_subscription_id", "in", self.ids), ("type", "=", "out_invoice"),
             ("state", "in", ("open", "paid"))],
            ["isp_subscription_id", "residual"], ["isp_subscription_id"])
        figures = {g["isp_subscription_id"][0]: (g["isp_subscription_id_count"], g["residual"])
                   for g in groups}
        for sub in self:
            sub.invoice_count, sub.amount_due = figures.get(sub.id, (0, 0.0))

    def _compute_suspension_status(self):
        now = fields.Datetime.from_string(fields.Datetime.now())
        unpaid = self._isp_unpaid_due_dates()
        date_format = self.env.user.partner_id._isp_lang().date_format
        for sub in self:
            if sub.state != "active":
                sub.suspension_status = _("Not active.")
                continue
            profile = sub.billing_profile_id
            _decision, reason = bp.suspension_check(
                sub.billing_type, sub.connection_type, profile.auto_suspend,
                sub.validity_end and fields.Datetime.from_string(sub.validity_end), now,
                unpaid.get(sub.id, []), profile.grace_days, tz_name=sub._isp_tz_name(),
                date_format=date_format)
            sub.suspension_status = reason

    # time ----------------------------------------------------------------

    def _isp_tz_name(self):
        """The ISP's time zone (the company's): its days are the days of
        bills, due dates and suspensions."""
        return (self[:1].company_id or self.env.user.company_id)._isp_tz_name()

    def _isp_today(self):
        """Today in the ISP's time zone (billing periods are local dates)."""
        return localtime.local_day(datetime.datetime.utcnow(), self._isp_tz_name())

    def _isp_end_of_day(self, day):
        """The last second of local `day`, as an Odoo UTC datetime string."""
        return fields.Datetime.to_string(localtime.day_end_utc(day, self._isp_tz_name()))

    # monthly bills ---------------------------------------------------------

    def _isp_bills_automatically(self):
        return bp.bills_automatically(self.billing_profile_id.auto_bill, self.billing_type,
                                      self.connection_type)

    def _isp_monthly_price(self):
        return self.special_price or self.plan_id.customer_price

    def _isp_anchor(self):
        profile = self.billing_profile_id
        return self.billing_anchor_day or (
            profile.billing_day if profile.cycle_ends_with_month else self._isp_today().day)

    def _isp_first_period(self, day):
        """(start, end, days billed, days in cycle, anchor) of the bill of an
        account activated on local `day` (notes 4 and 5)."""
        profile = self.billing_profile_id
        if self.billing_anchor_day and not profile.cycle_ends_with_month:
            # re-activation of a "no" account: its own cycle stays
            start, end = bp.cycle_bounds(self.billing_anchor_day, day)
            return (day, end, proration.days_between(day, end),
                    proration.days_between(start, end), self.billing_anchor_day)
        return profile.first_bill(day)

    def _activation_values(self, now):
        vals = super()._activation_values(now)
        if self._isp_bills_automatically() and not self._isp_period_invoice(self._isp_today()):
            _start, end, _days, _cycle, anchor = self._isp_first_period(self._isp_today())
            vals["validity_end"] = self._isp_end_of_day(end)
            vals["billing_anchor_day"] = self.billing_anchor_day or anchor
        return vals

    @api.multi
    def action_activate(self, reason=None):
        res = super().action_activate(reason=reason)
        for sub in self.filtered(lambda s: s._isp_bills_automatically()):
            today = sub._isp_today()
            if not sub._isp_period_invoice(today):
                start, end, days, cycle, _anchor = sub._isp_first_period(today)
                sub.sudo()._isp_create_period_invoice(start, end, days, cycle, kind="first")
        return res

    def _isp_period_invoice(self, day):
        """The bill of this account whose period contains local `day`."""
        day = fields.Date.to_string(day)
        return self.env["account.invoice"].sudo().search([
            ("isp_subscription_id", "=", self.id), ("isp_kind", "in", PERIOD_KINDS),
            ("state", "!=", "cancel"), ("type", "=", "out_invoice"),
            ("isp_period_start", "<=", day), ("isp_period_end", ">=", day)], limit=1)

    def _isp_periods_to_bill(self, billed_until, today):
        """Periods (start, end, days billed, days in cycle) still to bill on
        local `today`, after `billed_until` (a date or None)."""
        anchor = self._isp_anchor()
        if billed_until:
            start = billed_until + datetime.timedelta(days=1)
        else:
            start = bp.cycle_bounds(anchor, today)[0]
        periods = []
        while start <= today and len(periods) < 24:
            cycle_start, cycle_end = bp.cycle_bounds(anchor, start)
            periods.append((start, cycle_end, proration.days_between(start, cycle_end),
                            proration.days_between(cycle_start, cycle_end)))
            start = cycle_end + datetime.timedelta(days=1)
        return periods

    def _isp_create_period_invoice(self, start, end, days, cycle, kind="period", run=None,
                                   post=True, cache=None):
        """Create (and post, unless `post` is False) the bill of one period,
        prorated when the period is shorter than the cycle, with the pending
        other charges."""
        self.ensure_one()
        price = self._isp_monthly_price()
        rounding = self.currency_id.rounding or 0.01
        amount = proration.prorate(price, days, cycle, rounding) if days != cycle else price
        label = _("%s, %s") % (self.plan_id.name, proration.period_label(
            start, end, self.partner_id._isp_lang().date_format))
        if days != cycle:
            label += _(" (%d of %d days)") % (days, cycle)
        lines = [self._isp_invoice_line_vals(self.plan_id.product_id, label, amount,
                                             self.plan_id.tax_ids, cache=cache)]
        charges = self.other_charge_ids.filtered(
            lambda c: c.state == "pending" and c.bill_with == "next")
        lines += [charge._invoice_line_vals() for charge in charges]
        invoice = self._isp_create_invoice(kind, lines, date=start, period=(start, end),
                                           plan=self.plan_id, run=run, cache=cache)
        if charges:
            charges.write({"state": "billed", "invoice_id": invoice.id})
        if post:
            invoice._isp_post()
            self._isp_after_bills(invoice)
        return invoice

    def _isp_invoice_line_vals(self, product, label, price, taxes, quantity=1.0, cache=None):
        key = ("account", product.id, self.partner_id.property_account_position_id.id,
               self.company_id.id)
        account = (cache or {}).get(key)
        if account is None:
            account = self.env["account.invoice.line"].get_invoice_line_account(
                "out_invoice", product, self.partner_id.property_account_position_id,
                self.company_id)
            if cache is not None:
                cache[key] = account
        if not account:
            raise UserError(_("No income account for %s: set one on the product or its "
                              "category.") % product.display_name)
        return {"product_id": product.id, "name": label, "quantity": quantity,
                "price_unit": price, "account_id": account.id,
                "invoice_line_tax_ids": [(6, 0, taxes.ids)], "uom_id": product.uom_id.id}

    def _isp_create_invoice(self, kind, lines, date=None, period=None, plan=None, run=None,
                            inv_type="out_invoice", cache=None):
        """A draft bill of this account. Every value Odoo's invoice onchanges
        would fill is given (no per-bill onchange), and the tax lines are
        computed once per distinct set of lines (`cache`, shared by a run)."""
        self.ensure_one()
        cache = {} if cache is None else cache
        partner = self.partner_id
        company = self.company_id
        key = ("journal", inv_type, company.id)
        if key not in cache:
            cache[key] = self.env["account.invoice"].with_context(
                type=inv_type, company_id=company.id)._default_journal()
            cache[("bank", company.id)] = self.env["res.partner.bank"].search(
                [("partner_id", "=", company.partner_id.id)], limit=1)
        journal = cache[key]
        date = date or self._isp_today()
        due_days = self.billing_profile_id.due_days if kind in PERIOD_KINDS else 0
        currency = (plan or self.plan_id).currency_id or company.currency_id
        fpos = partner.property_account_position_id
        vals = {
            "type": inv_type,
            "partner_id": partner.id,
            "account_id": partner.property_account_receivable_id.id,
            "payment_term_id": False,
            "fiscal_position_id": fpos.id,
            "partner_bank_id": cache[("bank", company.id)].id
            if inv_type == "out_invoice" else False,
            "journal_id": journal.id,
            "company_id": company.id,
            "currency_id": currency.id,
            "date_invoice": fields.Date.to_string(date),
            "date_due": fields.Date.to_string(bp.due_date(date, due_days)),
            "origin": self.name,
            "isp_subscription_id": self.id,
            "isp_kind": kind,
            "isp_plan_id": (plan or self.plan_id).id,
            "invoice_line_ids": [(0, 0, line) for line in lines],
            "tax_line_ids": [(0, 0, tax) for tax in self._isp_tax_lines(
                lines, currency, fpos, inv_type, cache)],
        }
        if period:
            vals.update(isp_period_start=fields.Date.to_string(period[0]),
                        isp_period_end=fields.Date.to_string(period[1]),
                        reference="%s-%s" % (partner.isp_customer_code or self.id,
                                             period[0].strftime("%Y%m%d")))
        if run:
            vals["isp_run_id"] = run.id
        invoice = self.env["account.invoice"].sudo().with_context(
            mail_create_nolog=True, tracking_disable=True).create(vals)
        if not period:
            invoice.reference = "%s-%s" % (partner.isp_customer_code or self.id, invoice.id)
        return invoice

    def _isp_tax_lines(self, lines, currency, fpos, inv_type, cache):
        """The tax lines Odoo computes for these invoice lines (its own
        get_taxes_values, on an unsaved invoice), once per distinct lines."""
        key = ("taxes", inv_type, currency.id, fpos.id, self.company_id.id, tuple(
            (line["product_id"], line["price_unit"], line["quantity"], line["account_id"],
             tuple(line["invoice_line_tax_ids"][0][2])) for line in lines))
        if key not in cache:
            draft = self.env["account.invoice"].new({
                "type": inv_type, "partner_id": self.partner_id.id, "currency_id": currency.id,
                "company_id": self.company_id.id, "fiscal_position_id": fpos.id,
                "invoice_line_ids": [(0, 0, line) for line in lines]})
            cache[key] = [dict(vals, invoice_id=False)
                          for vals in draft.get_taxes_values().values()]
        return [dict(vals) for vals in cache[key]]

    def _isp_after_bills(self, invoices):
        """Posted bills: customer credit (advance payments, credit notes) goes
        to them at once, then the customer hears about them."""
        invoices = invoices.filtered(lambda i: i.state == "open")
        self._isp_apply_credit(invoices.filtered(
            lambda i: i.commercial_partner_id in self._isp_partners_with_credit(invoices)))
        for invoice in invoices.filtered(lambda i: i.state == "open"):
            invoice.isp_subscription_id._isp_notify("bill", invoice)

    @api.model
    def _isp_partners_with_credit(self, invoices):
        """Partners of `invoices` holding outstanding credit (one query)."""
        if not invoices:
            return self.env["res.partner"]
        self.env.cr.execute("""
            SELECT DISTINCT l.partner_id FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
             WHERE l.partner_id IN %s AND l.account_id IN %s AND NOT l.reconciled
               AND l.credit > 0 AND l.debit = 0""",
                            (tuple(invoices.mapped("commercial_partner_id").ids),
                             tuple(invoices.mapped("account_id").ids)))
        return self.env["res.partner"].browse([r[0] for r in self.env.cr.fetchall()])

    @api.model
    def _isp_apply_credit(self, invoices):
        """Pay open bills from the partners' outstanding credit (money received
        ahead, credit notes), oldest bill first."""
        if not invoices:
            return
        MoveLine = self.env["account.move.line"].sudo()
        for partner in invoices.mapped("commercial_partner_id"):
            own = invoices.filtered(lambda i, p=partner: i.commercial_partner_id == p)
            account = own[0].account_id
            credits = MoveLine.search([
                ("partner_id", "=", partner.id), ("account_id", "=", account.id),
                ("reconciled", "=", False), ("credit", ">", 0), ("debit", "=", 0),
                ("move_id.state", "=", "posted")], order="date, id")
            for invoice in own.sorted(lambda i: (i.date_due or "", i.id)):
                for credit in credits.filtered(lambda c: not c.reconciled):
                    if invoice.state != "open":
                        break
                    invoice.assign_outstanding_credit(credit.id)

    # the monthly run -------------------------------------------------------

    @api.model
    def cron_monthly_billing(self, today=None, chunk_size=50, sync=False):
        """The scheduled run: every account."""
        return self.browse()._isp_run_billing(today=today, chunk_size=chunk_size, sync=sync)

    @api.multi
    def _isp_run_billing(self, today=None, chunk_size=50, sync=False):
        """Bill every monthly account (of self, when not empty) whose next
        period has started (the billing day, or missed days). Chunks are
        queued jobs (each its own transaction, one at a time in the channel
        root.isp_billing); `sync` runs them here."""
        today = fields.Date.from_string(today) if today else None
        run = self.env["isp.billing.run"].create({"date": fields.Datetime.now()})
        candidates = self._isp_billing_candidates(today, only=self.ids)
        ids = [c[0] for c in candidates]
        for start in range(0, len(ids), chunk_size):
            chunk = ids[start:start + chunk_size]
            if sync:
                self.browse(chunk)._isp_bill_chunk(run.id, today and fields.Date.to_string(today))
            else:
                self.browse(chunk).with_delay(
                    description="Monthly bills %d-%d" % (start + 1, start + len(chunk)),
                    max_retries=3)._isp_bill_chunk(run.id, today and fields.Date.to_string(today))
        run.subscription_count = len(ids)
        return run

    @api.model
    def _isp_billing_candidates(self, today=None, only=None):
        """(subscription id, billed until) of accounts with a period to bill."""
        self.env.cr.execute("""
            SELECT s.id, max(i.isp_period_end)
              FROM isp_subscription s
              JOIN isp_billing_profile p ON p.id = s.billing_profile_id AND p.auto_bill
              LEFT JOIN account_invoice i ON i.isp_subscription_id = s.id
                   AND i.isp_kind IN ('first', 'period') AND i.state != 'cancel'
                   AND i.type = 'out_invoice'
             WHERE s.billing_type = 'monthly' AND s.connection_type != 'hotspot'
               AND s.state IN ('active', 'suspended')
               AND (%(all)s OR s.id IN %(only)s)
             GROUP BY s.id
            HAVING max(i.isp_period_end) IS NULL OR max(i.isp_period_end) < %(today)s
             ORDER BY s.id""", {
            "today": today or datetime.date.today() + datetime.timedelta(days=1),
            "all": not only, "only": tuple(only or [0])})
        return self.env.cr.fetchall()

    @job(default_channel="root.isp_billing")
    @api.multi
    def _isp_bill_chunk(self, run_id, today=None):
        """Bill these accounts (one queued job, one transaction): their draft
        bills first, each account in a savepoint (one failing account is
        logged and skipped), then all bills posted at once; if posting the
        batch fails, bill by bill so that only the bad one is left out.

        Bills are numbered without gaps (the sales journal's sequence is a
        locked row): two transactions cannot post at the same time. The
        jobs run one at a time in their channel (`root.isp_billing:1`); a
        concurrency error (another transaction numbering bills, or a number
        it took first) is not a bad account: the whole chunk is retried
        later, nothing is kept."""
        try:
            return self._isp_bill_chunk_now(run_id, today)
        except (psycopg2.OperationalError, psycopg2.IntegrityError) as exc:
            if not _concurrency_error(exc):
                raise
            raise RetryableJobError(_("Another transaction is numbering bills: "
                                      "this chunk is billed again shortly."), seconds=10)

    def _isp_bill_chunk_now(self, run_id, today=None):
        run = self.env["isp.billing.run"].browse(run_id)
        billed_until = dict(self._isp_billing_candidates_for(self.ids))
        # the batch's bills: no tracking messages (a state change per bill)
        drafts = self.env["account.invoice"].with_context(
            tracking_disable=True, mail_notrack=True, mail_create_nolog=True)
        cache = {}
        subs = self.with_context(tracking_disable=True, mail_notrack=True,
                                 mail_create_nolog=True)
        for sub in subs:
            try:
                with self.env.cr.savepoint():
                    day = fields.Date.from_string(today) if today else sub._isp_today()
                    until = billed_until.get(sub.id)
                    for start, end, days, cycle in sub._isp_periods_to_bill(
                            until and fields.Date.from_string(until), day):
                        drafts |= sub._isp_create_period_invoice(
                            start, end, days, cycle, run=run, post=False, cache=cache)
            except Exception as exc:  # one bad account must not stop the run
                if _concurrency_error(exc):
                    raise
                self._isp_billing_failed(run, sub, exc)
        if not drafts:
            return drafts
        try:
            with self.env.cr.savepoint():
                drafts._isp_post()
        except Exception as exc:
            if _concurrency_error(exc):
                raise
            _logger.info("Posting %d bills at once failed; posting them one by one",
                         len(drafts), exc_info=True)
            self.env.clear()
            for invoice in drafts:
                try:
                    with self.env.cr.savepoint():
                        invoice._isp_post()
                except Exception as exc:
                    if _concurrency_error(exc):
                        raise
                    self._isp_billing_failed(run, invoice.isp_subscription_id, exc)
                    with self.env.cr.savepoint():
                        invoice.sudo().unlink()
        posted = drafts.exists().filtered(lambda i: i.state == "open")
        subs._isp_after_bills(posted)
        return posted

    def _isp_billing_failed(self, run, sub, exc):
        # what the failed savepoint held in the ORM cache is gone
        self.env.clear()
        _logger.exception("Monthly bill of %s failed", sub.name)
        self.env["isp.billing.error"].sudo().create({
            "run_id": run.id, "subscription_id": sub.id,
            "message": "%s: %s" % (type(exc).__name__, exc)})

    def _isp_billing_candidates_for(self, ids):
        if not ids:
            return []
        self.env.cr.execute("""
            SELECT s.id, max(i.isp_period_end) FROM isp_subscription s
              LEFT JOIN account_invoice i ON i.isp_subscription_id = s.id
                   AND i.isp_kind IN ('first', 'period') AND i.state != 'cancel'
                   AND i.type = 'out_invoice'
             WHERE s.id IN %s GROUP BY s.id""", (tuple(ids),))
        return self.env.cr.fetchall()

    @api.multi
    def action_generate_bill(self):
        """Generate Bill (seed 000): bill the current period now if it is not."""
        self._isp_check_may("billing")
        for sub in self:
            if not (sub.billing_type == "monthly" and sub.connection_type != "hotspot"):
                raise UserError(_("%s is prepaid: recharge it instead of billing it.")
                                % sub.name)
            if sub.state not in ("active", "suspended"):
                raise UserError(_("%s is not active.") % sub.name)
            until = dict(sub._isp_billing_candidates_for(sub.ids)).get(sub.id)
            periods = sub._isp_periods_to_bill(until and fields.Date.from_string(until),
                                               sub._isp_today())
            if not periods:
                raise UserError(_("%s: the current period is already billed.") % sub.name)
            for period in periods:
                sub.sudo()._isp_create_period_invoice(*period)
        return True

    # payments extend -------------------------------------------------------

    def _isp_paid_until(self, period_end):
        """A period bill is paid: valid until the end of that period; an
        account suspended for an unpaid bill is back at once."""
        end = self._isp_end_of_day(fields.Date.from_string(period_end))
        if not self.validity_end or end > self.validity_end:
            self.with_context(isp_no_network_event=True).write({"validity_end": end})
            if self.state == "active":
                self._on_network_state_changed("extend", {self.id: self.state})
        if self.state == "suspended" and self.suspend_reason == "non_payment" \
                and self.validity_end > fields.Datetime.now():
            self._transition("resume", _("Bill paid"), values={"suspend_reason": False},
                             event="payment")

    def _isp_recharged(self, plan):
        """A recharge is paid: valid for exactly the bought minutes more, from
        now or from the current end when still running."""
        now = fields.Datetime.from_string(fields.Datetime.now())
        end = self.validity_end and fields.Datetime.from_string(self.validity_end)
        start = end if end and end > now and self.state == "active" else now
        vals = {"validity_end": fields.Datetime.to_string(
            start + datetime.timedelta(minutes=plan.validity_minutes))}
        if plan != self.plan_id:
            vals["plan_id"] = plan.id
        self.with_context(isp_no_network_event=True).write(vals)
        if self.state in ("draft", "expired"):
            if not self.activation_date:
                self.activation_date = fields.Datetime.to_string(now)
            self._transition("activate", _("Recharged: %s") % plan.name, event="recharge")
        else:
            self._on_network_state_changed("extend", {self.id: self.state})

    @api.multi
    def action_recharge(self, plan, journal=None, reference=None, sender_number=None,
                        pay=True):
        """Sell `plan` to a daily / hotspot account: one bill at the customer
        price and, when `pay`, its payment through `journal` (cash by default).
        The validity grows when the bill is paid."""
        self.ensure_one()
        self._isp_check_may("billing")
        # the caller may see the package (its rules); its invoicing side
        # (product, taxes, accounts) is read past them: portal logins
        # (resellers) may not read products or journals
        plan.check_access_rights("read")
        plan.check_access_rule("read")
        plan = plan.sudo()
        if self.billing_type != "daily":
            raise UserError(_("%s is billed monthly: pay its bill instead of recharging.")
                            % self.name)
        if self.state == "disabled":
            raise UserError(_("%s is disabled.") % self.name)
        if plan.billing_type != "daily" or self.connection_type not in \
                plan.allowed_connection_types():
            raise UserError(_("%s cannot be sold to this account.") % plan.name)
        # one recharge of an account at a time
        self.env.cr.execute("SELECT id FROM isp_subscription WHERE id = %s FOR UPDATE",
                            (self.id,))
        sub = self.sudo()
        line = sub._isp_invoice_line_vals(plan.product_id, _("%s (%s)") % (
            plan.name, plan.validity_label()), plan.customer_price, plan.tax_ids)
        invoice = sub._isp_create_invoice("recharge", [line], plan=plan)
        invoice.action_invoice_open()
        if pay:
            self.env["account.payment"].isp_pay_invoices(
                invoice, journal=journal, reference=reference, sender_number=sender_number)
        return invoice

    @api.multi
    def action_change_plan(self, plan):
        """Monthly accounts: credit the unused days of the old package and
        charge the new one for the same days of the billed period."""
        changes = []
        today = None
        for sub in self.filtered(lambda s: s._isp_bills_automatically() and s.plan_id):
            today = sub._isp_today()
            current = sub._isp_period_invoice(today)
            if current and plan != sub.plan_id:
                changes.append((sub, sub.plan_id, sub._isp_monthly_price(), current))
        res = super().action_change_plan(plan)
        for sub, old_plan, old_price, current in changes:
            sub.sudo()._isp_bill_plan_change(old_plan, old_price, current, today)
        return res

    def _isp_bill_plan_change(self, old_plan, old_price, period_invoice, today):
        start = fields.Date.from_string(period_invoice.isp_period_start)
        end = fields.Date.from_string(period_invoice.isp_period_end)
        rounding = self.currency_id.rounding or 0.01
        credit, charge, days = proration.plan_change(
            old_price, self._isp_monthly_price(), today, start, end, rounding)
        label = proration.period_label(today, end, self.partner_id._isp_lang().date_format)
        refund = self.env["account.invoice"]
        if credit:
            line = self._isp_invoice_line_vals(
                old_plan.product_id, _("%s: unused %d days, %s") % (old_plan.name, days, label),
                credit, old_plan.tax_ids)
            refund = self._isp_create_invoice("plan_change", [line], plan=old_plan,
                                              inv_type="out_refund")
            refund.action_invoice_open()
        line = self._isp_invoice_line_vals(
            self.plan_id.product_id, _("%s: %d days, %s") % (self.plan_id.name, days, label),
            charge, self.plan_id.tax_ids)
        invoice = self._isp_create_invoice("plan_change", [line])
        invoice.action_invoice_open()
        # the credit note first pays what is open (the period, the new charge)
        self._isp_after_bills(period_invoice | invoice)
        return refund, invoice

    # suspension and expiry -----------------------------------------------

    @api.model
    def _isp_unpaid_due_dates_for(self, ids):
        if not ids:
            return {}
        self.env.cr.execute("""
            SELECT isp_subscription_id, array_agg(date_due) FROM account_invoice
             WHERE isp_subscription_id IN %s AND state = 'open' AND type = 'out_invoice'
             GROUP BY isp_subscription_id""", (tuple(ids),))
        return {sub_id: [d if isinstance(d, datetime.date) else fields.Date.from_string(d)
                         for d in dates]
                for sub_id, dates in self.env.cr.fetchall()}

    def _isp_unpaid_due_dates(self):
        return self._isp_unpaid_due_dates_for(self.ids)

    @api.model
    def cron_suspend_expired(self):
        """Every minute: daily/hotspot accounts whose validity ended expire;
        monthly ones are suspended when their validity ended AND a bill is
        overdue (+ grace). Cheap when nothing is due: one indexed query."""
        now_text = fields.Datetime.now()
        self.env.cr.execute("""
            SELECT id FROM isp_subscription
             WHERE state = 'active' AND validity_end <= %s AND connection_type != 'other'
             ORDER BY validity_end LIMIT 5000""", (now_text,))
        ids = [r[0] for r in self.env.cr.fetchall()]
        if not ids:
            return 0
        now = fields.Datetime.from_string(now_text)
        subs = self.sudo().browse(ids)
        unpaid = self._isp_unpaid_due_dates_for(ids)
        to_expire, to_suspend = self.browse(), self.browse()
        for sub in subs:
            profile = sub.billing_profile_id
            decision, _reason = bp.suspension_check(
                sub.billing_type, sub.connection_type, profile.auto_suspend,
                fields.Datetime.from_string(sub.validity_end), now, unpaid.get(sub.id, []),
                profile.grace_days, tz_name=sub._isp_tz_name())
            if decision == bp.EXPIRE:
                to_expire |= sub
            elif decision == bp.SUSPEND:
                to_suspend |= sub
        # the state log and the audit log keep the history of these changes;
        # a chatter message per account would triple the cost of a burst
        # (month end: every unpaid account at once)
        to_expire = to_expire.with_context(tracking_disable=True)
        to_suspend = to_suspend.with_context(tracking_disable=True)
        to_expire.action_expire()
        to_suspend._transition("suspend", _("Validity ended and a bill is overdue"),
                               values={"suspend_reason": "non_payment"})
        return len(to_expire) + len(to_suspend)

    @api.multi
    def _on_network_state_changed(self, event, previous_states, **info):
        res = super()._on_network_state_changed(event, previous_states, **info)
        if event in ("suspend", "expire"):
            for sub in self:
                log = sub.state_log_ids[:1]
                sub._isp_notify(event, log)
        return res

    @api.model
    def cron_expiry_warnings(self):
        """Warn accounts whose validity ends within their profile's warning
        days (1 day for accounts without a profile); once per validity end."""
        now = fields.Datetime.from_string(fields.Datetime.now())
        self.env.cr.execute("""
            SELECT s.id FROM isp_subscription s
              LEFT JOIN isp_billing_profile p ON p.id = s.billing_profile_id
             WHERE s.state = 'active' AND s.validity_end > %s
               AND s.validity_end <= %s::timestamp
                   + make_interval(days => coalesce(p.warning_days, 1))
               AND s.connection_type != 'other'""",
                            (fields.Datetime.to_string(now), fields.Datetime.to_string(now)))
        subs = self.sudo().browse([r[0] for r in self.env.cr.fetchall()])
        for sub in subs:
            sub._isp_notify("expiry_warning", sub)
        return len(subs)

    # notices -----------------------------------------------------------------

    def _isp_notify(self, event, record):
        """Queue the notices of `event` about `record` for this account's
        subscriber (once per event and record: see isp.notice)."""
        return self.env["isp.notice"].sudo().queue_for(self, event, record)

    def _isp_receive(self, amount, journal, reference=None, sender_number=None, date=None):
        """Money received without a bill (advance): posted as a customer
        payment; it pays the open bills of the customer, oldest first, and
        what is left stays as credit that the next bills take."""
        self.ensure_one()
        payment = self.env["account.payment"].sudo().create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": self.partner_id.commercial_partner_id.id, "amount": amount,
            "currency_id": (self.currency_id or self.company_id.currency_id).id,
            "journal_id": journal.id,
            "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
            "payment_date": date or fields.Date.to_string(self._isp_today()),
            "communication": _("Advance payment %s") % self.name,
            "isp_reference": reference or False, "isp_sender_number": sender_number or False,
        })
        payment.post()
        open_bills = self.env["account.invoice"].sudo().search([
            ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
            ("state", "=", "open"), ("type", "=", "out_invoice")])
        self._isp_apply_credit(open_bills)
        return payment

    @api.model
    def _isp_demo_billing(self):
        """Demo data: this month's bills, and payments of every method."""
        self.cron_monthly_billing(sync=True)
        Payment = self.env["account.payment"]
        ref = self.env.ref
        bills = self.env["account.invoice"].search([
            ("isp_subscription_id.state", "=", "active"), ("state", "=", "open"),
            ("isp_kind", "in", PERIOD_KINDS)], order="id")
        journals = [Payment.isp_default_journal(method=m)
                    for m in ("cash", "bkash", "send_money")]
        for i, bill in enumerate(bills[:3]):
            Payment.isp_pay_invoices(
                bill, journal=journals[i], reference=None if i == 0 else "DEMO8A7B%02d" % i,
                sender_number="+8801711000999" if i == 2 else None)
        ref("isp_base.subscription_11").sudo().action_recharge(
            ref("isp_base.plan_daily_10m_7d"))
        ref("isp_base.subscription_17").sudo().action_recharge(
            ref("isp_base.plan_hotspot_1d"), journal=journals[1], reference="DEMO9C0D17")

    # views -------------------------------------------------------------------

    @api.multi
    def action_view_invoices(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action["domain"] = [("isp_subscription_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    @api.multi
    def unlink(self):
        billed = self.filtered(lambda s: self.env["account.invoice"].sudo().search_count(
            [("isp_subscription_id", "=", s.id)]))
        if billed:
            raise UserError(_("%s has bills: disable it instead of deleting it (its "
                              "accounting history stays).") % ", ".join(billed.mapped("name")))
        return super().unlink()

    @api.constrains("special_price")
    def _check_special_price(self):
        for sub in self:
            if sub.special_price < 0:
                raise ValidationError(_("A special price cannot be negative."))

