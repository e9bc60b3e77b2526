"""Run Odoo 11.0 (written for Python 3.5-3.7) on CPython 3.11.

Imported before ``odoo`` by every entry point: the ``odoo`` launcher in the
virtualenv, and a ``.pth`` file in the virtualenv's site-packages (so pytest,
``odoo shell`` and helper scripts get it too). No installed Odoo file is edited.

Two kinds of fix:

* standard-library names that Python removed and Odoo 11 still uses
  (``collections.Mapping``, ``inspect.getargspec``, ``base64.encodestring``,
  ``Thread.isAlive``) are put back, as aliases of their modern equivalents;
* fixes that only Odoo needs are applied to the Odoo (or third-party) module
  itself right after it is imported, through a post-import hook on
  ``sys.meta_path``, and replace the module's own reference (the module-level
  ``ast``/``yaml``/``resource`` name) instead of the standard library's, so
  nothing else in the process is affected.

Every patch is listed in ``PATCHES`` and exercised by tests/test_compat.py.
scripts/py311_scan.py lists every use of an API that Python 3.8-3.11 or the
pinned libraries removed or changed in the installed Odoo tree, and which
patch covers it (tests/data/py311_scan.txt).
"""
import ast
import base64
import collections
import collections.abc
import importlib.abc
import importlib.util
import inspect
import os
import sys
import threading
import types
from xml.etree import ElementTree

