#!/usr/bin/env python3
"""Scan the installed Odoo 11 tree (odoo core, its addons and the OCA addons
installed beside them) for uses of APIs that Python 3.8-3.11 removed or
changed, and of names the pinned libraries (Werkzeug, Jinja2, lxml, Pillow,
psycopg2, ...) removed or deprecated.

    .venv/bin/python scripts/py311_scan.py            # one line per finding
    .venv/bin/python scripts/py311_scan.py --summary  # plus counts per status
    .venv/bin/python scripts/py311_scan.py --only removed

Each line is ``path:line: API (what changed) — status``; the status comes
from RULES below: covered by a patch of compat/odoo11_py311_compat.py,
unreachable (with the reason), or fine (still works on 3.11 / the pin).
A finding no rule classifies is ``UNCLASSIFIED`` and the exit code is 1.
tests/test_compat.py compares the output with tests/data/py311_scan.txt.

How a use is found (stdlib ``ast`` only, nothing imported from Odoo):

* names: every ``import``/``from ... import`` and every attribute chain on an
  imported name (``base64.encodestring``, ``werkzeug.url_encode``,
  ``Image.ANTIALIAS``) is resolved to its dotted name, then looked up in a
  clean interpreter (``python -I -S``: no compatibility module) with the
  installed libraries: a name that is missing is reported, and so is one
  whose import or access emits a DeprecationWarning;
* methods, whose receiver ``ast`` cannot type: ``getchildren()``/
  ``getiterator()`` (told apart as lxml or xml.etree by what the module
  imports), ``isAlive()``, ``HTMLParser.unescape``, ``array.tostring()``,
  deprecated aliases (``assertEquals``, ``isSet``, ...);
* calls: ``open(..., 'rU')``, ``json.loads(encoding=)``, ``hmac.new`` without
  digestmod, ``random.sample`` of a set, asyncio ``loop=``, ``re`` patterns
  that 3.11 refuses, ``gettext`` ``codeset=``, AST nodes built without the
  fields 3.8 requires, ``yaml.load`` without a Loader (PyYAML 6), library
  parameters that changed (CHANGED_KWARGS) and library behaviour that
  changed (CHANGED: Werkzeug's ProxyFix);
* the rest: string exceptions, ``raise StopIteration`` in a generator,
  opcode names 3.11 does not have (safe_eval), legacy import finders, and
  files that do not parse on 3.11.

Code under ``if PY2:`` (and the like) is skipped; an import in an ``except
ImportError:`` handler is marked ``[fallback]``. "Installed" means what the
templates install (installed_addons(), checked against the template
database by tests/test_compat.py).
"""
import argparse
import ast
import fnmatch
import json
import os
import re
import subprocess
import sys
import warnings
from collections import Counter, defaultdict, namedtuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYVER = "python%d.%d" % sys.version_info[:2]
SITE = os.path.join(ROOT, ".venv", "lib", PYVER, "site-packages")
ODOO_ADDONS = os.path.join(SITE, "odoo", "addons")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")

Finding = namedtuple("Finding", "path line api what")

# ---------------------------------------------------------------------------
# What changed, and where the changes are documented
# ---------------------------------------------------------------------------

#: removed from Python (resolved dotted names); version and replacement.
#: Any other name missing from a clean 3.11 is reported as well
#: ("not in Python 3.11"); these only give the message.
REMOVED = {
    "time.clock": "removed in 3.8: time.perf_counter()/process_time()",
    "platform.linux_distribution": "removed in 3.8",
    "platform.dist": "removed in 3.8",
    "platform.popen": "removed in 3.8",
    "cgi.escape": "removed in 3.8: html.escape()",
    "cgi.parse_qs": "removed in 3.8: urllib.parse.parse_qs()",
    "cgi.parse_qsl": "removed in 3.8: urllib.parse.parse_qsl()",
    "os.errno": "removed in 3.7: import errno",
    "sys.setcheckinterval": "removed in 3.9: sys.setswitchinterval()",
    "sys.getcheckinterval": "removed in 3.9: sys.getswitchinterval()",
    "base64.encodestring": "removed in 3.9: base64.encodebytes()",
    "base64.decodestring": "removed in 3.9: base64.decodebytes()",
    "fractions.gcd": "removed in 3.9: math.gcd()",
    "plistlib.readPlist": "removed in 3.9: plistlib.load()",
    "plistlib.writePlist": "removed in 3.9: plistlib.dump()",
    "plistlib.readPlistFromBytes": "removed in 3.9: plistlib.loads()",
    "plistlib.writePlistToBytes": "removed in 3.9: plistlib.dumps()",
    "plistlib.Data": "removed in 3.9",
    "threading.Thread.isAlive": "removed in 3.9: is_alive()",
    "asyncio.async": "removed in 3.7 (keyword): asyncio.ensure_future()",
    "asyncio.coroutine": "removed in 3.11: async def",
    "asyncio.Task.current_task": "removed in 3.9: asyncio.current_task()",
    "asyncio.Task.all_tasks": "removed in 3.9: asyncio.all_tasks()",
    "inspect.getargspec": "removed in 3.11: inspect.getfullargspec()/signature()",
    "inspect.formatargspec": "removed in 3.11: inspect.signature()",
    "inspect.getmoduleinfo": "removed in 3.6",
    "gettext.lgettext": "removed in 3.11", "gettext.ldgettext": "removed in 3.11",
    "gettext.lngettext": "removed in 3.11", "gettext.ldngettext": "removed in 3.11",
    "gettext.bind_textdomain_codeset": "removed in 3.11",
    "binascii.a2b_hqx": "removed in 3.11", "binascii.b2a_hqx": "removed in 3.11",
    "binascii.rlecode_hqx": "removed in 3.11", "binascii.rledecode_hqx": "removed in 3.11",
    "binhex": "removed in 3.11", "formatter": "removed in 3.10",
    "parser": "removed in 3.10", "symbol": "removed in 3.10", "macpath": "removed in 3.8",
    "dummy_threading": "removed in 3.9", "_dummy_thread": "removed in 3.9",
    "html.parser.HTMLParser.unescape": "removed in 3.9: html.unescape()",
    "array.array.tostring": "removed in 3.9: tobytes()",
    "array.array.fromstring": "removed in 3.9: frombytes()",
    "xml.etree.ElementTree.Element.getchildren": "removed in 3.9: list(element)",
    "xml.etree.ElementTree.Element.getiterator": "removed in 3.9: element.iter()",
    "xml.etree.ElementTree.ElementTree.getiterator": "removed in 3.9: tree.iter()",
}
for _abc in ("Awaitable", "Coroutine", "AsyncIterable", "AsyncIterator", "AsyncGenerator",
             "Hashable", "Iterable", "Iterator", "Generator", "Reversible", "Sized",
             "Container", "Callable", "Collection", "Set", "MutableSet", "Mapping",
             "MutableMapping", "MappingView", "KeysView", "ItemsView", "ValuesView",
             "Sequence", "MutableSequence", "ByteString"):
    REMOVED["collections." + _abc] = "removed in 3.10: collections.abc." + _abc

