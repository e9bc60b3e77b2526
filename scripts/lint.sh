#!/usr/bin/env bash
# ruff on all Python code; pylint-odoo (OCA checks for Odoo 11.0) on addons/.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VENV="$ROOT/.venv/bin"
rc=0
echo "[lint] ruff"
"$VENV/ruff" check --quiet addons compat scripts tests bench || rc=1
echo "[lint] pylint-odoo"
# translation-positional-used: Odoo 11 (and its translations) use positional
# %s in _() strings; the check belongs to later versions
"$VENV/pylint" --rcfile=.pylintrc --disable=translation-positional-used addons/* || rc=1
exit $rc
