"""Tenant isolation as an exact matrix, over XML-RPC (issue 16, findings 3-5).

For every restricted demo login and every model in MODELS, the records the
login reaches by search, search_count and read_group EQUAL the records it
should reach. What it should reach is computed here, as superuser, from the
operator tree and ownership (`reach`), not from the record rules:

* a reseller-side login (a reseller, a sub-reseller, a reseller's manager)
  reaches what belongs to its subtree of operators: customers, their
  subscriptions, bills, payments, journal items, sessions, notices, logs,
  the routers its customers use; of the partners also the chain of its
  parent operators and the ISP's own company and staff, never another
  operator's customers or card shops;
* a portal customer and a card shop reach what is theirs;
* the ISP's staff reach every record of the models their role opens.

Writes and deletes outside the set are refused; a reseller creates
customers in its subtree and not for a sibling. Data: the demo's two
resellers (Dhaka Net with its sub-reseller Road 32, Mirpur Link), a card
shop, staff, and a second customer added under Mirpur and Road 32.
"""
import xmlrpc.client

import pytest

import odoo_env

ACCESS_ERROR = 4  # odoo.service.wsgi_server.RPC_FAULT_CODE_ACCESS_ERROR
#: every message (Odoo 11's mail.message breaks on an empty domain for portal users)
ANY_MESSAGE = [("id", "!=", 0)]

#: login -> kind of scope
ROLES = {
    "reseller.dhakanet": "tree", "reseller.mirpur": "tree", "subreseller.road32": "tree",
    "manager.dhakanet": "tree", "distributor.demo": "own", "customer": "own",
    "isp.helpdesk": "isp", "isp.cashier": "isp", "isp.technician": "isp",
    "isp.auditor": "isp",
}


def _path_of_partner(partner):
    """The operator path a partner belongs to: an operator's own path, a
    customer's or card shop's operator's path."""
    commercial = partner.commercial_partner_id
    return commercial.isp_operator_path if commercial.isp_is_operator \
        else commercial.isp_operator_id.isp_operator_path or None


def _in_tree(partner, path):
    """A customer, card shop, operator or login of the subtree at `path`."""
    mine = _path_of_partner(partner)
    logins = partner.commercial_partner_id.with_context(active_test=False).user_ids
    return bool(mine and mine.startswith(path)) or any(
        (u.isp_operator_id.isp_operator_path or "").startswith(path) for u in logins)


def _partner_reach(env, record, user, path):
    commercial = record.commercial_partner_id
    if _in_tree(record, path):
        return True
    chain = [int(x) for x in path.split("/") if x]
    if record.id in chain + [user.partner_id.id, user.company_id.partner_id.id]:
        return True
    neutral = not (commercial.isp_is_subscriber or commercial.isp_is_operator
                   or commercial.isp_operator_id)
    staff = any(not u.share for u in commercial.with_context(active_test=False).user_ids)
    return neutral and (staff or commercial == user.company_id.partner_id)


