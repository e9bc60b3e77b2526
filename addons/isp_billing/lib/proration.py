# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Money per days of a billing period."""
import datetime
from decimal import ROUND_HALF_UP, Decimal


def round_money(amount, rounding=0.01):
    """Round half up to the currency's rounding (0.01, 1.0, 0.05...)."""
    step = Decimal(str(rounding))
    value = (Decimal(str(amount)) / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step
    return float(value)


def days_between(start, end):
    """Days from `start` to `end`, both included."""
    return (end - start).days + 1


def prorate(price, days_used, days_in_period, rounding=0.01):
    """`price` for `days_used` days of a `days_in_period`-day period."""
    if days_in_period <= 0 or days_used < 0 or days_used > days_in_period:
        raise ValueError("Cannot prorate %s days of a %s-day period."
                         % (days_used, days_in_period))
    return round_money(price * days_used / days_in_period, rounding)


def plan_change(old_price, new_price, change_date, period_start, period_end, rounding=0.01):
    """Moving from a package at `old_price` to one at `new_price` on
    `change_date` inside a billed period: (credit for the unused days of the
    old package, charge for the same days of the new one, days left)."""
    if not period_start <= change_date <= period_end:
        raise ValueError("The change date %s is outside the period %s - %s."
                         % (change_date, period_start, period_end))
    days_total = days_between(period_start, period_end)
    days_left = days_between(change_date, period_end)
    return (prorate(old_price, days_left, days_total, rounding),
            prorate(new_price, days_left, days_total, rounding), days_left)


def period_label(start, end, date_format="%d/%m/%Y"):
    """'01/03/2026 - 31/03/2026' (what the invoice line says), in the
    customer's language's date format."""
    return "%s - %s" % (start.strftime(date_format), end.strftime(date_format))


def end_of_day(day):
    return datetime.datetime.combine(day, datetime.time(23, 59, 59))
