# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the website's home page says about a package. No I/O here."""


def speed_text(kbps):
    """A speed as people read it, in the suite's units (1 Mbps = 1024 kbit/s,
    as the packages' rate limits): 10240 -> '10 Mbps', 1536 -> '1.5 Mbps',
    512 -> '512 kbps', 0 or None -> ''."""
    kbps = int(kbps or 0)
    if kbps <= 0:
        return ""
    if kbps < 1024:
        return "%d kbps" % kbps
    mbps = kbps / 1024.0
    if kbps % 1024 == 0:
        return "%d Mbps" % mbps
    return ("%.1f" % mbps).rstrip("0").rstrip(".") + " Mbps"


def is_internet(connection_types):
    """A package with a speed to show (not only another service, e.g. cable TV)."""
    return bool(set(connection_types) & {"pppoe", "hotspot", "static"})


def group_packages(rows):
    """Rows (dicts with a 'billing_type') split for the page: monthly first,
    then prepaid; each keeps its order."""
    return {"monthly": [r for r in rows if r["billing_type"] == "monthly"],
            "daily": [r for r in rows if r["billing_type"] == "daily"]}
