# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading a router's configuration back into billing terms (import)."""
import ipaddress
import re

from . import commands as cmd

_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)\s*$")


def parse_rate(text):
    """'10M' -> 10240, '512k' -> 512, '1G' -> 1048576, '64000' (bit/s) -> 62."""
    match = _RATE.match(text or "")
    if not match:
        raise ValueError("%r is not a RouterOS rate." % text)
    number, unit = float(match.group(1)), match.group(2).lower()
    if unit == "k":
        return int(round(number))
    if unit == "m":
        return int(round(number * 1024))
    if unit == "g":
        return int(round(number * 1024 * 1024))
    return int(round(number / 1024))


def parse_rate_limit(text):
    """A rate-limit string (``rx/tx [burst [threshold [time [priority
    [min]]]]]``, rx = customer upload) as master package speeds in kbit/s:
    {download_kbps, upload_kbps, burst_download_kbps, ..., priority}."""
    parts = (text or "").split()
    if not parts:
        raise ValueError("The profile has no rate limit.")

    def pair(index):
        if len(parts) <= index:
            return None, None
        up, _sep, down = parts[index].partition("/")
        return up, (down or up)

    up, down = pair(0)
    res = {"upload_kbps": parse_rate(up), "download_kbps": parse_rate(down)}
    bup, bdown = pair(1)
    tup, tdown = pair(2)
    time_up, time_down = pair(3)
    if bup and parse_rate(bup) and parse_rate(bdown):
        res.update({
            "burst_upload_kbps": parse_rate(bup), "burst_download_kbps": parse_rate(bdown),
            "burst_threshold_upload_kbps": parse_rate(tup or "0"),
            "burst_threshold_download_kbps": parse_rate(tdown or "0"),
            "burst_time": max(int(re.sub(r"\D", "", time_up or "0") or 0),
                              int(re.sub(r"\D", "", time_down or "0") or 0)),
        })
    if len(parts) > 4 and parts[4].isdigit() and 1 <= int(parts[4]) <= 8:
        if int(parts[4]) != 8:
            res["priority"] = int(parts[4])
    return res


def ranges_to_network(ranges):
    """The smallest IPv4 network holding a pool's ranges
    ('10.0.0.2-10.0.0.254' -> '10.0.0.0/24')."""
    first = last = None
    for part in (ranges or "").split(","):
        part = part.strip()
        if not part:
            continue
        if "/" in part:
            net = ipaddress.IPv4Network(part, strict=False)
            low, high = net.network_address, net.broadcast_address
        else:
            low_text, _sep, high_text = part.partition("-")
            low = ipaddress.IPv4Address(low_text.strip())
            high = ipaddress.IPv4Address((high_text or low_text).strip())
        if high < low:
            raise ValueError("%s: the range ends before it starts." % part)
        first = low if first is None or low < first else first
        last = high if last is None or high > last else last
    if first is None:
        raise ValueError("The pool has no ranges.")
    prefix = 32
    while prefix > 0:
        net = ipaddress.IPv4Network("%s/%d" % (first, prefix), strict=False)
        if last in net:
            return str(net)
        prefix -= 1
    return "0.0.0.0/0"


def uncovered_hosts(network, ranges):
    """The usable hosts of `network` that the pool's ranges leave out (the
    gateway...): the reserved addresses of the imported pool."""
    covered = set()
    for part in (ranges or "").split(","):
        part = part.strip()
        if not part:
            continue
        if "/" in part:
            net = ipaddress.IPv4Network(part, strict=False)
            low, high = int(net.network_address), int(net.broadcast_address)
        else:
            low_text, _sep, high_text = part.partition("-")
            low = int(ipaddress.IPv4Address(low_text.strip()))
            high = int(ipaddress.IPv4Address((high_text or low_text).strip()))
        covered.add((low, high))
    net = ipaddress.IPv4Network(network)
    hosts = list(net) if net.prefixlen >= 31 else list(net.hosts())
    return [str(h) for h in hosts
            if not any(low <= int(h) <= high for low, high in covered)]


def secret_account(row):
    """A PPP secret as import values: username, password, profile,
    static IP (remote-address when it is an address), MAC, enabled,
    customer code (from our comment) and the comment text."""
    remote = cmd.normalize(row.get("remote-address"))
    try:
        static_ip = str(ipaddress.IPv4Address(remote)) if remote else ""
    except ValueError:
        static_ip = ""  # a pool name
    return {
        "username": cmd.normalize(row.get("name")),
        "service": cmd.normalize(row.get("service")) or "any",
        "password": cmd.normalize(row.get("password")),
        "profile": cmd.normalize(row.get("profile")) or "default",
        "static_ip": static_ip,
        "mac": cmd.normalize(row.get("caller-id")),
        "enabled": cmd.normalize(row.get("disabled")) != "true",
        "code": cmd.parse_comment(row.get("comment")) or "",
        "comment": cmd.normalize(row.get("comment")),
    }
