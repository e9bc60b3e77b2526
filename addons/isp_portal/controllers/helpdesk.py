# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Complaints through OCA helpdesk_mgmt's portal pages, with its two
unchecked routes made safe: closing a ticket needs access to it, and a new
ticket is always the logged-in customer's (never a partner found by the
name and e-mail typed in the form)."""
import base64

import werkzeug

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import \
    CustomerPortal as HelpdeskCustomerPortal

from . import common


class IspHelpdeskTicketController(HelpdeskTicketController):

    @http.route()
    def support_ticket_close(self, **kw):
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(kw.get("ticket_id")))
            ticket.check_access_rights("read")
            ticket.check_access_rule("read")
            stage = request.env["helpdesk.ticket.stage"].browse(int(kw.get("stage_id")))
        except (AccessError, MissingError, TypeError, ValueError):
            return request.not_found()
        if not ticket.sudo().exists() or not stage.exists() or not stage.closed:
            return request.not_found()
        ticket.sudo().stage_id = stage
        return werkzeug.utils.redirect("/my/ticket/%d" % ticket.id)

    @http.route()
    def submit_ticket(self, **kw):
        user = request.env.user
        partner = user.partner_id
        category = request.env["helpdesk.ticket.category"].browse()
        if kw.get("category"):
            try:
                category = request.env["helpdesk.ticket.category"].search(
                    [("id", "=", int(kw["category"]))])
            except ValueError:
                category = category.browse()
        channel = request.env["helpdesk.ticket.channel"].sudo().search(
            [("name", "=", "Web")], limit=1)
        ticket = request.env["helpdesk.ticket"].sudo().create({
            "name": (kw.get("subject") or "").strip() or "-",
            "description": kw.get("description") or "",
            "category_id": category.id, "channel_id": channel.id,
            "company_id": user.company_id.id, "partner_id": partner.id,
            "partner_name": partner.name, "partner_email": partner.email,
        })
        ticket.message_subscribe_users(user_ids=user.ids)
        for upload in request.httprequest.files.getlist("attachment"):
            if upload.filename:
                request.env["ir.attachment"].sudo().create({
                    "name": upload.filename, "datas_fname": upload.filename,
                    "datas": base64.b64encode(upload.read()),
                    "res_model": "helpdesk.ticket", "res_id": ticket.id})
        return werkzeug.utils.redirect("/my/tickets")


class IspHelpdeskPortal(HelpdeskCustomerPortal):

    def _prepare_portal_layout_values(self):
        # helpdesk_mgmt's counter searches tickets whether or not the login
        # may read them: staff without a helpdesk role got a 403 on /my. Its
        # method is skipped (super() of its class) and the count is of what
        # the user may read.
        values = super(HelpdeskCustomerPortal, self)._prepare_portal_layout_values()
        values["ticket_count"] = common.readable_count(
            "helpdesk.ticket", [("partner_id", "child_of", request.env.user.partner_id.id)])
        return values

    @http.route()
    def portal_my_ticket(self, ticket_id=None, **kw):
        # another customer's ticket, or none: 404 (helpdesk_mgmt answers a
        # missing id with an error page)
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        if not ticket.sudo().exists():
            return request.not_found()
        try:
            ticket.check_access_rights("read")
            ticket.check_access_rule("read")
        except (AccessError, MissingError):
            return request.not_found()
        return super().portal_my_ticket(ticket_id=ticket_id, **kw)
