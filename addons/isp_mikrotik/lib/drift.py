# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What billing says vs what a router has, and the writes that repair it."""
import collections

from . import commands as cmd

#: kinds of drift, most serious first
KINDS = collections.OrderedDict([
    ("enabled_suspended", "Enabled on the router, cut off in billing"),
    ("missing", "Missing on the router"),
    ("profile", "Different profile"),
    ("different", "Different settings"),
    ("extra", "On the router, not in billing"),
])

#: one finding: kind, menu, key (tuple), what billing and the router say,
#: and the writes that repair it (possibly none: reported only)
Line = collections.namedtuple("Line", "kind menu key billing router ops")

SECRET_PROPS = ("password",)


def _show(values, props=None):
    shown = []
    for prop in props or sorted(values):
        value = values.get(prop, "")
        if prop in SECRET_PROPS and value:
            value = "***"
        shown.append("%s=%s" % (prop, value))
    return " ".join(shown)


def compare(wanted_items, rows_by_menu, suspended_lists=()):
    """Drift lines of a whole router.

    :param wanted_items: every Item billing wants on the router
    :param rows_by_menu: {menu: every printed row} of the menus compared
    :param suspended_lists: the address lists billing manages (extras in
        other lists are none of its business)
    """
    lines = []
    wanted_keys = set()
    indexes = {menu: cmd.index_rows(menu, rows) for menu, rows in rows_by_menu.items()}
    for menu in cmd.ORDER:
        for wanted in (w for w in wanted_items if w.menu == menu):
            key = tuple(cmd.normalize(k) for k in wanted.key)
            wanted_keys.add((menu, key))
            row = indexes.get(menu, {}).get(key)
            ops = cmd.ops_for_item(wanted, row)
            if row is None:
                lines.append(Line("missing", menu, wanted.key, _show(wanted.values), "", ops))
                continue
            diff = cmd.differences(wanted, row)
            if not diff:
                continue
            if diff.get("disabled") == ("true", "false"):
                kind = "enabled_suspended"
            elif "profile" in diff:
                kind = "profile"
            else:
                kind = "different"
            props = sorted(diff)
            lines.append(Line(kind, menu, wanted.key,
                              _show({k: v[0] for k, v in diff.items()}, props),
                              _show({k: v[1] for k, v in diff.items()}, props), ops))
    lists = set(suspended_lists)
    for menu in cmd.ACCOUNT_MENUS:
        for row in rows_by_menu.get(menu, ()):
            key = cmd.row_key(menu, row)
            if (menu, key) in wanted_keys:
                continue
            if menu == cmd.ADDRESS_LIST and key[0] not in lists:
                continue
            lines.append(Line("extra", menu, key, "",
                              _show({k: cmd.normalize(row.get(k)) for k in
                                     ("profile", "disabled", "comment") if k in row}),
                              extra_ops(menu, key, row)))
    return lines


def extra_ops(menu, key, row):
    """Ours (our comment): removed. Someone else's enabled PPPoE secret (a
    customer billing does not know, online for free): disabled, kept for an
    import. Anything else (VPN links, hotspot users, queues, address-list
    entries made by hand): reported only."""
    if cmd.is_ours(row):
        return [cmd.Op("remove", menu, key, row[".id"], {})]
    if menu == cmd.SECRET and cmd.normalize(row.get("service")) == "pppoe" \
            and cmd.normalize(row.get("disabled")) != "true":
        return [cmd.Op("set", menu, key, row[".id"], {"disabled": "yes"})]
    return []


def summary(lines):
    """{kind: count} with every kind."""
    counts = collections.OrderedDict((k, 0) for k in KINDS)
    for line in lines:
        counts[line.kind] += 1
    return counts


def repair_ops(lines):
    """The writes of every line, in a safe order: pools and profiles before
    what refers to them, removals last."""
    order = {menu: i for i, menu in enumerate(cmd.ORDER)}
    ops = [op for line in lines for op in line.ops]
    return sorted(ops, key=lambda op: (op.action == "remove", order.get(op.menu, 99)))
