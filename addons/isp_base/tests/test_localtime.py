# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dates and times as people read them: the ISP's day, the zone of a
login (its own, else the company's) and the format of its language."""
import datetime
import unittest

from odoo.tests.common import at_install, post_install

from ..lib import billing_profile as bp
from ..lib import localtime
from .common import IspCase

D = datetime.date
DT = datetime.datetime
DHAKA = "Asia/Dhaka"


class TestLocalTime(unittest.TestCase):

    def test_the_day_in_dhaka_starts_at_18_utc(self):
        # 00:30 on 9 March in Dhaka is 18:30 UTC on 8 March
        self.assertEqual(localtime.local_day(DT(2026, 3, 8, 18, 30), DHAKA), D(2026, 3, 9))
        self.assertEqual(localtime.local_day(DT(2026, 3, 8, 17, 59, 59), DHAKA), D(2026, 3, 8))
        self.assertEqual(localtime.local_day(DT(2026, 3, 8, 18, 30), "UTC"), D(2026, 3, 8))
        self.assertEqual(localtime.day_start_utc(D(2026, 3, 9), DHAKA), DT(2026, 3, 8, 18, 0))
        self.assertEqual(localtime.day_end_utc(D(2026, 3, 8), DHAKA),
                         DT(2026, 3, 8, 17, 59, 59))
        # a zone with summer time: the end of a summer day and of a winter day
        self.assertEqual(localtime.day_end_utc(D(2026, 7, 1), "Europe/Brussels"),
                         DT(2026, 7, 1, 21, 59, 59))
        self.assertEqual(localtime.day_end_utc(D(2026, 1, 1), "Europe/Brussels"),
                         DT(2026, 1, 1, 22, 59, 59))
        # an empty or unknown zone is UTC
        self.assertEqual(localtime.to_local(DT(2026, 3, 8, 18, 30), ""), DT(2026, 3, 8, 18, 30))
        self.assertEqual(localtime.to_local(DT(2026, 3, 8, 18, 30), "Mars/Olympus"),
                         DT(2026, 3, 8, 18, 30))
        self.assertEqual(localtime.to_utc(DT(2026, 3, 9, 0, 30), DHAKA), DT(2026, 3, 8, 18, 30))

    def test_formats_of_the_language(self):
        end = DT(2026, 3, 31, 17, 59, 59)  # 23:59:59 in Dhaka
        self.assertEqual(localtime.format_datetime(end, DHAKA, "%d/%m/%Y", "%H:%M:%S"),
                         "31/03/2026 23:59")
        self.assertEqual(localtime.format_datetime(end, DHAKA, "%d/%m/%Y", "%H:%M:%S",
                                                   seconds=True), "31/03/2026 23:59:59")
        self.assertEqual(localtime.format_datetime(end, DHAKA, "%m/%d/%Y", "%I:%M:%S %p"),
                         "03/31/2026 11:59 PM")
        self.assertEqual(localtime.format_datetime(end, "UTC", "%d.%m.%Y", "%H.%M.%S"),
                         "31.03.2026 17.59")
        self.assertEqual(localtime.format_datetime(None, DHAKA), "")
        self.assertEqual(localtime.format_date(D(2026, 3, 9), "%d/%m/%Y"), "09/03/2026")
        self.assertEqual(localtime.format_date(D(2026, 3, 9), None), "03/09/2026")
        self.assertEqual(localtime.format_date(None, "%d/%m/%Y"), "")

    def test_excel_formats(self):
        for strftime, excel in (("%d/%m/%Y", "dd/mm/yyyy"), ("%m/%d/%Y", "mm/dd/yyyy"),
                                ("%Y-%m-%d", "yyyy-mm-dd"), ("%d.%m.%Y", "dd.mm.yyyy"),
                                ("%d/%m/%Y %H:%M", "dd/mm/yyyy hh:mm"),
                                ("%I:%M %p", "hh:mm AM/PM"), ("%d %b %Y", "dd mmm yyyy"),
                                ("%Y年%m月%d日", 'yyyy"年"mm"月"dd"日"')):
            self.assertEqual(localtime.excel_format(strftime), excel, strftime)
        self.assertEqual(localtime.time_pattern("%H:%M:%S"), "%H:%M")
        self.assertEqual(localtime.time_pattern("%I:%M:%S %p"), "%I:%M %p")
        self.assertEqual(localtime.time_pattern("%H.%M.%S"), "%H.%M")
        self.assertEqual(localtime.time_pattern("%H:%M:%S", seconds=True), "%H:%M:%S")

    def test_suspension_uses_the_isp_day(self):
        # validity ended, a bill due on 8 March, no grace: overdue from
        # 00:00 on 9 March in Dhaka, i.e. 18:00 UTC on 8 March
        args = dict(billing_type="monthly", connection_type="pppoe", auto_suspend=True,
                    validity_end=DT(2026, 3, 1), unpaid_due_dates=[D(2026, 3, 8)],
                    grace_days=0)
        just_after_midnight = DT(2026, 3, 8, 18, 30)  # 00:30 on 9 March in Dhaka
        self.assertEqual(bp.suspension_check(now=just_after_midnight, tz_name=DHAKA,
                                             **args)[0], bp.SUSPEND)
        self.assertEqual(bp.suspension_check(now=DT(2026, 3, 8, 17, 30), tz_name=DHAKA,
                                             **args)[0], bp.KEEP)  # 23:30 in Dhaka
        # the same moment read in UTC is still the 8th
        self.assertEqual(bp.suspension_check(now=just_after_midnight, tz_name="UTC",
                                             **args)[0], bp.KEEP)
        # grace days count in the ISP's days too
        self.assertEqual(bp.suspension_check(now=just_after_midnight, tz_name=DHAKA,
                                             **dict(args, grace_days=1))[0], bp.KEEP)
        decision, reason = bp.suspension_check(
            now=DT(2026, 3, 9, 18, 30), tz_name=DHAKA, date_format="%d/%m/%Y",
            **dict(args, grace_days=1))
        self.assertEqual(decision, bp.SUSPEND)
        self.assertEqual(reason, "Validity ended and the bill due on 08/03/2026 is unpaid.")
        reason = bp.suspension_check(now=DT(2026, 3, 8, 12, 0), tz_name=DHAKA,
                                     date_format="%d/%m/%Y", **args)[1]
        self.assertIn("(08/03/2026, grace included) has not passed", reason)


@at_install(False)
@post_install(True)
class TestZonesOfPeople(IspCase):
    """Whose zone and language: the person's, else the company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"].load_lang("en_GB")
        cls.company.partner_id.tz = DHAKA

    def new_user(self, login, groups, **vals):
        return self.env["res.users"].create(dict({
            "name": login, "login": login, "password": login,
            "groups_id": [(6, 0, [self.env.ref(g).id for g in groups])]}, **vals))

    def test_the_company_zone_is_its_partners(self):
        self.assertEqual(self.company.isp_tz, DHAKA)
        self.company.isp_tz = "Asia/Kolkata"
        self.assertEqual(self.company.partner_id.tz, "Asia/Kolkata")
        self.assertEqual(self.company._isp_tz_name(), "Asia/Kolkata")
        self.company.partner_id.tz = False
        self.assertEqual(self.company._isp_tz_name(), "UTC")

    def test_new_logins_get_the_company_zone(self):
        # a portal customer, a reseller's login, a staff member made without
        # a zone: the company's; a zone given is kept
        for login, groups in (("tz.portal", ["base.group_portal"]),
                              ("tz.staff", ["base.group_user"])):
            user = self.new_user(login, groups)
            self.assertEqual(user.tz, DHAKA, login)
        self.assertEqual(self.new_reseller_login("TZ Reseller", "tz.reseller").tz, DHAKA)
        partner = self.env["res.partner"].with_context(tz=False).create({"name": "No zone"})
        self.assertFalse(partner.tz)
        user = self.new_user("tz.existing", ["base.group_portal"], partner_id=partner.id)
        self.assertEqual(partner.tz, DHAKA)
        user = self.new_user("tz.own", ["base.group_portal"], tz="Europe/London")
        self.assertEqual(user.tz, "Europe/London")

    def test_a_login_without_zone_reads_the_company_zone(self):
        user = self.new_user("tz.none", ["base.group_portal"])
        user.partner_id.tz = False
        self.assertEqual(user.sudo(user).context_get()["tz"], DHAKA)
        # the company moves: the cached context follows
        self.company.partner_id.tz = "Asia/Kolkata"
        self.assertEqual(user.sudo(user).context_get()["tz"], "Asia/Kolkata")
        user.partner_id.tz = "Europe/London"
        self.assertEqual(user.sudo(user).context_get()["tz"], "Europe/London")

    def test_texts_in_the_zone_and_format_of_the_reader(self):
        partner = self.env["res.partner"].create({"name": "Reader", "lang": "en_GB"})
        partner.tz = False
        end = "2026-03-31 17:59:59"  # 23:59:59 in Dhaka
        self.assertEqual(partner.isp_datetime_text(end), "31/03/2026 23:59")
        self.assertEqual(partner.isp_datetime_text(end, seconds=True), "31/03/2026 23:59:59")
        self.assertEqual(partner.isp_date_text("2026-03-09"), "09/03/2026")
        self.assertEqual(partner._isp_excel_formats(), ("dd/mm/yyyy", "dd/mm/yyyy hh:mm"))
        self.assertEqual(partner._isp_local(end), DT(2026, 3, 31, 23, 59, 59))
        partner.write({"tz": "UTC", "lang": "en_US"})
        self.assertEqual(partner.isp_datetime_text(end), "03/31/2026 17:59")
        self.assertEqual(partner.isp_datetime_text(False), "")

    def test_expiring_in_3_days_counts_the_companys_days(self):
        sub = self.new_sub()
        sub.action_activate()
        today = localtime.local_day(DT.utcnow(), DHAKA)
        last = localtime.day_end_utc(today + datetime.timedelta(days=3), DHAKA)
        for end, expected in ((last, True),
                              # 00:30 on the 4th day in Dhaka: 18:30 UTC, still the 3rd in UTC
                              (last + datetime.timedelta(minutes=31), False)):
            sub.with_context(isp_no_network_event=True).validity_end = end.strftime(
                "%Y-%m-%d %H:%M:%S")
            sub.invalidate_cache()
            self.assertEqual(sub.expiring_soon, expected, end)
            soon = self.Sub.search([("id", "=", sub.id), ("expiring_soon", "=", True)])
            self.assertEqual(bool(soon), expected, end)
            later = self.Sub.search([("id", "=", sub.id), ("expiring_soon", "=", False)])
            self.assertEqual(bool(later), not expected, end)
