from . import controllers
from . import models


def uninstall_hook(cr, registry):
    """Remove what the addon put in other addons' tables (the triggers and
    radius_* columns of isp_subscription...); the radius schema and its
    accounting history stay."""
    from .lib import schema
    for statement in schema.uninstall_statements():
        cr.execute(statement)
