# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, http
from odoo.exceptions import AccessError
from odoo.http import request

from ..lib import usage_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RadiusUsage(http.Controller):

    @http.route("/isp_radius/usage/<int:subscription_id>.xlsx", type="http", auth="user")
    def usage_xlsx(self, subscription_id, **kw):
        """Excel download of an account's internet history, for whoever may
        read the account (staff of its company, the customer itself)."""
        sub = request.env["isp.subscription"].browse(subscription_id)
        try:
            sub.check_access_rights("read")
            sub.check_access_rule("read")
            if not sub.exists():
                return request.not_found()
        except AccessError:
            response = request.make_response(
                _("You may not read the history of this account."),
                headers=[("Content-Type", "text/plain; charset=utf-8")])
            response.status_code = 403
            return response
        # dates and times as the reader reads them (its zone, else the company's)
        reader = request.env.user.partner_id
        content = usage_xlsx.workbook(*_history(request.env, sub, reader),
                                      *reader._isp_excel_formats())
        name = "internet-history-%s.xlsx" % (sub.username or sub.id)
        return request.make_response(content, headers=[
            ("Content-Type", XLSX),
            ("Content-Disposition", 'attachment; filename="%s"' % name)])


def _history(env, sub, reader):
    """(title, monthly rows, daily rows, session rows) of the account, read
    with the user's own rights; session times in `reader`'s zone (days are
    the days of `isp_radius.usage_timezone`, the company's by default)."""
    domain = [("subscription_id", "=", sub.id)]
    monthly = [(m.month[:7], m.download_mb, m.upload_mb, m.total_mb,
                usage_xlsx.hours(m.session_time), m.sessions)
               for m in env["isp.radius.usage.monthly"].search(domain)]
    daily = [(fields.Date.from_string(d.date), d.download_mb, d.upload_mb, d.total_mb,
              usage_xlsx.hours(d.session_time), d.sessions)
             for d in env["isp.radius.usage.daily"].search(domain)]
    sessions = [(reader._isp_local(s.start_time), reader._isp_local(s.stop_time) or "online",
                 usage_xlsx.hours(s.session_time),
                 s.download_mb, s.upload_mb, s.framed_ip, s.ipv6_prefix, s.mac_address,
                 s.router_id.sudo().name or s.nas_ip, s.acct_session_id, s.terminate_cause)
                for s in env["isp.radius.session"].search(domain)]
    title = "Internet history of %s (%s)" % (sub.username or sub.name, sub.partner_id.name)
    return title, monthly, daily, sessions
