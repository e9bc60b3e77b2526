# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""MikroTik rate-limit strings (the Mikrotik-Rate-Limit RADIUS attribute, a
PPP profile's or a hotspot user profile's rate-limit, a simple queue).

Format: rx/tx [burst-rx/burst-tx [threshold-rx/threshold-tx [time-rx/time-tx
[priority [min-rx/min-tx]]]]], seen from the router: rx is what the customer
uploads, tx what it downloads.
"""


def format_rate(kbps):
    """1024 -> '1M', 512 -> '512k', 1536 -> '1536k', 0 -> '0'."""
    kbps = int(kbps or 0)
    if kbps < 0:
        raise ValueError("A rate cannot be negative.")
    if kbps and kbps % 1024 == 0:
        return "%dM" % (kbps // 1024)
    return "%dk" % kbps if kbps else "0"


def rate_limit(download_kbps, upload_kbps, burst_download_kbps=0, burst_upload_kbps=0,
               threshold_download_kbps=0, threshold_upload_kbps=0, burst_time=0,
               priority=0, min_download_kbps=0, min_upload_kbps=0):
    """The rate-limit string of a package (upload first: router's rx)."""
    if not download_kbps or not upload_kbps:
        raise ValueError("A package needs both a download and an upload speed.")
    parts = ["%s/%s" % (format_rate(upload_kbps), format_rate(download_kbps))]
    if burst_download_kbps or burst_upload_kbps:
        if not (burst_download_kbps and burst_upload_kbps and burst_time
                and threshold_download_kbps and threshold_upload_kbps):
            raise ValueError("A burst needs its rates, thresholds and time in both "
                             "directions.")
        if burst_download_kbps <= download_kbps or burst_upload_kbps <= upload_kbps:
            raise ValueError("The burst rate must be above the normal rate.")
        if threshold_download_kbps > download_kbps or threshold_upload_kbps > upload_kbps:
            raise ValueError("The burst threshold must not exceed the normal rate.")
        parts.append("%s/%s" % (format_rate(burst_upload_kbps),
                                format_rate(burst_download_kbps)))
        parts.append("%s/%s" % (format_rate(threshold_upload_kbps),
                                format_rate(threshold_download_kbps)))
        parts.append("%d/%d" % (burst_time, burst_time))
        if priority or min_download_kbps or min_upload_kbps:
            parts.append(str(priority or 8))
        if min_download_kbps or min_upload_kbps:
            parts.append("%s/%s" % (format_rate(min_upload_kbps),
                                    format_rate(min_download_kbps)))
    elif priority or min_download_kbps or min_upload_kbps:
        # RouterOS reads the fields by position: the burst ones must be there
        parts += ["0/0", "0/0", "0/0", str(priority or 8)]
        if min_download_kbps or min_upload_kbps:
            parts.append("%s/%s" % (format_rate(min_upload_kbps),
                                    format_rate(min_download_kbps)))
    return " ".join(parts)
