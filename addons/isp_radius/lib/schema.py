# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The PostgreSQL side of the FreeRADIUS bridge, as SQL text (no Odoo
import: scripts/radius.py and the benchmark load this file too).

Schema ``radius`` of the billing database:

* views FreeRADIUS's rlm_sql reads, computed from the isp tables at each
  request (no copy of their rows, no sync lag): radcheck, radreply,
  radusergroup, radgroupcheck, radgroupreply, nas. The username filter of
  rlm_sql's query is pushed down to an index scan of isp_subscription. They
  answer what lib/attributes.py says (the tests compare both);
* on isp_subscription, the login in lower case (radius_username, a
  generated column, indexed) and the values a lookup needs from the
  subscription's package, IP pool and billing profile (radius_* columns,
  see SUBSCRIPTION_VALUES), set by triggers in the statement that changes
  any of them: radcheck and radreply then read one row of one table (each
  other table a lookup reads costs it about 10 µs of executor start-up);
* tables FreeRADIUS writes: radacct (UNIQUE acctuniqueid; open sessions by
  username and by NAS; start time), radpostauth (no password), nasreload;
* usage_daily and usage_monthly: upload/download/time per username and day
  (month), kept up to date by a trigger on radacct (the delta of each
  accounting update), so that usage pages never scan radacct and raw
  sessions can be removed;
* the role FreeRADIUS logs in with (one per database: roles are
  cluster-wide): SELECT on the views, INSERT/UPDATE on the accounting
  tables, nothing else.
"""
import hashlib

from psycopg2 import sql

SCHEMA = "radius"

#: views rlm_sql reads (granted SELECT)
VIEWS = ("radcheck", "radreply", "radusergroup", "radgroupcheck", "radgroupreply", "nas")
#: tables FreeRADIUS writes (granted SELECT, INSERT, UPDATE)
WRITE_TABLES = ("radacct", "radpostauth", "nasreload")

#: accept / suspended / reject, as lib/attributes.decision (columns of the
#: subscription `s` and its billing profile `bp`)
DECISION = """CASE
         WHEN s.connection_type = 'other' THEN 'reject'
         WHEN s.state = 'active' AND NOT (
              s.validity_end IS NOT NULL
              AND s.validity_end <= (now() AT TIME ZONE 'UTC')
              AND (s.billing_type = 'daily' OR s.connection_type = 'hotspot'))
           THEN 'accept'
         WHEN s.state = 'suspended' AND bp.suspend_action = 'suspended_pool'
           THEN 'suspended'
         ELSE 'reject'
       END"""

#: Expiration (epoch seconds) of the accounts cut off at their validity end
EXPIRATION = """CASE WHEN (s.billing_type = 'daily' OR s.connection_type = 'hotspot')
                 AND s.validity_end IS NOT NULL
            THEN floor(extract(epoch FROM s.validity_end AT TIME ZONE 'UTC'))::bigint::text
       END"""

#: one row per subscription with a username, as FreeRADIUS sees it (for
#: people and tools; radcheck and radreply compute the same their way)
ACCOUNT_VIEW = """
CREATE VIEW {schema}.account AS
SELECT s.id AS subscription_id,
       s.radius_username AS username,
       %(decision)s AS decision,
       NULLIF(s.password::text, '') AS password,
       NULLIF(s.mac_address::text, '') AS mac_address,
       %(expiration)s AS expiration,
       CASE WHEN mp.speed_controller = 'radius' THEN NULLIF(mp.rate_limit::text, '') END
         AS rate_limit,
       NULLIF(mp.ppp_profile::text, '') AS ppp_profile,
       NULLIF(s.static_ipv4::text, '') AS static_ipv4,
       NULLIF(pool.name::text, '') AS pool,
       NULLIF(s.ipv6_prefix::text, '') AS ipv6_prefix,
       NULLIF(spool.name::text, '') AS suspended_pool,
       NULLIF(bp.suspended_address_list::text, '') AS suspended_address_list
  FROM public.isp_subscription s
  LEFT JOIN public.isp_master_package mp ON mp.id = s.master_package_id
  LEFT JOIN public.isp_ip_pool pool ON pool.id = mp.ip_pool_id
  LEFT JOIN public.isp_billing_profile bp ON bp.id = s.billing_profile_id
  LEFT JOIN public.isp_ip_pool spool ON spool.id = bp.suspended_pool_id
 WHERE s.radius_username IS NOT NULL