#: deprecated names that 3.11 still has (reported, classified fine): a
#: resolved name equal to one of these, or below it
DEPRECATED = {
    "imp": "deprecated, still in 3.11 (removed in 3.12)",
    "distutils": "deprecated, still in 3.11 (removed in 3.12)",
    "threading.currentThread": "deprecated alias (3.10), still in 3.11",
    "threading.activeCount": "deprecated alias (3.10), still in 3.11",
    "threading.Thread.getName": "deprecated alias (3.10), still in 3.11",
    "threading.Thread.setName": "deprecated alias (3.10), still in 3.11",
    "threading.Thread.isDaemon": "deprecated alias (3.10), still in 3.11",
    "threading.Thread.setDaemon": "deprecated alias (3.10), still in 3.11",
    "threading.Event.isSet": "deprecated alias (3.10), still in 3.11",
    "locale.format": "deprecated, still in 3.11 (removed in 3.12)",
    "logging.warn": "deprecated, still in 3.11 (removed in 3.13)",
    "unittest.makeSuite": "deprecated (3.11), still in 3.11",
    "ssl.wrap_socket": "deprecated, still in 3.11 (removed in 3.12)",
    "configparser.SafeConfigParser": "deprecated, still in 3.11 (removed in 3.12)",
    "configparser.RawConfigParser.readfp": "deprecated, still in 3.11 (removed in 3.12)",
    "xml.etree.cElementTree": "deprecated alias of xml.etree.ElementTree; its removal "
                              "(3.9) was reverted, still in 3.11",
    "psycopg2.tz": "deprecated in psycopg2 2.9 (timestamptz values now carry "
                   "datetime.timezone), still in 2.9.9",
}
for _node in ("Num", "Str", "Bytes", "NameConstant", "Ellipsis"):
    DEPRECATED["ast." + _node] = "deprecated (3.8): builds ast.Constant, still in 3.11"
for _node in ("Index", "ExtSlice"):
    DEPRECATED["ast." + _node] = "deprecated (3.9): ast.Index(x) is x, still in 3.11"
for _node in ("Suite", "Param", "AugLoad", "AugStore"):
    DEPRECATED["ast." + _node] = "unused stub since 3.9, still in 3.11"

#: behaviour that changed in a pinned library (reported where the name is used)
CHANGED = {
    "werkzeug.contrib.fixers.ProxyFix":
        "Werkzeug 0.15+: deprecated, and trusts X-Forwarded-For/-Proto only, no longer "
        "X-Forwarded-Host as 0.14 did (odoo/odoo#35085)",
}

#: (function, keyword): a parameter the pinned library deprecated or removed
CHANGED_KWARGS = {
    ("werkzeug.utils.escape", "quote"):
        "Werkzeug 0.9+: ignored (quotes are always escaped), DeprecationWarning per call",
}

#: method names looked for whatever the receiver (ast cannot type it)
DEPRECATED_METHODS = {
    "isSet": "threading.Event.isSet",
    "setDaemon": "threading.Thread.setDaemon",
    "isDaemon": "threading.Thread.isDaemon",
    "readfp": "configparser.RawConfigParser.readfp",
    "textsize": "PIL.ImageDraw.ImageDraw.textsize",
    "getsize": "PIL.ImageFont.FreeTypeFont.getsize",
}
DEPRECATED["PIL.ImageDraw.ImageDraw.textsize"] = \
    "deprecated in Pillow 9.2, still in 9.5.0 (removed in 10)"
DEPRECATED["PIL.ImageFont.FreeTypeFont.getsize"] = \
    "deprecated in Pillow 9.2, still in 9.5.0 (removed in 10)"
