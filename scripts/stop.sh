#!/usr/bin/env bash
# `make stop`: stop what the project started, by PID (Odoo of `make run`,
# FreeRADIUS, then PostgreSQL).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN="$ROOT/.local/run"

stop_pidfile() {
    local file="$RUN/$1.pid" pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        echo "[stop] $1 (pid $pid)"
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

stop_pidfile odoo
stop_pidfile radiusd
"$ROOT/scripts/pg.sh" stop