""" % {"decision": DECISION, "expiration": EXPIRATION}

#: the values of other tables a lookup needs, as columns of the
#: subscription (name, SQL type, value from the package `mp` and its pool
#: `pool`, the billing profile `bp` and its suspended pool `spool`)
SUBSCRIPTION_VALUES = (
    ("radius_rate_limit", "varchar",
     "CASE WHEN mp.speed_controller = 'radius' THEN NULLIF(mp.rate_limit::text, '') END"),
    ("radius_group", "varchar", "NULLIF(mp.ppp_profile::text, '')"),
    ("radius_pool", "varchar", "NULLIF(pool.name::text, '')"),
    ("radius_suspend_to_pool", "boolean", "bp.suspend_action = 'suspended_pool'"),
    ("radius_suspended_pool", "varchar", "NULLIF(spool.name::text, '')"),
    ("radius_address_list", "varchar", "NULLIF(bp.suspended_address_list::text, '')"),
)
#: a column of a table the values come from, and the subscriptions whose
#: values then change (`NEW` is the changed row)
VALUE_SOURCES = (
    ("isp_master_package", ("speed_controller", "rate_limit", "ppp_profile", "ip_pool_id"),
     "s.master_package_id = NEW.id"),
    ("isp_ip_pool", ("name",),
     "s.master_package_id IN (SELECT mp.id FROM public.isp_master_package mp"
     " WHERE mp.ip_pool_id = NEW.id) OR s.billing_profile_id IN (SELECT bp.id"
     " FROM public.isp_billing_profile bp WHERE bp.suspended_pool_id = NEW.id)"),
    ("isp_billing_profile", ("suspend_action", "suspended_pool_id", "suspended_address_list"),
     "s.billing_profile_id = NEW.id"),
)

#: the decision as two booleans, computed once per subscription in a
#: lateral subquery kept apart (OFFSET 0) rather than once per attribute;
#: the cheap tests first (AND stops at the first false: most accounts are
#: active monthly ones, whose validity end is never compared)
DECISION_FLAGS = """SELECT
       s.state = 'active' AND s.connection_type <> 'other' AND NOT (
           (s.billing_type = 'daily' OR s.connection_type = 'hotspot')
           AND s.validity_end IS NOT NULL
           AND s.validity_end <= (now() AT TIME ZONE 'UTC')) AS accept,
       s.state = 'suspended' AND s.connection_type <> 'other'
           AND s.radius_suspend_to_pool IS TRUE AS suspended
       OFFSET 0"""

# radcheck and radreply: one row per attribute of each subscription. Written
# for the cost of a lookup (measured with bench/bench_radius_auth.py): the
# username filter of rlm_sql's query goes down to the index scan of
# isp_subscription, the decision is made once, and no other table is read
# (the package's and profile's values are columns of the subscription).

RADCHECK_VIEW = """
CREATE VIEW {schema}.radcheck AS
SELECT s.id * 16 + v.n AS id, s.radius_username AS username, v.attribute, v.value, v.op
  FROM public.isp_subscription s
 CROSS JOIN LATERAL (%(flags)s) d
 CROSS JOIN LATERAL (VALUES
       (1, 'Auth-Type', CASE WHEN NOT (d.accept OR d.suspended) THEN 'Reject' END, ':='),
       (2, 'Cleartext-Password',
        CASE WHEN d.accept OR d.suspended THEN NULLIF(s.password::text, '') END, ':='),
       (3, 'Simultaneous-Use', CASE WHEN d.accept OR d.suspended THEN '1' END, ':='),
       (4, 'Calling-Station-Id',
        CASE WHEN d.accept OR d.suspended THEN NULLIF(s.mac_address::text, '') END, '=='),
       (5, 'Expiration', CASE WHEN d.accept THEN %(expiration)s END, ':=')
       ) AS v(n, attribute, value, op)
 WHERE s.radius_username IS NOT NULL AND v.value IS NOT NULL
