"""The back office in headless Chromium, role by role, the way staff use it.

For each staff login of the demo: log in through the login form, wait for the
web client, screenshot the home page (docs/screenshots/backoffice-<login>.png,
committed, regenerated here), check that the menus the web client loads for
that user (`ir.ui.menu.load_menus`, called through the user's own session) are
exactly the role's menus of MENUS below, then open every one of them (admin,
the superuser, only those no other role has): its first view, a list and the
form of its first record, and every kanban, graph, pivot or calendar view of
the action. Nothing may go wrong on the way: no JavaScript console error, no
failed request, no error or warning dialog, no page that leaves the web
client; at the end no ERROR line in the server log.

A new menu, or a menu a role gains or loses, is one row or one mark of MENUS.
"""
import os
import re
import time

import pytest

from browser import DESKTOP, Browser
from conftest import ROOT, isp_dev

pytestmark = pytest.mark.skipif(set(isp_dev.app_modules()) != set(isp_dev.isp_addons()),
                                reason="MENUS are the menus of the whole suite")

SCREENSHOTS = os.path.join(ROOT, "docs", "screenshots")

#: column of MENUS -> (role, demo login; password = login, admin/admin)
ROLES = {
    "ad": ("admin", "admin"),                # ISP admin and Odoo administrator
    "ma": ("manager", "isp.manager"),        # Manager: edit customers, network, billing
    "ca": ("cashier", "isp.cashier"),        # Manager: billing and payments
    "dh": ("dhakanet", "manager.dhakanet"),  # a reseller's cashier (its subtree only)
    "te": ("technician", "isp.technician"),  # Manager: network actions
    "he": ("helpdesk", "isp.helpdesk"),      # Helpdesk: reads; answers tickets
    "au": ("auditor", "isp.auditor"),        # Auditor: reads everything, audit log
    "ac": ("accountant", "isp.accountant"),  # Odoo's accounting + ISP auditor
}

#: admin is Odoo's superuser (uid 1: every access check passes): it opens
#: only the menus no other role has, the others are opened by the roles that
#: share them, with stricter rights
SUPERUSER = "ad"

