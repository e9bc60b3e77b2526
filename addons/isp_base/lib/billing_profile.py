# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a billing profile means (seed 000, "Daily Billing vs. Monthly
Billing", notes 1-5 and the FAQ). Plain functions on dates and flags.

Note 1: For Hotspot customers, it is not necessary to understand how
        billing profiles work.
Note 2: Automatic bill = yes means that the invoice will be generated
        automatically on the first day of every month. But just for monthly
        billing customers.
Note 3: Automatic Suspend = yes means the customer will be automatically
        suspended if they did not pay the bills by the due date. But only for
        monthly billing customers and needs to have an invoice for customers.
        Daily billing customers will be suspended after the validity of the
        package, which cannot be controlled by the billing profile.
Note 4: Billing cycle ends with month = no means bill the customer until the
        next payment date while creating new customer.
Note 5: Billing cycle ends with month = yes means bill the customer for the
        remaining days of the month while creating new customer.
FAQ:    [a monthly customer] is suspended when the account expires and the
        bill payment date is passed. If there is no bill, the account is not
        suspended.
Table:  Fixed billing cycle eg 10th to 10th, 15th to 15th. Billing cycles do
        not change for later or earlier bill payments.

How the suite reads "billing day" and "cycle ends with month":
* cycle ends with month = yes: every customer of the profile has the same
  cycle, starting on the profile's billing day (the 1st: calendar months); a
  new customer's first bill covers the rest of the current cycle, prorated.
* = no: a customer's cycle starts on the day it was activated (the 20th: 20th
  to 20th) and never moves with early or late payments; the first bill is a
  full cycle, until the next payment date.
"""
import calendar
import datetime

from . import localtime

#: outcomes of the suspension check
SUSPEND = "suspend"
EXPIRE = "expire"
KEEP = "keep"


def bills_automatically(auto_bill, billing_type, connection_type):
    """Note 2 (+ note 1): automatic monthly bills, only for monthly customers;
    hotspot customers are never billed by a profile."""
    return bool(auto_bill) and billing_type == "monthly" and connection_type != "hotspot"


def suspension_check(billing_type, connection_type, auto_suspend, validity_end, now,
                     unpaid_due_dates, grace_days=0, tz_name="UTC", date_format="%Y-%m-%d"):
    """What the suspension job does with one subscription, and why.

    `validity_end`, `now`: naive UTC datetimes; `unpaid_due_dates`: due dates
    (the ISP's calendar days) of the subscription's open invoices; `tz_name`:
    the ISP's time zone, in which a due date ends (a bill due on the 8th is
    overdue from 00:00 on the 9th there, 18:00 UTC on the 8th in Dhaka).
    `date_format`: how the reason writes dates (the reader's language).
    Returns (SUSPEND|EXPIRE|KEEP, reason).
    """
    if validity_end and validity_end > now:
        return KEEP, "The validity has not ended."
    if billing_type != "monthly" or connection_type == "hotspot":
        # note 3: daily customers stop at the end of validity, whatever the profile
        if not validity_end:
            return KEEP, "No validity set: never activated with a package."
        return EXPIRE, "The validity of the package has ended."
    if connection_type == "other":
        return KEEP, "Other services (cable TV...) are never locked automatically."
    if not auto_suspend:
        return KEEP, "Automatic suspension is off in the billing profile."
    if not unpaid_due_dates:
        return KEEP, "The customer has no unpaid bill (no bill, no suspension)."
    today = localtime.local_day(now, tz_name)
    deadline = min(unpaid_due_dates) + datetime.timedelta(days=grace_days or 0)
    if today <= deadline:
        return KEEP, "The bill payment date (%s, grace included) has not passed." % (
            deadline.strftime(date_format))
    return SUSPEND, "Validity ended and the bill due on %s is unpaid." % (
        min(unpaid_due_dates).strftime(date_format))


def _clamp(year, month, day):
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(day, months, anchor_day=None):
    """`day` moved by whole months, on `anchor_day` (clamped to short months:
    an anchor of 31 gives Feb 28/29, then Mar 31 again)."""
    index = day.year * 12 + day.month - 1 + months
    return _clamp(index // 12, index % 12 + 1, anchor_day or day.day)


def cycle_bounds(anchor_day, on_date):
    """(first day, last day) of the billing cycle that contains `on_date`
    when cycles start on `anchor_day` of each month."""
    start = _clamp(on_date.year, on_date.month, anchor_day)
    if start > on_date:
        start = add_months(start, -1, anchor_day)
    end = add_months(start, 1, anchor_day) - datetime.timedelta(days=1)
    return start, end


def first_bill(start_date, billing_day, ends_with_month):
    """The first bill of a customer activated on `start_date` (notes 4, 5).

    Returns (period_start, period_end, days_billed, days_in_cycle,
    anchor_day); the price is prorated by days_billed / days_in_cycle."""
    if ends_with_month:
        cycle_start, cycle_end = cycle_bounds(billing_day, start_date)
        days_in_cycle = (cycle_end - cycle_start).days + 1
        days_billed = (cycle_end - start_date).days + 1
        return start_date, cycle_end, days_billed, days_in_cycle, billing_day
    end = add_months(start_date, 1) - datetime.timedelta(days=1)
    days = (end - start_date).days + 1
    return start_date, end, days, days, start_date.day


def due_date(bill_date, due_days):
    """The last day to pay a bill issued on `bill_date`."""
    return bill_date + datetime.timedelta(days=due_days or 0)
