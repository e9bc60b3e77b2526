# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""MAC addresses: every common way of writing one is read, one form is
stored (AA:BB:CC:DD:EE:FF, what RADIUS compares Calling-Station-Id with)."""
import unittest

from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from ..lib import validation
from .common import IspCase

CANONICAL = "4C:5E:0C:12:34:56"
FORMS = ("4c-5e-0c-12-34-56", "4C-5E-0C-12-34-56", "4c:5e:0c:12:34:56", CANONICAL,
         "4c5e.0c12.3456", "4C5E.0C12.3456", "4c5e-0c12-3456", "4c5e0c123456",
         "4C5E0C123456", "  4c-5e-0c-12-34-56\t")
NOT_MACS = ("", "4c-5e-0c-12-34", "4c-5e-0c-12-34-56-78", "4c:5e-0c:12-34:56",  # mixed
            "4c5e.0c12-3456", "4c5e:0c12:3456", "4c5e0c12345", "4c5e0c1234567",
            "4g-5e-0c-12-34-56", "4c 5e 0c 12 34 56", "4c--5e-0c-12-34-56")


class TestMacForms(unittest.TestCase):

    def test_every_common_form_gives_the_stored_one(self):
        for form in FORMS:
            self.assertEqual(validation.normalize_mac(form), CANONICAL, form)

    def test_what_is_not_a_mac_is_refused_in_the_users_terms(self):
        for bad in NOT_MACS:
            with self.assertRaisesRegex(ValueError, "is not a MAC address", msg=bad):
                validation.normalize_mac(bad)
        with self.assertRaisesRegex(ValueError, "multicast"):
            validation.normalize_mac("01-00-5e-00-00-01")


@at_install(False)
@post_install(True)
class TestMacBinding(IspCase):

    def test_technician_binds_a_mac_written_with_dashes(self):
        sub = self.new_sub()
        for form in ("4c-5e-0c-12-34-56", "4c5e.0c12.3456", "4C5E0C123456"):
            sub.sudo(self.technician).write({"mac_address": form})
            self.assertEqual(sub.mac_address, CANONICAL)
        with self.assertRaisesRegex(ValidationError, "is not a MAC address"):
            sub.sudo(self.technician).write({"mac_address": "4c:5e-0c:12-34:56"})
        self.assertEqual(sub.mac_address, CANONICAL)

    def test_a_new_account_stores_the_canonical_form(self):
        sub = self.new_sub(mac_address="4c-5e-0c-ab-cd-ef")
        self.assertEqual(sub.mac_address, "4C:5E:0C:AB:CD:EF")
