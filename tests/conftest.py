"""Fixtures of the cross-process tests: databases on the project's cluster,
Odoo servers in their own process groups. Every database a test creates is
dropped afterwards; every process it starts is stopped."""
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import isp_dev  # noqa: E402


@pytest.fixture(scope="session")
def base_template():
    """Odoo + OCA template (the runner passes the name it already built)."""
    isp_dev.ensure_pg()
    return os.environ.get("ISP_BASE_TEMPLATE") or isp_dev.base_template()


@pytest.fixture(scope="session")
def app_template():
    """Template with every isp_* addon installed, demo data included."""
    return isp_dev.app_template()


def _db_name(request, prefix):
    name = re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:30]
    return "%s_%s_%d" % (prefix, name, os.getpid())


@pytest.fixture
def base_db(base_template, request):
    """A fresh database cloned from the Odoo + OCA template."""
    name = _db_name(request, "pt_base")
    isp_dev.clone_db(base_template, name)
    yield name
    isp_dev.drop_db(name)


@pytest.fixture
def app_db(app_template, request):
    """A fresh database with the isp_* addons and their demo data."""
    name = _db_name(request, "pt_app")
    isp_dev.clone_db(app_template, name)
    yield name
    isp_dev.drop_db(name)


def serve_clone(template, name, *args):
    """A clone `name` of `template` served by an Odoo server started with
    `args` (a generator for fixtures: the server, then stop and drop)."""
    import odoo_env
    isp_dev.clone_db(template, name)
    server = isp_dev.OdooServer(name, *args)
    try:
        server.start(timeout=300)
        yield server
    finally:
        server.stop()
        odoo_env.close(name)
        isp_dev.drop_db(name)


@pytest.fixture(scope="module")
def app_server(app_template, request):
    """One clone of the app database and one Odoo server for every test of
    a module (browser suites that only read)."""
    name = "pt_srv_%s_%d" % (request.module.__name__.rsplit(".", 1)[-1][5:25], os.getpid())
    yield from serve_clone(app_template, name)
