# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

import psycopg2

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from .common import IspCase, days, dt, now


@at_install(False)
@post_install(True)
class TestSubscriptionLifecycle(IspCase):

    def test_activate_suspend_resume_disable(self):
        sub = self.new_sub()
        self.assertEqual(sub.state, "draft")
        sub.action_activate(reason="new connection")
        self.assertEqual(sub.state, "active")
        log = self.assertLogged(sub, "draft", "active", "activate")
        self.assertEqual(log.reason, "new connection")
        self.assertTrue(log.date)
        # a draft without validity gets the package's validity from now
        self.assertAlmostEqual((dt(sub.validity_end) - now()).total_seconds(),
                               30 * 86400, delta=120)
        self.assertEqual(sub.billing_anchor_day, 1)  # profile: cycles end with month
        sub.action_suspend("did not pay")
        self.assertEqual((sub.state, sub.suspend_reason), ("suspended", "manual"))
        self.assertLogged(sub, "active", "suspended", "suspend")
        sub.action_resume()
        self.assertEqual((sub.state, sub.suspend_reason), ("active", False))
        sub.action_disable("moved away")
        self.assertEqual(sub.state, "disabled")
        self.assertEqual(sub.state_log_ids.mapped("to_state"),
                         ["disabled", "active", "suspended", "active"])

    def test_refused_transitions_say_why(self):
        sub = self.new_sub()
        with self.assertRaisesRegex(UserError, "cannot be suspended"):
            sub.action_suspend("x")
        with self.assertRaisesRegex(UserError, "cannot be resumed"):
            sub.action_resume()
        sub.action_activate()
        with self.assertRaisesRegex(UserError, "cannot be activated"):
            sub.action_activate()
        self.assertEqual(sub.state, "active")
        self.assertEqual(len(sub.state_log_ids), 1)

    def test_state_is_not_written_directly(self):
        sub = self.new_sub()
        with self.assertRaisesRegex(UserError, "only through its actions"):
            sub.write({"state": "active"})

    def test_activation_needs_a_package(self):
        sub = self.new_sub(plan_id=False)
        with self.assertRaisesRegex(UserError, "choose a package"):
            sub.action_activate()

    def test_resume_after_validity_ended_is_refused(self):
        sub = self.new_sub()
        sub.action_activate()
        sub.action_suspend("test")
        sub.with_context(isp_no_network_event=True).validity_end = fields.Datetime.to_string(
            now() - days(1))
        with self.assertRaisesRegex(UserError, "validity has ended"):
            sub.action_resume()

    def test_expired_account_reactivates_with_new_validity(self):
        sub = self.new_sub(connection_type="pppoe", billing_type="daily",
                           plan_id=self.plan_daily.id, billing_profile_id=False)
        sub.action_activate()
        sub.with_context(isp_no_network_event=True).validity_end = fields.Datetime.to_string(
            now() - days(1))
        sub.action_expire()
        self.assertEqual(sub.state, "expired")
        self.assertLogged(sub, "active", "expired", "expire")
        sub.action_activate()
        self.assertAlmostEqual((dt(sub.validity_end) - now()).total_seconds(), 7 * 86400,
                               delta=120)

    def test_hotspot_validity_in_hours(self):
        sub = self.new_sub(connection_type="hotspot", plan_id=self.plan_hotspot_hours.id,
                           billing_profile_id=False)
        self.assertEqual(sub.billing_type, "daily")  # hotspot accounts are prepaid
        sub.action_activate()
        self.assertAlmostEqual((dt(sub.validity_end) - now()).total_seconds(), 3 * 3600,
                               delta=120)

    def test_hook_is_called_once_per_action_with_previous_states(self):
        sub = self.new_sub()
        Model = type(self.Sub)
        with patch.object(Model, "_on_network_state_changed", autospec=True,
                          return_value=True) as hook:
            sub.action_activate()
            sub.action_suspend("x")
            sub.action_change_plan(self.plan_monthly_b)
            sub.write({"mac_address": "aa:bb:cc:00:11:22"})
            sub.action_reset_mac()
            sub.write({"note": "not a network field"})
        events = [(c[0][1], c[0][2]) for c in hook.call_args_list]
        self.assertEqual(events, [
            ("activate", {sub.id: "draft"}),
            ("suspend", {sub.id: "active"}),
            ("plan_change", {sub.id: "suspended"}),
            ("update", {sub.id: "suspended"}),
            ("mac_reset", {sub.id: "suspended"}),
        ])
        self.assertEqual(hook.call_args_list[2][1]["old_plan"], self.plan_monthly)
        self.assertEqual(hook.call_args_list[3][1]["changed_fields"], ["mac_address"])

    def test_change_plan(self):
        sub = self.new_sub()
        sub.action_activate()
        sub.action_change_plan(self.plan_monthly_b)
        self.assertEqual(sub.plan_id, self.plan_monthly_b)
        self.assertEqual(sub.master_package_id, self.master_b)
        with self.assertRaisesRegex(ValidationError, "7 days is a daily package"):
            sub.action_change_plan(self.plan_daily)

    def test_static_ip_is_monthly_only_and_allocated_at_activation(self):
        with self.assertRaisesRegex(ValidationError, "monthly only"):
            self.new_sub(connection_type="static", billing_type="daily",
                         plan_id=self.plan_daily.id)
        sub = self.new_sub(connection_type="static")
        sub.action_activate()
        self.assertEqual(sub.static_ipv4, "198.51.100.2")  # .1 is reserved

    def test_connection_type_rules(self):
        with self.assertRaisesRegex(ValidationError, "needs a username"):
            self.new_sub(username=False)
        with self.assertRaisesRegex(ValidationError, "prepaid"):
            self.new_sub(connection_type="hotspot", billing_type="monthly")
        with self.assertRaisesRegex(ValidationError, "not sold for Hotspot"):
            self.new_sub(connection_type="hotspot", plan_id=self.plan_monthly.id,
                         billing_type="daily")
        # cable TV needs no username
        tv = self.new_sub(connection_type="other", username=False)
        self.assertFalse(tv.username)

    def test_hotspot_packages_need_radius_speed_control(self):
        router_ctl = self.env["isp.master.package"].create({
            "name": "By router", "download_kbps": 2048, "upload_kbps": 1024,
            "speed_controller": "router"})
        with self.assertRaisesRegex(ValidationError, "hotspot package needs"):
            self.env["isp.service.plan"].create({
                "name": "HS", "master_package_id": router_ctl.id, "billing_type": "daily",
                "customer_price": 10, "allow_hotspot": True})
        with self.assertRaisesRegex(ValidationError, "sold as a hotspot package"):
            self.master.speed_controller = "router"  # plan_daily sells it for hotspot

    def test_zone_must_offer_the_service(self):
        self.block.offers_hotspot = False
        with self.assertRaisesRegex(ValidationError, "not available in Test area / Block 1"):
            self.new_sub(connection_type="hotspot", plan_id=self.plan_daily.id,
                         billing_type="daily", zone_id=self.block.id)

    def test_unsafe_usernames_refused(self):
        for bad in ("ali khan", "o'neil", "x+y", "semi;colon", "a"):
            with self.assertRaisesRegex(ValidationError, "is not allowed", msg=bad):
                self.new_sub(username=bad)
        sub = self.new_sub(username="ali.khan")
        with self.assertRaisesRegex(ValidationError, "is not allowed"):
            sub.username = "ali khan"
        self.assertEqual(sub.username, "ali.khan")

    def test_username_unique_per_company_whatever_the_case(self):
        first = self.new_sub(username="Karim")
        with self.assertRaisesRegex(ValidationError, "already used"):
            self.new_sub(username="karim")
        other = self.new_sub(username="rahim")
        with self.assertRaisesRegex(ValidationError, "already used"):
            other.username = "KARIM"
        # the database refuses it too, whatever Python does
        with self.assertRaises(psycopg2.IntegrityError) as ctx, \
                mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute("UPDATE isp_subscription SET username = 'kArIm' "
                                "WHERE id = %s", (other.id,))
        self.assertEqual(ctx.exception.diag.constraint_name, "isp_subscription_username_uniq")
        self.assertEqual(first.username, "Karim")

    def test_invalid_mac_and_ip_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a MAC address"):
            self.new_sub(mac_address="zz:zz:zz:zz:zz:zz")
        with self.assertRaisesRegex(ValidationError, "not an IPv4 address"):
            self.new_sub(static_ipv4="300.1.1.1")
        with self.assertRaisesRegex(ValidationError, "not in any static IPv4 pool"):
            self.new_sub(static_ipv4="192.0.2.77")
        with self.assertRaisesRegex(ValidationError, "not an IPv6 prefix"):
            self.new_sub(ipv6_prefix="2001:db8:aa00::1/56")
        sub = self.new_sub(mac_address="aabb.cc00.1122")
        self.assertEqual(sub.mac_address, "AA:BB:CC:00:11:22")

    def test_password_generated_when_missing(self):
        sub = self.new_sub(password=False)
        self.assertEqual(len(sub.password), 10)
        self.assertNotEqual(sub.password, self.new_sub(password=False).password)

    def test_unlink_only_when_disabled(self):
        sub = self.new_sub()
        sub.action_activate()
        with self.assertRaisesRegex(UserError, "Disable a subscription"):
            sub.unlink()
        sub.action_disable("gone")
        sub.unlink()
        self.assertFalse(sub.exists())


