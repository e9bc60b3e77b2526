# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Disconnect / CoA through queue_job jobs, against a real UDP CoA receiver
(pyrad server) on loopback; checked disconnects, retries, hand-over."""
import datetime
import json
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from odoo.addons.queue_job.exception import RetryableJobError

from .common import NAS_IP, RadiusCase
from .nas import CoaReceiver


@at_install(False)
@post_install(True)
class TestNetworkActions(RadiusCase):

    def setUp(self):
        super().setUp()
        self.receiver = CoaReceiver(host=NAS_IP, secret="coa-secret").start()
        self.addCleanup(self.receiver.stop)
        self.router.coa_port = self.receiver.port
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("isp_radius.coa_timeout", "1")
        params.set_param("isp_radius.coa_tries", "1")
        self.sub = self.new_sub(username="na.user")
        self.sub.action_activate()

    def action_of(self, sub):
        return self.Action.search([("subscription_id", "=", sub.id)], order="id desc",
                                  limit=1)

    def test_suspend_sends_disconnect_and_confirms_on_stop(self):
        radacct_id = self.open_session(self.sub, session_id="8100000a",
                                       framed_ip="100.64.0.20")
        self.sub.sudo(self.manager).action_suspend("unpaid")
        action = self.action_of(self.sub)
        self.assertEqual((action.kind, action.state, action.reason, action.username,
                          action.acct_session_id, action.framed_ip, action.router_id,
                          action.radacct_id),
                         ("disconnect", "queued", "suspend", "na.user", "8100000a",
                          "100.64.0.20", self.router, radacct_id))
        self.run_job(action)
        self.assertEqual(len(self.receiver.received), 1)
        got = self.receiver.received[0]
        self.assertEqual(got["kind"], "disconnect")
        self.assertEqual(got["attributes"]["User-Name"], ["na.user"])
        self.assertEqual(got["attributes"]["Acct-Session-Id"], ["8100000a"])
        self.assertEqual(got["attributes"]["Framed-IP-Address"], ["100.64.0.20"])
        self.assertEqual((action.state, action.attempts), ("sent", 1))
        # the router has not sent its Acct-Stop yet: the check waits
        with self.assertRaises(RetryableJobError):
            self.run_job(action, "_job_verify")
        self.assertEqual(action.state, "sent")
        self.close_session(radacct_id, "Admin-Reset")
        action.invalidate_cache()
        self.run_job(action, "_job_verify")
        self.assertEqual(action.state, "confirmed")
        self.assertTrue(action.closed_date)

    def test_ack_without_stop_is_failed_then_retried(self):
        self.env["ir.config_parameter"].sudo().set_param("isp_radius.disconnect_attempts", "2")
        self.open_session(self.sub)
        self.sub.action_disable("moved away")
        action = self.action_of(self.sub)
        self.run_job(action)
        self.assertEqual(action.state, "sent")
        # acknowledged, but the session is still open after the deadline
        action.sent_date = fields.Datetime.to_string(
            datetime.datetime.utcnow() - datetime.timedelta(seconds=60))
        self.run_job(action, "_job_verify")
        self.assertEqual(action.state, "failed")
        self.assertIn("still open", action.last_error)
        self.assertTrue(action.next_try, "a retry is scheduled")
        # second and last attempt: acknowledged again, still online
        self.run_job(action)
        self.assertEqual((action.state, action.attempts), ("sent", 2))
        self.assertEqual(len(self.receiver.received), 2)
        action.sent_date = fields.Datetime.to_string(
            datetime.datetime.utcnow() - datetime.timedelta(seconds=60))
        self.run_job(action, "_job_verify")
        # no isp_mikrotik: nobody to hand over to
        self.assertEqual((action.state, action.next_try), ("failed", False))
        self.assertFalse(self.jobs(action, "_job_send"))

    def test_nak_is_failed_retried_then_handed_over(self):
        self.env["ir.config_parameter"].sudo().set_param("isp_radius.disconnect_attempts", "3")
        self.receiver.answer = "nak"
        self.open_session(self.sub)
        self.sub.action_expire()
        action = self.action_of(self.sub)
        self.assertEqual(action.reason, "expire")
        self.run_job(action)
        self.assertEqual((action.state, action.attempts), ("failed", 1))
        self.assertIn("Refused", action.last_error)
        self.assertIn("Session-Context-Not-Found", action.last_error)
        self.run_job(action)
        self.assertEqual((action.state, action.attempts), ("failed", 2))
        # the third NAK ends the RADIUS attempts: the router's API takes over
        hand_over = type(self.Action)
        with patch.object(hand_over, "_hand_over_to_router", autospec=True,
                          return_value=True) as kick:
            self.run_job(action)
        kick.assert_called_once_with(action)
        self.assertEqual((action.state, action.attempts), ("handed_over", 3))
        self.assertEqual(len(self.receiver.received), 3)

    def test_wrong_secret_times_out(self):
        self.router.radius_secret = "not-the-nas-secret"
        self.env["ir.config_parameter"].sudo().set_param("isp_radius.disconnect_attempts", "1")
        self.open_session(self.sub)
        self.sub.action_suspend("unpaid")
        action = self.action_of(self.sub)
        self.run_job(action)
        # the NAS dropped the request (authenticator check failed)
        self.assertEqual(self.receiver.received, [])
        self.assertEqual((action.state, action.attempts), ("failed", 1))
        self.assertIn("No answer", action.last_error)

    def test_plan_change_rate_only_sends_coa(self):
        radacct_id = self.open_session(self.sub)
        self.sub.action_change_plan(self.plan_fast)
        action = self.action_of(self.sub)
        self.assertEqual((action.kind, action.reason), ("coa", "plan_change"))
        self.assertEqual(json.loads(action.attributes_json),
                         [["Mikrotik-Rate-Limit", "5M/10M 10M/20M 3840k/7680k 10/10"]])
        self.run_job(action)
        got = self.receiver.received[0]
        self.assertEqual(got["kind"], "coa")
        self.assertEqual(got["attributes"]["Mikrotik-Rate-Limit"],
                         ["5M/10M 10M/20M 3840k/7680k 10/10"])
        self.assertEqual(got["attributes"]["User-Name"], ["na.user"])
        self.assertEqual(action.state, "done", "the session stays up with the new speed")
        self.assertEqual(self.session_row(radacct_id), (None, None))

    def test_plan_change_to_another_profile_disconnects(self):
        self.open_session(self.sub)
        self.sub.action_change_plan(self.plan_monthly_b)   # no PPP profile, no pool
        self.assertEqual(self.action_of(self.sub).kind, "disconnect")

    def test_failed_coa_becomes_disconnect(self):
        self.env["ir.config_parameter"].sudo().set_param("isp_radius.disconnect_attempts", "1")
        self.receiver.answer = "nak"
        self.open_session(self.sub)
        self.sub.action_change_plan(self.plan_fast)
        coa_action = self.action_of(self.sub)
        self.run_job(coa_action)
        self.assertEqual(coa_action.state, "failed")
        disconnect = self.action_of(self.sub)
        self.assertNotEqual(disconnect, coa_action)
        self.assertEqual((disconnect.kind, disconnect.state), ("disconnect", "queued"))
        self.receiver.answer = "ack"
        self.run_job(disconnect)
        self.assertEqual(disconnect.state, "sent")

    def test_mac_reset_and_resume_from_suspended_pool(self):
        self.sub.write({"mac_address": "AA:BB:CC:00:00:01",
                        "billing_profile_id": self.profile_pool.id})
        self.open_session(self.sub, session_id="m1")
        self.sub.action_reset_mac()
        self.assertEqual(self.action_of(self.sub).reason, "mac_reset")
        self.close_session(self.action_of(self.sub).radacct_id)
        count = self.Action.search_count([("subscription_id", "=", self.sub.id)])
        self.sub.action_suspend("unpaid")
        self.assertEqual(self.Action.search_count([("subscription_id", "=", self.sub.id)]),
                         count, "no open session, nothing to disconnect")
        # connected into the suspended pool; paying (resume) must move it out
        self.open_session(self.sub, session_id="p1", framed_ip="100.65.0.9")
        self.sub.action_resume()
        action = self.action_of(self.sub)
        self.assertEqual((action.reason, action.acct_session_id), ("resume", "p1"))

    def test_no_session_no_action_and_password_change_keeps_session(self):
        self.sub.action_suspend("unpaid")
        self.assertFalse(self.action_of(self.sub))
        self.sub.action_resume()
        self.open_session(self.sub)
        self.sub.new_password = "changed-pw"
        self.assertFalse(self.action_of(self.sub))

    def test_unknown_nas(self):
        self.env["ir.config_parameter"].sudo().set_param("isp_radius.disconnect_attempts", "1")
        self.open_session(self.sub, nas_ip="127.0.0.99")
        self.sub.action_suspend("unpaid")
        action = self.action_of(self.sub)
        self.assertFalse(action.router_id)
        self.run_job(action)
        self.assertEqual(action.state, "failed")
        self.assertIn("127.0.0.99", action.last_error)

    def test_session_closed_before_sending(self):
        radacct_id = self.open_session(self.sub)
        self.sub.action_suspend("unpaid")
        self.close_session(radacct_id)
        action = self.action_of(self.sub)
        self.run_job(action)
        self.assertEqual(action.state, "confirmed")
        self.assertEqual(self.receiver.received, [])

    def test_access(self):
        self.open_session(self.sub)
        self.sub.action_suspend("unpaid")
        action = self.action_of(self.sub)
        self.assertEqual(action.sudo(self.helpdesk).read(["state"])[0]["state"], "queued")
        with self.assertRaises(AccessError):
            action.sudo(self.manager).write({"state": "done"})
        with self.assertRaises(AccessError):
            action.sudo(self.manager).action_retry()
        with self.assertRaises(AccessError):
            self.sub.sudo(self.helpdesk).action_radius_disconnect()