#: model -> how a record belongs: path (its operator path), paths (several),
#: reach (a function of its own), own (the partner that owns it); write: a
#: field to write in the write test; group: a stored field to group by;
#: active: archived records count too
MODELS = {
    "res.partner": dict(reach=_partner_reach, own=lambda r: r.commercial_partner_id,
                        write="name"),
    "isp.subscription": dict(path=lambda r: r.operator_path,
                             own=lambda r: r.partner_id.commercial_partner_id,
                             write="name", active=True),
    "account.invoice": dict(path=lambda r: r.isp_operator_id.isp_operator_path,
                            own=lambda r: r.commercial_partner_id, write="name"),
    "account.invoice.line": dict(path=lambda r: r.invoice_id.isp_operator_id.isp_operator_path,
                                 own=lambda r: r.invoice_id.commercial_partner_id),
    "account.payment": dict(path=lambda r: _path_of_partner(r.partner_id),
                            own=lambda r: r.partner_id.commercial_partner_id,
                            write="communication"),
    "account.move.line": dict(path=lambda r: r.partner_id and _path_of_partner(r.partner_id),
                              own=lambda r: r.partner_id.commercial_partner_id),
    "isp.subscription.state.log": dict(path=lambda r: r.subscription_id.operator_path,
                                       own=lambda r: r.subscription_id.partner_id
                                       .commercial_partner_id),
    "isp.radius.session": dict(path=lambda r: r.subscription_id.operator_path,
                               own=lambda r: r.partner_id.commercial_partner_id,
                               group="subscription_id"),
    "isp.notice": dict(path=lambda r: r.subscription_id.operator_path if r.subscription_id
                       else r.partner_id and _path_of_partner(r.partner_id),
                       own=lambda r: r.partner_id.commercial_partner_id),
    "isp.router": dict(paths=lambda r, env: env["isp.subscription"].with_context(
        active_test=False).search([("router_id", "=", r.id)]).mapped("operator_path"),
        write="name", active=True),
    "isp.card": dict(path=lambda r: r.operator_path, own=lambda r: r.distributor_id,
                     group="state"),
    "helpdesk.ticket": dict(path=lambda r: r.partner_id.isp_operator_id.isp_operator_path,
                            own=lambda r: r.partner_id.commercial_partner_id),
    "isp.radius.usage.daily": dict(path=lambda r: r.subscription_id.operator_path,
                                   own=lambda r: r.partner_id.commercial_partner_id,
                                   group="subscription_id"),
    "isp.network.action": dict(path=lambda r: r.subscription_id.operator_path,
                               own=lambda r: r.subscription_id.partner_id
                               .commercial_partner_id),
    "isp.card.attempt": dict(path=lambda r: r.subscription_id.operator_path,
                             own=lambda r: r.subscription_id.partner_id.commercial_partner_id),
    "account.move": dict(path=lambda r: r.partner_id and _path_of_partner(r.partner_id),
                         own=lambda r: r.partner_id.commercial_partner_id),
    "res.users": dict(path=lambda r: r.isp_operator_id.isp_operator_path
                      or _path_of_partner(r.partner_id),
                      own=lambda r: r.partner_id.commercial_partner_id, write="name"),
    # a portal login reads its own rows only, a reseller's employee its tree's
    "mail.followers": dict(reach=lambda env, r, user, path: bool(r.partner_id) and (
        r.partner_id == user.partner_id or not user.share and _in_tree(r.partner_id, path)),
        own=lambda r: r.partner_id.commercial_partner_id, group="res_model"),
    # the chatter: messages of the records reached above, and one's own
    "mail.message": dict(kinds=("tree", "own"), group="model", message=True,
                         domain=ANY_MESSAGE),
    # files: those of the records reached above, and those of no record
    "ir.attachment": dict(kinds=("tree", "own"), group="res_model", attachment=True),
    "isp.subscription.extension": dict(kinds=("tree", "isp"),
                                       path=lambda r: r.subscription_id.operator_path),
    "isp.other.charge": dict(kinds=("tree", "isp"),
                             path=lambda r: r.subscription_id.operator_path),
    "isp.billing.error": dict(kinds=("tree", "isp"),
                              path=lambda r: r.subscription_id.operator_path),
    "isp.operator.charge": dict(kinds=("tree", "isp"),
                                path=lambda r: r.operator_id.isp_operator_path),
    "isp.service.plan": dict(kinds=("tree", "isp"), active=True,
                             path=lambda r: r.operator_id.isp_operator_path),
    "isp.card.batch": dict(path=lambda r: r.operator_path, own=lambda r: r.distributor_id),
    "isp.radius.usage.monthly": dict(path=lambda r: r.subscription_id.operator_path,
                                     own=lambda r: r.partner_id.commercial_partner_id,
                                     group="subscription_id"),
    "queue.job": dict(path=lambda r: None),
    "auditlog.log": dict(path=lambda r: None),
    "isp.sms.provider": dict(path=lambda r: None),
    "isp.billing.run": dict(path=lambda r: None),
}


