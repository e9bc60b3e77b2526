# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SMS: how many parts a text takes, and how a provider's answer is read."""
import re

# GSM 03.38 basic alphabet (+ the extension table, which counts double)
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENDED = set("^{}\\[~]|€")


def is_gsm(text):
    return all(c in GSM_BASIC or c in GSM_EXTENDED for c in text)


def segments(text):
    """Parts an SMS of `text` is sent as: 160/153 GSM characters, 70/67 for
    anything else (Bangla is UCS-2)."""
    if not text:
        return 0
    if is_gsm(text):
        length = sum(2 if c in GSM_EXTENDED else 1 for c in text)
        single, multi = 160, 153
    else:
        length = len(text.encode("utf-16-be")) // 2
        single, multi = 70, 67
    return 1 if length <= single else -(-length // multi)


def is_success(status_code, body, pattern):
    """A provider call succeeded: HTTP 2xx and, when a pattern is set, the
    answer matches it (many gateways answer 200 with an error text)."""
    if not 200 <= status_code < 300:
        return False
    return bool(re.search(pattern, body or "")) if pattern else True


def mask(text, secrets):
    """`text` with each secret of `secrets` (a {secret: shown instead} dict,
    or secrets shown as `*` of their length) replaced; None stays None."""
    if not text or not secrets:
        return text
    if not isinstance(secrets, dict):
        secrets = {secret: "*" * len(secret) for secret in secrets}
    # the longest first: a secret that contains another is replaced whole
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, secrets[secret])
    return text
