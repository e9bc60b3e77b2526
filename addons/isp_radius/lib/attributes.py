# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What FreeRADIUS answers for one subscription: the check and reply
attributes of a subscription in a given state, package and profile.

This is the one statement of the mapping. The SQL views of the ``radius``
schema (lib/schema.py) compute the same rows in PostgreSQL for FreeRADIUS;
the tests run both on the same cases and compare them.

* active: accept. Check: Cleartext-Password, Simultaneous-Use 1, the MAC
  binding (Calling-Station-Id ==), Expiration at the validity end for
  accounts cut off by time (daily/prepaid and hotspot; FreeRADIUS's
  expiration module then also sends Session-Timeout = seconds left).
  Reply: Mikrotik-Rate-Limit (RADIUS speed control), Mikrotik-Group (PPP or
  hotspot profile), Framed-IP-Address (static) or Framed-Pool (dynamic
  pool), Delegated-IPv6-Prefix, Acct-Interim-Interval.
* suspended with a profile that says "suspended pool": accept into the
  suspended pool and address list (a payment page), nothing else.
* a prepaid (daily) or hotspot account whose validity end has passed: no
  row at all, as an unknown user (FreeRADIUS rejects it), from that second
  until the billing's expiry job marks it expired (within the minute);
* anything else (suspended with "reject", disabled, expired, new, other
  services): Auth-Type := Reject and no reply attribute. Unknown users have
  no row at all (FreeRADIUS rejects).

Monthly (postpaid) accounts are not cut at their validity end: the billing
side suspends them when a bill is overdue (seed 000, note 3 and FAQ).
"""
import calendar
import collections

ACCEPT = "accept"
SUSPENDED = "suspended"
REJECT = "reject"
#: active, but past the validity end of an account cut off at it
ENDED = "ended"

#: one attribute row, as in radcheck / radreply
Attr = collections.namedtuple("Attr", "attribute op value")

#: order of the rows (the `n` of the SQL views; ids are subscription id * 16 + n)
CHECK_ORDER = ("Auth-Type", "Cleartext-Password", "Simultaneous-Use",
               "Calling-Station-Id", "Expiration")
REPLY_ORDER = ("Mikrotik-Rate-Limit", "Mikrotik-Group", "Framed-IP-Address", "Framed-Pool",
               "Delegated-IPv6-Prefix", "Mikrotik-Address-List", "Acct-Interim-Interval")

#: reply attributes a CoA-Request may change in a live session; any other
#: change (address, pool, profile...) needs a disconnect so that the user
#: redials with it
COA_ATTRIBUTES = ("Mikrotik-Rate-Limit", "Mikrotik-Address-List")

DEFAULT_INTERIM = 300

#: the last second RADIUS can say: Expiration (and Session-Timeout, the
#: seconds left) are unsigned 32-bit counts of seconds (2106-02-07 06:28:15 UTC)
MAX_EXPIRATION = 2 ** 32 - 1


def cut_at_validity_end(billing_type, connection_type):
    """Prepaid (daily) and hotspot accounts stop when their validity ends;
    monthly ones are suspended by the billing side instead."""
    return billing_type == "daily" or connection_type == "hotspot"


def epoch(value):
    """A naive UTC datetime as seconds since the epoch (the Expiration
    value: unambiguous whatever time zone FreeRADIUS runs in)."""
    return int(calendar.timegm(value.timetuple()))


def expiration_value(end):
    """The Expiration of a validity end (naive UTC datetime), clamped to
    what the attribute can carry: a later end (the billing refuses one after
    2100) is the last second RADIUS can say, not a wrapped date in the past
    that would reject an active account."""
    return str(min(max(epoch(end), 0), MAX_EXPIRATION))


def decision(account, now):
    """ACCEPT, SUSPENDED, ENDED or REJECT for `account` (see
    :func:`attributes`) at `now` (naive UTC datetime)."""
    if account.get("connection_type") == "other" or not account.get("username"):
        return REJECT
    state = account.get("state")
    if state == "active":
        end = account.get("validity_end")
        if end and end <= now and cut_at_validity_end(account.get("billing_type"),
                                                      account.get("connection_type")):
            return ENDED
        return ACCEPT
    if state == "suspended" and account.get("suspend_action") == "suspended_pool":
        return SUSPENDED
    return REJECT


def attributes(account, now, interim_interval=DEFAULT_INTERIM):
    """(check, reply): lists of :class:`Attr` FreeRADIUS gets for `account`.

    `account` is a dict with the keys state, username, password,
    connection_type, billing_type, validity_end (naive UTC datetime or None),
    mac_address, static_ipv4, ipv6_prefix, rate_limit, speed_controller,
    ppp_profile, pool (dynamic pool name), suspend_action, suspended_pool,
    suspended_address_list; missing keys count as empty.
    """
    get = account.get
    verdict = decision(account, now)
    if verdict == ENDED:
        return [], []
    if verdict == REJECT:
        return [Attr("Auth-Type", ":=", "Reject")], []
    check = [Attr("Cleartext-Password", ":=", get("password")),
             Attr("Simultaneous-Use", ":=", "1"),
             Attr("Calling-Station-Id", "==", get("mac_address"))]
    reply = []
    if verdict == ACCEPT:
        end = get("validity_end")
        if end and cut_at_validity_end(get("billing_type"), get("connection_type")):
            check.append(Attr("Expiration", ":=", expiration_value(end)))
        if get("speed_controller") == "radius":
            reply.append(Attr("Mikrotik-Rate-Limit", ":=", get("rate_limit")))
        reply.append(Attr("Mikrotik-Group", ":=", get("ppp_profile")))
        if get("static_ipv4"):
            reply.append(Attr("Framed-IP-Address", ":=", get("static_ipv4")))
        else:
            reply.append(Attr("Framed-Pool", ":=", get("pool")))
        reply.append(Attr("Delegated-IPv6-Prefix", ":=", get("ipv6_prefix")))
    else:
        reply.append(Attr("Framed-Pool", ":=", get("suspended_pool")))
        reply.append(Attr("Mikrotik-Address-List", ":=", get("suspended_address_list")))
    if interim_interval:
        reply.append(Attr("Acct-Interim-Interval", ":=", str(int(interim_interval))))
    # like the views: a row without a value is no row
    return ([a for a in check if a.value], [a for a in reply if a.value])


def change_kind(old_reply, new_reply):
    """How a live session learns a change of its reply attributes: None
    (nothing the NAS applies changed), "coa" (only what a CoA-Request can
    change in place: rate limit, address list) or "disconnect"."""
    old = {a.attribute: a.value for a in old_reply}
    new = {a.attribute: a.value for a in new_reply}
    changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    changed.discard("Acct-Interim-Interval")
    if not changed:
        return None
    if changed <= set(COA_ATTRIBUTES) and all(new.get(k) for k in changed):
        return "coa"
    return "disconnect"


def coa_attributes(new_reply):
    """The attributes a CoA-Request carries for a plan change."""
    return [a for a in new_reply if a.attribute in COA_ATTRIBUTES]