#: the menus (with an action) each role sees, x = sees it; columns: ROLES
MENUS = """
ad ma ca dh te he au ac  menu
x  x  x  x  x  x  x  x   Discuss
x  x  x  x  x  .  x  x   ISP > Dashboard
x  x  x  x  x  x  x  x   ISP > Customers > Subscriptions
x  x  x  x  x  x  x  x   ISP > Customers > Subscribers
x  x  x  x  x  x  x  x   ISP > Customers > Extensions by days
x  x  x  x  x  x  x  x   ISP > Customers > State history
x  .  .  .  .  .  .  .   ISP > Customers > Sign-up codes
x  x  x  x  x  x  x  x   ISP > Bills and Payments > Bills
x  x  x  x  x  x  x  x   ISP > Bills and Payments > Payments
x  x  x  x  x  x  x  x   ISP > Bills and Payments > Other charges
x  x  x  x  x  .  x  x   ISP > Bills and Payments > Billing runs
x  x  x  x  x  .  x  x   ISP > Bills and Payments > Notices sent
x  x  x  x  x  x  x  x   ISP > Bills and Payments > Excel downloads
x  x  x  x  x  .  x  x   ISP > Resellers and managers > Resellers
x  x  x  x  x  .  x  x   ISP > Resellers and managers > Reseller charges
x  .  .  .  .  .  .  .   ISP > Recharge cards > Generate cards
x  x  x  x  x  .  x  x   ISP > Recharge cards > Card batches
x  x  x  x  x  .  x  x   ISP > Recharge cards > Recharge cards
x  x  x  x  x  .  x  x   ISP > Recharge cards > Card distributors
x  x  x  x  .  .  .  .   ISP > Recharge cards > Use a card
x  x  x  x  x  .  x  x   ISP > Recharge cards > Card attempts
x  x  x  x  x  x  x  x   ISP > Packages > Packages
x  x  x  x  x  x  x  x   ISP > Packages > Master packages
x  x  x  x  x  x  x  x   ISP > Packages > Billing profiles
x  x  x  x  x  x  x  x   ISP > Network > Routers / NAS
x  x  x  x  x  x  x  x   ISP > Network > Online customers (router API)
x  x  x  x  x  x  x  x   ISP > Network > IP pools
x  x  x  x  x  x  x  x   ISP > Network > Zones
x  x  x  x  x  x  x  x   ISP > RADIUS > Online now
x  x  x  x  x  x  x  x   ISP > RADIUS > Sessions
x  x  x  x  x  x  x  x   ISP > RADIUS > Usage by day
x  x  x  x  x  x  x  x   ISP > RADIUS > Usage by month
x  x  x  x  x  x  x  x   ISP > RADIUS > Network actions
x  x  x  x  x  .  x  x   ISP > Reporting > Paid versus billed customers
x  x  x  x  x  .  x  x   ISP > Reporting > Due versus payment
x  x  x  x  x  .  x  x   ISP > Reporting > New registrations
x  x  x  x  x  .  x  x   ISP > Reporting > Online versus offline customers
x  .  .  .  .  .  x  x   ISP > Configuration > Refused logins
x  .  .  .  .  .  x  x   ISP > Configuration > Audit log
x  .  .  .  .  .  x  x   ISP > Configuration > Notice templates
x  .  .  .  .  .  x  x   ISP > Configuration > SMS providers
x  x  x  x  x  x  x  x   Helpdesk > Dashboard
x  x  x  x  x  x  x  x   Helpdesk > Tickets
x  .  .  .  .  .  .  .   Helpdesk > Reporting > Tickets
x  .  .  .  .  .  .  .   Helpdesk > Configuration > Channels
x  .  .  .  .  .  .  .   Helpdesk > Configuration > Categories
x  .  .  .  .  .  .  .   Helpdesk > Configuration > Stages
x  .  .  .  .  .  .  .   Helpdesk > Configuration > Teams
x  .  .  .  .  .  .  .   Helpdesk > Configuration > Ticket Tags
.  .  .  .  .  .  .  x   Invoicing > Dashboard
x  .  .  .  .  .  .  x   Invoicing > Sales > Documents > Customer Invoices
x  .  .  .  .  .  .  x   Invoicing > Sales > Documents > Customer Credit Notes
x  .  .  .  .  .  .  x   Invoicing > Sales > Documents > Payments
x  .  .  .  .  .  .  x   Invoicing > Sales > Master Data > Customers
x  .  .  .  .  .  .  x   Invoicing > Sales > Master Data > Sellable Products
x  .  .  .  .  .  .  x   Invoicing > Purchases > Documents > Vendor Bills
x  .  .  .  .  .  .  x   Invoicing > Purchases > Documents > Vendor Credit Notes
x  .  .  .  .  .  .  x   Invoicing > Purchases > Documents > Payments
x  .  .  .  .  .  .  x   Invoicing > Purchases > Master Data > Vendors
x  .  .  .  .  .  .  x   Invoicing > Purchases > Master Data > Purchasable Products
.  .  .  .  .  .  .  x   Invoicing > Adviser > Accounting Entries > Journal Entries
.  .  .  .  .  .  .  x   Invoicing > Adviser > Accounting Entries > Journal Items
.  .  .  .  .  .  .  x   Invoicing > Adviser > Actions > Manual Reconciliation
.  .  .  .  .  .  .  x   Invoicing > Adviser > Actions > Tax Adjustments
x  .  .  .  .  .  .  x   Invoicing > Reporting > Management > Invoices
x  .  .  .  .  .  .  x   Invoicing > Reporting > PDF Reports > Journals Audit
x  .  .  .  .  .  .  x   Invoicing > Reporting > PDF Reports > Aged Partner Balance
.  .  .  .  .  .  .  x   Invoicing > Reporting > PDF Reports > Balance Sheet
.  .  .  .  .  .  .  x   Invoicing > Reporting > PDF Reports > Profit and Loss
.  .  .  .  .  .  .  x   Invoicing > Reporting > PDF Reports > General Ledger
.  .  .  .  .  .  .  x   Invoicing > Reporting > PDF Reports > Trial Balance
.  .  .  .  .  .  .  x   Invoicing > Reporting > PDF Reports > Partner Ledger
x  .  .  .  .  .  .  x   Invoicing > Reporting > PDF Reports > Tax Report
x  .  .  .  .  .  .  .   Invoicing > Configuration > Settings
.  .  .  .  .  .  .  x   Invoicing > Configuration > Accounting > Chart of Accounts
x  .  .  .  .  .  .  x   Invoicing > Configuration > Accounting > Taxes
x  .  .  .  .  .  .  x   Invoicing > Configuration > Accounting > Fiscal Positions
x  .  .  .  .  .  .  x   Invoicing > Configuration > Accounting > Bank Accounts
x  .  .  .  .  .  .  x   Invoicing > Configuration > Accounting > Journals
x  .  .  .  .  .  .  x   Invoicing > Configuration > Management > Payment Terms
.  .  .  .  .  .  .  x   Invoicing > Configuration > Financial Reports > Account Reports
x  .  .  .  .  .  .  x   Invoicing > Configuration > Payments > Payment Acquirers
x  .  .  .  .  .  .  .   Website > Dashboard
x  .  .  .  .  .  .  .   Website > Configuration > Settings
x  .  .  .  .  .  .  .   Job Queue > Queue > Jobs
x  .  .  .  .  .  .  .   Job Queue > Queue > Channels
x  .  .  .  .  .  .  .   Job Queue > Queue > Job Functions
x  .  .  .  .  .  .  .   Apps > Apps
x  .  .  .  .  .  .  .   Settings > Dashboard
x  .  .  .  .  .  .  .   Settings > Users & Companies > Users
x  .  .  .  .  .  .  .   Settings > Users & Companies > Companies
x  .  .  .  .  .  .  .   Settings > Translations > Languages
x  .  .  .  .  .  .  .   Settings > Translations > Load a Translation
x  .  .  .  .  .  .  .   Settings > General Settings
"""


