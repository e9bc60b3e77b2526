# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where a `redirect` parameter may send a browser: this site only."""
from urllib.parse import urlsplit


def same_site(url, hosts):
    """`url` when it stays on this site (served as `hosts`: the request's
    Host header and the public address, e.g. "portal.example.net",
    "127.0.0.1:8069"; one string or several): a path, or an http(s) URL of
    one of these hosts; None when it leads elsewhere: another host, a
    scheme-relative "//host", backslashes (browsers read "/\\\\host" as a
    host), spaces or control characters (browsers drop tabs and newlines),
    javascript: and other schemes."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or "\\" in url or any(c.isspace() or ord(c) < 32 or ord(c) == 127
                                     for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        hosts = [hosts] if isinstance(hosts, str) else list(hosts or ())
        if parts.scheme not in ("http", "https") \
                or parts.netloc.lower() not in {h.lower() for h in hosts if h}:
            return None
        return url
    if not url.startswith("/") or url.startswith("//"):
        return None
    return url