@at_install(False)
@post_install(True)
class TestExtension(IspCase):

    def test_extension_from_the_current_end(self):
        sub = self.new_sub()
        sub.action_activate()
        end = dt(sub.validity_end)
        sub.action_extend_days(5, "reward for referral")
        self.assertEqual(dt(sub.validity_end), end + days(5))
        ext = sub.extension_ids
        self.assertEqual(len(ext), 1)
        self.assertEqual((ext.days, ext.reason, ext.user_id, ext.partner_id),
                         (5, "reward for referral", self.env.user, self.partner))
        self.assertEqual((dt(ext.old_end), dt(ext.new_end)), (end, end + days(5)))

    def test_extension_of_an_expired_account_starts_now_and_reactivates(self):
        sub = self.new_sub(billing_type="daily", plan_id=self.plan_daily.id,
                           billing_profile_id=False)
        sub.action_activate()
        sub.with_context(isp_no_network_event=True).validity_end = fields.Datetime.to_string(
            now() - days(3))
        sub.action_expire()
        sub.action_extend_days(2, "free trial")
        self.assertEqual(sub.state, "active")
        self.assertAlmostEqual((dt(sub.validity_end) - now()).total_seconds(), 2 * 86400,
                               delta=120)
        self.assertLogged(sub, "expired", "active", "extend")

    def test_extension_history_lists_who_extended_whom(self):
        sub = self.new_sub()
        sub.action_activate()
        sub.sudo(self.technician).action_extend_days(3, "outage compensation")
        ext = self.env["isp.subscription.extension"].search(
            [("subscription_id", "=", sub.id)])
        self.assertEqual((ext.user_id, ext.days), (self.technician, 3))

    def test_bad_extensions_refused(self):
        sub = self.new_sub()
        with self.assertRaisesRegex(UserError, "activate the account"):
            sub.action_extend_days(3, "x")
        sub.action_activate()
        for bad in (0, -2, 5000):
            with self.assertRaisesRegex(UserError, "whole number of days"):
                sub.action_extend_days(bad, "x")
        with self.assertRaisesRegex(UserError, "Say why"):
            sub.action_extend_days(3, "  ")
        self.assertFalse(sub.extension_ids)


