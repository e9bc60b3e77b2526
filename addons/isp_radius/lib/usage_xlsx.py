# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The internet history of one account as an Excel workbook (seed 000:
"see and download customers' internet history")."""
import datetime
import io

import xlsxwriter

MONTHLY_HEADER = ("Month", "Download (MB)", "Upload (MB)", "Total (MB)", "Time online (h)",
                  "Sessions")
DAILY_HEADER = ("Date", "Download (MB)", "Upload (MB)", "Total (MB)", "Time online (h)",
                "Sessions")
SESSION_HEADER = ("Start", "Stop", "Time online (h)", "Download (MB)",
                  "Upload (MB)", "IP address", "IPv6 prefix", "MAC address", "NAS",
                  "Acct-Session-Id", "End cause")


def workbook(title, monthly, daily, sessions, date_format="yyyy-mm-dd",
             datetime_format="yyyy-mm-dd hh:mm"):
    """Bytes of an .xlsx file: sheets Monthly, Daily and Sessions. Each row
    is a tuple in the order of the matching header (seconds as hours); dates
    and (local, naive) datetimes are date cells in the reader's formats
    (Excel codes)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "remove_timezone": True})
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": date_format})
    when = book.add_format({"num_format": datetime_format})
    number = book.add_format({"num_format": "#,##0.00"})
    for name, header, rows in (("Monthly", MONTHLY_HEADER, monthly),
                               ("Daily", DAILY_HEADER, daily),
                               ("Sessions", SESSION_HEADER, sessions)):
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, title, bold)
        sheet.write_row(2, 0, header, bold)
        sheet.set_column(0, len(header) - 1, 16)
        for i, row in enumerate(rows, start=3):
            for j, value in enumerate(row):
                if isinstance(value, float):
                    sheet.write_number(i, j, value, number)
                elif isinstance(value, datetime.datetime):
                    sheet.write_datetime(i, j, value, when)
                elif isinstance(value, datetime.date):
                    sheet.write_datetime(i, j, value, day)
                elif value is None or value is False:
                    sheet.write_blank(i, j, None)
                else:
                    sheet.write(i, j, value)
        sheet.freeze_panes(3, 0)
    book.close()
    return out.getvalue()


def hours(seconds):
    return round((seconds or 0) / 3600.0, 2)
