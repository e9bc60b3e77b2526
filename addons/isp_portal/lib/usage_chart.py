# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's daily internet usage as a bar chart: the geometry of a
small SVG drawn by the portal's template (server-side, no script).

One slot per day of the window, a bar (download below, upload on top) for
each day with usage, a scale rounded up to a round number (STEPS),
day-of-month labels under the axis every few days. Coordinates are in the
SVG's own units (viewBox); the SVG scales to the width of the screen.
"""
import datetime
import math

WIDTH, HEIGHT = 340.0, 170.0
LEFT, RIGHT, TOP, BOTTOM = 34.0, 4.0, 8.0, 20.0   # margins: scale, axis labels
GAP = 0.2                                          # share of a slot left empty


def _day(value):
    if isinstance(value, datetime.date):
        return value
    return datetime.datetime.strptime(str(value)[:10], "%Y-%m-%d").date()


#: tops of the scale, times a power of ten (the half is a round number too)
STEPS = (1, 1.2, 1.6, 2, 2.5, 3, 4, 5, 6, 8, 10)


def nice_max(value):
    """The smallest of STEPS x 10^n not below `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in STEPS:
        if value <= step * power * (1 + 1e-9):
            return round(step * power, 6)
    return 10.0 * power  # pragma: no cover - the last step always fits


def layout(days, first, last, label_every=5):
    """Bars and labels for the usage of each day from `first` to `last`
    (dates or 'YYYY-MM-DD'), both included.

    :param days: [(date, download MB, upload MB)], one per day at most;
        days outside the window and days without usage are left out
    :returns: dict with ``width``, ``height``, ``scale`` (the top of the
        scale, MB), ``ticks`` [(y, MB)], ``labels`` [(x, day of month)],
        ``bars`` [dict(date 'YYYY-MM-DD', day, download, upload, total (MB,
        rounded to 0.1), x, w, y, h (the whole bar), up_y, up_h (its upload
        part))], ``baseline`` (y of the axis)
    """
    first, last = _day(first), _day(last)
    slots = (last - first).days + 1
    if slots < 1:
        raise ValueError("the window ends before it starts")
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    slot_w = plot_w / slots
    usage = []
    for date, download, upload in days:
        date = _day(date)
        download, upload = max(download or 0.0, 0.0), max(upload or 0.0, 0.0)
        if first <= date <= last and download + upload > 0:
            usage.append((date, download, upload))
    scale = nice_max(max([d + u for _date, d, u in usage] or [0.0]))
    bars = []
    for date, download, upload in sorted(usage):
        total = download + upload
        slot = (date - first).days
        h = plot_h * total / scale
        up_h = plot_h * upload / scale
        bars.append({
            "date": date.isoformat(), "day": date.day,
            "download": round(download, 1), "upload": round(upload, 1),
            "total": round(total, 1),
            "x": round(LEFT + slot * slot_w + slot_w * GAP / 2, 2),
            "w": round(slot_w * (1 - GAP), 2),
            "y": round(baseline - h, 2), "h": round(h, 2),
            "up_y": round(baseline - h, 2), "up_h": round(up_h, 2),
        })
    ticks = [(round(baseline - plot_h * share, 2), scale * share) for share in (0, 0.5, 1)]
    labels = []
    for slot in range(slots):
        date = first + datetime.timedelta(days=slot)
        if slot in (0, slots - 1) or (date.day % label_every == 0
                                      and 1 < slot < slots - 2):
            labels.append((round(LEFT + (slot + 0.5) * slot_w, 2), date.day))
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "baseline": baseline, "scale": scale, "ticks": ticks, "labels": labels,
            "bars": bars}
