# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What billing wants on a MikroTik router, as RouterOS API payloads.

Plain functions (no Odoo): names, comments, durations, the payload of each
menu item (PPP secret, PPP profile, IP pool, hotspot user and user profile,
simple queue, address-list entry), which items an account needs in which
state, and the operations that bring a router's rows in step (find by key,
then add, set only what differs, unset what billing leaves empty).
"""
import collections
import ipaddress
import re

from odoo.addons.isp_base.lib.rate_limit import format_rate

#: every comment we write starts with it: what carries it is ours
MARKER = "isp:"

SECRET = "/ppp/secret"
PROFILE = "/ppp/profile"
POOL = "/ip/pool"
HOTSPOT_USER = "/ip/hotspot/user"
HOTSPOT_PROFILE = "/ip/hotspot/user/profile"
QUEUE = "/queue/simple"
ADDRESS_LIST = "/ip/firewall/address-list"
PPP_ACTIVE = "/ppp/active"
HOTSPOT_ACTIVE = "/ip/hotspot/active"

#: the key of each menu (what "find by name" means there)
KEYS = {
    SECRET: ("name",),
    PROFILE: ("name",),
    POOL: ("name",),
    HOTSPOT_USER: ("name",),
    HOTSPOT_PROFILE: ("name",),
    QUEUE: ("name",),
    ADDRESS_LIST: ("list", "address"),
}

#: the properties billing manages in each menu (others are left alone)
MANAGED = {
    SECRET: ("password", "service", "profile", "remote-address", "remote-ipv6-prefix",
             "caller-id", "disabled", "comment"),
    PROFILE: ("local-address", "remote-address", "rate-limit", "address-list", "comment"),
    POOL: ("ranges", "comment"),
    HOTSPOT_USER: ("password", "profile", "limit-uptime", "limit-bytes-total",
                   "mac-address", "disabled", "comment"),
    HOTSPOT_PROFILE: ("rate-limit", "shared-users", "address-pool"),
    QUEUE: ("target", "max-limit", "disabled", "comment"),
    ADDRESS_LIST: ("comment",),
}

#: the order in which menus are written: what is referred to comes first
ORDER = (POOL, PROFILE, HOTSPOT_PROFILE, SECRET, HOTSPOT_USER, QUEUE, ADDRESS_LIST)

#: the menus that hold one item per customer account
ACCOUNT_MENUS = (SECRET, HOTSPOT_USER, QUEUE, ADDRESS_LIST)

DEFAULT_SUSPENDED_LIST = "suspended"

#: an item billing wants: its menu, key values and the managed properties
Item = collections.namedtuple("Item", "menu key values")


# ---------------------------------------------------------------------------
# names, comments, values
# ---------------------------------------------------------------------------

def comment(code):
    """The comment of what we write for a customer: ``isp:C000123``."""
    return "%s%s" % (MARKER, (code or "").strip())


def parse_comment(text):
    """The customer code of one of our comments, '' for our other items,
    None when the comment is not ours."""
    text = (text or "").strip()
    if not text.startswith(MARKER):
        return None
    rest = text[len(MARKER):].strip()
    return rest.split()[0] if rest and not rest.startswith(("package", "pool")) else ""


def is_ours(row):
    return parse_comment(row.get("comment")) is not None


def slug(name):
    """A router-safe name: letters, digits, dot, dash, underscore."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", (name or "").strip()).strip("-")
    return re.sub(r"-{2,}", "-", cleaned)


def profile_name(package_name, ppp_profile=None):
    """The PPP profile / hotspot user profile of a master package: its
    ``ppp_profile`` (the Mikrotik-Group, as typed) or its name made
    router-safe."""
    name = (ppp_profile or "").strip() or slug(package_name)
    if not name:
        raise ValueError("The package %r has no usable profile name." % package_name)
    return name


def suspended_profile_name(pool_name):
    """The PPP profile suspended customers connect with (one per pool)."""
    return "isp-suspended-%s" % slug(pool_name) if pool_name else "isp-suspended"


