# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""MikroTik hotspot login page: the variables its redirect carries, read
safely, and the hosts the walled garden must let through."""
import ipaddress
import re
from urllib.parse import urlsplit

MAC_RE = re.compile(r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)"
                     r"(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


def safe_url(value):
    """`link-login-only` / `link-orig`: an http(s) URL, or '' (never a
    javascript: or relative target, nor one browsers and Python read as two
    different hosts: backslashes, spaces, control characters, user@host)."""
    value = (value or "").strip()
    if len(value) > 2000 or "\\" in value or any(c.isspace() or ord(c) < 32 for c in value):
        return ""
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0   # a bad port raises
    except ValueError:
        return ""
    if not port_ok or parts.scheme not in ("http", "https") or not parts.hostname \
            or "@" in parts.netloc:
        return ""
    return value


def normalize_host(value):
    """A router's hotspot address as the portal compares it: an IP address
    or a DNS name, lower case, without a trailing dot; ValueError for
    anything else (a URL, a port, spaces)."""
    host = (value or "").strip().lower().rstrip(".")
    if safe_ip(host):
        return safe_ip(host)
    if not HOST_RE.match(host):
        raise ValueError("%r is neither an IP address nor a host name" % (value,))
    return host


def login_url_allowed(url, login_hosts):
    """`url` (link-login-only) is an http(s) URL on one of `login_hosts`,
    the registered routers' hotspot addresses."""
    url = safe_url(url)
    if not url:
        return False
    try:
        host = normalize_host(host_of(url))
    except ValueError:
        return False
    allowed = set()
    for value in login_hosts or ():
        try:
            allowed.add(normalize_host(value))
        except ValueError:
            continue
    return host in allowed


def safe_mac(value):
    value = (value or "").strip()
    return value.upper().replace("-", ":") if MAC_RE.match(value) else ""


def safe_ip(value):
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return ""


def login_link(params):
    """The link-login-only of a request, as sent."""
    return params.get("link-login-only") or params.get("link_login_only") or ""


def login_context(params, login_hosts):
    """The hotspot variables of a request (mac, ip, link-login-only,
    link-orig), each validated; what is invalid is dropped, and so is a
    link-login-only that is not on one of `login_hosts` (the page would post
    the visitor's password there)."""
    link = login_link(params)
    return {
        "mac": safe_mac(params.get("mac")),
        "ip": safe_ip(params.get("ip")),
        "link_login_only": safe_url(link) if login_url_allowed(link, login_hosts) else "",
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
