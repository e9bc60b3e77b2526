"""isp_cards across transactions: two cashiers (two committed cursors in two
threads) use the same card PIN at the same moment. The card row lock makes
the second wait; it then sees the card used: one recharge, one clear
refusal."""
import pytest

from conftest import isp_dev
from odoo_env import close, env_of, race

pytestmark = pytest.mark.skipif("isp_cards" not in isp_dev.app_modules(),
                                reason="isp_cards is not in the app template")


def test_one_pin_used_twice_at_once_recharges_once(app_db):
    with env_of(app_db) as env:
        partner = env["res.partner"].create({"name": "Card Race", "isp_is_subscriber": True})
        plan = env.ref("isp_base.plan_daily_10m_7d")
        sub = env["isp.subscription"].create({
            "partner_id": partner.id, "plan_id": plan.id, "username": "cardrace",
            "password": "pw", "billing_type": "daily",
            "operator_id": env.user.company_id.partner_id.id})
        card = env["isp.card"].search([
            ("distributor_id", "=", env.ref("isp_cards.distributor_isp").id),
            ("state", "=", "new")], limit=1)
        sub_id, pin, card_id = sub.id, card.pin, card.id
    def redeem(name):
        def action(env, start):
            sub = env["isp.subscription"].browse(sub_id)
            sub.read(["state"])  # the snapshot starts before the lock
            start()
            env["isp.card"].redeem(pin, sub, client_ip="192.0.2.%d" % name)
        return action

    outcomes, _retried = race(app_db, redeem(1), redeem(2))
    with env_of(app_db) as env:
        card = env["isp.card"].browse(card_id)
        sub = env["isp.subscription"].browse(sub_id)
        bills = sub.invoice_ids
        state, card_state, card_sub = sub.state, card.state, card.redeemed_subscription_id.id
        paid = [(b.isp_kind, b.state, b.amount_total) for b in bills]
        env.cr.execute("SELECT count(*) FROM account_payment WHERE isp_reference = %s",
                       (card.serial,))
        card_payments = env.cr.fetchone()[0]
        env.cr.execute("SELECT result FROM isp_card_attempt WHERE card_id = %s", (card_id,))
        attempts = [r[0] for r in env.cr.fetchall()]
    close(app_db)
    kinds = sorted(kind for kind, _what in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    refusal = [what for kind, what in outcomes if kind == "refused"][0]
    assert "already used" in refusal
    assert card_state == "redeemed" and card_sub == sub_id
    assert state == "active"
    assert paid == [("recharge", "paid", 250.0)]  # one recharge
    assert card_payments == 1  # one payment by the card
    assert attempts == ["ok"]  # the refused one rolled back with its transaction
