"""isp_reseller under concurrency: two logins of one reseller activate two
customers at the same moment, in two transactions, when the wallet (or the
credit limit) pays for one only. Exactly one activation goes through, the
other gets the reseller's refusal, and the ledger never goes past the limit."""
import pytest

from conftest import isp_dev
from odoo_env import close, env_of, race

pytestmark = pytest.mark.skipif("isp_reseller" not in isp_dev.app_modules(),
                                reason="isp_reseller is not in the app template")


def make_reseller(env, name, mode, wallet=0.0, credit_limit=0.0):
    """An operator under the ISP with one 7-day package (it pays 200), two
    logins and two customers waiting for activation."""
    company = env.user.company_id
    operator = env["res.partner"].create({
        "name": name, "is_company": True, "isp_is_operator": True,
        "isp_parent_operator_id": company.partner_id.id, "isp_reseller_mode": mode,
        "isp_credit_limit": credit_limit})
    plan = env["isp.service.plan"].create({
        "name": "%s 7 days" % name, "operator_id": operator.id,
        "master_package_id": env["isp.master.package"].search([], limit=1).id,
        "billing_type": "daily", "validity_value": 7, "customer_price": 300.0,
        "operator_price": 200.0})
    if wallet:
        env["isp.operator.money.wizard"].create({
            "operator_id": operator.id, "amount": wallet,
            "journal_id": env["account.payment"].isp_default_journal(company, "cash").id,
        }).action_apply()
    users, subs = [], []
    for i in range(2):
        login = "%s.login%d" % (name.lower().replace(" ", ""), i)
        users.append(env["res.users"].with_context(no_reset_password=True).create({
            "name": login, "login": login, "password": login, "isp_operator_id": operator.id,
            "groups_id": [(6, 0, [env.ref("isp_base.group_isp_reseller").id])]}).id)
        partner = env["res.partner"].create({
            "name": "Race %s %d" % (name, i), "isp_is_subscriber": True,
            "isp_operator_id": operator.id})
        subs.append(env["isp.subscription"].create({
            "partner_id": partner.id, "operator_id": operator.id, "plan_id": plan.id,
            "billing_type": "daily", "username": "race%s%d" % (mode, i),
            "password": "pw"}).id)
    return operator.id, users, subs


def activate_both(dbname, users, subs):
    """Each login activates its customer at the same moment: {subscription id:
    'ok' or the refusal}."""
    def activate(uid, sub_id):
        def action(env, start):
            sub = env["isp.subscription"].sudo(uid).browse(sub_id)
            sub.read(["state"])  # the snapshot starts before the lock
            start()
            sub.action_activate()
            return "ok"
        return action
    outcomes, _retried = race(dbname, *(activate(uid, sub_id)
                                        for uid, sub_id in zip(users, subs, strict=True)))
    return {sub_id: what for sub_id, (_kind, what) in zip(subs, outcomes, strict=True)}


def ledger(dbname, operator_id, subs):
    with env_of(dbname) as env:
        operator = env["res.partner"].browse(operator_id)
        balance = operator._isp_balances().get(operator_id, 0.0)
        charges = env["isp.operator.charge"].search([("subscription_id", "in", subs)])
        states = sorted(env["isp.subscription"].browse(subs).mapped("state"))
        return balance, sum(charges.mapped("amount")), states


def test_prepaid_wallet_for_one_activation_pays_for_one(app_db):
    with env_of(app_db) as env:
        operator_id, users, subs = make_reseller(env, "Race Prepaid", "prepaid", wallet=250.0)
    outcome = activate_both(app_db, users, subs)
    balance, charged, states = ledger(app_db, operator_id, subs)
    close(app_db)
    assert sorted(outcome.values())[1] == "ok", outcome
    refusal = sorted(outcome.values())[0]
    assert "has 50.00" in refusal and "this costs 200.00" in refusal, outcome
    assert states == ["active", "draft"]
    # 250 paid in, 200 spent: 50 left (a wallet is a negative balance: owed to it)
    assert (balance, charged) == (-50.0, 200.0)


def test_postpaid_credit_limit_is_never_passed(app_db):
    with env_of(app_db) as env:
        operator_id, users, subs = make_reseller(env, "Race Postpaid", "postpaid",
                                                 credit_limit=300.0)
    outcome = activate_both(app_db, users, subs)
    balance, charged, states = ledger(app_db, operator_id, subs)
    close(app_db)
    assert sorted(outcome.values())[1] == "ok", outcome
    assert "pass its credit limit of 300.00" in sorted(outcome.values())[0], outcome
    assert states == ["active", "draft"]
    assert (balance, charged) == (200.0, 200.0)