# odoo.conf names the project folder ${ISP_ROOT}; Odoo expands it from the
# environment. Every interpreter of the venv loads this module, so one
# started without it (a test's own Odoo, a tool) still finds the project's
# data folder instead of creating a folder literally named "${ISP_ROOT}".
os.environ.setdefault("ISP_ROOT", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Odoo 11's threaded server listens before it has loaded the registry of the
# database it preloads (db_name), and its first HTTP request imports every
# addon that has a static/ folder (http.Root.load_addons) while the main
# thread imports the same addons to load that registry. Two threads importing
# one package: Python's import deadlock detection hands one of them a
# half-initialised module, and the registry is built from a partial list of
# model classes (KeyError 'res.partner', "Model 'auditlog.http.request' does
# not exist"). Odoo 11.0 has a switch for it (http.py, load_addons: "early
# requests have some chances to trigger an invalid RegistryManager") and later
# versions never preload: addons are imported by the registry load only.
os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")

__all__ = ["PATCHES", "applied"]

#: name -> one-line reason; filled by the ``_patch`` decorator below
PATCHES = {}
_applied = set()


def applied():
    """Names of the patches applied so far in this process."""
    return set(_applied)


def _patch(name, reason):
    def deco(func):
        PATCHES[name] = reason
        func.patch_name = name
        return func
    return deco


# ---------------------------------------------------------------------------
# Standard-library aliases (applied at import of this module)
# ---------------------------------------------------------------------------

@_patch("collections_abc", "collections.Mapping & co. moved to collections.abc (3.10)")
def _collections_abc():
    for name in collections.abc.__all__:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


def _getargspec(func):
    spec = inspect.getfullargspec(func)
    if spec.kwonlyargs or spec.annotations:
        raise ValueError("Function has keyword-only parameters or annotations, "
                         "use inspect.signature() API which can support them")
    return _ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


_ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")


def _formatargspec(args, varargs=None, varkw=None, defaults=None,
                   kwonlyargs=(), kwonlydefaults=None, annotations=None,
                   formatarg=str,
                   formatvarargs=lambda name: "*" + name,
                   formatvarkw=lambda name: "**" + name,
                   formatvalue=lambda value: "=" + repr(value),
                   formatreturns=lambda text: " -> " + text,
                   formatannotation=inspect.formatannotation):
    """The signature formatter Python 3.10 still had (same output)."""
    annotations = annotations or {}
    kwonlydefaults = kwonlydefaults or {}

    def formatargandannotation(arg):
        result = formatarg(arg)
        if arg in annotations:
            result += ": " + formatannotation(annotations[arg])
        return result

    specs = []
    firstdefault = len(args) - len(defaults) if defaults else None
    for i, arg in enumerate(args):
        spec = formatargandannotation(arg)
        if defaults and i >= firstdefault:
            spec = spec + formatvalue(defaults[i - firstdefault])
        specs.append(spec)
    if varargs is not None:
        specs.append(formatvarargs(formatargandannotation(varargs)))
    elif kwonlyargs:
        specs.append("*")
    for kwonlyarg in kwonlyargs or ():
        spec = formatargandannotation(kwonlyarg)
        if kwonlyarg in kwonlydefaults:
            spec += formatvalue(kwonlydefaults[kwonlyarg])
        specs.append(spec)
    if varkw is not None:
        specs.append(formatvarkw(formatargandannotation(varkw)))
    result = "(" + ", ".join(specs) + ")"
    if "return" in annotations:
        result += formatreturns(formatannotation(annotations["return"]))
    return result


@_patch("inspect_getargspec", "inspect.getargspec/formatargspec removed (3.11)")
def _inspect():
    if not hasattr(inspect, "getargspec"):
        inspect.getargspec = _getargspec
    if not hasattr(inspect, "formatargspec"):
        inspect.formatargspec = _formatargspec


@_patch("base64_legacy", "base64.encodestring/decodestring removed (3.9)")
def _base64():
    if not hasattr(base64, "encodestring"):
        base64.encodestring = base64.encodebytes
    if not hasattr(base64, "decodestring"):
        base64.decodestring = base64.decodebytes


@_patch("thread_isalive", "Thread.isAlive removed (3.9)")
def _thread():
    if not hasattr(threading.Thread, "isAlive"):
        threading.Thread.isAlive = threading.Thread.is_alive


# CPython 3.11.0-3.11.7 keep one recursion-depth counter per interpreter for
# turning a parsed tree into ast objects: two threads in ast.parse at once
# fail with "SystemError: AST constructor recursion depth mismatch"
# (gh-106905, fixed in 3.11.8). QWeb parses every t-if/t-esc with ast.parse,
# so the first pages after a start, compiled by concurrent requests, answered
# 500. One lock around ast.parse: parsing is short and cached by QWeb.
_AST_LOCK = threading.RLock()


def _locked_parse(real_parse):
    def parse(*args, **kwargs):
        with _AST_LOCK:
            return real_parse(*args, **kwargs)
    parse.__wrapped__ = real_parse
    parse.__doc__ = real_parse.__doc__
    return parse


@_patch("ast_parse_threads", "ast.parse in two threads at once raises SystemError "
        "before 3.11.8 (gh-106905)")
def _ast_parse():
    if not hasattr(ast.parse, "__wrapped__"):
        ast.parse = _locked_parse(ast.parse)


# ---------------------------------------------------------------------------
# Module-local fixes, applied right after the target module is imported
# ---------------------------------------------------------------------------

class _ModuleProxy(types.ModuleType):
    """Stands in for a module inside ONE importing module: attributes come
    from the real module unless overridden here."""

    def __init__(self, real, **overrides):
        super().__init__(real.__name__, real.__doc__)
        self.__dict__.update(overrides)
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)


class _AstRepair(ast.NodeTransformer):
    """Make an AST built for Python 3.5-3.7 acceptable to 3.11's compile()."""

    _CONSTANTS = {"None": None, "True": True, "False": False}

    def visit(self, node):
        return self._fix(super().visit(node))

    def _fix(self, node):
        if isinstance(node, ast.arguments):
            for name in ("posonlyargs", "kwonlyargs", "kw_defaults", "defaults"):
                if getattr(node, name, None) is None:
                    setattr(node, name, [])
        if isinstance(node, ast.Name) and node.id in self._CONSTANTS:
            # 3.8+ refuses Name('None'|'True'|'False'): they are constants
            node = ast.copy_location(ast.Constant(self._CONSTANTS[node.id]), node)
        lineno = getattr(node, "lineno", None)
        if lineno is not None:
            if (getattr(node, "end_lineno", None) or lineno) < lineno:
                node.end_lineno = lineno
            if node.end_lineno == lineno and (getattr(node, "end_col_offset", None) or 0) \
                    < (getattr(node, "col_offset", None) or 0):
                node.end_col_offset = node.col_offset
        return node