def expected_menus():
    """{column: set of menu paths} from MENUS."""
    lines = [line for line in MENUS.strip().splitlines() if line.strip()]
    columns = lines[0].split()[:-1]
    assert columns == list(ROLES), "MENUS columns %s are not ROLES" % columns
    expected = {column: set() for column in columns}
    for line in lines[1:]:
        *marks, path = line.split(None, len(columns))
        assert len(marks) == len(columns) and set(marks) <= {"x", "."}, line
        for column, mark in zip(columns, marks, strict=True):
            if mark == "x":
                expected[column].add(path.strip())
    return expected


# -- the web client, seen from the page ----------------------------------------

#: helpers installed in the page (idempotent); `busy`: an RPC is running (the
#: web client's own loading indicator) or the UI is blocked
HELPERS = r"""
if (window.odoo && odoo.__DEBUG__ && odoo.__DEBUG__.services['web.web_client'] && !window.__isp) {
window.__isp = {
    am: function () { return odoo.__DEBUG__.services['web.web_client'].action_manager; },
    busy: function () {
        return document.body.classList.contains('oe_wait') || !!document.querySelector('.blockUI');
    },
    action: function () { var am = this.am(); return am && am.get_inner_action(); },
    shown: function (el) { return !!el && document.body.contains(el) && el.offsetParent !== null; },
    view: function () {
        var w = this.am() && this.am().inner_widget;
        return w && w.active_view && w.active_view.controller && w.active_view;
    },
    dialogs: function () {
        return Array.prototype.filter.call(document.querySelectorAll('.modal'), function (m) {
            return window.__isp.shown(m.querySelector('.modal-content')); });
    },
    errors: function () {
        var shown = Array.prototype.filter.call(
            document.querySelectorAll('.o_dialog_warning, .o_dialog_error'), this.shown);
        return shown.map(function (e) {
            var modal = e.closest('.modal'), title = modal && modal.querySelector('.modal-title');
            return (title ? title.textContent.trim() + ': ' : '') +
                e.textContent.trim().slice(0, 300);
        });
    },
    // an action opened: the new one is on screen (or a dialog is), nothing runs
    opened: function (marker, actionId) {
        if (this.busy()) { return false; }
        if (this.dialogs().length) { return 'dialog'; }
        var action = this.action();
        if (!action) { return false; }
        if (action === marker && action.get_action_descr().id !== actionId) { return false; }
        var w = this.am().inner_widget;
        if (!w || !this.shown(w.el)) { return false; }
        var view = this.view();
        if (view && !this.shown(view.controller.el)) { return false; }
        return 'action';
    },
    // the view of `type` is on screen and nothing runs
    showing: function (type) {
        var view = this.view();
        return !this.busy() && !!view && view.type === type && this.shown(view.controller.el);
    },
    state: function () {
        var action = this.action(), descr = action && action.get_action_descr(), view = this.view();
        return {
            type: descr && descr.type, id: descr && descr.id, res_model: descr && descr.res_model,
            views: descr && descr.views ? descr.views.map(function (v) { return v[1]; }) : [],
            view: view ? view.type : null, dialogs: this.dialogs().length, errors: this.errors(),
        };
    },
}; }
"""


