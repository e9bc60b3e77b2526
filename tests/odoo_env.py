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
        odoo.tools.config.parse_config(["-c", isp_dev.ODOO_CONF, "--db-filter=.*",
                                        "--log-level=warn"])
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