def repair_ast(tree):
    """Fill in 3.8+ AST requirements (posonlyargs, constants, line ranges)."""
    return _AstRepair().visit(tree)


def _fix_missing_locations(node):
    return repair_ast(ast.fix_missing_locations(node))


@_patch("qweb_ast", "QWeb builds ast.arguments without posonlyargs, "
                    "Name('None'), and end_lineno < lineno")
def _qweb(module):
    module.ast = _ModuleProxy(ast, fix_missing_locations=_fix_missing_locations)


def _yaml_load(real_load, default_loader):
    def load(stream, Loader=None, **kw):
        return real_load(stream, Loader=Loader or default_loader, **kw)
    return load


@_patch("yaml_loader", "yaml.load() needs a Loader since PyYAML 6")
def _yaml_import(module):
    import yaml
    module.yaml = _ModuleProxy(yaml, load=_yaml_load(yaml.load, yaml.FullLoader))


@_patch("stdnum_vat", "stdnum.eu.vat._country_codes renamed MEMBER_STATES")
def _stdnum_vat(module):
    if not hasattr(module, "_country_codes") and hasattr(module, "MEMBER_STATES"):
        module._country_codes = module.MEMBER_STATES


def _int_limits(limits):
    return tuple(int(v) if isinstance(v, float) and v.is_integer() else v
                 for v in limits)


@_patch("setrlimit_float", "--workers: setrlimit(RLIMIT_CPU, float) refused "
                           "since 3.10")
def _server(module):
    import math
    import resource

    def setrlimit(which, limits):
        # Odoo computes cpu_time + limit_time_cpu from getrusage(): a float.
        limits = tuple(math.ceil(v) if isinstance(v, float) else v for v in limits)
        return resource.setrlimit(which, _int_limits(limits))
    module.resource = _ModuleProxy(resource, setrlimit=setrlimit)


# Python 3.11 opcodes that replace, one for one, opcodes Odoo 11's
# safe_eval already allowed (see the mapping in tests/test_compat.py).
SAFE_EVAL_311_OPCODES = {
    "_CONST_OPCODES": [
        "RESUME", "NOP", "CACHE", "COPY", "SWAP",
        # literal lists/sets of 3+ constants: BUILD_LIST 0 + LIST_EXTEND
        "LIST_EXTEND", "SET_UPDATE",
    ],
    "_EXPR_OPCODES": [
        "BINARY_OP", "IS_OP", "CONTAINS_OP",
        # '%s' % (a, b) and f-strings compile to these on 3.11
        "FORMAT_VALUE", "BUILD_STRING",
    ],
    "_SAFE_OPCODES": [
        "PUSH_NULL", "PRECALL", "CALL", "KW_NAMES",
        # f(**kw): CALL_FUNCTION_EX (allowed) now needs its map built first
        "DICT_MERGE",
        "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT",
        "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_FORWARD_IF_TRUE",
        "POP_JUMP_BACKWARD_IF_FALSE", "POP_JUMP_BACKWARD_IF_TRUE",
        "POP_JUMP_FORWARD_IF_NONE", "POP_JUMP_FORWARD_IF_NOT_NONE",
        "POP_JUMP_BACKWARD_IF_NONE", "POP_JUMP_BACKWARD_IF_NOT_NONE",
        "RETURN_GENERATOR",
        # try/except (Odoo 11 allowed SETUP_EXCEPT/END_FINALLY/POP_EXCEPT)
        "PUSH_EXC_INFO", "CHECK_EXC_MATCH", "RERAISE",
    ],
}


@_patch("safe_eval_opcodes", "safe_eval allow-lists opcodes by name; 3.11 "
                             "renamed many; str.format attribute walking and "
                             "module attributes refused")
