"""Headless Chromium for the cross-process tests (Debian's chromium and
chromium-driver, driven through chromedriver's W3C HTTP API), with what a
person would notice and a test must catch: JavaScript console errors and
requests that failed (HTTP status >= 400, or not answered at all).

    browser = Browser(size=(1366, 768))
    try:
        browser.login(url, "isp.helpdesk", "isp.helpdesk")
        browser.go(url + "/web")
        assert not browser.problems()
        browser.screenshot("/path/home.png")
    finally:
        browser.quit()
"""
import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time

import requests

from conftest import isp_dev

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--lang=en-US"]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
PHONE = (412, 915)
DESKTOP = (1366, 768)


class Browser:
    """One Chromium session through chromedriver's W3C WebDriver HTTP API."""

    def __init__(self, size=PHONE):
        self.port = isp_dev.free_port()
        self.profile = tempfile.mkdtemp(prefix="isp-chromium-")
        self.driver = subprocess.Popen(["chromedriver", "--port=%d" % self.port],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)
        self.base = "http://127.0.0.1:%d" % self.port
        deadline = time.time() + 30
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/status", timeout=2).json()["value"]["ready"]:
                    break
            if time.time() > deadline:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.2)
        args = CHROMIUM_FLAGS + ["--window-size=%d,%d" % size,
                                 "--user-data-dir=" + self.profile]
        answer = self._call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
            "goog:chromeOptions": {"binary": shutil.which("chromium") or "/usr/bin/chromium",
                                   "args": args,
                                   # no desktop notifications (nor the web
                                   # client's banner asking for them)
                                   "prefs": {"profile.default_content_setting_values"
                                             ".notifications": 2}}}}})
        self.session = answer["sessionId"]
        # what the browser did at start (its new-tab page's lookups) is no
        # page's problem
        self.go("about:blank")
        self.logs("browser")
        self.logs("performance")
        self._urls = {}   # requestId -> URL of the pages' requests seen so far

    def _call(self, method, path, body=None):
        resp = requests.request(method, self.base + path, json=body, timeout=180)
        value = resp.json().get("value")
        if resp.status_code != 200:
            raise AssertionError("webdriver %s %s: %s" % (method, path, value))
        return value

    def cmd(self, method, path, body=None):
        return self._call(method, "/session/%s%s" % (self.session, path), body)

    # -- navigation and page -------------------------------------------------

    def go(self, url):
        self.cmd("POST", "/url", {"url": url})

    @property
    def url(self):
        return self.cmd("GET", "/url")

    @property
    def source(self):
        return self.cmd("GET", "/source")

    def execute(self, script, *args):
        """Run `script` (a function body) in the page; returns its value."""
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        return self.cmd("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def find_all(self, css):
        return [e[ELEMENT] for e in
                self.cmd("POST", "/elements", {"using": "css selector", "value": css})]

    def type(self, css, text):
        self.cmd("POST", "/element/%s/value" % self.find(css), {"text": text})

    def click(self, css):
        self.cmd("POST", "/element/%s/click" % self.find(css), {})

    def wait_for(self, predicate, timeout=60, what=None):
        deadline = time.time() + timeout
        while not predicate():
            if time.time() > deadline:
                raise AssertionError("timed out waiting for %s on %s"
                                     % (what or predicate, self.url))
            time.sleep(0.2)

    def wait_js(self, expression, timeout=60):
        """Wait until the JavaScript `expression` is true in the page."""
        self.wait_for(lambda: self.execute("return !!(%s);" % expression), timeout,
                      what=expression)

    def until(self, expression, timeout=60, what=None, setup=""):
        """Wait until the JavaScript `expression` is truthy, polled inside the
        page every 50 ms (one WebDriver call, no sleep on this side); returns
        its value. `setup`: statements run once before polling (helpers the
        expression uses). A page that unloads meanwhile (a navigation) is
        polled again until `timeout`."""
        deadline = time.time() + timeout
        script = setup + """
var expression = arguments[0], deadline = Date.now() + arguments[1], done = arguments[2];
(function poll() {
    var value;
    try { value = eval(expression); } catch (e) { value = null; }
    if (value || Date.now() > deadline) { done(value || null); } else { setTimeout(poll, 50); }
})();"""
        while True:
            left = deadline - time.time()
            needed = int((max(left, 0) + 10) * 1000)
            if needed > getattr(self, "_script_timeout", 0):
                self.cmd("POST", "/timeouts", {"script": needed + 60000})
                self._script_timeout = needed + 60000
            try:
                value = self.cmd("POST", "/execute/async",
                                 {"script": script, "args": [expression, int(left * 1000)]})
            except AssertionError:
                value = None  # the document was replaced while polling
                if time.time() < deadline:
                    time.sleep(0.1)
                    continue
            if value or time.time() >= deadline:
                break
        if not value:
            raise AssertionError("timed out after %ss waiting for %s on %s"
                                 % (timeout, what or expression, self.url))
        return value

    def screenshot(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(self.cmd("GET", "/screenshot")))

    def login(self, url, login, password):
        """Log in through Odoo's /web/login form; returns the landing URL."""
        self.go(url + "/web/login")
        self.type("input[name=login]", login)
        self.type("input[name=password]", password)
        self.click("form.oe_login_form button[type=submit]")
        self.wait_for(lambda: "/web/login" not in self.url, what="the login to go through")
        return self.url

    # -- what went wrong -------------------------------------------------------

    def logs(self, kind):
        """New entries of chromedriver's log `kind` (browser, performance)
        since the last call."""
        return self.cmd("POST", "/se/log", {"type": kind})

    def problems(self, ignore=()):
        """Console errors and failed requests since the last call, as text
        lines; `ignore`: substrings of lines that are expected."""
        found = []
        for entry in self.logs("browser"):
            if entry["level"] == "SEVERE":
                found.append("console: %s" % entry["message"])
        urls = self._urls
        for entry in self.logs("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.requestWillBeSent":
                # Chromium's own pages (chrome://new-tab-page...) fetch
                # things too: only the pages' requests count
                if params.get("documentURL", "").startswith("http"):
                    urls[params["requestId"]] = params["request"]["url"]
            elif message["method"] == "Network.responseReceived":
                response = params["response"]
                if response["status"] >= 400 and params["requestId"] in urls:
                    found.append("request: HTTP %s %s" % (response["status"], response["url"]))
            elif message["method"] == "Network.loadingFailed" and not params.get("canceled") \
                    and params["requestId"] in urls:
                found.append("request: %s %s" % (params.get("errorText"),
                                                 urls[params["requestId"]]))
        return [line for line in found if not any(i in line for i in ignore)]

    def quit(self):
        with contextlib.suppress(Exception):
            self.cmd("DELETE", "")
        isp_dev.kill_group(self.driver)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.quit()
