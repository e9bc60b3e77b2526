#!/usr/bin/env python3
"""`make bench`: run every bench/bench_*.py script (each prints its figures)."""
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    scripts = sorted(glob.glob(os.path.join(HERE, "bench_*.py")))
    if not scripts:
        print("nothing yet")
        return 0
    rc = 0
    for script in scripts:
        print("== %s" % os.path.basename(script), flush=True)
        rc |= subprocess.call([sys.executable, script] + sys.argv[1:])
    return rc


if __name__ == "__main__":
    sys.exit(main())