@at_install(False)
@post_install(True)
class TestPartner(IspCase):

    def test_customer_code_and_mobile(self):
        self.assertRegex(self.partner.isp_customer_code, r"^C\d{6}$")
        self.assertNotEqual(self.partner.isp_customer_code, self.partner2.isp_customer_code)
        self.assertEqual(self.partner.mobile, "+8801711000101")
        self.assertEqual(self.partner.isp_operator_id, self.company.partner_id)
        with self.assertRaisesRegex(ValidationError, "not a valid phone number"):
            self.env["res.partner"].create({"name": "X", "mobile": "12345",
                                            "isp_is_subscriber": True})
        # ordinary contacts keep what was typed
        contact = self.env["res.partner"].create({"name": "Supplier", "mobile": "12345"})
        self.assertEqual(contact.mobile, "12345")

    def test_becoming_a_subscriber_gives_a_code(self):
        partner = self.env["res.partner"].create({"name": "Walk-in"})
        self.assertFalse(partner.isp_customer_code)
        self.new_sub(partner_id=partner.id)
        self.assertTrue(partner.isp_is_subscriber)
        self.assertRegex(partner.isp_customer_code, r"^C\d{6}$")

    def test_operator_must_be_an_operator(self):
        with self.assertRaisesRegex(ValidationError, "not an operator"):
            self.partner.isp_operator_id = self.partner2
