# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One-time codes and rate limits (plain functions, no I/O)."""
import datetime
import hashlib
import hmac
import secrets

CODE_DIGITS = 6


def generate_code(digits=CODE_DIGITS):
    """A random numeric code (leading zeros kept)."""
    return "".join(secrets.choice("0123456789") for _i in range(digits))


def hash_code(secret, mobile, code):
    """What is stored instead of the code: HMAC-SHA256 keyed by the database
    secret, bound to the number (a code is worth nothing for another one)."""
    message = ("%s:%s" % (mobile, (code or "").strip())).encode("utf-8")
    return hmac.new((secret or "").encode("utf-8"), message, hashlib.sha256).hexdigest()


def code_matches(secret, mobile, code, stored_hash):
    return hmac.compare_digest(hash_code(secret, mobile, code), stored_hash or "")


def allowed(times, now, window_seconds, limit):
    """Whether one more attempt is allowed at `now`, given the datetimes of
    earlier attempts: at most `limit` in any `window_seconds`."""
    start = now - datetime.timedelta(seconds=window_seconds)
    return sum(1 for t in times if t > start) < limit


def retry_after(times, now, window_seconds, limit):
    """Seconds until one more attempt is allowed (0: now)."""
    if allowed(times, now, window_seconds, limit):
        return 0
    start = now - datetime.timedelta(seconds=window_seconds)
    recent = sorted(t for t in times if t > start)
    # the oldest of the last `limit` attempts must leave the window
    oldest = recent[len(recent) - limit]
    return max(1, int((oldest - start).total_seconds()) + 1)