def _safe_eval(module):
    from opcode import opmap
    added = set()
    for level in ("_CONST_OPCODES", "_EXPR_OPCODES", "_SAFE_OPCODES"):
        added |= {opmap[n] for n in SAFE_EVAL_311_OPCODES[level] if n in opmap}
        # each level includes the previous ones, as in Odoo
        getattr(module, level).update(added)
    _harden_safe_eval(module)


# ---------------------------------------------------------------------------
# Sandbox hardening (safe_eval and the mail templates' Jinja sandbox)
# ---------------------------------------------------------------------------
# safe_eval refuses every name with "__" in the compiled code, but two paths
# reach attributes without a name in the code:
#
# * str.format / str.format_map read attributes named in the *format string*:
#   '{0.__func__.__globals__[config].options[db_password]}'.format(f) printed
#   the database password from a server action. Later Odoo versions check
#   the fields of a format string; here every `x.format` / `x.format_map`
#   of the sandboxed code is compiled into a call of FORMAT_GUARD, which
#   hands back the method wrapped in a check of the format string: no field
#   may walk an attribute ("{0.name}"); items ("{0[name]}") stay allowed, as
#   the sandbox allows `x[name]` anyway.
# * a module in the evaluation context gives its own imports: Python 3.11's
#   datetime module has `datetime.sys`, so `datetime.sys.modules['os']` ran
#   commands from a server action, and (Jinja's sandbox only refuses names
#   starting with "_") from any mail template. Modules of the context are
#   handed to the code as proxies that refuse an attribute that is a module.

#: the name sandboxed code calls for `x.format`; no "__" (the dunder check
#: still runs on the rewritten code) and refused in user code
FORMAT_GUARD = "_isp_format_attr"
_FORMAT_METHODS = ("format", "format_map")


def check_format_string(template):
    """Raise ValueError if the str.format `template` reads an attribute in
    one of its fields (also in fields nested in a format spec)."""
    import _string
    for _literal, field, spec, _conversion in _string.formatter_parser(template):
        if field is None:
            continue
        _first, rest = _string.formatter_field_name_split(field)
        for is_attribute, _name in rest:
            if is_attribute:
                raise ValueError(
                    "Format strings may not read attributes ({%s}): format the value "
                    "itself, e.g. '{}'.format(record.name)." % field)
        if spec:
            check_format_string(spec)


def _format_attr(obj, name):
    """`obj.<name>` for the sandbox: a string's format methods check their
    template first (also `str.format(template, ...)` on the type)."""
    method = getattr(obj, name)
    if name not in _FORMAT_METHODS:
        return method
    if isinstance(obj, str):
        def checked(*args, **kwargs):
            check_format_string(obj)
            return method(*args, **kwargs)
        return checked
    if isinstance(obj, type) and issubclass(obj, str):
        def checked_unbound(template, *args, **kwargs):
            if isinstance(template, str):
                check_format_string(template)
            return method(template, *args, **kwargs)
        return checked_unbound
    return method


class _FormatGuard(ast.NodeTransformer):
    """`x.format` -> `_isp_format_attr(x, 'format')` (also format_map)."""

    def visit_Name(self, node):
        if node.id == FORMAT_GUARD:
            raise NameError("Access to forbidden name %r" % FORMAT_GUARD)
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if node.attr in _FORMAT_METHODS and isinstance(node.ctx, ast.Load):
            call = ast.Call(func=ast.Name(id=FORMAT_GUARD, ctx=ast.Load()),
                            args=[node.value, ast.Constant(node.attr)], keywords=[])
            return ast.copy_location(call, node)
        return node


def _may_format(expr):
    import unicodedata
    # identifiers are NFKC-normalised: a full-width "ｆormat" is "format"
    return "format" in unicodedata.normalize("NFKC", expr)


