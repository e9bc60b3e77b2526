# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dates and times as people see them: the database keeps naive UTC
datetimes (Odoo), people live in a time zone and read the date format of
their language. Plain functions, no ORM; the models pick the zone (the
user's, else the company's: ``res.partner._isp_tz_name``) and the format
(the language's ``date_format`` / ``time_format``).

>>> import datetime
>>> local_day(datetime.datetime(2026, 3, 14, 18, 30), "Asia/Dhaka")
datetime.date(2026, 3, 15)
>>> day_end_utc(datetime.date(2026, 3, 31), "Asia/Dhaka")
datetime.datetime(2026, 3, 31, 17, 59, 59)
>>> format_datetime(datetime.datetime(2026, 3, 31, 17, 59, 59), "Asia/Dhaka", "%d/%m/%Y")
'31/03/2026 23:59'
"""
import datetime

import pytz

#: what Odoo 11's languages ship when a format is missing
DEFAULT_DATE_FORMAT = "%m/%d/%Y"
DEFAULT_TIME_FORMAT = "%H:%M:%S"


def zone(name):
    """The pytz zone `name`; UTC for an empty or unknown name."""
    try:
        return pytz.timezone(name or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def to_local(utc, tz_name):
    """Naive UTC datetime -> naive local datetime of `tz_name`."""
    if utc is None:
        return None
    return pytz.utc.localize(utc).astimezone(zone(tz_name)).replace(tzinfo=None)


def to_utc(local, tz_name):
    """Naive local datetime of `tz_name` -> naive UTC datetime (an
    ambiguous or missing local time of a DST change takes standard time)."""
    if local is None:
        return None
    return zone(tz_name).localize(local, is_dst=False).astimezone(pytz.utc).replace(tzinfo=None)


def local_day(utc, tz_name):
    """The calendar day in `tz_name` at the naive UTC datetime `utc`:
    00:30 in Dhaka is 18:30 UTC of the day before."""
    return to_local(utc, tz_name).date()


def day_start_utc(day, tz_name):
    """00:00:00 of local `day`, as a naive UTC datetime."""
    return to_utc(datetime.datetime.combine(day, datetime.time.min), tz_name)


def day_end_utc(day, tz_name):
    """23:59:59 of local `day`, as a naive UTC datetime (Odoo datetimes
    have whole seconds)."""
    return to_utc(datetime.datetime.combine(day, datetime.time(23, 59, 59)), tz_name)


def time_pattern(time_format, seconds=False):
    """A language's time format without its seconds (unless `seconds`):
    '%H:%M:%S' -> '%H:%M', '%I:%M:%S %p' -> '%I:%M %p'."""
    pattern = time_format or DEFAULT_TIME_FORMAT
    if not seconds:
        for sep in (":", ".", ","):
            pattern = pattern.replace(sep + "%S", "")
    return pattern


def format_date(day, date_format=None):
    """A date (or datetime) in a language's date format."""
    if not day:
        return ""
    return day.strftime(date_format or DEFAULT_DATE_FORMAT)


def format_datetime(utc, tz_name, date_format=None, time_format=None, seconds=False):
    """A naive UTC datetime as a person in `tz_name` reads it, in the
    language's formats (minutes only unless `seconds`)."""
    if not utc:
        return ""
    local = to_local(utc, tz_name)
    return "%s %s" % (local.strftime(date_format or DEFAULT_DATE_FORMAT),
                      local.strftime(time_pattern(time_format, seconds)))


#: strftime directives -> Excel number-format codes
_EXCEL_CODES = {"%d": "dd", "%e": "d", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%b": "mmm",
                "%B": "mmmm", "%a": "ddd", "%A": "dddd", "%H": "hh", "%I": "hh",
                "%M": "mm", "%S": "ss", "%p": "AM/PM", "%%": "%"}


def excel_format(strftime_format):
    """The Excel cell format showing what `strftime_format` shows:
    '%d/%m/%Y' -> 'dd/mm/yyyy', '%d/%m/%Y %H:%M' -> 'dd/mm/yyyy hh:mm'.
    Literal text is quoted; unknown directives are dropped."""
    out, i, fmt = [], 0, strftime_format or DEFAULT_DATE_FORMAT
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            out.append(_EXCEL_CODES.get(fmt[i:i + 2], ""))
            i += 2
            continue
        char = fmt[i]
        out.append(char if char in " /-.:,()" else '"%s"' % char.replace('"', ""))
        i += 1
    return "".join(out)
