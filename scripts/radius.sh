#!/usr/bin/env bash
# FreeRADIUS of `make run`, from the project's own configuration (freeradius/):
#   scripts/radius.sh start [database] | stop | status
# Ports: the database's isp_radius.auth_port / acct_port (1812 / 1813), on
# loopback; pid file .local/run/radiusd.pid (`make stop` ends it), log in
# .local/log/radiusd.log. Details: scripts/radius.py.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
exec "$ROOT/.venv/bin/python" "$ROOT/scripts/radius.py" "$@"