def _guarded_test_expr(module, real_test_expr):
    def test_expr(expr, allowed_codes, mode="eval"):
        if isinstance(expr, bytes):
            expr = expr.decode("utf-8")
        if not isinstance(expr, str) or not _may_format(expr):
            return real_test_expr(expr, allowed_codes, mode=mode)
        if mode == "eval":
            expr = expr.strip()
        try:
            tree = _FormatGuard().visit(ast.parse(expr, mode=mode))
            code_obj = compile(ast.fix_missing_locations(tree), "", mode)
        except (SyntaxError, TypeError, ValueError, NameError):
            raise
        except Exception as exc:
            raise ValueError('"%s" while compiling\n%r' % (exc, expr)) from exc
        module.assert_valid_codeobj(allowed_codes, code_obj, expr)
        return code_obj
    test_expr.__wrapped__ = real_test_expr
    return test_expr


class SandboxModule:
    """A module as sandboxed code sees it: its attributes, but none that is
    a module (datetime.sys, ...)."""

    __slots__ = ("_module",)

    def __init__(self, module):
        object.__setattr__(self, "_module", module)

    def __getattr__(self, name):
        value = getattr(self._module, name)
        if isinstance(value, types.ModuleType):
            raise AttributeError("%s.%s is a module: not reachable from here"
                                 % (self._module.__name__, name))
        return value

    def __setattr__(self, name, value):
        raise AttributeError("read-only")

    def __repr__(self):
        return "<module %r (sandboxed)>" % self._module.__name__


def _sandbox_modules(mapping):
    if type(mapping) is dict:
        for key, value in list(mapping.items()):
            if isinstance(value, types.ModuleType):
                mapping[key] = SandboxModule(value)


def _guarded_safe_eval(real_safe_eval):
    def safe_eval(expr, globals_dict=None, locals_dict=None, mode="eval", nocopy=False,
                  locals_builtins=False):
        if not nocopy:
            # safe_eval copies plain dicts itself; copy first so that the
            # caller's dict keeps its modules
            if type(globals_dict) is dict:
                globals_dict = dict(globals_dict)
            if type(locals_dict) is dict:
                locals_dict = dict(locals_dict)
        _sandbox_modules(globals_dict)
        _sandbox_modules(locals_dict)
        return real_safe_eval(expr, globals_dict, locals_dict, mode=mode, nocopy=nocopy,
                              locals_builtins=locals_builtins)
    safe_eval.__wrapped__ = real_safe_eval
    safe_eval.__doc__ = real_safe_eval.__doc__
    return safe_eval


def _harden_safe_eval(module):
    if hasattr(module.test_expr, "__wrapped__"):
        return
    module._BUILTINS[FORMAT_GUARD] = _format_attr
    module.test_expr = _guarded_test_expr(module, module.test_expr)
    module.safe_eval = _guarded_safe_eval(module.safe_eval)


# attributes that change whose rights a template runs with
TEMPLATE_ESCALATIONS = frozenset(("sudo", "with_env", "cr", "pool", "registry"))


@_patch("mail_template_sandbox", "mail templates (Jinja sandbox): modules, the cursor, "
                                 "the registry and sudo refused")
def _mail_template(module):
    env = getattr(module, "mako_template_env", None)
    if env is None or hasattr(env.is_safe_attribute, "__wrapped__"):
        return
    real = env.is_safe_attribute
    real_callable = env.is_safe_callable
    from odoo import api, modules, sql_db

    def is_safe_attribute(obj, attr, value):
        # an author writes what a template shows, as themselves: no module,
        # no database cursor or registry (raw SQL), no way to other rights
        if isinstance(value, (types.ModuleType, sql_db.Cursor, sql_db.TestCursor,
                              modules.registry.Registry)) or attr in TEMPLATE_ESCALATIONS:
            return False
        return real(obj, attr, value)

    def is_safe_callable(obj):
        # env(user=SUPERUSER_ID) would give the superuser's environment
        return not isinstance(obj, api.Environment) and real_callable(obj)
    is_safe_attribute.__wrapped__ = real
    is_safe_callable.__wrapped__ = real_callable
    env.is_safe_attribute = is_safe_attribute
    env.is_safe_callable = is_safe_callable


class _CompatElement(ElementTree.Element):
    """The C Element of Python 3.9+ lost getchildren() and getiterator();
    Odoo 11 calls them on the trees it builds with xml.etree. A subclass
    has them back; the parse functions below build trees of it."""

    def getchildren(self):
        return list(self)

    def getiterator(self, tag=None):
        return list(self.iter(tag))

    def makeelement(self, tag, attrib):
        return self.__class__(tag, attrib)


