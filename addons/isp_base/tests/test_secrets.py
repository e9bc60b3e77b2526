# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The subscription password never leaks: not in list views, chatter or
audit log, readable by ISP admins only."""
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import IspCase


@at_install(False)
@post_install(True)
class TestPasswordSecrecy(IspCase):

    def test_not_in_list_or_kanban_views(self):
        for view_type in ("tree", "kanban", "search"):
            arch = self.Sub.fields_view_get(view_type=view_type)["arch"]
            names = etree.fromstring(arch).xpath("//field/@name")
            self.assertNotIn("password", names, view_type)
            self.assertNotIn("new_password", names, view_type)

    def test_form_shows_it_masked_to_admins_only(self):
        arch = self.Sub.sudo(self.admin_user).fields_view_get(view_type="form")["arch"]
        node = etree.fromstring(arch).xpath("//field[@name='password']")
        self.assertEqual(node[0].get("password"), "True")
        arch = self.Sub.sudo(self.manager).fields_view_get(view_type="form")["arch"]
        self.assertFalse(etree.fromstring(arch).xpath("//field[@name='password']"))

    def test_read_by_admins_only(self):
        sub = self.new_sub(password="TopSecret-77")
        self.assertEqual(sub.sudo(self.admin_user).password, "TopSecret-77")
        for user in (self.manager, self.helpdesk, self.auditor, self.technician):
            with self.assertRaises(AccessError):
                sub.sudo(user).read(["password"])
        data = sub.sudo(self.manager).read()[0]
        self.assertNotIn("password", data)
        self.assertFalse(data["new_password"])

    def test_not_in_chatter(self):
        sub = self.new_sub(password="TopSecret-77")
        sub.new_password = "Changed-88"
        sub.sudo().write({"password": "Changed-99"})
        texts = sub.message_ids.mapped("body") + sub.message_ids.mapped(
            "tracking_value_ids.old_value_char") + sub.message_ids.mapped(
            "tracking_value_ids.new_value_char")
        for text in texts:
            for secret in ("TopSecret-77", "Changed-88", "Changed-99"):
                self.assertNotIn(secret, text or "")
        self.assertNotIn("password", sub.message_ids.mapped(
            "tracking_value_ids.field"))

    def test_audit_log_says_changed_without_the_value(self):
        sub = self.new_sub(password="TopSecret-77")
        sub.sudo().write({"password": "Changed-99", "mac_address": "aa:bb:cc:dd:ee:01"})
        lines = self.env["auditlog.log.line"].search([
            ("log_id.model_id.model", "=", "isp.subscription"),
            ("log_id.res_id", "=", sub.id)])
        self.assertTrue(lines.filtered(lambda ln: ln.field_id.name == "mac_address"))
        password_lines = lines.filtered(lambda ln: ln.field_id.name == "password")
        self.assertTrue(password_lines, "a password change is logged as a change")
        for line in lines:
            for value in (line.old_value, line.new_value, line.old_value_text,
                          line.new_value_text):
                self.assertNotIn("TopSecret-77", value or "")
                self.assertNotIn("Changed-99", value or "")
        self.assertEqual(password_lines.mapped("new_value_text")[-1], "********")