_READABLE = {}


def _readable(env, user, model):
    key = (user.id, model)
    if key not in _READABLE:
        Model = env[model].sudo(user).with_context(active_test=False) \
            if model in env else None
        _READABLE[key] = set(Model.search([]).ids) if Model is not None and env[
            "ir.model.access"].sudo(user).check(model, "read", raise_exception=False) \
            else set()
    return _READABLE[key]


class Rpc:
    def __init__(self, url, db, login):
        self.db, self.password = db, login
        self.uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
            db, login, login, {})
        assert self.uid, login
        self.proxy = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(self.db, self.uid, self.password, model, method,
                                     list(args), kwargs)


def _add_customers(env):
    """A second customer under the operators that have one."""
    for xml_name in ("Mirpur Link", "Road 32 Cable"):
        operator = env["res.partner"].search([("isp_is_operator", "=", True),
                                              ("name", "=like", xml_name + "%")])
        assert len(operator) == 1, xml_name
        sub = env["isp.subscription"].search([("operator_id", "=", operator.id)], limit=1)
        partner = sub.partner_id.copy({"name": "Second customer of " + xml_name,
                                       "mobile": False, "email": False})
        sub.copy({"partner_id": partner.id, "username": "iso%d" % partner.id})


@pytest.fixture(scope="module")
def world(app_server):
    """{login: {model: expected ids}}, the logins' RPC, records to probe."""
    with odoo_env.env_of(app_server.dbname) as env:
        _add_customers(env)
    expected, acl = {}, {}
    with odoo_env.env_of(app_server.dbname) as env:
        for login, kind in ROLES.items():
            user = env["res.users"].search([("login", "=", login)])
            assert user, login
            scope = user.isp_operator_id
            tree = scope.isp_parent_operator_id and scope.isp_operator_path
            assert (kind == "tree") == bool(tree), login
            own = user.partner_id.commercial_partner_id
            expected[login], acl[login] = {}, {}
            for model, spec in MODELS.items():
                if kind not in spec.get("kinds", (kind,)):
                    continue
                Model = env[model].with_context(active_test=False) if spec.get("active") \
                    else env[model]
                acl[login][model] = {mode: env["ir.model.access"].sudo(user).check(
                    model, mode, raise_exception=False) for mode in ("read", "write")}
                ids = set()
                for record in Model.search([]):
                    if spec.get("message") or spec.get("attachment"):
                        doc = record.model if spec.get("message") else record.res_model
                        if doc in MODELS:
                            reached = expected[login].get(doc, ())
                        else:
                            # not a tenant's record (products, channels, ...):
                            # as far as Odoo's rules let the login read it
                            reached = _readable(env, user, doc) if doc else ()
                        ok = record.res_id in reached
                    if spec.get("attachment"):
                        ok = not record.res_field and (ok or not record.res_model
                                                       or record.public)
                    elif spec.get("message"):
                        ok = ok or record.author_id == user.partner_id \
                            or user.partner_id in record.partner_ids
                        # portal logins never see internal notes
                        if user.share and (not record.subtype_id or record.subtype_id.internal):
                            ok = False
                    elif kind == "isp":
                        ok = True
                    elif kind == "own":
                        ok = "own" in spec and spec["own"](record) == own
                    elif "reach" in spec:
                        ok = spec["reach"](env, record, user, tree)
                    elif "paths" in spec:
                        ok = any(p and p.startswith(tree) for p in spec["paths"](record, env))
                    else:
                        path = spec["path"](record)
                        ok = bool(path) and path.startswith(tree)
                    if ok:
                        ids.add(record.id)
                expected[login][model] = ids
        all_ids = {model: set((env[model].with_context(active_test=False)
                               if MODELS[model].get("active") else env[model])
                              .search([]).ids) for model in MODELS}
    rpcs = {login: Rpc(app_server.url, app_server.dbname, login) for login in ROLES}
    return dict(expected=expected, acl=acl, rpcs=rpcs, all=all_ids)