ASSERT_ALIASES = {"assertEquals", "assertNotEquals", "assertAlmostEquals",
                  "assertNotAlmostEquals", "assert_", "failUnless", "failIf",
                  "failUnlessEqual", "failIfEqual", "failUnlessRaises",
                  "failUnlessAlmostEqual", "failIfAlmostEqual", "assertRegexpMatches",
                  "assertNotRegexpMatches", "assertRaisesRegexp",
                  "assertDictContainsSubset"}
PY2_METHODS = {"has_key", "iteritems", "iterkeys", "itervalues"}
#: Python 2 module names (an import of one is reported unless guarded)
PY2_MODULES = {"HTMLParser", "urllib2", "urlparse", "cStringIO", "StringIO", "cPickle",
               "ConfigParser", "Queue", "xmlrpclib", "httplib", "htmlentitydefs",
               "__builtin__", "commands", "exceptions", "md5", "sha", "sets", "Cookie",
               "cookielib", "thread", "SocketServer", "SimpleHTTPServer",
               "BaseHTTPServer", "Tkinter", "dummy_thread", "copy_reg", "UserDict",
               "anydbm", "cgitb2", "SimpleXMLRPCServer", "DocXMLRPCServer", "robotparser"}

# ---------------------------------------------------------------------------
# The table: (API glob, path glob, status). First match wins. A path glob
# "@not-installed" matches the addons our databases never install (see
# installed_addons()). Every rule must match at least one finding.
# ---------------------------------------------------------------------------

NOT_INSTALLED = "@not-installed"
PATCH = "covered by patch "
WINDOWS = "unreachable: Windows only (a sys.platform/os.name == 'nt' branch)"
STILL_311 = "fine: still in Python 3.11 (removed in 3.12)"
WERKZEUG_016 = "fine: deprecated by Werkzeug 0.15, still in the pinned 0.16.1"

RULES = [
    # covered by a patch of compat/odoo11_py311_compat.py (PATCHES)
    ("collections.*", "*", PATCH + "collections_abc"),
    ("inspect.getargspec", "*", PATCH + "inspect_getargspec"),
    ("inspect.formatargspec", "*", PATCH + "inspect_getargspec"),
    ("base64.encodestring", "*", PATCH + "base64_legacy"),
    ("base64.decodestring", "*", PATCH + "base64_legacy"),
    ("threading.Thread.isAlive", "*", PATCH + "thread_isalive"),
    ("ast.Name(*)", "odoo/addons/base/ir/ir_qweb/*.py", PATCH + "qweb_ast"),
    ("ast.arguments() without posonlyargs", "odoo/addons/base/ir/ir_qweb/qweb.py",
     PATCH + "qweb_ast"),
    ("yaml.load() without Loader", "odoo/tools/yaml_import.py", PATCH + "yaml_loader"),
    ("stdnum.eu.vat.*", "odoo/addons/base_vat_autocomplete/*", PATCH + "stdnum_vat"),
    ("opcode names", "odoo/tools/safe_eval.py", PATCH + "safe_eval_opcodes"),
    ("xml.etree.ElementTree.Element.getchildren", "odoo/addons/web/controllers/main.py",
     PATCH + "etree_getchildren"),
    ("werkzeug.contrib.fixers.ProxyFix", "odoo/service/wsgi_server.py",
     PATCH + "werkzeug_proxyfix"),
    # unreachable, for a reason of its own
    ("gevent.shutdown", "odoo/service/server.py",
     "unreachable: GeventServer.stop() runs only once serve_forever() has returned, "
     "which nothing makes it do (the prefork server ends the longpolling process "
     "with SIGKILL, its memory watchdog with SIGTERM)"),
    ("array.array.tostring", "odoo/tools/misc.py",
     "unreachable: in detect_ip_addr(), which nothing calls"),
    ("werkzeug.utils.escape(quote=)", "odoo/tools/misc.py",
     "unreachable: html_escape() for Werkzeug < 0.9 (parse_version)"),
    ("ctypes.windll", "odoo/tools/*", WINDOWS),
    ("winreg*", "odoo/tools/appdirs.py", WINDOWS),
    # fine: still there on 3.11 / in the pinned library
    ("* [[]fallback]", "*",
     "fine: the fallback (Python 2, an older library) of an import that works"),
    ("lxml.etree._Element.get*", "odoo/addons/base/ir/ir_ui_view.py",
     "fine: lxml elements (views are parsed by lxml's etree), lxml 4.9.4 has "
     "getchildren()/getiterator()"),
    ("lxml.etree._Element.getchildren", "odoo/addons/base/ir/ir_qweb/qweb.py",
     "fine: QWeb compiles lxml elements, lxml 4.9.4 has getchildren()"),
    ("unittest.TestCase.*", "*", STILL_311),
    ("threading.*", "*", "fine: deprecated alias (3.10), still in Python 3.11"),
    ("ast.Str", "*", "fine: deprecated (3.8), builds ast.Constant, still in Python 3.11"),
    ("ast.Num", "*", "fine: deprecated (3.8), builds ast.Constant, still in Python 3.11"),
    ("ast.Index", "*", "fine: deprecated (3.9), ast.Index(x) is x, still in Python 3.11"),
    ("ast.Param", "odoo/addons/base/ir/ir_qweb/qweb.py",
     "fine: the Python 2 default of getattr(ast, 'arg', ...), never called on 3"),
    ("imp", "*", STILL_311),
    ("distutils", "*", STILL_311),
    ("imghdr", "*", "fine: still in Python 3.11 (removed in 3.13)"),
    ("importlib finder *", "odoo/modules/module.py", STILL_311),
    ("werkzeug.url*", "*", WERKZEUG_016),
    ("werkzeug.Href", "*", WERKZEUG_016),
    ("werkzeug.wsgi.SharedDataMiddleware", "*", WERKZEUG_016),
    ("werkzeug.contrib.sessions", "*", WERKZEUG_016),
    ("werkzeug.utils.escape(quote=)", "odoo/addons/base/ir/ir_qweb/qweb.py",
     "fine: QWeb compares versions as strings ('0.16.1' < '0.9.0') and passes "
     "quote=True, which 0.16.1 ignores with a DeprecationWarning: same output"),
    ("werkzeug.utils.unescape", "*",
     "fine: Werkzeug's own unescape(), which 0.16.1 has (not HTMLParser's)"),
    ("PIL.*", "*", "fine: Pillow 9.5.0 still has it (removed in Pillow 10)"),
    # unreachable: code of addons our databases never install
    ("*", "odoo/addons/test_*", "unreachable: Odoo's test-only addon {addon}, never installed"),
    ("*", NOT_INSTALLED, "unreachable: addon {addon} is not installed in our databases"),
]