def page(browser, expression, *args):
    """Evaluate `expression` in the web client, with the helpers installed."""
    return browser.execute(HELPERS + "return %s;" % expression, *args)


def until(browser, expression, timeout=60, what=None):
    """Wait (in the page) until `expression` over the helpers is truthy;
    'left' when the page is no longer the web client."""
    return browser.until("location.pathname.indexOf('/web') !== 0 ? 'left' : "
                         "(window.__isp ? (%s) : null)" % expression, timeout, what,
                         setup=HELPERS)


def load_menus(browser):
    """The menus as the web client loads them for the logged-in user."""
    return browser.cmd("POST", "/execute/async", {"script": """
var done = arguments[arguments.length - 1];
odoo.__DEBUG__.services['web.session'].rpc('/web/dataset/call_kw/ir.ui.menu/load_menus',
    {model: 'ir.ui.menu', method: 'load_menus', args: [false], kwargs: {}})
    .then(done, function (error) { done({error: error}); });""", "args": []})


def menu_ids(tree):
    """Ids of a menu and of every menu under it."""
    return {tree["id"]}.union(*(menu_ids(child) for child in tree.get("children", [])))


def menu_leaves(tree, path=()):
    """(path, menu) of every menu with an action, in the menu's order."""
    for child in tree.get("children", []):
        child_path = path + (child["name"],)
        if child.get("action"):
            yield " > ".join(child_path), child
        yield from menu_leaves(child, child_path)


class Visit:
    """One role's session in the web client; what went wrong is collected
    in `failures` (one line each) rather than stopping at the first."""

    MULTI_VIEWS = ("kanban", "graph", "pivot", "calendar")

    def __init__(self, browser, url, login):
        self.browser, self.url, self.login = browser, url, login
        self.failures = []
        self.steps = 0

    def check(self, where):
        self.steps += 1
        problems = self.browser.problems()
        errors = page(self.browser, "window.__isp ? window.__isp.errors() : []") or []
        for line in problems + errors:
            self.failures.append("%s: %s: %s" % (self.login, where, line[:500]))
        return not (problems or errors)

    def start(self):
        browser = self.browser
        browser.login(self.url, self.login, "admin" if self.login == "admin" else self.login)
        if "/web" not in browser.url:
            browser.go(self.url + "/web")
        if self.wait("window.__isp.opened(null, null)", "the web client's home", 120):
            self.check("home")

    def wait(self, expression, what, timeout=60):
        """until() `expression` or an error dialog; a timeout or an error is
        one more failure rather than the end."""
        try:
            value = until(self.browser, "window.__isp.errors().length ? 'error' : (%s)"
                          % expression, timeout, what)
        except AssertionError as exc:
            self.failures.append("%s: %s" % (self.login, exc))
            value = None
        if value in (None, "error"):
            self.check(what)
            self.close_dialogs()
            return None
        return value

    def click(self, css):
        """Click the first shown element matching `css` (in the page)."""
        return page(self.browser, "(function () { var el = Array.prototype.find.call("
                    "document.querySelectorAll(%r), window.__isp.shown);"
                    " if (el) { el.click(); } return !!el; })()" % css)

    def open_menu(self, path, menu):
        browser = self.browser
        action_id = int(menu["action"].split(",")[1])
        page(browser, "(window.__isp.marker = window.__isp.action(), "
             "window.location.hash = arguments[0])",
             "action=%d&menu_id=%d" % (action_id, menu["id"]))
        opened = self.wait("window.__isp.opened(window.__isp.marker, %d)" % action_id,
                           "menu %s" % path)
        if not opened:
            return
        if opened == "left":
            self.failures.append("%s: %s: left the back office for %s"
                                 % (self.login, path, browser.url))
            browser.go(self.url + "/web")
            self.wait("window.__isp.opened(null, null)", "the web client's home", 120)
            return
        if not self.check(path):
            self.close_dialogs()
            return
        if opened == "dialog":  # a wizard (target new): its form is shown
            if not page(browser, "!!document.querySelector('.modal .o_form_view')"):
                self.failures.append("%s: %s: the dialog shows no form" % (self.login, path))
            self.close_dialogs()
            return
        self.open_views(path)

    def close_dialogs(self):
        if page(self.browser, "window.__isp.dialogs().length"):
            self.browser.execute("$('.modal').modal('hide');")
            try:
                until(self.browser, "!window.__isp.dialogs().length && !window.__isp.busy()",
                      30, "the dialog to close")
            except AssertionError as exc:
                self.failures.append("%s: %s" % (self.login, exc))

    def switch(self, path, view_type):
        if not page(self.browser, "window.__isp.showing(%r)" % view_type):
            # what the view's switch button does (the button itself ignores a
            # second click within 200 ms, as a person's double click)
            if not page(self.browser, "!!window.__isp.shown(document.querySelector("
                        "'.o_cp_switch_buttons .o_cp_switch_%s'))" % view_type):
                self.failures.append("%s: %s: no %s view button" % (self.login, path, view_type))
                return False
            page(self.browser, "window.__isp.am().inner_widget.switch_mode(arguments[0]) && 1",
                 view_type)
            if not self.wait("window.__isp.showing(%r)" % view_type,
                             "%s: the %s view" % (path, view_type)):
                return False
        return self.check("%s (%s)" % (path, view_type))

    def open_views(self, path):
        state = page(self.browser, "window.__isp.state()")
        views = state["views"]
        if not state["view"]:
            return  # a client action: on screen, checked
        # the first record's form (an editable list edits in place: no form)
        if "list" in views and self.switch(path, "list") and "form" in views and page(
                self.browser, "!!document.querySelector('.o_list_view:not(.o_editable_list) "
                ".o_data_row')"):
            self.click(".o_list_view .o_data_row td.o_data_cell")
            if self.wait("window.__isp.showing('form')", "%s: a record's form" % path) and \
                    self.check("%s (form of the first record)" % path):
                self.click(".o_control_panel .breadcrumb li:first-child a")
                self.wait("window.__isp.showing('list')", "%s: back to the list" % path)
        for view_type in self.MULTI_VIEWS:
            if view_type in views:
                self.switch(path, view_type)


