# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The PostgreSQL side of the FreeRADIUS bridge, as SQL text (no Odoo
import: scripts/radius.py and the benchmark load this file too).

Schema ``radius`` of the billing database:

* views FreeRADIUS's rlm_sql reads, computed from the isp tables at each
  request (no copied rows, nothing to synchronise): radcheck, radreply,
  radusergroup, radgroupcheck, radgroupreply, nas. They answer what
  lib/attributes.py says (the tests compare both);
* on isp_subscription, what a lookup reads, so that radcheck and radreply
  read one row of one table:
  - the login in lower case (radius_username, a generated column, indexed);
  - the values of the subscription's package, IP pool and billing profile
    and the interim interval (radius_* value columns, SUBSCRIPTION_VALUES),
    set by triggers in the statement that changes any of them;
  - the account's attribute rows as arrays (radius_check_*, radius_reply_*,
    and radius_cut_at, the validity end of an account cut off at it):
    STORED generated columns, which PostgreSQL computes from the row itself
    in the statement that writes it and which nobody can write
    (generated_columns(), from CHECK_ROWS and REPLY_ROWS). The views unnest
    them and make the one test that depends on the clock, the validity end,
    at each request;
* tables FreeRADIUS writes: radacct (UNIQUE acctuniqueid; open sessions by
  username and by NAS; start time), radpostauth (no password), nasreload;
* usage_daily and usage_monthly: upload/download/time per username and day
  (month), kept up to date by a trigger on radacct (the delta of each
  accounting update), so that usage pages never scan radacct and raw
  sessions can be removed;
* the role FreeRADIUS logs in with (one per database: roles are
  cluster-wide): SELECT on the views, INSERT/UPDATE on the accounting
  tables, nothing else.

make_schema() creates or refreshes all of it and takes a lock that stops
FreeRADIUS's lookups (ACCESS EXCLUSIVE on isp_subscription, radacct or a
view) only for what really changes: a refresh that changes nothing, or only
a parameter, lets authentication go on.
"""
import hashlib
import re

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
            THEN LEAST(GREATEST(floor(extract(epoch FROM s.validity_end AT TIME ZONE 'UTC')),
                                0), %d)::bigint::text
       END""" % (2 ** 32 - 1)

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
#: `pool`, the billing profile `bp` and its suspended pool `spool`); with
#: them the interim interval (subscription_values())
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

# What FreeRADIUS is told of an account, as expressions over the columns of
# its own isp_subscription row (those of generated columns: no clock, no
# other table; the package's, pool's and profile's values are radius_*
# value columns of the row). The same as lib/attributes.py; the clock's
# part, the validity end, is tested by the views at each request.

#: an account FreeRADIUS lets in (the validity end aside)
ACCEPTED = "connection_type IS DISTINCT FROM 'other' AND state = 'active'"
#: a suspended account let into the suspended pool (a payment page)
TO_SUSPENDED_POOL = ("connection_type IS DISTINCT FROM 'other' AND state = 'suspended' "
                     "AND radius_suspend_to_pool IS TRUE")
#: prepaid (daily) and hotspot accounts stop at their validity end
CUT_AT_END = "(billing_type = 'daily' OR connection_type = 'hotspot')"

