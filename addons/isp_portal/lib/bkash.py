# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""bKash tokenized checkout: paths, request bodies and how its answers are
read (see /work/shared/notes/payments.md). No I/O here."""
import datetime

API_VERSION = "/v1.2.0-beta"
PATHS = {
    "grant": "/tokenized/checkout/token/grant",
    "refresh": "/tokenized/checkout/token/refresh",
    "create": "/tokenized/checkout/create",
    "execute": "/tokenized/checkout/execute",
    "query": "/tokenized/checkout/payment/status",
}
#: seconds before the real expiry at which a cached token is renewed
TOKEN_MARGIN = 60
#: the one currency bKash takes (a wallet in Bangladesh)
CURRENCY = "BDT"


class BkashError(Exception):
    """bKash refused a call (statusCode other than "0000", or no answer)."""


def url(base, step):
    """Full URL of `step` under the acquirer's base URL (version path added
    unless the base already carries it)."""
    base = (base or "").rstrip("/")
    if not base.endswith(API_VERSION):
        base += API_VERSION
    return base + PATHS[step]


def takes_currency(currency):
    """bKash can be asked for a payment in `currency` (an ISO code)."""
    return (currency or "").upper() == CURRENCY


def format_amount(amount):
    """bKash amounts are strings with 2 decimals."""
    return "%.2f" % round(float(amount), 2)


def token_usable(expiry, now, margin=TOKEN_MARGIN):
    """A cached token (expiring at `expiry`, a datetime or None) can be used
    at `now`."""
    return bool(expiry) and expiry - datetime.timedelta(seconds=margin) > now


def token_expiry(answer, now):
    """When a granted token expires (bKash gives `expires_in` seconds)."""
    try:
        seconds = int(answer.get("expires_in") or 3600)
    except (TypeError, ValueError):
        seconds = 3600
    return now + datetime.timedelta(seconds=max(seconds, 0))


def check_answer(answer):
    """The answer of a call, or BkashError with bKash's message. Errors come
    with HTTP 200 too: the body decides."""
    if not isinstance(answer, dict):
        raise BkashError("no answer")
    code = answer.get("statusCode")
    if code is None and "errorCode" in answer:
        code = answer["errorCode"]
    if code not in (None, "0000"):
        raise BkashError("%s: %s" % (code, answer.get("statusMessage")
                                     or answer.get("errorMessage") or "refused"))
    if code is None and "id_token" not in answer and "paymentID" not in answer:
        raise BkashError(answer.get("message") or "unexpected answer")
    return answer


def create_body(amount, currency, invoice_number, callback_url, payer_reference):
    return {
        "mode": "0011",
        "payerReference": payer_reference or invoice_number,
        "callbackURL": callback_url,
        "amount": format_amount(amount),
        "currency": currency,
        "intent": "sale",
        "merchantInvoiceNumber": invoice_number,
    }


def completed_mismatches(answer, amount, currency, invoice_number):
    """What is wrong with an execute/query answer for a payment of `amount`
    `currency` for `invoice_number`: [] when it is a completed payment of
    exactly that. Items are (field, received, expected)."""
    problems = []
    if answer.get("transactionStatus") != "Completed":
        problems.append(("transactionStatus", answer.get("transactionStatus"), "Completed"))
    if not answer.get("trxID"):
        problems.append(("trxID", answer.get("trxID"), "a transaction id"))
    try:
        paid = format_amount(answer.get("amount"))
    except (TypeError, ValueError):
        paid = answer.get("amount")
    if paid != format_amount(amount):
        problems.append(("amount", answer.get("amount"), format_amount(amount)))
    if answer.get("currency", currency) != currency:
        problems.append(("currency", answer.get("currency"), currency))
    if answer.get("merchantInvoiceNumber", invoice_number) != invoice_number:
        problems.append(("merchantInvoiceNumber", answer.get("merchantInvoiceNumber"),
                         invoice_number))
    return problems