def _compat_parser(parser=None):
    if parser is None:
        parser = ElementTree.XMLParser(
            target=ElementTree.TreeBuilder(element_factory=_CompatElement))
    return parser


def _element_tree_proxy():
    def parse(source, parser=None):
        tree = ElementTree.ElementTree()
        tree.parse(source, _compat_parser(parser))
        return tree

    def fromstring(text, parser=None):
        parser = _compat_parser(parser)
        parser.feed(text)
        return parser.close()

    def sub_element(parent, tag, attrib={}, **extra):  # noqa: B006 - as the stdlib
        element = parent.makeelement(tag, dict(attrib, **extra))
        parent.append(element)
        return element

    return _ModuleProxy(ElementTree, Element=_CompatElement, SubElement=sub_element,
                        parse=parse, fromstring=fromstring, XML=fromstring)


@_patch("etree_getchildren", "xml.etree Element.getchildren()/getiterator() "
                             "removed (3.9): web client templates answered 500")
def _stdlib_etree_user(module):
    module.ElementTree = _element_tree_proxy()


def _proxy_fix(app):
    """werkzeug.contrib.fixers.ProxyFix as Werkzeug 0.14 had it, which Odoo
    11's --proxy-mode was written for: X-Forwarded-For, -Proto and -Host.
    0.15+ ignores X-Forwarded-Host by default (Odoo applies the fix only
    when that header is there), so behind a proxy every absolute URL
    (redirects, web.base.url) named Odoo's own address. The same three
    headers as Odoo's own fix for Werkzeug 0.15 (odoo/odoo#36212)."""
    from werkzeug.middleware.proxy_fix import ProxyFix
    return ProxyFix(app, x_for=1, x_proto=1, x_host=1)


@_patch("werkzeug_proxyfix", "--proxy-mode: Werkzeug 0.15+ ProxyFix ignores "
                             "X-Forwarded-Host (0.14 honoured it)")
def _wsgi_server(module):
    import werkzeug
    import werkzeug.contrib.fixers
    fixers = _ModuleProxy(werkzeug.contrib.fixers, ProxyFix=_proxy_fix)
    module.werkzeug = _ModuleProxy(
        werkzeug, contrib=_ModuleProxy(werkzeug.contrib, fixers=fixers))


#: session_days in odoo.conf when it does not say (Odoo 11 kept 90 days)
SESSION_DAYS_DEFAULT = 7


def session_days():
    """How long a login lasts without use: `session_days` of odoo.conf
    (whole days, at least 1), else SESSION_DAYS_DEFAULT."""
    from odoo.tools import config
    value = config.get("session_days")
    if value in (None, "", False):
        return SESSION_DAYS_DEFAULT
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if days < 1:
        import logging
        logging.getLogger("odoo.http").warning(
            "odoo.conf: session_days = %r is not a number of days (a whole number, "
            "at least 1): logins last %d days.", value, SESSION_DAYS_DEFAULT)
        return SESSION_DAYS_DEFAULT
    return days


def request_is_https(httprequest):
    """The browser reached us over TLS: directly, or (--proxy-mode) through
    a proxy that says so in X-Forwarded-Proto."""
    from odoo.tools import config
    if httprequest.scheme == "https":
        return True
    if config.get("proxy_mode"):
        proto = httprequest.headers.get("X-Forwarded-Proto", "")
        return proto.split(",")[0].strip().lower() == "https"
    return False


def _session_cookie(real_get_response):
    def get_response(self, httprequest, result, explicit_session):
        response = real_get_response(self, httprequest, result, explicit_session)
        headers = getattr(response, "headers", None)
        if headers is None or not hasattr(response, "set_cookie"):
            return response
        cookies = headers.getlist("Set-Cookie")
        if not any(c.startswith("session_id=") for c in cookies):
            return response
        headers.remove("Set-Cookie")
        for cookie in cookies:
            if not cookie.startswith("session_id="):
                headers.add("Set-Cookie", cookie)
        response.set_cookie(
            "session_id", httprequest.session.sid, max_age=session_days() * 24 * 3600,
            httponly=True, samesite="Lax", secure=request_is_https(httprequest))
        return response
    get_response.__wrapped__ = real_get_response
    return get_response


