# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who gets what of a customer's payment along a reseller chain.

A customer of operator O pays the customer price C. O bought the package
from its parent P at p_O, P from its parent at p_P, ... the top reseller from
the ISP at p_top. Then:

    O's margin      = C - p_O
    P's margin      = p_O - p_P
    ...
    the ISP's share = p_top

and the parts sum to C by construction. When a bill covers part of a cycle
(proration) or minutes of a package, every price is scaled first and the
rounding remainder goes to the operator closest to the customer, so the parts
still sum exactly to what the customer paid.
"""
from decimal import ROUND_HALF_UP, Decimal


def _round(value, rounding):
    step = Decimal(str(rounding))
    return float((Decimal(str(value)) / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
                 * step)


def split(customer_amount, chain_prices, rounding=0.01, ratio=1.0):
    """Parts of `customer_amount` along a chain.

    :param chain_prices: purchase prices from the operator closest to the
        customer up to the top reseller, e.g. [p_sub, p_reseller] (empty for
        a direct sale)
    :param ratio: the share of a full package the amounts are for
        (days billed / days in the cycle, minutes used / package minutes)
    :returns: [margin of the closest operator, margin of its parent, ...,
        share of the ISP] (len(chain_prices) + 1 parts) summing exactly to
        customer_amount
    """
    if not chain_prices:
        return [_round(customer_amount, rounding)]
    scaled = [_round(p * ratio, rounding) for p in chain_prices]
    parts = [customer_amount - scaled[0]]
    parts += [scaled[i] - scaled[i + 1] for i in range(len(scaled) - 1)]
    parts.append(scaled[-1])
    parts = [_round(p, rounding) for p in parts]
    # whatever rounding left over is the closest operator's
    parts[0] = _round(parts[0] + (customer_amount - sum(parts)), rounding)
    return parts


def chain_charges(chain_prices, ratio=1.0, rounding=0.01):
    """What each operator of the chain is charged by its parent for a share
    `ratio` of a package: [charge of the closest operator, ..., of the top
    reseller] (each is that operator's purchase price, scaled)."""
    return [_round(p * ratio, rounding) for p in chain_prices]


def minutes_ratio(minutes, package_minutes):
    """The share of a package `minutes` of validity are."""
    if package_minutes <= 0:
        raise ValueError("A package must last at least one minute.")
    return max(minutes, 0) / package_minutes


def wallet_allows(balance, charge, mode, credit_limit):
    """Whether an operator may be charged `charge` more.

    `balance` is what it owes (positive) or holds (negative) on its operator
    account. A prepaid operator spends what it holds; a postpaid one may owe
    up to its credit limit."""
    after = balance + charge
    if mode == "prepaid":
        return after <= 0.000001
    return after <= (credit_limit or 0.0) + 0.000001
