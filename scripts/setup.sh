#!/usr/bin/env bash
# Install what the suite needs: Debian packages, the virtualenv with pinned
# packages, the `odoo` launcher and the compatibility module hook.
# Idempotent: does nothing (in well under a second) when nothing changed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VENV="$ROOT/.venv"
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL"

APT_PACKAGES=(
    gcc python3-dev python3-venv libpq-dev postgresql
    wkhtmltopdf node-less unzip poppler-utils zbar-tools
    freeradius freeradius-postgresql freeradius-utils
    chromium chromium-driver
    # the taka sign and Bangla text in PDF bills (wkhtmltopdf) and screenshots
    fonts-lohit-beng-bengali
)

log() { printf '[setup] %s\n' "$*"; }

apt_missing() {
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" \
            || missing+=("$pkg")
    done
    echo "${missing[@]:-}"
}

install_apt() {
    local missing
    missing=$(apt_missing)
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "Missing Debian packages: $missing (run as root, or install them)" >&2
        exit 1
    fi
    log "apt-get install $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >"$LOCAL/apt.log" 2>&1 \
        || { tail -30 "$LOCAL/apt.log"; exit 1; }
    # Debian starts its own freeradius service on install; the suite runs its
    # own instance from freeradius/ and needs the default ports free.
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        systemctl disable --now freeradius >/dev/null 2>&1 || true
    fi
}

pick_python() {
    local py
    for py in "${PYTHON:-}" python3.11 /usr/bin/python3.11 python3; do
        [ -n "$py" ] || continue
        if command -v "$py" >/dev/null 2>&1 \
                && "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
            command -v "$py"; return 0
        fi
    done
    echo "Python 3.11 not found (Odoo 11 runs on 3.11 with compat/; not on 3.12+)" >&2
    exit 1
}

venv_stamp() {
    cat requirements.txt requirements-odoo.txt scripts/build-constraints.txt \
        scripts/setup.sh | sha256sum | cut -c1-16
}

install_venv() {
    local stamp_file="$VENV/.isp-stamp" stamp
    stamp=$(venv_stamp)
    if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ] \
            && [ -x "$VENV/bin/odoo" ]; then
        return 0
    fi
    local py
    py=$(pick_python)
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating virtualenv with $py"
        "$py" -m venv "$VENV"
    fi
    local pip=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
    log "installing pinned packages (requirements.txt)"
    "${pip[@]}" install 'pip<24.1' 'setuptools<70' wheel 2>&1 | grep -v 'is ignored' || true
    PIP_CONSTRAINT="$ROOT/scripts/build-constraints.txt" \
        "${pip[@]}" install --use-pep517 -r requirements.txt 2>&1 \
        | grep -v 'is ignored' || true
    "${pip[@]}" install --no-deps -r requirements-odoo.txt 2>&1 \
        | grep -v 'is ignored' || true
    write_hooks
    # fail here, not later, if something did not install
    "$VENV/bin/python" - <<'EOF'
import importlib
for mod in ("odoo", "odoo.addons.base", "odoo.addons.queue_job",
            "odoo.addons.auditlog", "odoo.addons.helpdesk_mgmt", "psycopg2",
            "lxml", "werkzeug", "librouteros", "pyrad", "qrcode", "num2words",
            "xlrd", "xlsxwriter", "phonenumbers", "pytest"):
    importlib.import_module(mod)
EOF
    echo "$stamp" >"$stamp_file"
    log "virtualenv ready: $VENV"
}

write_hooks() {
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    # loaded by every interpreter of the venv, before anything imports odoo
    printf '%s\nimport odoo11_py311_compat\n' "$ROOT/compat" >"$site/isp_odoo_compat.pth"
    cat >"$VENV/bin/odoo" <<EOF
#!$VENV/bin/python
"""Odoo 11 launcher of the ISP suite (the wheels ship no odoo-bin)."""
import faulthandler
import os
import signal
import sys

# kill -USR2 <pid>: every thread's stack on stderr (the test runner's
# watchdog uses it on a hung run before stopping it)
faulthandler.register(signal.SIGUSR2, all_threads=True)
os.environ["TZ"] = "UTC"
# Debian's lessc (node-less) finds its own modules only with this
os.environ.setdefault("NODE_PATH", "/usr/share/nodejs")
os.environ.setdefault("ISP_ROOT", "$ROOT")
if "$ROOT/compat" not in sys.path:
    sys.path.insert(0, "$ROOT/compat")
import odoo11_py311_compat  # noqa: E402,F401  (before odoo)
import odoo  # noqa: E402

if __name__ == "__main__":
    odoo.cli.main()
EOF
    chmod +x "$VENV/bin/odoo"
}

install_apt
install_venv
