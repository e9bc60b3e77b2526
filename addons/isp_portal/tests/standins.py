# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Local stand-ins of what is outside the machine, at the HTTP level: bKash's
tokenized checkout and an SMS gateway. Plain Python (no Odoo): the Odoo
tests and the cross-process tests in tests/ both use them."""
import http.server
import json
import re
import threading
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

API = "/v1.2.0-beta/tokenized/checkout"


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler):
        super().__init__(("127.0.0.1", 0), handler)
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode("utf-8") if length else ""

    def _send(self, status, body, ctype="application/json", headers=()):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class BkashHandler(_Handler):

    def do_POST(self):  # noqa: N802
        srv = self.server
        path = urlsplit(self.path).path
        try:
            body = json.loads(self._body() or "{}")
        except ValueError:
            body = {}
        with srv.lock:
            srv.calls.append((path, dict(self.headers), body))
            answer = srv.answer(path, dict(self.headers), body)
        self._send(200, json.dumps(answer))

    def do_GET(self):  # noqa: N802
        """The payer's page at bKash: confirm or cancel, then back to the
        merchant's callback URL."""
        srv = self.server
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        payment = srv.payments.get(query.get("paymentID"))
        if not payment:
            return self._send(404, "no such payment", "text/plain")
        if parts.path == "/checkout":
            return self._send(200, CHECKOUT_PAGE % {
                "id": payment["paymentID"], "amount": payment["amount"]}, "text/html")
        if parts.path == "/checkout/answer":
            status = query.get("action") or "success"
            if status == "success":
                payment["approved"] = True
            target = "%s%s%s" % (payment["callbackURL"],
                                 "&" if "?" in payment["callbackURL"] else "?",
                                 urlencode({"paymentID": payment["paymentID"],
                                            "status": status}))
            return self._send(302, "", "text/plain", [("Location", target)])
        return self._send(404, "", "text/plain")


CHECKOUT_PAGE = """<!DOCTYPE html><html><head><meta name="viewport"
content="width=device-width, initial-scale=1"><title>bKash (stand-in)</title></head>
<body style="font-family: sans-serif; background: #e2136e; color: white; padding: 2em">
<h2>bKash payment (stand-in)</h2><p>Amount: <b id="amount">%(amount)s</b> BDT</p>
<p><a id="confirm" style="color: white; font-size: 1.5em"
 href="/checkout/answer?paymentID=%(id)s&amp;action=success">Confirm</a></p>
<p><a id="cancel" style="color: white" href="/checkout/answer?paymentID=%(id)s&amp;action=cancel"
>Cancel</a></p></body></html>"""


class BkashStandin(_Server):
    """bKash tokenized checkout on a loopback port. `tamper_amount` makes
    execute answer another amount; `fail_execute` makes it refuse."""

    def __init__(self, username="merchant", password="pw", app_key="key", app_secret="secret"):
        super().__init__(BkashHandler)
        self.credentials = (username, password, app_key, app_secret)
        self.calls = []
        self.payments = {}
        self.tokens = set()
        self.tamper_amount = None
        self.fail_execute = False
        self.trx_counter = 0

    def grants(self):
        return [c for c in self.calls if c[0].endswith("/token/grant")]

    def executes(self):
        return [c for c in self.calls if c[0].endswith("/execute")]

    def approve(self, payment_id):
        """The payer confirmed in bKash's page."""
        self.payments[payment_id]["approved"] = True

    def answer(self, path, headers, body):
        app_key = self.credentials[2]
        if path == API + "/token/grant":
            if (headers.get("username"), headers.get("password"), body.get("app_key"),
                    body.get("app_secret")) != self.credentials:
                return {"statusCode": "2001", "statusMessage": "Invalid App Key"}
            token = "tok-%s" % uuid.uuid4().hex[:12]
            self.tokens.add(token)
            return {"statusCode": "0000", "statusMessage": "Successful", "id_token": token,
                    "refresh_token": "ref-" + token, "expires_in": 3600,
                    "token_type": "Bearer"}
        if headers.get("Authorization") not in self.tokens or \
                headers.get("X-App-Key") != app_key:
            return {"statusCode": "2079", "statusMessage": "Invalid Permission"}
        if path == API + "/create":
            payment_id = "TR0011" + uuid.uuid4().hex[:14].upper()
            self.payments[payment_id] = dict(
                body, paymentID=payment_id, approved=False, executed=False, trxID=None)
            return {"statusCode": "0000", "statusMessage": "Successful",
                    "paymentID": payment_id,
                    "bkashURL": "%s/checkout?paymentID=%s" % (self.url, payment_id),
                    "callbackURL": body.get("callbackURL"), "amount": body.get("amount"),
                    "intent": "sale", "currency": body.get("currency"),
                    "merchantInvoiceNumber": body.get("merchantInvoiceNumber"),
                    "transactionStatus": "Initiated"}
        payment = self.payments.get(body.get("paymentID"))
        if not payment:
            return {"statusCode": "2056", "statusMessage": "Invalid Payment State"}
        if path == API + "/execute":
            if self.fail_execute or not payment["approved"]:
                return {"statusCode": "2056", "statusMessage": "Invalid Payment State"}
            if payment["executed"]:
                return {"statusCode": "2117", "statusMessage": "Payment execution already "
                                                               "been called before"}
            self.trx_counter += 1
            payment.update(executed=True, trxID="9K%08dX" % self.trx_counter)
            return self._completed(payment)
        if path == API + "/payment/status":
            if payment["executed"]:
                return self._completed(payment)
            return {"statusCode": "0000", "paymentID": payment["paymentID"],
                    "transactionStatus": "Initiated", "amount": payment["amount"],
                    "currency": payment["currency"],
                    "merchantInvoiceNumber": payment["merchantInvoiceNumber"]}
        return {"statusCode": "9999", "statusMessage": "unknown call"}

    def _completed(self, payment):
        return {"statusCode": "0000", "statusMessage": "Successful",
                "paymentID": payment["paymentID"], "trxID": payment["trxID"],
                "transactionStatus": "Completed",
                "amount": self.tamper_amount or payment["amount"],
                "currency": payment["currency"], "intent": "sale",
                "merchantInvoiceNumber": payment["merchantInvoiceNumber"],
                "paymentExecuteTime": "2026-01-01T10:00:00:000 GMT+0600"}


class SmsHandler(_Handler):

    def do_POST(self):  # noqa: N802
        fields = {k: v[0] for k, v in parse_qs(self._body()).items()}
        with self.server.lock:
            self.server.messages.append(fields)
        self._send(200, "OK: queued", "text/plain")


class SmsStandin(_Server):
    """An SMS gateway that keeps what it is asked to send."""

    def __init__(self):
        super().__init__(SmsHandler)
        self.messages = []

    def last_to(self, number):
        for message in reversed(self.messages):
            if message.get("to") == number:
                return message.get("message")
        return None

    def last_code(self, number):
        text = self.last_to(number) or ""
        match = re.search(r"\b(\d{6})\b", text)
        return match and match.group(1)
