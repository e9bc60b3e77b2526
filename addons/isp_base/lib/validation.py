# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Validation and normalisation of what staff type in: RADIUS usernames, MAC
addresses, IP addresses, mobile numbers. Each function returns the
normalised value or raises ValueError with a message for the user."""
import datetime
import ipaddress
import re

import phonenumbers

#: characters FreeRADIUS's rlm_sql passes through unescaped (and RouterOS
#: accepts in a PPP secret name); anything else would not match in SQL
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")

def normalize_username(username):
    """A RADIUS/router username: 2-64 characters, letters, digits and
    `. _ @ -`, starting with a letter or digit."""
    value = (username or "").strip()
    if not USERNAME_RE.match(value):
        raise ValueError(
            "The username %r is not allowed: use 2 to 64 letters, digits, dots, "
            "dashes, underscores or @, starting with a letter or a digit "
            "(no spaces, quotes or other signs: the router and the RADIUS "
            "server would not match them)." % (username,))
    return value


#: the ways devices and routers write a MAC: six pairs with one separator
#: (`4C:5E:0C:12:34:56`, `4c-5e-0c-12-34-56`), three groups of four (Cisco
#: `4c5e.0c12.3456`, Huawei `4c5e-0c12-3456`) or 12 bare hexadecimal digits
MAC_FORMS_RE = re.compile(
    r"^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$"
    r"|^[0-9a-f]{4}([.-])[0-9a-f]{4}\3[0-9a-f]{4}$"
    r"|^[0-9a-f]{12}$")


def normalize_mac(mac):
    """`AA:BB:CC:DD:EE:FF` (what RADIUS's Calling-Station-Id is compared
    with) from any common form, in any case: `aa:bb:..`, `AA-BB-..`,
    `aabb.ccdd.eeff`, `aabb-ccdd-eeff` or `aabbccddeeff`."""
    raw = (mac or "").strip().lower()
    if not MAC_FORMS_RE.match(raw):
        raise ValueError("%r is not a MAC address (expected six pairs of hexadecimal "
                         "digits, e.g. AA:BB:CC:DD:EE:FF, 4c-5e-0c-12-34-56 or "
                         "4c5e.0c12.3456)." % (mac,))
    hexdigits = re.sub(r"[:\-.]", "", raw)
    if int(hexdigits[:2], 16) & 1:
        raise ValueError("%r is a multicast MAC address; a device has a unicast one." % (mac,))
    return ":".join(hexdigits[i:i + 2] for i in range(0, 12, 2)).upper()


def normalize_ipv4(address):
    """A single IPv4 address, as text (`10.0.0.5`)."""
    try:
        value = ipaddress.IPv4Address((address or "").strip())
    except ValueError:
        raise ValueError("%r is not an IPv4 address (e.g. 10.20.0.15)." % (address,))
    if value.is_unspecified or value.is_multicast or value.is_loopback:
        raise ValueError("%s cannot be given to a customer." % value)
    return str(value)


def normalize_ipv6_prefix(prefix):
    """An IPv6 prefix (`2001:db8:0:100::/56`), host bits not allowed."""
    try:
        value = ipaddress.IPv6Network((prefix or "").strip(), strict=True)
    except ValueError as exc:
        raise ValueError("%r is not an IPv6 prefix (e.g. 2001:db8:0:100::/56): %s"
                         % (prefix, exc))
    if value.prefixlen > 64 or value.prefixlen < 32:
        raise ValueError("A delegated IPv6 prefix is between /32 and /64; %s is not." % value)
    return str(value)


def normalize_network(cidr):
    """An IPv4 or IPv6 network in CIDR form, host bits not allowed."""
    try:
        return str(ipaddress.ip_network((cidr or "").strip(), strict=True))
    except ValueError as exc:
        raise ValueError("%r is not a network in CIDR form (e.g. 10.20.0.0/24 or "
                         "2001:db8::/48): %s" % (cidr, exc))


def normalize_mobile(number, region="BD"):
    """A mobile number in E.164 (`+8801711928149`); national numbers are read
    in `region` (ISO 3166 code of the ISP's country)."""
    text = (number or "").strip()
    try:
        parsed = phonenumbers.parse(text, (region or "BD").upper())
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValueError("%r is not a valid phone number for %s (e.g. 01711-928149 or "
                         "+8801711928149)." % (number, (region or "BD").upper()))
    if phonenumbers.number_type(parsed) not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValueError("%r is not a mobile number: SMS notices need one." % (number,))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


#: the latest validity end (naive UTC): RADIUS carries a validity end as an
#: unsigned 32-bit count of seconds (Expiration; Session-Timeout, the seconds
#: left), which ends on 2106-02-07 06:28:15 UTC; a round date before it
MAX_VALIDITY_END = datetime.datetime(2100, 12, 31, 23, 59, 59)
#: the longest validity of a package: 10 years
MAX_VALIDITY_DAYS = 3660
VALIDITY_UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 24 * 60}


def validity_end_ok(end):
    """True when the validity end `end` (naive UTC datetime or None) is one
    RADIUS can carry: no later than MAX_VALIDITY_END."""
    return end is None or end <= MAX_VALIDITY_END


def max_validity_value(unit):
    """The longest package validity (10 years) in `unit` (days, hours, minutes)."""
    return MAX_VALIDITY_DAYS * VALIDITY_UNIT_MINUTES["days"] // VALIDITY_UNIT_MINUTES[unit]


def validity_value_ok(value, unit):
    """True for a package validity of `value` `unit` between 1 and 10 years."""
    return 0 < value <= max_validity_value(unit)