""" % {"flags": DECISION_FLAGS, "expiration": EXPIRATION}

RADREPLY_VIEW = """
CREATE VIEW {schema}.radreply AS
SELECT s.id * 16 + v.n AS id, s.radius_username AS username, v.attribute, v.value,
       ':='::text AS op
  FROM public.isp_subscription s
 CROSS JOIN LATERAL (%(flags)s) d
 CROSS JOIN LATERAL (VALUES
       (1, 'Mikrotik-Rate-Limit', CASE WHEN d.accept THEN s.radius_rate_limit::text END),
       (2, 'Mikrotik-Group', CASE WHEN d.accept THEN s.radius_group::text END),
       (3, 'Framed-IP-Address', CASE WHEN d.accept THEN NULLIF(s.static_ipv4::text, '') END),
       (4, 'Framed-Pool',
        CASE WHEN d.accept AND NULLIF(s.static_ipv4::text, '') IS NULL
               THEN s.radius_pool::text
             WHEN d.suspended THEN s.radius_suspended_pool::text END),
       (5, 'Delegated-IPv6-Prefix',
        CASE WHEN d.accept THEN NULLIF(s.ipv6_prefix::text, '') END),
       (6, 'Mikrotik-Address-List', CASE WHEN d.suspended THEN s.radius_address_list::text END),
       (7, 'Acct-Interim-Interval', CASE WHEN d.accept OR d.suspended THEN {interim} END)
       ) AS v(n, attribute, value)
 WHERE s.radius_username IS NOT NULL AND v.value IS NOT NULL
""" % {"flags": DECISION_FLAGS}

#: the package as a group name, for tools that list users by group; the
#: attributes themselves are per user (read_groups = no)
RADUSERGROUP_VIEW = """
CREATE VIEW {schema}.radusergroup AS
SELECT s.radius_username AS username, mp.name::text AS groupname, 1 AS priority
  FROM public.isp_subscription s
  JOIN public.isp_master_package mp ON mp.id = s.master_package_id
 WHERE s.radius_username IS NOT NULL
"""

RADGROUP_VIEW = """
CREATE VIEW {schema}.{name} AS
SELECT NULL::integer AS id, NULL::text AS groupname, NULL::text AS attribute,
       NULL::text AS value, NULL::text AS op
 WHERE false
"""

NAS_VIEW = """
CREATE VIEW {schema}.nas AS
SELECT r.id, r.host::text AS nasname, r.name::text AS shortname,
       COALESCE(NULLIF(r.nas_type::text, ''), 'other') AS type, NULL::integer AS ports,
       r.radius_secret::text AS secret, NULL::text AS server, NULL::text AS community,
       r.name::text AS description
  FROM public.isp_router r
 WHERE r.active AND NULLIF(r.radius_secret, '') IS NOT NULL
"""

TABLES = """
CREATE TABLE IF NOT EXISTS {schema}.radacct (
    radacctid bigserial PRIMARY KEY,
    acctsessionid text NOT NULL,
    acctuniqueid text NOT NULL,
    username text,
    realm text,
    nasipaddress inet NOT NULL,
    nasportid text,
    nasporttype text,
    acctstarttime timestamptz,
    acctupdatetime timestamptz,
    acctstoptime timestamptz,
    acctinterval bigint,
    acctsessiontime bigint,
    acctauthentic text,
    connectinfo_start text,
    connectinfo_stop text,
    acctinputoctets bigint,
    acctoutputoctets bigint,
    calledstationid text,
    callingstationid text,
    acctterminatecause text,
    servicetype text,
    framedprotocol text,
    framedipaddress inet,
    framedipv6address inet,
    framedipv6prefix inet,
    framedinterfaceid text,
    delegatedipv6prefix inet,
    class text,
    subscription_id integer,
    CONSTRAINT radacct_acctuniqueid_key UNIQUE (acctuniqueid)
);
-- open sessions: by username (Simultaneous-Use, disconnects), by NAS
-- (Accounting-On/Off), by subscription (online now)
CREATE INDEX IF NOT EXISTS radacct_open_username_idx
    ON {schema}.radacct (lower(username)) WHERE acctstoptime IS NULL;
CREATE INDEX IF NOT EXISTS radacct_open_nas_idx
    ON {schema}.radacct (nasipaddress) WHERE acctstoptime IS NULL;
CREATE INDEX IF NOT EXISTS radacct_open_subscription_idx
    ON {schema}.radacct (subscription_id) WHERE acctstoptime IS NULL;
