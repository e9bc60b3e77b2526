#!/usr/bin/env python3
"""Print the failing tests of an Odoo test log, short: the test, the test-file
frames and the last lines of each traceback, plus WARNING/ERROR log lines.

    scripts/show_failures.py .local/log/test-odoo-isp_test.log
"""
import re
import sys

MESSAGE = re.compile(r"^\S+ \S+ \d+ (\w+) \S+ ([\w.]+): (.*)$")
WIDTH = 300


def main(path):
    current, buf = None, []

    def flush():
        if current:
            print("== " + current[:WIDTH])
            tail = [b for b in buf if b.strip()]
            for frame in [b for b in tail if 'File "' in b and "/addons/isp_" in b][-2:]:
                print("    " + frame.strip()[:WIDTH])
            for line in tail[-3:]:
                print("    " + line.strip()[:WIDTH])
    with open(path, errors="replace") as fh:
        for line in fh:
            match = MESSAGE.match(line.rstrip("\n"))
            if not match:
                continue
            level, logger, text = match.groups()
            if text.startswith(("FAIL: ", "ERROR: ")):
                flush()
                current, buf = text, []
            elif text.startswith("` ") and current:
                buf.append(text[2:])
            elif current and (text.startswith("Ran ") or text in ("FAIL", "ERROR")):
                flush()
                current, buf = None, []
            elif level in ("ERROR", "CRITICAL", "WARNING") and not text.startswith(
                    ("`", "FAIL", "ERROR", "Traceback", "Module ", "At least")):
                print("LOG %s %s %s" % (level, logger, text[:WIDTH]))
    flush()


if __name__ == "__main__":
    main(sys.argv[1])