# ---------------------------------------------------------------------------
# Which addons our databases install
# ---------------------------------------------------------------------------

def _manifest(name):
    path = os.path.join(ODOO_ADDONS, name, "__manifest__.py")
    if not os.path.isfile(path):
        return None
    with open(path) as fh:
        return ast.literal_eval(fh.read())


#: installed by account's post-init hook (_auto_install_l10n) for the main
#: company's country, the United States in a new database
HOOK_INSTALLED = ["l10n_us", "account_check_printing"]


def installed_addons():
    """Odoo/OCA addons the templates install: scripts/isp_dev.py's
    PLATFORM_MODULES and the isp_* manifests' depends, their dependencies,
    and the auto_install addons whose dependencies are all in (as Odoo
    does), plus the server-wide base and web."""
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import isp_dev
    finally:
        sys.path.pop(0)
    wanted = set(isp_dev.external_depends()) | {"base", "web"}
    manifests = {name: _manifest(name) for name in os.listdir(ODOO_ADDONS)}
    manifests = {k: v for k, v in manifests.items()
                 if v is not None and v.get("installable", True)}
    done = set()

    def add(name):
        if name in done:
            return
        done.add(name)
        for dep in manifests[name].get("depends", []) or ["base"]:
            if dep != name:
                add(dep)
    for name in wanted:
        add(name)
    for name in HOOK_INSTALLED:
        add(name)
    changed = True
    while changed:
        changed = False
        for name, manifest in sorted(manifests.items()):
            if name not in done and manifest.get("auto_install") \
                    and set(manifest.get("depends", [])) <= done:
                add(name)
                changed = True
    return done


# ---------------------------------------------------------------------------
# The scanner of one file
# ---------------------------------------------------------------------------

#: top-level modules whose names are looked up: the standard library, the
#: pinned requirements, and removed/Python 2 modules
def checked_roots():
    import importlib.metadata
    pinned = set()
    wanted = set()
    for req in ("requirements.txt", "requirements-odoo.txt"):
        with open(os.path.join(ROOT, req)) as fh:
            for line in fh:
                line = line.split("#")[0].strip()
                if "==" in line:
                    wanted.add(line.split("==")[0].lower().replace("_", "-"))
    for module, dists in importlib.metadata.packages_distributions().items():
        if any(d.lower().replace("_", "-") in wanted for d in dists) \
                and not module.startswith("_") and module != "odoo":
            pinned.add(module)
    removed_modules = {k for k in REMOVED if "." not in k}
    return set(sys.stdlib_module_names) | pinned | removed_modules | PY2_MODULES


_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _catches_import_error(handler):
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(t, ast.Name) and t.id in _IMPORT_ERRORS for t in types)


