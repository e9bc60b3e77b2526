# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests.common import SavepointCase, at_install, post_install


@at_install(False)
@post_install(True)
class TestIspZone(SavepointCase):

    def test_complete_name_follows_the_hierarchy(self):
        area = self.env["isp.zone"].create({"name": "Mladost 1"})
        block = self.env["isp.zone"].create({"name": "Block 12", "parent_id": area.id})
        self.assertEqual(block.complete_name, "Mladost 1 / Block 12")
        area.name = "Mladost 2"
        self.assertEqual(block.complete_name, "Mladost 2 / Block 12")
