# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Databases made before "Use the API": the demo routers (TEST-NET-1,
192.0.2.0/24, which nobody reaches) stop getting jobs that can never run,
as in a fresh demo database. Real routers keep using their API."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE isp_router r SET api_enabled = FALSE, api_configured = FALSE
          FROM ir_model_data d
         WHERE d.model = 'isp.router' AND d.res_id = r.id AND d.module = 'isp_base'
           AND d.name IN ('router_gulshan', 'router_mirpur')
           AND r.host LIKE %s""", ("192.0.2.%",))
