# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""MikroTik hotspot login page: the variables its redirect carries, read
safely, and the hosts the walled garden must let through."""
import ipaddress
import re
from urllib.parse import urlsplit

MAC_RE = re.compile(r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")


def safe_url(value):
    """`link-login-only` / `link-orig`: an http(s) URL, or '' (never a
    javascript: or relative target)."""
    value = (value or "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 2000:
        return ""
    return value


def safe_mac(value):
    value = (value or "").strip()
    return value.upper().replace("-", ":") if MAC_RE.match(value) else ""


def safe_ip(value):
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return ""


def login_context(params):
    """The hotspot variables of a request (mac, ip, link-login-only,
    link-orig), each validated; what is invalid is dropped."""
    return {
        "mac": safe_mac(params.get("mac")),
        "ip": safe_ip(params.get("ip")),
        "link_login_only": safe_url(params.get("link-login-only")
                                    or params.get("link_login_only")),
        "link_orig": safe_url(params.get("link-orig") or params.get("link_orig")),
    }


def host_of(url):
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


def walled_garden_hosts(portal_url, payment_urls=()):
    """Hosts a not-yet-logged-in hotspot client must reach: the portal and
    the payment gateways (sorted, no duplicates)."""
    hosts = {host_of(portal_url)} | {host_of(u) for u in payment_urls}
    return sorted(h for h in hosts if h)


def username_for_mobile(mobile):
    """Hotspot username of a self-registered number: its digits (E.164
    without '+')."""
    return re.sub(r"\D", "", mobile or "")
