# Shared settings of the project's scripts. The database settings come from
# odoo.conf (one source of truth); sourced by scripts/*.sh.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
_conf() { awk -F' *= *' -v k="$1" '$1 == k { print $2; exit }' "$ROOT/odoo.conf"; }
# ISP_PGPORT / ISP_HTTP_PORT in the environment override odoo.conf (a second
# instance beside the first; scripts/isp_dev.py reads the same variables)
ISP_PGPORT=${ISP_PGPORT:-$(_conf db_port)}
ISP_DBUSER=$(_conf db_user)
ISP_DBPASS=$(_conf db_password)
ISP_DBNAME=$(_conf db_name)
ISP_HTTP_PORT=${ISP_HTTP_PORT:-$(_conf http_port)}
# only reachable over the loopback interface; local connections use peer auth
ISP_PGSUPERPASS=${ISP_PGSUPERPASS:-postgres}
export ROOT ISP_PGPORT ISP_DBUSER ISP_DBPASS ISP_DBNAME ISP_HTTP_PORT
export ISP_ROOT=$ROOT
export PATH="$ROOT/.venv/bin:$PATH"
