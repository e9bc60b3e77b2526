"""Odoo inside a pytest process: registries and committed environments on
the project's cluster (shared by the cross-process tests)."""
import contextlib

from conftest import isp_dev


def registry_of(dbname):
    """The registry of `dbname` (Odoo's configuration read once)."""
    import odoo
    # Odoo's parse_config cannot run twice in a process (KeyError
    # 'load_language'): whoever comes first (this, the RADIUS harness)
    # configures Odoo for every test of the session
    if not odoo.tools.config.get("db_host"):
        odoo.tools.config.parse_config(["-c", isp_dev.ODOO_CONF, *isp_dev.conf_args(),
                                        "--db-filter=.*", "--log-level=warn"])
    return odoo.registry(dbname)


@contextlib.contextmanager
def env_of(dbname):
    """A superuser environment on its own cursor, committed at the end."""
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry_of(dbname).cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})
        cr.commit()


def close(dbname):
    """Forget the registry and the connections of `dbname` (before it is
    dropped)."""
    import odoo
    odoo.modules.registry.Registry.delete(dbname)
    odoo.sql_db.close_db(dbname)


def race(dbname, *actions, attempts=5):
    """Run the `actions` at the same moment, each in its own thread and
    committed transaction, as two users of the server would. Each action is
    called as `action(env, start)`: it reads what it needs first (so that its
    snapshot is older than the other's lock), then calls `start()` (all meet
    there on the first attempt), then acts. A concurrency error
    (serialization failure, lock not available, deadlock) is retried the way
    Odoo's RPC layer does, up to `attempts` times.

    Returns (outcomes, retried): outcomes[i] is ("ok", what action i
    returned), ("refused", the UserError's message) or ("error", repr);
    retried lists the index of the action at each retry."""
    import threading

    import psycopg2

    from odoo.exceptions import UserError
    from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
    barrier = threading.Barrier(len(actions))
    outcomes, retried = [None] * len(actions), []

    def run(index, action):
        try:
            for attempt in range(attempts):
                def start(first=(attempt == 0)):
                    if first:
                        barrier.wait(timeout=30)
                try:
                    with env_of(dbname) as env:
                        outcomes[index] = ("ok", action(env, start))
                    return
                except psycopg2.OperationalError as exc:
                    if exc.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                        raise
                    retried.append(index)
            outcomes[index] = ("error", "still failing after %d attempts" % attempts)
        except UserError as exc:
            outcomes[index] = ("refused", exc.name)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcomes[index] = ("error", repr(exc))
            barrier.abort()
    threads = [threading.Thread(target=run, args=(i, action))
               for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes, retried
