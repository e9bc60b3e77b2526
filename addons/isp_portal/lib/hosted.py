# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Generic hosted payment gateway: the payer is sent to the gateway with a
signed request and comes back (and the gateway notifies) with a signed
answer. Signature: hex HMAC-SHA256 of the values joined by "|" in a fixed
order, keyed by the merchant secret. Without a secret nothing is signed
and no answer is genuine (an empty key is no key)."""
import hashlib
import hmac

REQUEST_FIELDS = ("merchant", "reference", "amount", "currency", "return_url")
ANSWER_FIELDS = ("reference", "amount", "currency", "status", "txn_id")
#: what each provider of the suite needs before it is published
REQUIRED_TO_PUBLISH = {
    "bkash": ("bkash_base_url", "bkash_app_key", "bkash_app_secret", "bkash_username",
              "bkash_password"),
    "isp_hosted": ("hosted_url", "hosted_merchant", "hosted_secret"),
}


def missing_to_publish(provider, values):
    """The fields of REQUIRED_TO_PUBLISH[provider] that `values` (a dict)
    leaves empty or blank, in order ([] for other providers)."""
    return [f for f in REQUIRED_TO_PUBLISH.get(provider, ())
            if not str(values.get(f) or "").strip()]


def amount_text(amount):
    return "%.2f" % round(float(amount), 2)


def sign(secret, values, fields):
    """The signature of `values`; ValueError without a secret."""
    if not (secret or "").strip():
        raise ValueError("no signing secret")
    message = "|".join(str(values.get(f, "")) for f in fields).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def request_values(secret, merchant, reference, amount, currency, return_url):
    values = {"merchant": merchant, "reference": reference, "amount": amount_text(amount),
              "currency": currency, "return_url": return_url}
    values["signature"] = sign(secret, values, REQUEST_FIELDS)
    return values


def answer_problems(secret, answer, amount, currency, reference):
    """[] when `answer` is a genuine, paid answer for exactly this payment;
    otherwise (field, received, expected) items. Without a secret nothing
    is genuine."""
    if not (secret or "").strip():
        return [("signature", answer.get("signature"), "a signing secret on the acquirer")]
    if not hmac.compare_digest(sign(secret, answer, ANSWER_FIELDS),
                               str(answer.get("signature", ""))):
        return [("signature", answer.get("signature"), "a valid signature")]
    problems = []
    if answer.get("status") != "paid":
        problems.append(("status", answer.get("status"), "paid"))
    if answer.get("reference") != reference:
        problems.append(("reference", answer.get("reference"), reference))
    if answer.get("amount") != amount_text(amount):
        problems.append(("amount", answer.get("amount"), amount_text(amount)))
    if answer.get("currency") != currency:
        problems.append(("currency", answer.get("currency"), currency))
    if not answer.get("txn_id"):
        problems.append(("txn_id", answer.get("txn_id"), "a transaction id"))
    return problems