-- start time (UTC, as Odoo reads it): session lists, retention
CREATE INDEX IF NOT EXISTS radacct_start_idx
    ON {schema}.radacct ((acctstarttime AT TIME ZONE 'UTC'));
CREATE INDEX IF NOT EXISTS radacct_subscription_start_idx
    ON {schema}.radacct (subscription_id, (acctstarttime AT TIME ZONE 'UTC'));

CREATE TABLE IF NOT EXISTS {schema}.radpostauth (
    id bigserial PRIMARY KEY,
    username text NOT NULL,
    reply text,
    authdate timestamptz NOT NULL DEFAULT now(),
    nasipaddress inet,
    callingstationid text,
    class text
);
CREATE INDEX IF NOT EXISTS radpostauth_username_idx
    ON {schema}.radpostauth (lower(username), authdate);
CREATE INDEX IF NOT EXISTS radpostauth_authdate_idx ON {schema}.radpostauth (authdate);

CREATE TABLE IF NOT EXISTS {schema}.nasreload (
    nasipaddress inet PRIMARY KEY,
    reloadtime timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS {schema}.usage_daily (
    id bigserial PRIMARY KEY,
    day date NOT NULL,
    username text NOT NULL,
    subscription_id integer,
    upload_bytes bigint NOT NULL DEFAULT 0,
    download_bytes bigint NOT NULL DEFAULT 0,
    session_time bigint NOT NULL DEFAULT 0,
    sessions integer NOT NULL DEFAULT 0,
    CONSTRAINT usage_daily_username_day_key UNIQUE (username, day)
);
CREATE INDEX IF NOT EXISTS usage_daily_subscription_day_idx
    ON {schema}.usage_daily (subscription_id, day);
CREATE INDEX IF NOT EXISTS usage_daily_day_idx ON {schema}.usage_daily (day);

CREATE TABLE IF NOT EXISTS {schema}.usage_monthly (
    id bigserial PRIMARY KEY,
    month date NOT NULL,
    username text NOT NULL,
    subscription_id integer,
    upload_bytes bigint NOT NULL DEFAULT 0,
    download_bytes bigint NOT NULL DEFAULT 0,
    session_time bigint NOT NULL DEFAULT 0,
    sessions integer NOT NULL DEFAULT 0,
    CONSTRAINT usage_monthly_username_month_key UNIQUE (username, month)
);
CREATE INDEX IF NOT EXISTS usage_monthly_subscription_month_idx
    ON {schema}.usage_monthly (subscription_id, month);
CREATE INDEX IF NOT EXISTS usage_monthly_month_idx ON {schema}.usage_monthly (month);
-- (databases made before usage_monthly: its rows from the daily ones, once)
INSERT INTO {schema}.usage_monthly (month, username, subscription_id, upload_bytes,
       download_bytes, session_time, sessions)
SELECT date_trunc('month', day)::date, username, max(subscription_id), sum(upload_bytes),
       sum(download_bytes), sum(session_time), sum(sessions)
  FROM {schema}.usage_daily
 WHERE NOT EXISTS (SELECT 1 FROM {schema}.usage_monthly)
 GROUP BY 1, 2;
"""

#: radacct rows get their subscription when they arrive (a renamed account
#: keeps its history); each accounting update adds its delta to the day's
#: usage. Both run as the schema's owner, not as FreeRADIUS's role.
TRIGGERS = """
CREATE OR REPLACE FUNCTION {schema}.radacct_subscription() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NEW.subscription_id IS NULL AND NEW.username IS NOT NULL THEN
        SELECT s.id INTO NEW.subscription_id FROM public.isp_subscription s
         WHERE s.radius_username = lower(NEW.username) ORDER BY s.id LIMIT 1;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION {schema}.radacct_usage() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    d_up bigint := COALESCE(NEW.acctinputoctets, 0);
    d_down bigint := COALESCE(NEW.acctoutputoctets, 0);
    d_time bigint := COALESCE(NEW.acctsessiontime, 0);
    d_sessions integer := 1;
    d_day date;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        d_up := GREATEST(d_up - COALESCE(OLD.acctinputoctets, 0), 0);
        d_down := GREATEST(d_down - COALESCE(OLD.acctoutputoctets, 0), 0);
        d_time := GREATEST(d_time - COALESCE(OLD.acctsessiontime, 0), 0);
        d_sessions := 0;
    END IF;
    IF NEW.username IS NULL OR (d_up = 0 AND d_down = 0 AND d_time = 0 AND d_sessions = 0)
    THEN
        RETURN NULL;
    END IF;
    d_day := (COALESCE(NEW.acctupdatetime, NEW.acctstarttime, now())
              AT TIME ZONE {usage_tz})::date;
    INSERT INTO {schema}.usage_daily AS u
           (day, username, subscription_id, upload_bytes, download_bytes, session_time,
            sessions)
    VALUES (d_day, lower(NEW.username), NEW.subscription_id, d_up, d_down, d_time,
            d_sessions)
    ON CONFLICT (username, day) DO UPDATE
       SET upload_bytes = u.upload_bytes + EXCLUDED.upload_bytes,
           download_bytes = u.download_bytes + EXCLUDED.download_bytes,
           session_time = u.session_time + EXCLUDED.session_time,
           sessions = u.sessions + EXCLUDED.sessions,
           subscription_id = COALESCE(EXCLUDED.subscription_id, u.subscription_id);
    INSERT INTO {schema}.usage_monthly AS m
           (month, username, subscription_id, upload_bytes, download_bytes, session_time,
            sessions)
    VALUES (date_trunc('month', d_day)::date, lower(NEW.username), NEW.subscription_id,
            d_up, d_down, d_time, d_sessions)
    ON CONFLICT (username, month) DO UPDATE
       SET upload_bytes = m.upload_bytes + EXCLUDED.upload_bytes,
           download_bytes = m.download_bytes + EXCLUDED.download_bytes,
           session_time = m.session_time + EXCLUDED.session_time,
           sessions = m.sessions + EXCLUDED.sessions,
           subscription_id = COALESCE(EXCLUDED.subscription_id, m.subscription_id);
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS radacct_subscription ON {schema}.radacct;
CREATE TRIGGER radacct_subscription BEFORE INSERT ON {schema}.radacct
    FOR EACH ROW EXECUTE FUNCTION {schema}.radacct_subscription();
DROP TRIGGER IF EXISTS radacct_usage ON {schema}.radacct;
CREATE TRIGGER radacct_usage
    AFTER INSERT OR UPDATE OF acctinputoctets, acctoutputoctets, acctsessiontime
    ON {schema}.radacct FOR EACH ROW EXECUTE FUNCTION {schema}.radacct_usage();
"""

#: the login FreeRADIUS looks up: the username in lower case (logins are
#: case-insensitive), a column PostgreSQL computes (a lookup then never
#: lowers the stored name, once per attribute row), and its index (not
#: partial: the planner knows a username is one row)
SUBSCRIPTION_LOGIN = (
    "ALTER TABLE public.isp_subscription ADD COLUMN IF NOT EXISTS radius_username text "
    "GENERATED ALWAYS AS (lower(username::text)) STORED",
    "CREATE INDEX IF NOT EXISTS isp_subscription_radius_login_idx "
    "ON public.isp_subscription (radius_username)",
    # (the indexes of earlier versions: on lower(username), partial)
    "DROP INDEX IF EXISTS public.isp_subscription_radius_lower_username_idx",
    "DROP INDEX IF EXISTS public.isp_subscription_radius_username_idx",
)


#: the tables of the values (LEFT JOINs from a subscription `t`)
_VALUE_JOINS = """
  LEFT JOIN public.isp_master_package mp ON mp.id = {package}
  LEFT JOIN public.isp_ip_pool pool ON pool.id = mp.ip_pool_id
  LEFT JOIN public.isp_billing_profile bp ON bp.id = {profile}
  LEFT JOIN public.isp_ip_pool spool ON spool.id = bp.suspended_pool_id"""


def subscription_value_statements(schema=SCHEMA):
    """SQL statements keeping the radius_* columns of isp_subscription
    (SUBSCRIPTION_VALUES) equal to what the package, pool and profile say:

    * a BEFORE trigger on isp_subscription sets them on insert and when the
      package or the profile changes (and when anything writes them: they
      cannot be set to something else);
    * an AFTER trigger on each source table touches the subscriptions whose
      values a change of one of its columns alters, in the same statement;
    * rows that differ (the columns just added, an old database) are set
      once, here.
    """
    names = [name for name, _type, _expr in SUBSCRIPTION_VALUES]
    exprs = [expr for _name, _type, expr in SUBSCRIPTION_VALUES]
    table = "public.isp_subscription"
    out = ["ALTER TABLE %s %s" % (table, ", ".join(
        "ADD COLUMN IF NOT EXISTS %s %s" % (name, sql_type)
        for name, sql_type, _expr in SUBSCRIPTION_VALUES))]
    out.append("""
CREATE OR REPLACE FUNCTION {schema}.subscription_values() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    SELECT {exprs} INTO {targets}
      FROM (SELECT 1) AS one {joins};
    RETURN NEW;
END $$""".format(schema=schema, exprs=", ".join(exprs),
                 targets=", ".join("NEW.%s" % n for n in names),
                 joins=_VALUE_JOINS.format(package="NEW.master_package_id",
                                           profile="NEW.billing_profile_id")))
    out.append("DROP TRIGGER IF EXISTS isp_radius_values ON %s" % table)
    out.append("""CREATE TRIGGER isp_radius_values
    BEFORE INSERT OR UPDATE OF master_package_id, billing_profile_id, {names}
    ON {table} FOR EACH ROW EXECUTE FUNCTION {schema}.subscription_values()""".format(
        names=", ".join(names), table=table, schema=schema))
    for source, columns, scope in VALUE_SOURCES:
        function = "%s.%s_values_changed" % (schema, source)
        out.append("""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE public.isp_subscription s SET {first} = NULL WHERE {scope};
    RETURN NULL;
END $$""".format(function=function, first=names[0], scope=scope))
        out.append("DROP TRIGGER IF EXISTS isp_radius_values ON public.%s" % source)
        out.append("""CREATE TRIGGER isp_radius_values
    AFTER UPDATE OF {columns} ON public.{source} FOR EACH ROW
    WHEN (ROW({old}) IS DISTINCT FROM ROW({new})) EXECUTE FUNCTION {function}()""".format(
            columns=", ".join(columns), source=source, function=function,
            old=", ".join("OLD.%s" % c for c in columns),
            new=", ".join("NEW.%s" % c for c in columns)))
    out.append("""
UPDATE {table} s SET {first} = NULL WHERE s.id IN (
    SELECT t.id FROM {table} t {joins}
     WHERE ({columns}) IS DISTINCT FROM ({exprs}))""".format(
        table=table, first=names[0], columns=", ".join("t.%s" % n for n in names),
        exprs=", ".join(exprs), joins=_VALUE_JOINS.format(
            package="t.master_package_id", profile="t.billing_profile_id")))
    return out


def uninstall_statements(schema=SCHEMA):
    """What isp_radius leaves in other addons' tables, removed (its own
    schema, with the accounting history, stays)."""
    out = ["DROP VIEW IF EXISTS %s CASCADE" % ", ".join(
        "%s.%s" % (schema, v) for v in ("radcheck", "radreply", "radusergroup", "account"))]
    out += ["DROP TRIGGER IF EXISTS isp_radius_values ON public.%s" % t
            for t in ["isp_subscription"] + [src for src, _c, _s in VALUE_SOURCES]]
    out.append("ALTER TABLE public.isp_subscription %s" % ", ".join(
        "DROP COLUMN IF EXISTS %s" % name
        for name in ["radius_username"] + [n for n, _t, _e in SUBSCRIPTION_VALUES]))
    return out


def quote_literal(text):
    return "'%s'" % str(text).replace("'", "''")


def schema_statements(interim_interval=300, usage_tz="UTC", schema=SCHEMA):
    """SQL statements creating (or refreshing) the schema: tables kept,
    views and functions replaced. Run them in one transaction."""
    interim = quote_literal(int(interim_interval)) if interim_interval else "NULL::text"
    fmt = {"schema": schema, "interim": interim, "usage_tz": quote_literal(usage_tz)}
    statements = ["CREATE SCHEMA IF NOT EXISTS %s" % schema] + list(SUBSCRIPTION_LOGIN)
    statements += [s for s in (TABLES.format(**fmt)).split(";\n") if s.strip()]
    statements += subscription_value_statements(schema)
    # views: dropped and made again (their columns may change with the addon)
    statements.append("DROP VIEW IF EXISTS %s CASCADE" % ", ".join(
        "%s.%s" % (schema, v) for v in ("radcheck", "radreply", "account") + VIEWS[2:]))
    statements += [ACCOUNT_VIEW.format(**fmt), RADCHECK_VIEW.format(**fmt),
                   RADREPLY_VIEW.format(**fmt), RADUSERGROUP_VIEW.format(**fmt),
                   RADGROUP_VIEW.format(name="radgroupcheck", **fmt),
                   RADGROUP_VIEW.format(name="radgroupreply", **fmt), NAS_VIEW.format(**fmt)]
    statements += _split_functions(TRIGGERS.format(**fmt))
    return statements


def _split_functions(text):
    """Split on `;` at the end of a line, except inside $$ bodies."""
    out, current, in_body = [], [], False
    for line in text.splitlines():
        current.append(line)
        if line.count("$$") % 2:
            in_body = not in_body
        if not in_body and line.rstrip().endswith(";"):
            out.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if "".join(current).strip():
        out.append("\n".join(current))
    return [s for s in out if s.strip()]


def role_name(dbname):
    """The FreeRADIUS role of a database: `radius_<db>` (63 bytes at most)."""
    name = "radius_%s" % dbname
    if len(name) > 63:
        name = "radius_%s_%s" % (dbname[:40], hashlib.sha1(dbname.encode()).hexdigest()[:10])
    return name


def grant_statements(role, schema=SCHEMA, tables=None):
    """What the role may do in this database, and nothing more (composed
    SQL statements)."""
    ident, role_q = sql.Identifier, sql.Identifier(role)
    out = [sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(ident(schema), role_q)]
    out += [sql.SQL("GRANT SELECT ON {}.{} TO {}").format(ident(schema), ident(v), role_q)
            for v in VIEWS]
    out += [sql.SQL("GRANT SELECT, INSERT, UPDATE ON {}.{} TO {}").format(
        ident(schema), ident(t), role_q) for t in (tables or WRITE_TABLES)]
    out += [sql.SQL("GRANT USAGE ON SEQUENCE {}.radacct_radacctid_seq, "
                    "{}.radpostauth_id_seq TO {}").format(ident(schema), ident(schema), role_q)]
    return out


def _role_exists(cr, role):
    cr.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
    return bool(cr.fetchone())


def ensure_role(cr, dbname, password, schema=SCHEMA):
    """Create (or update) the role FreeRADIUS logs in with for database
    `dbname` and grant it what it needs; `cr` is a DB-API cursor of the
    schema owner (a role with CREATEROLE). Returns the role name."""
    role = role_name(dbname)
    # (a new role has no other attribute: no superuser, createdb, createrole)
    statement = "ALTER ROLE {} LOGIN PASSWORD {}" if _role_exists(cr, role) \
        else "CREATE ROLE {} LOGIN NOINHERIT PASSWORD {}"
    cr.execute(sql.SQL(statement).format(sql.Identifier(role), sql.Literal(password)))
    cr.execute(sql.SQL("ALTER ROLE {} IN DATABASE {} SET search_path = {}").format(
        sql.Identifier(role), sql.Identifier(dbname), sql.Identifier(schema)))
    for statement in grant_statements(role, schema):
        cr.execute(statement)
    return role


def regrant_if_role_exists(cr, dbname, schema=SCHEMA):
    """After the views were made again: give the existing role its rights."""
    role = role_name(dbname)
    if _role_exists(cr, role):
        for statement in grant_statements(role, schema):
            cr.execute(statement)
    return role


def drop_role(cr, dbname, schema=SCHEMA):
    """Remove the database's role (its rights in this database first; a role
    with rights cannot be dropped). Run on a cursor of this database."""
    role = role_name(dbname)
    if not _role_exists(cr, role):
        return
    for statement in _drop_statements(role, dbname, schema):
        cr.execute(statement)


def _drop_statements(role, dbname, schema):
    ident = sql.Identifier
    return [
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(ident(schema),
                                                                     ident(role)),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(ident(schema),
                                                                        ident(role)),
        sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(ident(schema), ident(role)),
        sql.SQL("ALTER ROLE {} IN DATABASE {} RESET ALL").format(ident(role), ident(dbname)),
        sql.SQL("DROP ROLE {}").format(ident(role)),
    ]