#: radcheck rows of an account let in: (n, attribute, op, value); a row
#: whose value is NULL is no row; ids are subscription id * 16 + n
CHECK_ROWS = (
    (2, "Cleartext-Password", ":=", "NULLIF(password::text, '')"),
    (3, "Simultaneous-Use", ":=", "'1'"),
    (4, "Calling-Station-Id", "==", "NULLIF(mac_address::text, '')"),
    # (a 32-bit count of seconds: clamped, as lib/attributes.expiration_value)
    (5, "Expiration", ":=", "CASE WHEN state = 'active' AND %s "
                            "THEN LEAST(GREATEST(floor(extract(epoch FROM validity_end)), 0), "
                            "%d)::bigint::text END" % (CUT_AT_END, 2 ** 32 - 1)),
)
#: the one radcheck row of an account refused
REJECT_ROW = (1, "Auth-Type", ":=", "'Reject'")
#: radreply rows (op :=): (n, attribute, value when let in, value in the
#: suspended pool); None: not sent then
REPLY_ROWS = (
    (1, "Mikrotik-Rate-Limit", "radius_rate_limit", None),
    (2, "Mikrotik-Group", "radius_group", None),
    (3, "Framed-IP-Address", "NULLIF(static_ipv4::text, '')", None),
    (4, "Framed-Pool", "CASE WHEN NULLIF(static_ipv4::text, '') IS NULL THEN radius_pool END",
     "radius_suspended_pool"),
    (5, "Delegated-IPv6-Prefix", "NULLIF(ipv6_prefix::text, '')", None),
    (6, "Mikrotik-Address-List", None, "radius_address_list"),
    (7, "Acct-Interim-Interval", "radius_interim_interval::text",
     "radius_interim_interval::text"),
)
#: the parts of a row, each an array column: (part, SQL type)
CHECK_PARTS = (("id", "integer[]"), ("attribute", "text[]"), ("value", "text[]"),
               ("op", "text[]"))
REPLY_PARTS = CHECK_PARTS[:3]


def _row_part(row, part):
    """One part of an attribute row as SQL (`n`, attribute, op, value)."""
    n, attribute, op, value = row
    return {"id": "id * 16 + %d" % n, "attribute": quote_literal(attribute) + "::text",
            "op": quote_literal(op) + "::text", "value": "(%s)::text" % value}[part]


def rows_array(rows, part):
    """The array of one part of `rows` (CHECK_ROWS' shape), in order, without
    the rows whose value is NULL."""
    items = [_row_part(row, part) if part == "value" else
             "CASE WHEN (%s) IS NOT NULL THEN %s END" % (row[3], _row_part(row, part))
             for row in rows]
    return "array_remove(ARRAY[%s], NULL)" % ", ".join(items)


def generated_columns():
    """(name, SQL type, expression) of the generated columns of
    isp_subscription the radcheck and radreply views unnest."""
    let_in = "(%s) OR (%s)" % (ACCEPTED, TO_SUSPENDED_POOL)
    out = [("radius_cut_at", "timestamp",
            "CASE WHEN %s AND %s THEN validity_end END" % (ACCEPTED, CUT_AT_END))]
    for part, sql_type in CHECK_PARTS:
        out.append(("radius_check_%s" % part, sql_type,
                    "CASE WHEN %s THEN %s ELSE ARRAY[%s] END" % (
                        let_in, rows_array(CHECK_ROWS, part), _row_part(REJECT_ROW, part))))
    accepted = [(n, name, ":=", value) for n, name, value, _pool in REPLY_ROWS if value]
    in_pool = [(n, name, ":=", value) for n, name, _value, value in REPLY_ROWS if value]
    for part, sql_type in REPLY_PARTS:
        out.append(("radius_reply_%s" % part, sql_type,
                    "CASE WHEN %s THEN %s WHEN %s THEN %s END" % (
                        ACCEPTED, rows_array(accepted, part),
                        TO_SUSPENDED_POOL, rows_array(in_pool, part))))
    return out


#: the test of the clock, made by both views at each request: an account
#: cut off at its validity end is out of them once it has passed (as an
#: unknown user, FreeRADIUS rejects it) until the billing marks it expired
IN_VALIDITY = "(s.radius_cut_at IS NULL OR s.radius_cut_at > (now() AT TIME ZONE 'UTC'))"

# radcheck and radreply: the rows of the subscription whose login rlm_sql
# asks for (its filter goes down to the index of radius_username), one
# ProjectSet over that one row: every other expression a lookup would
# evaluate is compiled again at each request (prepared statements keep the
# plan, not its expressions) and each plan node has its start-up, so a
# lookup is one index probe, the validity test and the unnest of the row's
# arrays (bench/bench_radius_auth.py, README).

