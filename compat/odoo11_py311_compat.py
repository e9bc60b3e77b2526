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
                             "renamed many")
def _safe_eval(module):
    from opcode import opmap
    added = set()
    for level in ("_CONST_OPCODES", "_EXPR_OPCODES", "_SAFE_OPCODES"):
        added |= {opmap[n] for n in SAFE_EVAL_311_OPCODES[level] if n in opmap}
        # each level includes the previous ones, as in Odoo
        getattr(module, level).update(added)


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


_POST_IMPORT = {
    "odoo.addons.base.ir.ir_qweb.qweb": _qweb,
    "odoo.tools.yaml_import": _yaml_import,
    "stdnum.eu.vat": _stdnum_vat,
    "odoo.service.server": _server,
    "odoo.tools.safe_eval": _safe_eval,
    "odoo.addons.web.controllers.main": _stdlib_etree_user,
    "odoo.service.wsgi_server": _wsgi_server,
}


class _PostImportLoader(importlib.abc.Loader):
    def __init__(self, loader, hook):
        self._loader = loader
        self._hook = hook

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._hook(module)
        _applied.add(self._hook.patch_name)

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
        if module is not None and hook.patch_name not in _applied:
            hook(module)
            _applied.add(hook.patch_name)


_install()