@pytest.mark.timeout(600)
def test_every_role_opens_every_menu_of_its_work(app_server):
    expected = expected_menus()
    shared = set().union(*(paths for column, paths in expected.items() if column != SUPERUSER))
    failures, report = [], []
    started = time.time()
    for column, (role, login) in ROLES.items():
        t0 = time.time()
        with Browser(size=DESKTOP) as browser:
            visit = Visit(browser, app_server.url, login)
            visit.start()
            # the loading indicator fades out after the last answer
            visit.wait("!window.__isp.busy() && $('.o_loading').css('display') === 'none'",
                       "the home page to settle")
            browser.screenshot(os.path.join(SCREENSHOTS, "backoffice-%s.png" % login))
            tree = load_menus(browser)
            # staff land in the ISP app (its first screen), not in Discuss
            isp_app = set().union(*(menu_ids(m) for m in tree["children"]
                                    if m["name"] == "ISP"))
            landed = re.search(r"[#&]menu_id=(\d+)", browser.url)
            if not (landed and int(landed.group(1)) in isp_app):
                failures.append("%s (%s) landed on %s, not in the ISP app"
                                % (role, login, browser.url))
            menus = dict(menu_leaves(tree))
            seen = set(menus)
            if seen != expected[column]:
                failures.append("%s (%s) menus: not expected %s; missing %s" % (
                    role, login, sorted(seen - expected[column]),
                    sorted(expected[column] - seen)))
            for path, menu in menus.items():
                if column != SUPERUSER or path not in shared:
                    visit.open_menu(path, menu)
            failures.extend(visit.failures)
        report.append("%s: %d menus, %d screens, %.0f s" % (login, len(menus), visit.steps,
                                                            time.time() - t0))
    print("\n".join(report + ["total %.0f s" % (time.time() - started)]))
    bad = app_server.bad_lines()
    assert not failures, "\n".join(failures)
    assert not bad, "ERROR lines in %s:\n%s" % (app_server.logfile, "\n".join(bad[:20]))
