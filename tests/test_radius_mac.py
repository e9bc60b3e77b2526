"""Issue 16, finding 12: a MAC binding matches whatever form the NAS writes
the MAC in (RFC 3580's 4C-5E-0C-12-34-56, lower case, Cisco dots), and staff
may type it in any common form: one stored form, AA:BB:CC:DD:EE:FF.
Real FreeRADIUS (tests/radius_harness.py)."""
from pyrad import packet
from test_radius import ACCEPT, REJECT, auth, isp, new_sub, stack  # noqa: F401

SEEN_AS = ["4C:5E:0C:12:34:56", "4C-5E-0C-12-34-56", "4c-5e-0c-12-34-56",
           "4c:5e:0c:12:34:56", "4c5e.0c12.3456", "4C5E-0C12-3456", "4c5e0c123456"]


def test_mac_binding_matches_every_form_the_nas_sends(stack, isp):  # noqa: F811
    sub_id = new_sub(stack, isp, "h.macforms", mac_address="4c-5e-0c-12-34-56")
    with stack.env() as env:
        assert env["isp.subscription"].browse(sub_id).mac_address == "4C:5E:0C:12:34:56"
    for form in SEEN_AS:
        code, _reply = auth(stack, "h.macforms", Calling_Station_Id=form)
        assert code == ACCEPT, form
    for other in ("4C-5E-0C-12-34-57", "4c5e.0c12.3457", "not-a-mac"):
        code, reply = auth(stack, "h.macforms", Calling_Station_Id=other)
        assert (code, reply) == (REJECT, {}), other


def test_sessions_show_the_mac_in_the_stored_form(stack, isp):  # noqa: F811
    sub_id = new_sub(stack, isp, "h.macacct")
    nas = stack.clients["A"]
    assert nas.acct("Start", "h.macacct", "m1", Framed_IP_Address="100.70.0.19",
                    Calling_Station_Id="4c-5e-0c-12-34-58") == packet.AccountingResponse
    with stack.env() as env:
        sub = env["isp.subscription"].browse(sub_id)
        assert sub.radius_mac == "4C:5E:0C:12:34:58"
