"""isp_billing across processes: the bill PDF from the running server
(QWeb + wkhtmltopdf, read back with pdftotext and zbarimg), and two
transactions recharging one account at the same time."""
import re
import subprocess

import pytest
import requests

from conftest import isp_dev
from odoo_env import close, env_of, race

pytestmark = pytest.mark.skipif(
    "isp_billing" not in isp_dev.app_modules() and not any(
        m in isp_dev.app_modules() for m in ("isp_reseller", "isp_cards", "isp_portal")),
    reason="isp_billing is not in the app template")


def login(session, url, user, password):
    page = session.get(url + "/web/login", timeout=60)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    resp = session.post(url + "/web/login", timeout=60, data={
        "login": user, "password": password, "csrf_token": csrf})
    assert resp.status_code == 200


def test_bill_pdf_has_code_period_words_and_a_qr(app_db, tmp_path):
    with env_of(app_db) as env:
        partner = env["res.partner"].create({"name": "PDF Subscriber", "mobile": "01711000777",
                                             "isp_is_subscriber": True})
        plan = env.ref("isp_base.plan_home_10m")
        sub = env["isp.subscription"].create({
            "partner_id": partner.id, "plan_id": plan.id, "username": "pdfuser",
            "password": "pw", "billing_profile_id": env.ref("isp_base.profile_monthly").id})
        sub.action_activate()
        bill = sub.invoice_ids
        expected = {"number": bill.number, "code": partner.isp_customer_code,
                    "period": bill.isp_period_text(), "words": bill.isp_amount_words,
                    "reference": bill.isp_payment_reference(), "qr": bill.isp_qr_payload(),
                    "id": bill.id}
    close(app_db)
    server = isp_dev.OdooServer(app_db)
    with server:
        session = requests.Session()
        login(session, server.url, "admin", "admin")
        resp = session.get(server.url + "/report/pdf/account.report_invoice/%d"
                           % expected["id"], timeout=180)
        assert resp.status_code == 200
        assert resp.headers["Content-Type"] == "application/pdf"
    assert not server.bad_lines(), server.bad_lines()
    pdf = tmp_path / "bill.pdf"
    pdf.write_bytes(resp.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          stdout=subprocess.PIPE, text=True).stdout
    flat = " ".join(text.split())
    for key in ("number", "code", "period", "reference"):
        assert expected[key] in flat, (key, expected[key], flat[:2000])
    assert " ".join(expected["words"].split()) in flat
    assert "Subscriber code" in flat and "Amount in words" in flat
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(str(p) for p in tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw"] + pages,
                             stdout=subprocess.PIPE, text=True).stdout.strip()
    assert decoded == expected["qr"]


def test_two_recharges_at_once_both_count(app_db):
    """Two cashiers (two transactions) recharge one prepaid account at the same
    moment: the row lock makes the second wait; no extension is lost."""
    with env_of(app_db) as env:
        partner = env["res.partner"].create({"name": "Race Subscriber",
                                             "isp_is_subscriber": True})
        plan = env.ref("isp_base.plan_daily_10m_7d")
        sub = env["isp.subscription"].create({
            "partner_id": partner.id, "plan_id": plan.id, "username": "raceuser",
            "password": "pw", "billing_type": "daily"})
        sub_id, plan_id = sub.id, plan.id
    def recharge(env, start):
        sub = env["isp.subscription"].browse(sub_id)
        sub.read(["state"])  # the snapshot starts before the lock
        start()
        sub.action_recharge(env["isp.service.plan"].browse(plan_id))

    outcomes, _retried = race(app_db, recharge, recharge)
    with env_of(app_db) as env:
        sub = env["isp.subscription"].browse(sub_id)
        paid = sub.invoice_ids.filtered(lambda i: i.state == "paid")
        state, start, end = sub.state, sub.activation_date, sub.validity_end
    close(app_db)
    # the second transaction waited on the account's row lock, then (its
    # snapshot being older) failed to serialize and was retried: never lost
    assert outcomes == [("ok", None)] * 2, outcomes
    assert len(paid) == 2 and state == "active"
    from odoo import fields
    days = (fields.Datetime.from_string(end) - fields.Datetime.from_string(start)).days
    assert days == 14, (start, end)


def test_customer_prints_own_bill_not_anothers(app_db, tmp_path):
    """Odoo's report route, as the bill's own portal customer: the PDF (dates
    in the customer's language's format); another customer's bill and a
    bill that does not exist are refused with a 403, no ERROR logged."""
    with env_of(app_db) as env:
        env["res.lang"].load_lang("en_GB")
        plan = env.ref("isp_base.plan_home_10m")
        portal = env.ref("base.group_portal")
        bills = []
        for n in (1, 2):
            partner = env["res.partner"].create({
                "name": "Portal Payer %d" % n, "mobile": "0171100078%d" % n,
                "isp_is_subscriber": True, "lang": "en_GB"})
            env["res.users"].with_context(no_reset_password=True).create({
                "name": partner.name, "login": "payer%d" % n, "password": "payer%d-pw" % n,
                "partner_id": partner.id, "groups_id": [(6, 0, portal.ids)]})
            sub = env["isp.subscription"].create({
                "partner_id": partner.id, "plan_id": plan.id, "username": "payer%d" % n,
                "password": "pw", "billing_profile_id": env.ref("isp_base.profile_monthly").id})
            sub.action_activate()
            bills.append(sub.invoice_ids)
        own, other = bills
        expected = [own.number, own.partner_id.isp_customer_code,
                    # 01/12/2026 - 31/12/2026: the customer's format
                    own.isp_period_text(), "/".join(reversed(own.date_invoice.split("-")))]
        assert re.match(r"\d\d/\d\d/\d{4} - \d\d/\d\d/\d{4}$", expected[2]), expected[2]
        ids = {"own": own.id, "other": other.id, "other_number": other.number}
    close(app_db)
    server = isp_dev.OdooServer(app_db)
    with server:
        session = requests.Session()
        login(session, server.url, "payer1", "payer1-pw")
        pdf = session.get(server.url + "/report/pdf/account.report_invoice/%d" % ids["own"],
                          timeout=180)
        html = session.get(server.url + "/report/html/account.report_invoice/%d" % ids["own"],
                           timeout=180)
        refused = [session.get(server.url + "/report/%s/account.report_invoice/%d"
                               % (kind, bill_id), timeout=180)
                   for kind in ("pdf", "html") for bill_id in (ids["other"], 987654321)]
    assert not server.bad_lines(), server.bad_lines()
    assert (pdf.status_code, pdf.headers["Content-Type"]) == (200, "application/pdf")
    assert html.status_code == 200 and ids["other_number"] not in html.text
    path = tmp_path / "own.pdf"
    path.write_bytes(pdf.content)
    flat = " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                                   stdout=subprocess.PIPE, text=True).stdout.split())
    for value in expected:
        assert value in flat, (value, flat[:2000])
    for resp in refused:
        assert resp.status_code == 403, resp.url
        assert ids["other_number"] not in resp.text