def _const_str(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class FileScan:
    """Findings of one file (path relative to site-packages)."""

    def __init__(self, path, source, roots):
        self.path = path
        self.source = source
        self.roots = roots
        self.findings = []
        self.names = []          # (line, dotted, guarded): looked up later
        self.aliases = {}        # local name -> dotted name
        self.guarded = set()     # ids of import nodes under try/except ImportError
        self.etree = set()       # 'lxml', 'xml.etree': element types the module builds
        self.fallback = set()    # ids of import nodes in an except ImportError handler
        self.py2 = set()         # ids of nodes in an `if PY2:` branch (never run on 3)
        self._bound = {}         # function node -> names it binds locally

    def add(self, node, api, what):
        self.findings.append(Finding(self.path, node.lineno, api, what))

    # -- entry point ----------------------------------------------------------

    def run(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                tree = ast.parse(self.source, self.path)
            except SyntaxError as exc:
                self.findings.append(Finding(self.path, exc.lineno or 1, "syntax",
                                             "does not compile on 3.11: %s" % exc.msg))
                return self
        # one walk: every node, and its parent
        self._nodes = [tree]
        self._parents = {}
        for node in self._nodes:
            for child in ast.iter_child_nodes(node):
                self._parents[child] = node
                self._nodes.append(child)
        self._py2_branches()
        self._imports(tree)
        for node in self._nodes:
            if id(node) in self.py2:
                continue
            method = getattr(self, "_visit_" + type(node).__name__, None)
            if method:
                method(node)
        if {"opcode", "dis"} & {v.split(".")[0] for v in self.aliases.values()}:
            self._opcode_names()
        return self

    def _opcode_names(self):
        """Opcode names (safe_eval's allow-lists) that 3.11 does not have."""
        import opcode
        by_line = defaultdict(list)
        for node in self._nodes:
            value = _const_str(node)
            if value and re.match(r"^[A-Z][A-Z_]+[A-Z]$", value) and "_" in value \
                    and value not in opcode.opmap and id(node) not in self.py2:
                by_line[node.lineno].append(value)
        for line, names in sorted(by_line.items()):
            self.findings.append(Finding(self.path, line, "opcode names",
                                         "not in 3.11: " + " ".join(sorted(set(names)))))

    @staticmethod
    def _is_py2_test(test):
        """`PY2`, `pycompat.PY2`, `sys.version_info[0] == 2`, `sys.version_info < (3,)`"""
        if isinstance(test, ast.Name) and test.id == "PY2" or isinstance(
                test, ast.Attribute) and test.attr == "PY2":
            return True
        if not isinstance(test, ast.Compare):
            return False
        text = ast.unparse(test).replace(" ", "")
        return text in ("sys.version_info[0]==2", "sys.version_info[0]<3") or \
            text.startswith("sys.version_info<(3")

    def _py2_branches(self):
        for node in self._nodes:
            if not isinstance(node, ast.If):
                continue
            branch = None
            if self._is_py2_test(node.test):
                branch = node.body
            elif isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not) \
                    and self._is_py2_test(node.test.operand):
                branch = node.orelse
            for stmt in branch or ():
                self.py2.update(id(sub) for sub in ast.walk(stmt))

    # -- imports --------------------------------------------------------------

    def _imports(self, tree):
        for node in self._nodes:
            if isinstance(node, ast.Try) and any(_catches_import_error(h)
                                                 for h in node.handlers):
                for sub in node.body:
                    for inner in ast.walk(sub):
                        if isinstance(inner, (ast.Import, ast.ImportFrom)):
                            self.guarded.add(id(inner))
                for handler in node.handlers:
                    for inner in ast.walk(handler):
                        if isinstance(inner, (ast.Import, ast.ImportFrom)):
                            self.fallback.add(id(inner))
        # the bindings of fallback imports come first: the import they stand
        # in for (the try body) wins, as it does on Python 3
        nodes = sorted((n for n in self._nodes if isinstance(n, (ast.Import, ast.ImportFrom))
                        and id(n) not in self.py2),
                       key=lambda n: id(n) not in self.fallback)
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self._note_module(alias.name)
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        self.aliases[root] = root
                    self._name(node, alias.name)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    dotted = node.module + "." + alias.name
                    self._note_module(dotted)
                    if alias.name != "*":
                        self.aliases[alias.asname or alias.name] = dotted
                        self._name(node, dotted)
                    else:
                        self._name(node, node.module)

        # `arguments = ast.arguments` (qweb.py): a module-level alias
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                dotted = self.resolve(node.value)
                if dotted:
                    self.aliases[node.targets[0].id] = dotted

    def _note_module(self, dotted):
        if dotted.startswith("lxml"):
            self.etree.add("lxml")
        elif dotted.startswith("xml.etree"):
            self.etree.add("xml.etree")

    def _name(self, node, dotted, kind="name"):
        """Look `dotted` up later; kind: name, guarded (under try/except
        ImportError), fallback (in the except handler), instance (an
        attribute of an instance: only known removals are reported)."""
        if id(node) in self.guarded:
            kind = "guarded"
        elif id(node) in self.fallback:
            kind = "fallback"
        if dotted.split(".")[0] in self.roots:
            self.names.append((node.lineno, dotted, kind))

    def resolve(self, node):
        """Dotted name of a Name/Attribute chain on an imported name."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.aliases \
                and not self._shadowed(node):
            return ".".join([self.aliases[node.id]] + parts[::-1])
        return None

    def _shadowed(self, name):
        """`name` is an argument or a local variable of an enclosing function
        (resource.py's `def f(datetime, record)` next to `import datetime`)."""
        node = self._parents.get(name)
        while node is not None:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if node not in self._bound:
                    bound = {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
                    for sub in ast.walk(node):
                        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                            bound.add(sub.id)
                        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                            bound.update((a.asname or a.name).split(".")[0]
                                         for a in sub.names)
                    # local imports bind module names, not variables
                    imported = {(a.asname or a.name).split(".")[0] for sub in ast.walk(node)
                                if isinstance(sub, (ast.Import, ast.ImportFrom))
                                for a in sub.names}
                    self._bound[node] = bound - imported
                if name.id in self._bound[node]:
                    return True
            node = self._parents.get(node)
        return False

    def _is_module_like(self, node):
        """The receiver is an imported name (module, class, function)."""
        return self.resolve(node) is not None

    # -- names ------------------------------------------------------------------

    def _visit_Attribute(self, node):
        parent = self._parents.get(node)
        if isinstance(parent, ast.Attribute) or not isinstance(node.ctx, ast.Load):
            return  # the outermost chain is looked up; assignments are not uses
        dotted = self.resolve(node)
        if dotted:
            self._name(node, dotted)
        elif isinstance(node.value, ast.Call):
            # HTMLParser().unescape: an attribute of a new instance
            cls = self.resolve(node.value.func)
            if cls:
                self._name(node, cls + "." + node.attr, "instance")

    def _visit_Constant(self, node):
        # extension names given as strings: Jinja2's extensions=['jinja2.ext.do']
        if isinstance(node.value, str) and re.match(r"^(jinja2|werkzeug)\.[\w.]+$",
                                                    node.value):
            self._name(node, node.value)

    def _visit_ClassDef(self, node):
        methods = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        if "find_module" in methods and "find_spec" not in methods:
            self.add(node, "importlib finder find_module()/load_module()",
                     "legacy protocol: ImportWarning since 3.10, still in 3.11 "
                     "(removed in 3.12)")
        self._library_subclass(node)

    def _library_subclass(self, node):
        """self.<attr> in a class whose base is a library class: looked up on
        the base when the class never defines or assigns it."""
        bases = [self.resolve(b) for b in node.bases]
        if not bases or None in bases or not any(b.split(".")[0] in self.roots
                                                 for b in bases):
            return
        own = set()
        for sub in ast.walk(node):
            if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                own.add(sub.name)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                own.add(sub.id)
            elif isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store):
                own.add(sub.attr)
        seen = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) \
                    and sub.value.id == "self" and sub.attr not in own \
                    and not sub.attr.startswith("__") and sub.attr not in seen:
                seen.add(sub.attr)
                for base in bases:
                    self._name(sub, "%s.%s" % (base, sub.attr), "instance")

    # -- methods and calls ----------------------------------------------------

    def _visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and not self._is_module_like(func.value):
            self._method_call(node, func.attr)
        dotted = self.resolve(func) if isinstance(func, (ast.Attribute, ast.Name)) else None
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if isinstance(func, ast.Name) and func.id not in self.aliases:
            dotted = func.id  # a builtin (open)
        self._open_mode(node, dotted, name)
        if dotted in ("json.loads", "json.load") and any(
                k.arg == "encoding" for k in node.keywords):
            self.add(node, "json.loads(encoding=)", "removed in 3.9: TypeError")
        if dotted == "hmac.new" and len(node.args) < 3 and not any(
                k.arg == "digestmod" for k in node.keywords):
            self.add(node, "hmac.new() without digestmod", "TypeError since 3.8")
        if dotted and dotted.startswith("asyncio.") and any(
                k.arg == "loop" for k in node.keywords):
            self.add(node, "asyncio loop=", "removed in 3.10")
        if dotted == "random.shuffle" and (len(node.args) > 1 or node.keywords):
            self.add(node, "random.shuffle(x, random)", "removed in 3.11")
        if dotted == "random.sample" and node.args and self._is_set(node, node.args[0]):
            self.add(node, "random.sample(set)", "TypeError since 3.11: sample(sorted(s), k)")
        if dotted in ("gettext.translation", "gettext.install") and any(
                k.arg == "codeset" for k in node.keywords):
            self.add(node, "gettext codeset=", "removed in 3.11")
        for (function, keyword), what in CHANGED_KWARGS.items():
            if dotted == function and any(k.arg == keyword for k in node.keywords):
                self.add(node, "%s(%s=)" % (function, keyword), what)
        if dotted == "yaml.load" and len(node.args) < 2 and not any(
                k.arg == "Loader" for k in node.keywords):
            self.add(node, "yaml.load() without Loader", "PyYAML 6: TypeError, Loader "
                     "required")
        if dotted and isinstance(func, ast.Attribute) and func.attr == "unescape":
            self.add(node, dotted, "a look-alike of the removed HTMLParser.unescape; "
                     "this one is present")
        if dotted and dotted.startswith("re.") and node.args:
            self._re_pattern(node, dotted)
        if dotted and dotted.startswith("ast."):
            self._ast_node(node, dotted[4:])

    def _method_call(self, node, attr):
        if attr in ("getchildren", "getiterator"):
            if self.etree == {"lxml"}:
                self.add(node, "lxml.etree._Element.%s" % attr,
                         "removed from xml.etree in 3.9; lxml 4.9.4 still has it")
            elif self.etree == {"xml.etree"}:
                api = "xml.etree.ElementTree.Element." + attr
                self.add(node, api, REMOVED[api])
            else:
                self.add(node, "Element.%s [%s]" % (attr, "+".join(sorted(self.etree))
                                                    or "no etree import"),
                         "removed from xml.etree in 3.9; the element type is not "
                         "known here")
        elif attr == "isAlive":
            self.add(node, "threading.Thread.isAlive", REMOVED["threading.Thread.isAlive"])
        elif attr == "unescape":
            if "html.parser" in self.source or "HTMLParser" in self.source:
                api = "html.parser.HTMLParser.unescape"
                self.add(node, api, REMOVED[api])
            else:
                self.add(node, "unescape [not HTMLParser]", "a look-alike: review")
        elif attr in ("tostring", "fromstring") and (
                "array" in self.aliases.values() or attr == "tostring" and not node.args):
            self.add(node, "array.array." + attr, REMOVED["array.array." + attr]
                     + " (or PIL Image.%s, removed in Pillow 3)" % attr)
        elif attr in DEPRECATED_METHODS:
            api = DEPRECATED_METHODS[attr]
            self.add(node, api, DEPRECATED[api])
        elif attr in ASSERT_ALIASES and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == "self":
            self.add(node, "unittest.TestCase." + attr,
                     "deprecated alias, still in 3.11 (removed in 3.12)")
        elif attr in PY2_METHODS:
            self.add(node, "dict." + attr, "Python 2 only")
        elif attr == "getName" and not node.args:
            self.add(node, "threading.Thread.getName", DEPRECATED["threading.Thread.getName"])

    _U_MODE = re.compile(r"^[rwaxbt+]*U[rwaxbt+]*$")

    def _open_mode(self, node, dotted, name):
        if name not in ("open", "file_open", "FileInput", "input") or (
                name == "input" and dotted != "fileinput.input"):
            return
        mode = node.args[1] if len(node.args) > 1 else None
        for kw in node.keywords:
            if kw.arg == "mode":
                mode = kw.value
        value = _const_str(mode)
        if value and self._U_MODE.match(value):
            self.add(node, "%s(..., %r)" % (dotted or name, value),
                     "'U' mode removed in 3.11: ValueError")

    def _is_set(self, call, node):
        if isinstance(node, (ast.Set, ast.SetComp)):
            return True
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in ("set", "frozenset"):
                return True
            if isinstance(node.func, ast.Attribute) and node.func.attr == "keys":
                return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Sub, ast.BitOr,
                                                                 ast.BitAnd)):
            return self._is_set(call, node.left)
        if isinstance(node, ast.Name):
            func = self._parents.get(call)
            while func is not None and not isinstance(func, (ast.FunctionDef,
                                                             ast.AsyncFunctionDef)):
                func = self._parents.get(func)
            for sub in ast.walk(func) if func is not None else ():
                if isinstance(sub, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == node.id for t in sub.targets) \
                        and not isinstance(sub.value, ast.Name):
                    if self._is_set(call, sub.value):
                        return True
        return False

    def _re_pattern(self, node, dotted):
        if dotted.split(".")[1] not in ("compile", "match", "search", "fullmatch", "sub",
                                        "subn", "split", "findall", "finditer"):
            return
        pattern = node.args[0]
        if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value,
                                                                 (str, bytes))):
            return
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                re.compile(pattern.value)
            except (re.error, DeprecationWarning, FutureWarning) as exc:
                self.add(node, "re pattern %r" % pattern.value[:40],
                         "refused by 3.11: %s" % exc)

    #: fields 3.8+ requires of an AST node built by hand
    _AST_REQUIRED = {"arguments": ("posonlyargs", 0), "Module": ("type_ignores", 1)}

    def _ast_node(self, node, cls):
        if cls in self._AST_REQUIRED:
            field, position = self._AST_REQUIRED[cls]
            if len(node.args) <= position and not any(k.arg == field
                                                      for k in node.keywords):
                self.add(node, "ast.%s() without %s" % (cls, field),
                         "3.8+ compile(): required field missing")
        if cls == "Name":
            ident = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "id"), None)
            if isinstance(ident, ast.Constant) and ident.value in ("None", "True", "False"):
                self.add(node, "ast.Name(%r)" % ident.value,
                         "3.8+ compile(): a constant, not a name")
            elif ident is not None and not isinstance(ident, ast.Constant):
                pass

    # -- raise ----------------------------------------------------------------

    def _visit_Raise(self, node):
        if _const_str(node.exc) is not None:
            self.add(node, "string exception", "TypeError: exceptions must derive "
                     "from BaseException")
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(exc, ast.Name) and exc.id == "StopIteration":
            func = self._parents.get(node)
            while func is not None and not isinstance(func, (ast.FunctionDef,
                                                             ast.AsyncFunctionDef,
                                                             ast.Lambda)):
                func = self._parents.get(func)
            if func is not None and any(
                    isinstance(sub, (ast.Yield, ast.YieldFrom)) and self._owner(sub) is func
                    for sub in ast.walk(func)):
                self.add(node, "raise StopIteration in a generator",
                         "RuntimeError since 3.7 (PEP 479): return")

    def _owner(self, node):
        func = self._parents.get(node)
        while func is not None and not isinstance(func, (ast.FunctionDef,
                                                         ast.AsyncFunctionDef, ast.Lambda)):
            func = self._parents.get(func)
        return func


