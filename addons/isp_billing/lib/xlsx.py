# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Excel files (XlsxWriter) from plain rows."""
import datetime
import io

import xlsxwriter


def workbook_bytes(sheets, date_format="yyyy-mm-dd", datetime_format="yyyy-mm-dd hh:mm"):
    """`sheets`: [(title, header, rows, money_columns)] -> .xlsx bytes, with a
    bold header, frozen, filterable, and a total row under money columns.
    Dates and datetimes are date cells in the reader's formats (Excel
    codes, e.g. 'dd/mm/yyyy'); datetimes must be local already."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "default_date_format": date_format})
    when = book.add_format({"num_format": datetime_format})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    money_bold = book.add_format({"num_format": "#,##0.00", "bold": True})
    for title, header, rows, money_cols in sheets:
        sheet = book.add_worksheet(title[:31])
        sheet.write_row(0, 0, header, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, datetime.datetime):
                    sheet.write_datetime(r, c, value, when)
                else:
                    sheet.write(r, c, value, money if c in money_cols else None)
        if rows:
            sheet.autofilter(0, 0, len(rows), len(header) - 1)
            if money_cols:
                sheet.write(len(rows) + 1, 0, "Total", bold)
                for c in money_cols:
                    sheet.write(len(rows) + 1, c,
                                round(sum(row[c] or 0 for row in rows), 2), money_bold)
        sheet.freeze_panes(1, 0)
        for c, name in enumerate(header):
            sheet.set_column(c, c, max(12, len(name) + 2))
    book.close()
    return buf.getvalue()