def _call(rpc, *args, **kwargs):
    try:
        return rpc(*args, **kwargs), None
    except xmlrpc.client.Fault as fault:
        return None, fault


def test_each_login_reaches_exactly_its_records(world):
    problems = []
    for login in ROLES:
        rpc = world["rpcs"][login]
        for model, spec in MODELS.items():
            if model not in world["expected"][login]:
                continue
            ctx = {"active_test": False} if spec.get("active") else {}
            domain = spec.get("domain", [])
            want = world["expected"][login][model]
            if not world["acl"][login][model]["read"]:
                _answer, fault = _call(rpc, model, "search", domain, context=ctx)
                if not fault or fault.faultCode != ACCESS_ERROR:
                    problems.append("%s %s: no read right, yet search answered" % (login, model))
                continue
            got, fault = _call(rpc, model, "search", domain, context=ctx)
            if fault:
                problems.append("%s %s search: %s" % (login, model, fault.faultString[-150:]))
                continue
            got = set(got)
            if got != want:
                problems.append("%s %s: reaches %d, should %d; too many %s; missing %s" % (
                    login, model, len(got), len(want), sorted(got - want)[:8],
                    sorted(want - got)[:8]))
            count, _fault = _call(rpc, model, "search_count", domain, context=ctx)
            by = spec.get("group", "create_uid")
            groups, _fault = _call(rpc, model, "read_group", domain, [by], [by], context=ctx)
            grouped = sum(g[by + "_count"] for g in groups or ())
            if (count, grouped) != (len(want), len(want)):
                problems.append("%s %s: search_count %s, read_group %s, should %d"
                                % (login, model, count, grouped, len(want)))
    assert not problems, "\n".join(problems)


def test_outside_records_are_neither_written_nor_deleted(world):
    problems = []
    probed = 0
    for login in ROLES:
        rpc = world["rpcs"][login]
        for model, spec in MODELS.items():
            if model not in world["expected"][login]:
                continue
            outside = sorted(world["all"][model] - world["expected"][login][model])
            if not outside or not spec.get("write"):
                continue
            ctx = {"active_test": False} if spec.get("active") else {}
            for method, args in (("write", ([outside[0]], {spec["write"]: "isolation probe"})),
                                 ("unlink", ([outside[-1]],))):
                probed += 1
                _answer, fault = _call(rpc, model, method, *args, context=ctx)
                if not fault or fault.faultCode != ACCESS_ERROR:
                    problems.append("%s %s %s of %s outside its records: %s" % (
                        login, model, method, args[0],
                        fault.faultString[-150:] if fault else "done"))
    assert not problems, "\n".join(problems)
    assert probed > 50


def test_a_reseller_creates_customers_in_its_subtree_only(world, app_server):
    with odoo_env.env_of(app_server.dbname) as env:
        mirpur = env["res.users"].search([("login", "=", "reseller.mirpur")]).isp_operator_id
        road32 = env["res.users"].search([("login", "=", "subreseller.road32")]).isp_operator_id
    dhakanet = world["rpcs"]["reseller.dhakanet"]
    created, fault = _call(dhakanet, "res.partner", "create", {
        "name": "Isolation: for the sub-reseller", "isp_is_subscriber": True,
        "isp_operator_id": road32.id})
    assert fault is None and created
    _answer, fault = _call(dhakanet, "res.partner", "create", {
        "name": "Isolation: for a sibling", "isp_is_subscriber": True,
        "isp_operator_id": mirpur.id})
    assert fault is not None and fault.faultCode == ACCESS_ERROR
    # the partner of another login (its e-mail would reset that login)
    with odoo_env.env_of(app_server.dbname) as env:
        other_login = env["res.users"].search([("login", "=", "subreseller.road32")]).partner_id
    _answer, fault = _call(dhakanet, "res.partner", "write", [other_login.id],
                           {"email": "evil@example.com"})
    assert fault is not None and fault.faultCode == ACCESS_ERROR