# ---------------------------------------------------------------------------
# Looking names up in a clean interpreter
# ---------------------------------------------------------------------------

_PROBE = r"""
import importlib, json, re, sys, warnings
sys.path.append(SITE)
out = {}
for name in NAMES:
    parts = name.split(".")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        state, at = "ok", name
        try:
            obj = importlib.import_module(parts[0])
        except ImportError:
            state, at = "missing", parts[0]
        except Exception:
            state = "unknown"
        else:
            for i, part in enumerate(parts[1:], 1):
                try:
                    obj = getattr(obj, part)
                    continue
                except AttributeError:
                    pass
                except Exception:
                    state = "unknown"
                    break
                try:
                    obj = importlib.import_module(".".join(parts[:i + 1]))
                except ImportError:
                    # a missing attribute of a module or a class; below
                    # anything else (an instance, a function) it is not known
                    known = isinstance(obj, type) or type(obj).__name__ == "module"
                    state, at = ("missing" if known else "unknown"), ".".join(parts[:i + 1])
                    break
                except Exception:
                    state = "unknown"
                    break
    # a warning about this name (not one a library's own imports emit)
    words = set(parts[1:] or parts)
    deprecations = sorted({str(w.message).splitlines()[0][:160] for w in caught
                           if issubclass(w.category, (DeprecationWarning,
                                                      PendingDeprecationWarning))
                           and words & set(re.findall(r"[\w]+", str(w.message)))})
    out[name] = [state, at, deprecations]
print(json.dumps(out))
"""


