"""Odoo's own web client test suite (QUnit: /web/tests and /web/tests/mobile)
in headless Chromium, on a copy of the app template (the modules users run:
the suite holds the QUnit tests of every installed module).

Odoo 11 ran this suite in PhantomJS. Nine of its tests rely on what
PhantomJS did and Chromium does not: they are KNOWN_FAILURES, each with its
reason and the failing assertion it must show (README, "Known limits"). Any
other failure fails the test, and so does a known failure that passes (take
it out of the list and the README), but for the two that compare sizes to
the pixel, which other fonts may get right.
"""
import re
import time


from browser import DESKTOP, PHONE, Browser

MUTATION_EVENTS = (
    "test_utils.createView keeps images and iframes off the server with a "
    "DOMNodeInserted listener (removeSrcAttribute); Chromium no longer fires DOM "
    "mutation events (removed in Chrome 127), so the src is never intercepted")
SUBPIXEL_CLICK = (
    "the test clicks a day at the exact top-left corner of its cell "
    "(testUtils.triggerMouseEvent); with Chromium's fractional layout that point "
    "belongs to the day before (PhantomJS laid out whole pixels; with offsets "
    "rounded the three tests pass)")
SUBPIXEL_SIZE = (
    "compares sizes to the pixel: Chromium lays out in fractions of a pixel and "
    "the list freezes column widths as whole pixels (offsetWidth), a 1 px change "
    "PhantomJS's whole-pixel layout never had")

#: (module, test) -> (reason, text of the failing assertion it shows)
KNOWN_FAILURES = {
    ("fields > basic_fields > FieldImage", "image fields are correctly rendered"):
        (MUTATION_EVENTS, "Expected 6 assertions, but 5 were run"),
    ("fields > basic_fields > FieldImage", "image fields in subviews are loaded correctly"):
        (MUTATION_EVENTS, "Expected 5 assertions, but 4 were run"),
    ("web_editor", "field html_frame widget"):
        (MUTATION_EVENTS, "Expected 6 assertions, but 2 were run"),
    ("web_editor", "html_frame saving in edit mode (editor and content fully loaded)"):
        (MUTATION_EVENTS, "Test timed out"),
    ("Views > CalendarView", "open form view"):
        (SUBPIXEL_CLICK, "should open the form view with the context default values"),
    ("Views > CalendarView", "create and edit event in month mode (all_day: false)"):
        (SUBPIXEL_CLICK, "should open the form view with the context default values"),
    ("Views > CalendarView", "readonly date_start field"):
        (SUBPIXEL_CLICK, "should open the form view with the context default values"),
    ("Views > ListView", "column width should not change when switching mode"):
        (SUBPIXEL_SIZE, "width of columns should remain unchanged"),
    ("Views > ListView", "grouped list with a pager in a group"):
        (SUBPIXEL_SIZE, "height of group header shouldn't have changed"),
}

RESULT = re.compile(r"(\d+) tests completed in (\d+) milliseconds, with (\d+) failed, "
                    r"(\d+) skipped, and (\d+) todo")
FAILED_TESTS = """
return Array.from(document.querySelectorAll('#qunit-tests > li.fail')).map(function (li) {
    return [li.querySelector('.module-name').textContent,
            li.querySelector('.test-name').textContent,
            Array.from(li.querySelectorAll('ol.qunit-assert-list > li.fail .test-message'))
                .map(function (m) { return m.textContent; })];
});
"""


def run_suite(browser, url, timeout=600):
    """Open a QUnit page, wait for the end; the counts and the failed tests
    as {(module, test): [failed assertion messages]}."""
    started = time.time()
    browser.go(url)
    browser.wait_js("document.querySelector('#qunit-testresult') && /tests completed/"
                    ".test(document.querySelector('#qunit-testresult').textContent)", timeout)
    text = browser.execute("return document.querySelector('#qunit-testresult').textContent")
    match = RESULT.search(text)
    assert match, text
    total, _ms, failed, skipped, todo = (int(g) for g in match.groups())
    failures = {(module, test): messages
                for module, test, messages in browser.execute(FAILED_TESTS)}
    assert len(failures) == failed, (text, failures)
    return {"total": total, "failed": failed, "skipped": skipped, "todo": todo,
            "failures": failures, "seconds": time.time() - started}


def check(result, known):
    new = {k: v for k, v in result["failures"].items() if k not in known}
    assert not new, "new QUnit failures:\n" + "\n".join(
        "%s > %s: %s" % (m, t, " | ".join(msgs)) for (m, t), msgs in sorted(new.items()))
    # a size compared to the pixel may come out right with other fonts
    fixed = {k for k in set(known) - set(result["failures"]) if known[k][0] != SUBPIXEL_SIZE}
    assert not fixed, "known failures that pass now (take them out of KNOWN_FAILURES " \
                      "and the README): %s" % sorted(fixed)
    for key, (_reason, text) in known.items():
        if key in result["failures"]:
            assert any(text in m for m in result["failures"][key]), \
                "%s > %s fails otherwise than known: %s" % (key + (result["failures"][key],))


def test_web_client_qunit_suite(app_server):
    with Browser(size=DESKTOP) as browser:
        browser.login(app_server.url, "admin", "admin")
        result = run_suite(browser, app_server.url + "/web/tests")
    print("QUnit /web/tests: %(total)d tests, %(failed)d failed, %(skipped)d skipped "
          "in %(seconds).0f s" % result)
    assert result["total"] >= 1000, result   # the whole suite ran, not an empty page
    assert result["skipped"] == result["todo"] == 0
    check(result, KNOWN_FAILURES)
    assert not app_server.bad_lines()


def test_web_client_qunit_mobile_suite(app_server):
    with Browser(size=PHONE) as browser:
        # the route needs no login, but mail's test calls the server (a
        # "Session Expired" and a time-out without a session)
        browser.login(app_server.url, "admin", "admin")
        result = run_suite(browser, app_server.url + "/web/tests/mobile")
    print("QUnit /web/tests/mobile: %(total)d tests, %(failed)d failed in %(seconds).0f s"
          % result)
    assert result["total"] >= 4 and result["failed"] == 0, result
    assert not app_server.bad_lines()