def _session_gc(module):
    import random
    import time

    def session_gc(session_store):
        # Odoo 11 deletes, now and then, the session files unused for a week
        if random.random() < 0.001:
            oldest = time.time() - session_days() * 24 * 3600
            for fname in os.listdir(session_store.path):
                path = os.path.join(session_store.path, fname)
                try:
                    if os.path.getmtime(path) < oldest:
                        os.unlink(path)
                except OSError:
                    pass
    return session_gc


@_patch("session_cookie", "session cookie: SameSite=Lax, Secure over https, "
                          "session_days (odoo.conf, default 7) instead of 90 days")
def _http(module):
    if hasattr(module.Root.get_response, "__wrapped__"):
        return
    module.Root.get_response = _session_cookie(module.Root.get_response)
    module.session_gc = _session_gc(module)


#: the database manager's routes (web's Database controller)
DATABASE_ROUTES = ("selector", "manager", "create", "duplicate", "drop", "backup",
                   "restore", "change_password", "list")


def _refused_without_list_db(func):
    import functools

    @functools.wraps(func)  # keeps Odoo's `routing` and `original_func`
    def route(self, *args, **kwargs):
        from odoo.tools import config
        if not config["list_db"]:
            import werkzeug.exceptions
            import werkzeug.wrappers
            if func.routing.get("type") == "json":
                raise werkzeug.exceptions.NotFound()
            # a plain 404: these routes have no website to render a page with
            return werkzeug.wrappers.Response("404 Not Found", status=404,
                                              mimetype="text/plain")
        return func(self, *args, **kwargs)
    route.isp_list_db_guard = True
    return route


@_patch("database_manager_off", "list_db = False: every /web/database/* route "
                                "answers 404 (Odoo 11 still served the manager's "
                                "forms and answered 500)")
def _database_manager(module):
    database = module.Database
    for name in DATABASE_ROUTES:
        func = database.__dict__.get(name)
        if func is not None and not getattr(func, "isp_list_db_guard", False):
            setattr(database, name, _refused_without_list_db(func))


def _web_controllers(module):
    _stdlib_etree_user(module)
    _database_manager(module)


_web_controllers.patch_names = (_stdlib_etree_user.patch_name,
                                _database_manager.patch_name)


_POST_IMPORT = {
    "odoo.addons.base.ir.ir_qweb.qweb": _qweb,
    "odoo.tools.yaml_import": _yaml_import,
    "stdnum.eu.vat": _stdnum_vat,
    "odoo.service.server": _server,
    "odoo.tools.safe_eval": _safe_eval,
    "odoo.addons.web.controllers.main": _web_controllers,
    "odoo.service.wsgi_server": _wsgi_server,
    "odoo.addons.mail.models.mail_template": _mail_template,
    "odoo.http": _http,
}


def _patch_names(hook):
    return getattr(hook, "patch_names", None) or (hook.patch_name,)


class _PostImportLoader(importlib.abc.Loader):
    def __init__(self, loader, hook):
        self._loader = loader
        self._hook = hook

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._hook(module)
        _applied.update(_patch_names(self._hook))

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _PostImportFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        hook = _POST_IMPORT.get(fullname)
        if hook is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _PostImportLoader(spec.loader, hook)
                return spec
        return None


def _install():
    for func in (_collections_abc, _inspect, _base64, _thread, _ast_parse):
        func()
        _applied.add(func.patch_name)
    if not any(isinstance(f, _PostImportFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _PostImportFinder())
    # modules imported before us (unlikely) still get their fix
    for name, hook in _POST_IMPORT.items():
        module = sys.modules.get(name)
        if module is not None and not set(_patch_names(hook)) <= _applied:
            hook(module)
            _applied.update(_patch_names(hook))


_install()
