# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The names isp_mikrotik relies on."""
from odoo.tests.common import SavepointCase, at_install, post_install


@at_install(False)
@post_install(True)
class TestContract(SavepointCase):

    def test_router_fields(self):
        router = self.env["isp.router"].create({"name": "c-nas", "host": "192.0.2.9",
                                                "radius_secret": "s3"})
        self.assertEqual((router.coa_port, router.nas_type, router.radius_secret),
                         (3799, "mikrotik", "s3"))
        self.assertEqual(router._fields["radius_secret"].groups, "isp_base.group_isp_admin")

    def test_server_parameters(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        self.assertEqual((get("isp_radius.server_host"), get("isp_radius.auth_port"),
                          get("isp_radius.acct_port")), ("127.0.0.1", "1812", "1813"))

    def test_hand_over_default(self):
        action = self.env["isp.network.action"].create({
            "username": "x", "kind": "disconnect", "acct_session_id": "81000001"})
        self.assertEqual(action.state, "queued")
        self.assertIs(action._hand_over_to_router(), False)
