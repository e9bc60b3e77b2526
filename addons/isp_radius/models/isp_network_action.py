# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import json
import logging

from odoo import _, api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job

from ..lib import coa

_logger = logging.getLogger(__name__)

FINAL_STATES = ("confirmed", "handed_over", "done")


class IspNetworkAction(models.Model):
    """One Disconnect / CoA sent (or to send) to a NAS for one session, and
    what became of it: the "network actions" list.

    A disconnect is checked: after the NAS's Disconnect-ACK, the session
    must get its Acct-Stop (or be gone) within ``verify_seconds``;
    otherwise, like after a NAK or a timeout, the action is marked
    *Disconnect failed* and sent again (``disconnect_attempts`` in all,
    ``retry_delay`` apart). When every attempt failed, it is handed over to
    the router's API (:meth:`_hand_over_to_router`, isp_mikrotik) or stays
    failed. A CoA that keeps failing becomes a disconnect. Every step runs
    in an OCA queue_job job.
    """

    _name = "isp.network.action"
    _description = "Network action"
    _order = "id desc"

    subscription_id = fields.Many2one("isp.subscription", index=True, ondelete="set null")
    router_id = fields.Many2one("isp.router", string="Router / NAS", index=True,
                                ondelete="set null")
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    username = fields.Char(index=True)
    acct_session_id = fields.Char("Acct-Session-Id")
    framed_ip = fields.Char("IP address")
    kind = fields.Selection(
        [("disconnect", "Disconnect"), ("coa", "Change of authorisation"),
         ("kick", "Router API kick")], required=True, default="disconnect")
    state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent"), ("confirmed", "Confirmed"),
         ("failed", "Disconnect failed"), ("handed_over", "Handed over to the router API"),
         ("done", "Done")], required=True, default="queued", index=True)
    attempts = fields.Integer(default=0)
    last_error = fields.Char()
    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    reason = fields.Char(help="What made the change: suspend, disable, expire, plan "
                              "change, MAC reset...")
    radacct_id = fields.Integer("Accounting session", index=True,
                                help="radius.radacct row of the session.")
    nas_ip = fields.Char("NAS address")
    attributes_json = fields.Text("CoA attributes",
                                  help="Attributes a CoA-Request sets (JSON list of pairs).")
    sent_date = fields.Datetime("Acknowledged at", readonly=True)
    next_try = fields.Datetime("Next try", readonly=True)
    closed_date = fields.Datetime("Session closed at", readonly=True)

    # the hook isp_mikrotik overrides ----------------------------------------

    @api.multi
    def _hand_over_to_router(self):
        """Kick the session through the router's own API when RADIUS could
        not. isp_mikrotik overrides this (and returns True when it did);
        without it nothing can be done."""
        self.ensure_one()
        return False

    # actions ----------------------------------------------------------------

    @api.multi
    def action_retry(self):
        """Start a failed action again (ISP admin)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        failed = self.filtered(lambda a: a.state == "failed")
        failed.write({"state": "queued", "attempts": 0, "last_error": False})
        failed._enqueue_send()
        return True

    # queueing ---------------------------------------------------------------

    def _radius(self):
        return self.env["isp.radius"]

    @api.multi
    def _enqueue_send(self, delay=0):
        """Queue the send job of each action (`delay` seconds from now)."""
        for action in self:
            eta = delay or None
            action.with_delay(eta=eta, max_retries=1, description=_(
                "RADIUS %s of %s on %s") % (action.kind, action.username, action.nas_ip)
            )._job_send()
            if delay:
                action.next_try = fields.Datetime.to_string(
                    datetime.datetime.utcnow() + datetime.timedelta(seconds=delay))
        return True

    @api.multi
    def _enqueue_verify(self):
        # retried every 2 s by queue_job (RetryableJobError) until the
        # verification deadline; the bound is generous, the deadline decides
        tries = max(self._radius()._int_param("verify_seconds") // 2 + 5, 5)
        for action in self:
            action.with_delay(eta=1, max_retries=tries, description=_(
                "Check that %s left %s") % (action.username, action.nas_ip))._job_verify()
        return True

    # jobs -------------------------------------------------------------------

    @job(default_channel="root")
    @api.multi
    def _job_send(self):
        """Send the Disconnect-Request / CoA-Request and record the answer."""
        self.ensure_one()
        action = self.sudo()
        if action.state in FINAL_STATES or action.kind not in ("disconnect", "coa"):
            return "nothing to do (%s)" % action.state
        if action.kind == "disconnect" and action._session_closed():
            action.write({"state": "confirmed", "next_try": False,
                          "closed_date": fields.Datetime.now()})
            return "session already closed"
        outcome = action._send()
        vals = {"attempts": action.attempts + 1, "next_try": False,
                "last_error": False if outcome.result == coa.ACK else outcome.message}
        if outcome.result == coa.ACK:
            vals.update(sent_date=fields.Datetime.now(),
                        state="sent" if action.kind == "disconnect" else "done")
            action.write(vals)
            if action.kind == "disconnect":
                action._enqueue_verify()
            return outcome.message
        vals["state"] = "failed"
        action.write(vals)
        action._after_failure()
        return outcome.message

    @job(default_channel="root")
    @api.multi
    def _job_verify(self):
        """After a Disconnect-ACK: the session must be closed (Acct-Stop) or
        gone before the deadline."""
        self.ensure_one()
        action = self.sudo()
        if action.state != "sent":
            return "nothing to do (%s)" % action.state
        if action._session_closed():
            action.write({"state": "confirmed", "closed_date": fields.Datetime.now()})
            return "confirmed"
        deadline = fields.Datetime.from_string(action.sent_date) + datetime.timedelta(
            seconds=self._radius()._int_param("verify_seconds"))
        if datetime.datetime.utcnow() < deadline:
            raise RetryableJobError("the session of %s is still open" % action.username,
                                    seconds=2)
        action.write({"state": "failed", "last_error": _(
            "The router acknowledged the disconnect but the session is still open "
            "%d s later.") % self._radius()._int_param("verify_seconds")})
        action._after_failure()
        return "still online"

    # steps ------------------------------------------------------------------

    def _send(self):
        radius = self._radius()
        router = self.router_id
        if not router:
            return coa.Outcome(coa.ERROR, None, _("No router is registered with the address "
                                                  "%s.") % (self.nas_ip or "?"))
        attrs = coa.session_attributes(self.username, self.acct_session_id, self.framed_ip)
        if self.kind == "coa":
            attrs += [tuple(a) for a in json.loads(self.attributes_json or "[]")]
        outcome = coa.send(self.kind, router.host, router.coa_port or 3799,
                           router.radius_secret, attrs,
                           timeout=radius._int_param("coa_timeout"),
                           retries=max(radius._int_param("coa_tries"), 1))
        _logger.info("RADIUS %s of %s (session %s) to %s: %s", self.kind, self.username,
                     self.acct_session_id, router.host, outcome.result)
        return outcome

    def _session_closed(self):
        """The session got its Acct-Stop, or is gone from radacct."""
        if not self.radacct_id:
            return False
        self.env.cr.execute("SELECT acctstoptime IS NOT NULL FROM radius.radacct "
                            "WHERE radacctid = %s", (self.radacct_id,))
        row = self.env.cr.fetchone()
        return row is None or row[0]

    def _after_failure(self):
        """Try again later, or give up: a CoA becomes a disconnect, a
        disconnect goes to the router's API."""
        radius = self._radius()
        if self.attempts < radius._int_param("disconnect_attempts"):
            self._enqueue_send(delay=radius._int_param("retry_delay") * self.attempts)
            return
        if self.kind == "coa":
            disconnect = self.copy({"kind": "disconnect", "state": "queued", "attempts": 0,
                                    "attributes_json": False, "last_error": False,
                                    "reason": _("CoA failed: %s") % (self.reason or "")})
            self.write({"state": "failed", "last_error": _(
                "%s Disconnecting instead.") % (self.last_error or "")})
            disconnect._enqueue_send()
            return
        if self._hand_over_to_router():
            self.write({"state": "handed_over"})
        else:
            self.write({"state": "failed"})
