#!/usr/bin/env bash
# The project's own PostgreSQL 15 cluster, under .local/pg (git-ignored), on a
# loopback port. Run as root, the server runs as the `postgres` OS user.
#   scripts/pg.sh start | stop | status | psql [args]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGDIR="$ROOT/.local/pg"
PGDATA="$PGDIR/data"
PGRUN="$PGDIR/run"
PGLOG="$PGDIR/postgresql.log"

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

init_cluster() {
    [ -f "$PGDATA/PG_VERSION" ] && return 0
    echo "[pg] creating cluster in $PGDATA (port $ISP_PGPORT)"
    mkdir -p "$PGDIR" "$PGRUN"
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$PGDIR" "$PGRUN"
        # postgres must be able to reach its folder through the project path
        local d="$PGDIR"
        while [ "$d" != / ]; do d=$(dirname "$d"); chmod o+x "$d" 2>/dev/null || true; done
    fi
    local pwfile
    pwfile=$(mktemp)
    echo "$ISP_PGSUPERPASS" >"$pwfile"
    chmod 644 "$pwfile"
    as_owner "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 --pwfile="$pwfile" >/dev/null
    rm -f "$pwfile"
    as_owner tee -a "$PGDATA/postgresql.conf" >/dev/null <<EOF
# --- ISP suite: local development/test cluster ---
listen_addresses = '127.0.0.1'
port = $ISP_PGPORT
unix_socket_directories = '$PGRUN'
max_connections = 200
shared_buffers = 256MB
work_mem = 16MB
maintenance_work_mem = 128MB
# test/dev cluster: durability traded for speed (see README)
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF
}

is_running() {
    [ -f "$PGDATA/postmaster.pid" ] || return 1
    local pid
    pid=$(head -1 "$PGDATA/postmaster.pid")
    kill -0 "$pid" 2>/dev/null
}

start() {
    init_cluster
    if ! is_running; then
        as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 start >/dev/null \
            || { tail -20 "$PGLOG"; exit 1; }
    fi
    ensure_role
}

ensure_role() {
    # the application role Odoo connects with (Odoo refuses to run as postgres);
    # CREATEROLE: isp_radius creates the read-only role FreeRADIUS logs in with
    local sql="DO \$\$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ISP_DBUSER') THEN
            CREATE ROLE $ISP_DBUSER LOGIN CREATEDB CREATEROLE PASSWORD '$ISP_DBPASS';
        END IF; END \$\$;
        -- lets the scripts end other roles' sessions (FreeRADIUS) before a drop
        GRANT pg_signal_backend TO $ISP_DBUSER;"
    as_owner "$PGBIN/psql" -h "$PGRUN" -p "$ISP_PGPORT" -U postgres -d postgres -qAt \
        -v ON_ERROR_STOP=1 -c "$sql" >/dev/null
}

stop() {
    if is_running; then
        local pid
        pid=$(head -1 "$PGDATA/postmaster.pid")
        echo "[pg] stopping PostgreSQL (pid $pid)"
        as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if is_running; then echo "running on 127.0.0.1:$ISP_PGPORT"; else echo stopped; exit 3; fi ;;
    psql) shift; PGPASSWORD=$ISP_DBPASS exec psql -h 127.0.0.1 -p "$ISP_PGPORT" -U "$ISP_DBUSER" "$@" ;;
    *) echo "usage: $0 start|stop|status|psql" >&2; exit 2 ;;
esac
