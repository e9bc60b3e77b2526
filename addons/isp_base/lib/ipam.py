# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""IP address management: the next free address or prefix of a pool."""
import ipaddress


def usable_hosts(network):
    """Addresses a customer may get from an IPv4 pool: no network or
    broadcast address (except /31 and /32)."""
    net = ipaddress.IPv4Network(network)
    if net.prefixlen >= 31:
        return list(net)
    return net.hosts()


def host_count(network, reserved=()):
    net = ipaddress.ip_network(network)
    total = net.num_addresses - (2 if net.version == 4 and net.prefixlen < 31 else 0)
    return total - sum(1 for r in reserved if ipaddress.ip_address(r) in net)


def prefix_count(network, prefix_length):
    net = ipaddress.IPv6Network(network)
    return 2 ** (prefix_length - net.prefixlen) if prefix_length >= net.prefixlen else 0


def next_free_ipv4(network, used, reserved=()):
    """The lowest usable address of `network` not in `used` nor `reserved`
    (sets of strings); None when the pool is full."""
    taken = set(used) | set(reserved)
    for address in usable_hosts(network):
        text = str(address)
        if text not in taken:
            return text
    return None


def next_free_prefix(network, prefix_length, used):
    """The lowest /prefix_length inside `network` that overlaps none of
    `used` (prefixes as strings, any length); None when full."""
    net = ipaddress.IPv6Network(network)
    if prefix_length < net.prefixlen or prefix_length > 64:
        raise ValueError("Cannot delegate /%d prefixes out of %s." % (prefix_length, net))
    taken = [ipaddress.IPv6Network(u) for u in used]
    taken = [t for t in taken if t.overlaps(net)]
    exact = {t for t in taken if t.prefixlen == prefix_length}
    others = [t for t in taken if t.prefixlen != prefix_length]
    for candidate in net.subnets(new_prefix=prefix_length):
        if candidate in exact or any(candidate.overlaps(t) for t in others):
            continue
        return str(candidate)
    return None