def probe(names):
    """{dotted name: (state, missing prefix, [deprecation messages])},
    looked up in a clean interpreter of the venv (-I -S: no .pth, so no
    compatibility module), one process per top-level module so that the
    warnings of first imports are seen."""
    by_root = defaultdict(set)
    for name in names:
        by_root[name.split(".")[0]].add(name)
    result = {}
    for root in sorted(by_root):
        code = "SITE = %r\nNAMES = %r\n" % (SITE, sorted(by_root[root])) + _PROBE
        out = subprocess.run([PYTHON, "-I", "-S", "-c", code], capture_output=True,
                             text=True, timeout=120, cwd="/")
        if out.returncode:
            raise RuntimeError("probe of %s failed: %s" % (root, out.stderr[-2000:]))
        result.update(json.loads(out.stdout.strip().splitlines()[-1]))
    return result


def _known(table, dotted):
    """The entry of `table` for `dotted` or the name it is below."""
    for key in sorted(table, key=len, reverse=True):
        if dotted == key or dotted.startswith(key + "."):
            return key
    return None


def _name_findings(scans):
    names = {dotted for scan in scans for _line, dotted, _kind in scan.names}
    looked_up = probe(names)
    for scan in scans:
        for line, dotted, kind in scan.names:
            state, at, deprecations = looked_up[dotted]
            removed = _known(REMOVED, at if state == "missing" else dotted)
            deprecated = _known(DEPRECATED, dotted)
            changed = _known(CHANGED, dotted)
            if changed and kind != "instance":
                scan.findings.append(Finding(scan.path, line, changed, CHANGED[changed]))
            elif state == "missing" and (kind != "instance" or removed):
                what = REMOVED.get(removed) or "not in Python 3.11 / the pinned library"
                api = removed or at
                if kind == "guarded":
                    api, what = api + " [guarded]", what + "; under try/except ImportError"
                elif kind == "fallback":
                    api, what = api + " [fallback]", what + "; in the except ImportError " \
                        "of an import that works"
                scan.findings.append(Finding(scan.path, line, api, what))
            elif deprecated:
                scan.findings.append(Finding(scan.path, line, deprecated,
                                             DEPRECATED[deprecated]))
            elif deprecations:
                scan.findings.append(Finding(scan.path, line, dotted,
                                             "DeprecationWarning: " + deprecations[0]))


