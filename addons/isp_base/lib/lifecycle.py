# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The lifecycle of a subscription: which action may run from which state.

    draft --activate--> active --suspend--> suspended --resume--> active
    active --expire--> expired --activate/extend--> active
    active|suspended|expired --disable--> disabled --activate--> active
"""

STATE_LABELS = {
    "draft": "New",
    "active": "Active",
    "suspended": "Suspended",
    "disabled": "Disabled",
    "expired": "Expired",
}

#: action -> (states it may start from, state it leads to)
TRANSITIONS = {
    "activate": ({"draft", "expired", "disabled"}, "active"),
    "suspend": ({"active"}, "suspended"),
    "resume": ({"suspended"}, "active"),
    "disable": ({"active", "suspended", "expired"}, "disabled"),
    "expire": ({"active"}, "expired"),
}

#: states in which the customer is on the network
ONLINE_STATES = {"active"}


def next_state(action, state):
    """The state `action` leads to from `state`; ValueError if refused."""
    allowed, target = TRANSITIONS[action]
    if state not in allowed:
        raise ValueError(
            "A subscription in state %s cannot be %s; only from: %s." % (
                STATE_LABELS.get(state, state), _PAST[action],
                ", ".join(STATE_LABELS[s] for s in sorted(allowed))))
    return target


_PAST = {
    "activate": "activated",
    "suspend": "suspended",
    "resume": "resumed",
    "disable": "disabled",
    "expire": "expired",
}
