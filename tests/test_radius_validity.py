"""Issue 16, finding 9: RADIUS carries a validity end as a 32-bit count of
seconds (Expiration; Session-Timeout, the seconds left). The billing refuses
a validity end after 2100-12-31 (isp_base, tested there); an account that
has a later one all the same (a row written before the check, or by SQL)
is let in until the last second RADIUS can say, 2106-02-07 06:28:15 UTC,
not rejected nor given a wrapped Session-Timeout. Real FreeRADIUS
(tests/radius_harness.py)."""
import calendar
import datetime

from radius_harness import utcnow
from test_radius import ACCEPT, auth, isp, new_sub, stack  # noqa: F401

LAST = 2 ** 32 - 1     # 2106-02-07 06:28:15 UTC


def set_end_by_sql(harness, sub_id, end):
    """A validity end the billing would refuse, written past it."""
    harness.sql("UPDATE isp_subscription SET validity_end = %s WHERE id = %s", (end, sub_id))


def test_a_validity_end_past_2106_is_clamped_not_wrapped(stack, isp):  # noqa: F811
    subs = {}
    for name, end in (("h.y2107", "2107-01-01 00:00:00"), ("h.y9999", "9999-12-31 23:59:59"),
                      ("h.y2100", "2100-12-31 23:59:59")):
        subs[name] = new_sub(stack, isp, name, plan="hotspot", connection_type="hotspot",
                             billing_type="daily")
        set_end_by_sql(stack, subs[name], end)
    now = calendar.timegm(utcnow().timetuple())
    for name in ("h.y2107", "h.y9999"):
        code, reply = auth(stack, name)
        assert code == ACCEPT, name
        assert LAST - now - 120 <= reply["Session-Timeout"][0] <= LAST - now, name
    code, reply = auth(stack, "h.y2100")
    end = calendar.timegm(datetime.datetime(2100, 12, 31, 23, 59, 59).timetuple())
    assert code == ACCEPT
    assert end - now - 120 <= reply["Session-Timeout"][0] <= end - now
    # what FreeRADIUS is told: the clamped Expiration
    rows = dict(stack.sql("SELECT username, value FROM radius.radcheck "
                          "WHERE attribute = 'Expiration' AND username LIKE 'h.y%'"))
    assert rows == {"h.y2107": str(LAST), "h.y9999": str(LAST), "h.y2100": str(end)}