def format_duration(minutes):
    """RouterOS time as it prints it: 90 -> '1h30m', 10 days -> '1w3d', 0 -> ''."""
    minutes = int(minutes or 0)
    if minutes < 0:
        raise ValueError("A duration cannot be negative.")
    parts = []
    for unit, size in (("w", 7 * 24 * 60), ("d", 24 * 60), ("h", 60), ("m", 1)):
        if minutes >= size:
            parts.append("%d%s" % (minutes // size, unit))
            minutes %= size
    return "".join(parts)


def max_limit(download_kbps, upload_kbps):
    """A simple queue's max-limit: target upload / target download."""
    if not download_kbps or not upload_kbps:
        raise ValueError("A queue needs both a download and an upload speed.")
    return "%s/%s" % (format_rate(upload_kbps), format_rate(download_kbps))


def bytes_total(megabytes):
    return str(int(megabytes) * 1024 * 1024) if megabytes else ""


def pool_ranges(network, reserved=()):
    """RouterOS ranges of an IPv4 pool: its usable hosts minus the reserved
    addresses, e.g. '10.0.0.2-10.0.0.254' or '10.0.0.2-10.0.0.9,10.0.0.11-...'."""
    net = ipaddress.IPv4Network(network)
    if net.prefixlen >= 31:
        hosts = list(net)
    else:
        hosts = list(net.hosts())
    skip = {ipaddress.IPv4Address(r) for r in reserved}
    ranges, start, prev = [], None, None
    for host in hosts:
        if host in skip:
            if start is not None:
                ranges.append((start, prev))
                start = None
            continue
        if start is None:
            start = host
        prev = host
    if start is not None:
        ranges.append((start, prev))
    return ",".join(str(a) if a == b else "%s-%s" % (a, b) for a, b in ranges)


def normalize(value):
    """One spelling for a value printed by RouterOS or sent by us."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    value = str(value)
    lowered = value.lower()
    if lowered in ("yes", "true"):
        return "true"
    if lowered in ("no", "false"):
        return "false"
    if value in ("0s", "none"):
        return ""
    return value


def to_api(value):
    """Our value as sent to RouterOS (booleans as yes/no)."""
    value = normalize(value)
    return {"true": "yes", "false": "no"}.get(value, value)


# ---------------------------------------------------------------------------
# accounts
# ---------------------------------------------------------------------------

class Account:
    """What billing knows about one customer account, for the router.

    kind: pppoe, hotspot or static; state: the subscription state;
    suspend_to_pool: suspended customers connect into a suspended pool
    (else they are cut off).
    """

    def __init__(self, username, kind, state, password="", code="", profile="",
                 suspend_to_pool=False, suspended_profile="", suspended_list="",
                 static_ip="", ipv6_prefix="", mac="", limit_uptime_minutes=0,
                 limit_megabytes=0, download_kbps=0, upload_kbps=0):
        self.username = username
        self.kind = kind
        self.state = state
        self.password = password or ""
        self.code = code or username
        self.profile = profile
        self.suspend_to_pool = suspend_to_pool
        self.suspended_profile = suspended_profile or suspended_profile_name("")
        self.suspended_list = suspended_list or DEFAULT_SUSPENDED_LIST
        self.static_ip = static_ip or ""
        self.ipv6_prefix = ipv6_prefix or ""
        self.mac = mac or ""
        self.limit_uptime_minutes = limit_uptime_minutes or 0
        self.limit_megabytes = limit_megabytes or 0
        self.download_kbps = download_kbps
        self.upload_kbps = upload_kbps


def account_mode(kind, state, suspend_to_pool=False):
    """How the router should hold an account in a state:

    * ``absent``: nothing on the router (new accounts);
    * ``package``: enabled with its package's profile;
    * ``suspended``: enabled, with the suspended profile (payment page);
    * ``disabled``: present but disabled (cut off).

    Static-IP accounts: ``package`` when active, ``blocked`` (queue kept,
    address in the suspended address list) otherwise.
    """
    if state == "draft":
        return "absent"
    if state == "active":
        return "package"
    if kind == "static":
        return "blocked"
    if kind == "pppoe" and suspend_to_pool and state in ("suspended", "expired"):
        return "suspended"
    return "disabled"


def ppp_secret(acc, mode):
    return {
        "name": acc.username,
        "password": acc.password,
        "service": "pppoe",
        "profile": acc.suspended_profile if mode == "suspended" else acc.profile,
        "remote-address": acc.static_ip,
        "remote-ipv6-prefix": acc.ipv6_prefix,
        "caller-id": acc.mac,
        "disabled": "true" if mode == "disabled" else "false",
        "comment": comment(acc.code),
    }


def hotspot_user(acc, mode):
    return {
        "name": acc.username,
        "password": acc.password,
        "profile": acc.profile,
        "limit-uptime": format_duration(acc.limit_uptime_minutes),
        "limit-bytes-total": bytes_total(acc.limit_megabytes),
        "mac-address": acc.mac,
        "disabled": "false" if mode == "package" else "true",
        "comment": comment(acc.code),
    }


def simple_queue(acc):
    return {
        "name": acc.username,
        "target": "%s/32" % acc.static_ip,
        "max-limit": max_limit(acc.download_kbps, acc.upload_kbps),
        "disabled": "false",
        "comment": comment(acc.code),
    }


def address_list_entry(list_name, address, code):
    return {"list": list_name, "address": address, "comment": comment(code)}


def account_items(acc):
    """The items an account needs on its router, in writing order."""
    mode = account_mode(acc.kind, acc.state, acc.suspend_to_pool)
    if mode == "absent":
        return []
    if acc.kind == "pppoe":
        return [item(SECRET, ppp_secret(acc, mode))]
    if acc.kind == "hotspot":
        return [item(HOTSPOT_USER, hotspot_user(acc, mode))]
    if acc.kind == "static":
        if not acc.static_ip:
            return []
        items = [item(QUEUE, simple_queue(acc))]
        if mode == "blocked":
            items.append(item(ADDRESS_LIST, address_list_entry(
                acc.suspended_list, acc.static_ip, acc.code)))
        return items
    return []


def account_footprint(acc):
    """Every (menu, key) an account may hold on a router, whatever its
    state: what to look for (and remove when it moves elsewhere)."""
    if acc.kind == "pppoe":
        return {(SECRET, (acc.username,))}
    if acc.kind == "hotspot":
        return {(HOTSPOT_USER, (acc.username,))}
    if acc.kind == "static" and acc.username:
        found = {(QUEUE, (acc.username,))}
        if acc.static_ip:
            found.add((ADDRESS_LIST, (acc.suspended_list, acc.static_ip)))
        return found
    return set()


def item(menu, values):
    key = tuple(values[k] for k in KEYS[menu])
    managed = {k: values.get(k, "") for k in MANAGED[menu]}
    return Item(menu, key, managed)


# ---------------------------------------------------------------------------
# packages and pools
# ---------------------------------------------------------------------------

def ppp_profile(name, rate_limit, pool_name="", local_address=""):
    """A master package's PPP profile: its speed, and addresses from its
    pool (local address: the router's PPP gateway address, or the pool)."""
    return item(PROFILE, {
        "name": name,
        "local-address": local_address or pool_name,
        "remote-address": pool_name,
        "rate-limit": rate_limit or "",
        "address-list": "",
        "comment": MARKER + "package",
    })


def suspended_ppp_profile(name, pool_name, address_list, local_address=""):
    """The profile suspended customers connect with: addresses from the
    suspended pool, put in the suspended address list (payment page)."""
    return item(PROFILE, {
        "name": name,
        "local-address": local_address or pool_name,
        "remote-address": pool_name,
        "rate-limit": "",
        "address-list": address_list or DEFAULT_SUSPENDED_LIST,
        "comment": MARKER + "package",
    })


def hotspot_user_profile(name, rate_limit, pool_name=""):
    return item(HOTSPOT_PROFILE, {
        "name": name,
        "rate-limit": rate_limit or "",
        "shared-users": "1",
        "address-pool": pool_name,
    })


def ip_pool(name, network, reserved=()):
    return item(POOL, {"name": name, "ranges": pool_ranges(network, reserved),
                       "comment": MARKER + "pool"})


# ---------------------------------------------------------------------------
# bringing rows in step
# ---------------------------------------------------------------------------

#: one write on a router: add (payload), set (id, changed values), unset
#: (id, property), remove (id), with the item's menu and key for messages
Op = collections.namedtuple("Op", "action menu key item_id values")


def row_key(menu, row):
    return tuple(normalize(row.get(k)) for k in KEYS[menu])


def index_rows(menu, rows):
    """{key: row} of printed rows (the first one of duplicates)."""
    found = {}
    for row in rows:
        found.setdefault(row_key(menu, row), row)
    return found


def differences(wanted, row):
    """{property: (billing value, router value)} of the managed properties
    that differ."""
    diff = {}
    for prop, value in wanted.values.items():
        if normalize(value) != normalize(row.get(prop)):
            diff[prop] = (normalize(value), normalize(row.get(prop)))
    return diff


def ops_for_item(wanted, row):
    """The writes that make `row` (None: missing) what `wanted` says."""
    if row is None:
        payload = {k: to_api(v) for k, v in zip(KEYS[wanted.menu], wanted.key, strict=True)}
        payload.update({k: to_api(v) for k, v in wanted.values.items() if normalize(v)})
        return [Op("add", wanted.menu, wanted.key, None, payload)]
    diff = differences(wanted, row)
    ops = []
    changed = {k: to_api(v) for k, (v, _old) in diff.items() if v}
    if changed:
        ops.append(Op("set", wanted.menu, wanted.key, row[".id"], changed))
    for prop in sorted(k for k, (v, _old) in diff.items() if not v):
        ops.append(Op("unset", wanted.menu, wanted.key, row[".id"], {"value-name": prop}))
    return ops


def sync_ops(wanted_items, rows_by_menu, unwanted=()):
    """The writes that bring a router in step for some items.

    :param wanted_items: Items that must exist as given
    :param rows_by_menu: {menu: printed rows} covering those items' keys
    :param unwanted: (menu, key) pairs that must not exist (unless wanted);
        only what carries our comment is removed (someone else's item of
        the same name is left to the drift report)
    """
    ops = []
    wanted_keys = {(w.menu, w.key) for w in wanted_items}
    indexes = {menu: index_rows(menu, rows) for menu, rows in rows_by_menu.items()}
    for menu in ORDER:
        for wanted in (w for w in wanted_items if w.menu == menu):
            ops.extend(ops_for_item(wanted, indexes.get(menu, {}).get(
                tuple(normalize(k) for k in wanted.key))))
    for menu, key in sorted(unwanted):
        if (menu, key) in wanted_keys:
            continue
        row = indexes.get(menu, {}).get(tuple(normalize(k) for k in key))
        if row is not None and is_ours(row):
            ops.append(Op("remove", menu, key, row[".id"], {}))
    return ops


def needs_kick(kind, prev_state, new_state, suspend_to_pool=False, event=None,
               changed_fields=()):
    """Whether an online session must be ended so that the customer
    reconnects under what billing now says (RouterOS keeps the profile of
    a session until it reconnects, and removing a secret does not end it)."""
    if kind not in ("pppoe", "hotspot"):
        return False
    before = account_mode(kind, prev_state, suspend_to_pool)
    after = account_mode(kind, new_state, suspend_to_pool)
    if before in ("absent", "disabled"):
        return False
    if before != after:
        return True
    if after == "package" and (event == "plan_change" or set(changed_fields) & {
            "plan_id", "username", "router_id", "static_ipv4", "ipv6_prefix"}):
        return True
    return False


def backoff_seconds(attempt, base=10, cap=1800):
    """Seconds before retry number `attempt` (1, 2...): doubling from
    `base`, never more than `cap`."""
    attempt = max(int(attempt or 1), 1)
    return int(min(cap, base * 2 ** min(attempt - 1, 30)))