RADCHECK_VIEW = """
CREATE VIEW {schema}.radcheck AS
SELECT unnest(s.radius_check_id) AS id, s.radius_username AS username,
       unnest(s.radius_check_attribute) AS attribute, unnest(s.radius_check_value) AS value,
       unnest(s.radius_check_op) AS op
  FROM public.isp_subscription s
 WHERE s.radius_username IS NOT NULL AND %s
""" % IN_VALIDITY

RADREPLY_VIEW = """
CREATE VIEW {schema}.radreply AS
SELECT unnest(s.radius_reply_id) AS id, s.radius_username AS username,
       unnest(s.radius_reply_attribute) AS attribute, unnest(s.radius_reply_value) AS value,
       ':='::text AS op
  FROM public.isp_subscription s
 WHERE s.radius_username IS NOT NULL AND %s
""" % IN_VALIDITY

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
       r.name::text AS description,
       COALESCE(r.radius_require_message_authenticator, true)
         AS require_message_authenticator
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

CREATE OR REPLACE TRIGGER radacct_subscription BEFORE INSERT ON {schema}.radacct
    FOR EACH ROW EXECUTE FUNCTION {schema}.radacct_subscription();
CREATE OR REPLACE TRIGGER radacct_usage
    AFTER INSERT OR UPDATE OF acctinputoctets, acctoutputoctets, acctsessiontime
    ON {schema}.radacct FOR EACH ROW EXECUTE FUNCTION {schema}.radacct_usage();
