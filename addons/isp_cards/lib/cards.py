# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recharge card PINs, serials and the wrong-PIN lockout.

A PIN is `length - 1` random characters of ALPHABET followed by one check
character (Luhn mod N over the alphabet): a mistyped character or two
swapped neighbours (but the first and last characters of the
alphabet, as 09/90 in Luhn mod 10) are told from a wrong card without a database lookup.
The alphabet has no look-alikes: no 0/O/D/Q, 1/I/L, S (5), Z (2), B (8),
G (6), V (U); 24 characters, an even number as Luhn mod N needs
(with an odd one, doubling maps two characters to one and misses errors).
"""
import datetime
import hashlib
import hmac
import math
import re
import secrets

ALPHABET = "23456789ACEFHJKMNPRTUWXY"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
#: random bytes -> alphabet characters: bytes below the largest multiple of
#: the alphabet's size map evenly (b % 24), the others are dropped
_KEEP = 256 - 256 % len(ALPHABET)
_BYTE_TABLE = bytes(ord(ALPHABET[b % len(ALPHABET)]) if b < _KEEP else 0
                    for b in range(256))
_BYTE_DROP = bytes(range(_KEEP, 256))
DEFAULT_LENGTH = 12
MIN_LENGTH, MAX_LENGTH = 8, 20

# lockout: this many failures within WINDOW lock for LOCK
MAX_FAILURES = 5
WINDOW = datetime.timedelta(minutes=15)
LOCK = datetime.timedelta(minutes=15)


def check_char(payload):
    """The Luhn mod N check character of `payload` (characters of ALPHABET)."""
    n = len(ALPHABET)
    factor = 2
    total = 0
    for char in reversed(payload):
        addend = factor * _INDEX[char]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def normalize(pin):
    """What the customer typed -> the stored form: upper case, without
    spaces and dashes."""
    return re.sub(r"[\s\-]", "", (pin or "")).upper()


def pin_is_well_formed(pin):
    """The PIN (normalized) has only alphabet characters, a valid length
    and a right check character."""
    pin = normalize(pin)
    if not MIN_LENGTH <= len(pin) <= MAX_LENGTH or any(c not in _INDEX for c in pin):
        return False
    return check_char(pin[:-1]) == pin[-1]


def new_pin(length=DEFAULT_LENGTH, rng=secrets):
    """One random PIN with its check character (`rng`: anything with
    `choice`, the `secrets` module by default)."""
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError("A PIN has %d to %d characters." % (MIN_LENGTH, MAX_LENGTH))
    payload = "".join(rng.choice(ALPHABET) for _i in range(length - 1))
    return payload + check_char(payload)


def _payloads(n, size, rng):
    """`n` random strings of `size` alphabet characters. With `secrets` (or
    anything with `token_bytes`): unbiased bytes from the OS, mapped in bulk
    (bytes.translate); else `rng.choice` per character."""
    if not hasattr(rng, "token_bytes"):
        return ["".join(rng.choice(ALPHABET) for _i in range(size)) for _j in range(n)]
    chars = ""
    need = n * size
    while len(chars) < need:
        raw = rng.token_bytes((need - len(chars)) * 256 // _KEEP + 64)
        chars += raw.translate(_BYTE_TABLE, _BYTE_DROP).decode("ascii")
    return [chars[i * size:(i + 1) * size] for i in range(n)]


def generate_pins(n, length=DEFAULT_LENGTH, rng=secrets, exclude=()):
    """`n` distinct new PINs, none of them in `exclude`."""
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError("A PIN has %d to %d characters." % (MIN_LENGTH, MAX_LENGTH))
    exclude = set(exclude)
    pins = set()
    while len(pins) < n:
        for payload in _payloads(n - len(pins), length - 1, rng):
            pin = payload + check_char(payload)
            if pin not in exclude:
                pins.add(pin)
    return list(pins)


def new_pin_key():
    """A new key for the PIN hashes (64 hex characters)."""
    return secrets.token_hex(32)


def pin_hash(key, pin):
    """What the database keeps of a PIN: HMAC-SHA256 (hex) of the normalized
    PIN under the database's own key. The same PIN however typed (case,
    spaces, dashes) has the same hash; without the key a hash tells nothing."""
    if not key:
        raise ValueError("No PIN key.")
    return hmac.new(key.encode("utf-8"), normalize(pin).encode("utf-8"),
                    hashlib.sha256).hexdigest()


def normalize_username(username):
    """A username as typed -> as matched: without surrounding spaces (the
    match itself is exact, case aside: no wildcards)."""
    return (username or "").strip()


def minutes_left(until, now):
    """Whole minutes (at least 1) from `now` to `until`, for the lock message."""
    return max(1, math.ceil((until - now).total_seconds() / 60.0))


def mask(pin):
    """What the attempt log keeps of a typed PIN: '7K…A'."""
    pin = normalize(pin)
    return pin[:2] + "\u2026" + pin[-1:] if len(pin) > 3 else "\u2026"


def format_pin(pin, group=4):
    """'7K3M9PRT2WXA' -> '7K3M-9PRT-2WXA' (how it is printed)."""
    pin = normalize(pin)
    return "-".join(pin[i:i + group] for i in range(0, len(pin), group))


def format_serial(batch_number, index):
    """Serial of the `index`-th card (from 1) of batch `batch_number`:
    'B000012-000345'."""
    if index < 1 or batch_number < 1:
        raise ValueError("Batch numbers and card indexes start at 1.")
    return "B%06d-%06d" % (batch_number, index)


def locked_until(failures, now, max_failures=MAX_FAILURES, window=WINDOW, lock=LOCK):
    """When the lock made by `failures` (datetimes of failed attempts) ends,
    or None when `now` is not locked: `max_failures` failures within
    `window` lock for `lock` after the last of them."""
    times = sorted(failures)
    until = None
    for i in range(max_failures - 1, len(times)):
        if times[i] - times[i - max_failures + 1] <= window:
            end = times[i] + lock
            until = end if until is None or end > until else until
    return until if until is not None and now < until else None