# ---------------------------------------------------------------------------
# The whole tree, the table, the output
# ---------------------------------------------------------------------------

def iter_files(top):
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def scan(top=None, base=SITE):
    """Every finding under `top` (default: the installed odoo package),
    paths relative to `base`."""
    top = top or os.path.join(SITE, "odoo")
    roots = checked_roots()
    scans = []
    for path in iter_files(top):
        with open(path, "rb") as fh:
            source = fh.read().decode("utf-8", "replace")
        scans.append(FileScan(os.path.relpath(path, base), source, roots).run())
    _name_findings(scans)
    findings = {f for s in scans for f in s.findings}
    return sorted(findings, key=lambda f: (f.path, f.line, f.api, f.what))


def addon_of(path):
    parts = path.split("/")
    if len(parts) > 3 and parts[0] == "odoo" and parts[1] == "addons":
        return parts[2]
    return None


def classify(findings, rules=RULES, installed=None):
    """[(finding, status)], and the rules that matched nothing."""
    installed = installed_addons() if installed is None else installed
    used = set()
    out = []
    for finding in findings:
        status = "UNCLASSIFIED"
        for index, (api_glob, path_glob, rule_status) in enumerate(rules):
            if not fnmatch.fnmatchcase(finding.api, api_glob):
                continue
            if path_glob == NOT_INSTALLED:
                addon = addon_of(finding.path)
                if addon is None or addon in installed:
                    continue
            elif not fnmatch.fnmatchcase(finding.path, path_glob):
                continue
            status = rule_status.replace("{addon}", addon_of(finding.path) or "")
            used.add(index)
            break
        out.append((finding, status))
    stale = [rule for index, rule in enumerate(rules) if index not in used]
    return out, stale


def format_line(finding, status):
    return "%s:%d: %s (%s) — %s" % (finding.path, finding.line, finding.api,
                                    finding.what, status)


def status_kind(status):
    return status.split(" ")[0].split(":")[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--summary", action="store_true", help="counts per status")
    parser.add_argument("--only", choices=["covered", "unreachable", "fine", "UNCLASSIFIED",
                                           "removed"],
                        help="only these findings (removed: all but fine)")
    args = parser.parse_args(argv)
    classified, stale = classify(scan())
    for finding, status in classified:
        kind = status_kind(status)
        if args.only == "removed" and kind == "fine" or args.only not in (None, "removed") \
                and kind != args.only:
            continue
        print(format_line(finding, status))
    bad = [f for f, s in classified if s == "UNCLASSIFIED"]
    for rule in stale:
        print("stale rule (matches nothing): %r" % (rule,), file=sys.stderr)
    if args.summary:
        counts = Counter(status_kind(s) for _f, s in classified)
        print("# %d findings: %s" % (len(classified), ", ".join(
            "%s %d" % kv for kv in sorted(counts.items()))), file=sys.stderr)
    return 1 if bad or stale else 0


if __name__ == "__main__":
    sys.exit(main())