"""

#: the login FreeRADIUS looks up: the username in lower case (logins are
#: case-insensitive), a column PostgreSQL computes (a lookup then never
#: lowers the stored name), and its index (not partial: the planner knows a
#: username is one row)
LOGIN_COLUMN = ("radius_username", "text", "lower(username::text)")
LOGIN_INDEX = ("CREATE INDEX IF NOT EXISTS isp_subscription_radius_login_idx "
               "ON public.isp_subscription (radius_username)")
#: the indexes of earlier versions (on lower(username), partial)
OLD_INDEXES = ("isp_subscription_radius_lower_username_idx",
               "isp_subscription_radius_username_idx")


def subscription_values(interim_interval=300):
    """SUBSCRIPTION_VALUES and the interim interval, a system parameter (a
    column set by the same trigger: changing it updates rows, it does not
    rewrite the table as a new generated column would)."""
    interim = "%d" % int(interim_interval) if interim_interval else "NULL::integer"
    return SUBSCRIPTION_VALUES + (("radius_interim_interval", "integer", interim),)


#: the tables of the values (LEFT JOINs from a subscription `t`)
_VALUE_JOINS = """
  LEFT JOIN public.isp_master_package mp ON mp.id = {package}
  LEFT JOIN public.isp_ip_pool pool ON pool.id = mp.ip_pool_id
  LEFT JOIN public.isp_billing_profile bp ON bp.id = {profile}
  LEFT JOIN public.isp_ip_pool spool ON spool.id = bp.suspended_pool_id"""


def subscription_value_statements(schema=SCHEMA, interim_interval=300, existing=None):
    """SQL statements keeping the radius_* value columns of isp_subscription
    (subscription_values()) equal to what the package, pool, profile and
    parameter say:

    * a BEFORE trigger on isp_subscription sets them on insert and when the
      package or the profile changes (and when anything writes them: they
      cannot be set to something else);
    * an AFTER trigger on each source table touches the subscriptions whose
      values a change of one of its columns alters, in the same statement;
    * rows that differ (the columns just added, an old database, a new
      interim interval) are set once, here.

    `existing`: the column names isp_subscription already has (the others
    are added; adding one locks the table)."""
    values = subscription_values(interim_interval)
    names = [name for name, _type, _expr in values]
    exprs = [expr for _name, _type, expr in values]
    table = "public.isp_subscription"
    missing = [(name, sql_type) for name, sql_type, _expr in values
               if existing is None or name not in existing]
    out = []
    if missing:
        out.append("ALTER TABLE %s %s" % (table, ", ".join(
            "ADD COLUMN IF NOT EXISTS %s %s" % (name, sql_type) for name, sql_type in missing)))
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
    out.append("""CREATE OR REPLACE TRIGGER isp_radius_values
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
        out.append("""CREATE OR REPLACE TRIGGER isp_radius_values
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


def fingerprint(*parts):
    """What a column or view made by this file is made of, kept in its
    comment: a refresh makes again only what differs."""
    return "isp_radius %s" % hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


def view_definitions(schema=SCHEMA):
    """(name, CREATE VIEW statement) of the views of the radius schema."""
    fmt = {"schema": schema}
    return [("account", ACCOUNT_VIEW.format(**fmt)),
            ("radcheck", RADCHECK_VIEW.format(**fmt)),
            ("radreply", RADREPLY_VIEW.format(**fmt)),
            ("radusergroup", RADUSERGROUP_VIEW.format(**fmt)),
            ("radgroupcheck", RADGROUP_VIEW.format(name="radgroupcheck", **fmt)),
            ("radgroupreply", RADGROUP_VIEW.format(name="radgroupreply", **fmt)),
            ("nas", NAS_VIEW.format(**fmt))]


def _column_comments(cr, table="public.isp_subscription"):
    """{column name: its comment (None without)} of `table`."""
    cr.execute("""SELECT a.attname, col_description(a.attrelid, a.attnum)
                    FROM pg_attribute a
                   WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped""",
               (table,))
    return dict(cr.fetchall())


def _exists(cr, name):
    cr.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
    return cr.fetchone()[0]


def _make_generated_columns(cr, schema, comments):
    """Add the generated columns that are missing or whose expression
    changed (the views that read them first dropped): one table rewrite,
    and only then."""
    stale = [(name, sql_type, expr) for name, sql_type, expr in generated_columns()
             if comments.get(name) != fingerprint(sql_type, expr)]
    for statement in _generated_column_statements(schema, stale, comments):
        cr.execute(statement)


def _generated_column_statements(schema, stale, existing):
    """The statements making the `stale` generated columns again."""
    if not stale:
        return []
    ident, table = sql.Identifier, sql.Identifier("public", "isp_subscription")
    out = [sql.SQL("DROP VIEW IF EXISTS {}, {} CASCADE").format(
        ident(schema, "radcheck"), ident(schema, "radreply"))]
    old = [name for name, _type, _expr in stale if name in existing]
    if old:
        out.append(sql.SQL("ALTER TABLE {} {}").format(table, sql.SQL(", ").join(
            sql.SQL("DROP COLUMN {}").format(ident(name)) for name in old)))
    out.append(sql.SQL("ALTER TABLE {} {}").format(table, sql.SQL(", ").join(
        sql.SQL("ADD COLUMN {} {} GENERATED ALWAYS AS ({}) STORED").format(
            ident(name), sql.SQL(sql_type), sql.SQL(expr)) for name, sql_type, expr in stale)))
    out += [sql.SQL("COMMENT ON COLUMN {} IS {}").format(
        ident("public", "isp_subscription", name), sql.Literal(fingerprint(sql_type, expr)))
        for name, sql_type, expr in stale]
    return out


def _make_views(cr, schema):
    """Make the views that are missing or whose definition changed (their
    grants are given again by regrant_if_role_exists())."""
    cr.execute("""SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = %s AND c.relkind = 'v'""", (schema,))
    comments = dict(cr.fetchall())
    for name, statement in view_definitions(schema):
        mark = fingerprint(statement)
        if comments.get(name) == mark:
            continue
        view = sql.Identifier(schema, name)
        cr.execute(sql.SQL("DROP VIEW IF EXISTS {} CASCADE").format(view))
        cr.execute(statement)
        cr.execute(sql.SQL("COMMENT ON VIEW {} IS {}").format(view, sql.Literal(mark)))


_CREATE_INDEX = re.compile(r"^\s*CREATE INDEX IF NOT EXISTS (\w+)\s+ON\s+(\w+)\.")
_LEADING_COMMENTS = re.compile(r"\A(\s*--[^\n]*\n)+")
_CREATE_TRIGGER = re.compile(r"^\s*CREATE OR REPLACE TRIGGER (\w+)\b.*?\bON\s+([\w.]+)", re.S)


def _execute_if_changed(cr, statement):
    """Execute a statement of the schema, except an index that exists or a
    trigger whose definition has not changed (both would lock their table
    until the end of the transaction: writes, FreeRADIUS's accounting
    among them, would wait)."""
    if not statement.strip():
        return
    body = _LEADING_COMMENTS.sub("", statement)
    index = _CREATE_INDEX.match(body)
    if index and _exists(cr, "%s.%s" % (index.group(2), index.group(1))):
        return
    trigger = _CREATE_TRIGGER.match(body)
    if trigger:
        name, table = trigger.groups()
        mark = fingerprint(statement)
        cr.execute("""SELECT obj_description(t.oid, 'pg_trigger') FROM pg_trigger t
                       WHERE t.tgname = %s AND t.tgrelid = %s::regclass""", (name, table))
        row = cr.fetchone()
        if row and row[0] == mark:
            return
        cr.execute(statement)
        cr.execute(sql.SQL("COMMENT ON TRIGGER {} ON {} IS {}").format(
            sql.Identifier(name), sql.Identifier(*table.split(".")), sql.Literal(mark)))
        return
    cr.execute(statement)


def _login_statements(existing):
    """The login column when it is missing; the indexes of earlier versions
    removed (nothing is locked when there are none)."""
    ident, out = sql.Identifier, []
    if LOGIN_COLUMN[0] not in existing:
        name, sql_type, expr = LOGIN_COLUMN
        out.append(sql.SQL("ALTER TABLE {} ADD COLUMN {} {} GENERATED ALWAYS AS ({}) STORED")
                   .format(ident("public", "isp_subscription"), ident(name), sql.SQL(sql_type),
                           sql.SQL(expr)))
    out += [sql.SQL("DROP INDEX IF EXISTS {}").format(ident("public", name))
            for name in OLD_INDEXES]
    return out


def make_schema(cr, interim_interval=300, usage_tz="UTC", schema=SCHEMA):
    """Create or refresh the radius schema on a cursor of the schema's
    owner, in the caller's transaction: tables and data kept, functions
    replaced; columns, indexes, generated columns and views made only when
    missing or changed."""
    cr.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    columns = _column_comments(cr)
    for statement in _login_statements(columns):
        cr.execute(statement)
    fmt = {"schema": schema, "usage_tz": quote_literal(usage_tz)}
    statements = [LOGIN_INDEX] + TABLES.format(**fmt).split(";\n")
    statements += subscription_value_statements(schema, interim_interval, columns)
    for statement in statements:
        _execute_if_changed(cr, statement)
    _make_generated_columns(cr, schema, columns)
    _make_views(cr, schema)
    for statement in _split_functions(TRIGGERS.format(**fmt)):
        _execute_if_changed(cr, statement)


def uninstall_statements(schema=SCHEMA):
    """What isp_radius leaves in other addons' tables, removed (its own
    schema, with the accounting history, stays)."""
    out = ["DROP VIEW IF EXISTS %s CASCADE" % ", ".join(
        "%s.%s" % (schema, v) for v in ("radcheck", "radreply", "radusergroup", "account"))]
    out += ["DROP TRIGGER IF EXISTS isp_radius_values ON public.%s" % t
            for t in ["isp_subscription"] + [src for src, _c, _s in VALUE_SOURCES]]
    # (the generated columns first: they read the others)
    names = [n for n, _t, _e in generated_columns()] + [LOGIN_COLUMN[0]] + [
        n for n, _t, _e in subscription_values()]
    out.append("ALTER TABLE public.isp_subscription %s" % ", ".join(
        "DROP COLUMN IF EXISTS %s" % name for name in names))
    return out


def quote_literal(text):
    return "'%s'" % str(text).replace("'", "''")


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
