# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Databases made before "Require Message-Authenticator" (issue 16,
BlastRADIUS): the routers already registered keep being answered as before
(off: a router older than RouterOS 7.15 sends no Message-Authenticator, and
requiring it would lock its customers out at once); the ISP turns it on per
router once the router runs RouterOS 7.15 or later. Routers registered from
now on have it on. The column is made here, before the ORM would fill it
with the default (on)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""ALTER TABLE isp_router
                  ADD COLUMN IF NOT EXISTS radius_require_message_authenticator boolean""")
    cr.execute("""UPDATE isp_router SET radius_require_message_authenticator = FALSE
                   WHERE radius_require_message_authenticator IS NULL""")
