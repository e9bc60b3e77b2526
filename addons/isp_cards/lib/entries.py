# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The journal entries of recharge cards, as plain lines.

Each function returns [(account key, partner, debit, credit)]; the model
maps the keys to the company's accounts:

* ``card_receivable``: what card distributors owe (partner: the distributor)
* ``deferred``: cards sold, service not given yet (partner: the operator
  the cards belong to)
* ``commission``: the ISP's commission expense (its own distributors)
* ``operator``: a reseller's ledger (isp_reseller's operator account)
* ``cash``: the journal the money came in through
* ``breakage``: income from cards that expired unused (the ISP's cards)

Handover of cards of face value F with commission C to a distributor:

    ISP's distributor:      Dr card_receivable F-C, Dr commission C / Cr deferred F
    a reseller's one:       Dr card_receivable F-C, Dr operator (reseller) C / Cr deferred F

(a reseller pays its distributors' commission.) Money from the distributor:
Dr cash (the ISP received it) or Dr operator (the reseller took it: it holds
it) / Cr card_receivable.
Redemption: the recharge bill (Dr customer / Cr income, or the reseller's
holding account) is paid by an isp_billing payment through the "recharge
card" journal, whose account is the deferred revenue: Dr deferred / Cr
customer. Expiry: Dr deferred / Cr breakage (the ISP's cards) or Cr operator
(the reseller keeps it).
"""


def _line(key, partner, amount):
    """A debit (amount > 0) or credit (amount < 0) line; None for zero."""
    amount = round(amount, 2)
    if not amount:
        return None
    return (key, partner, amount if amount > 0 else 0.0, -amount if amount < 0 else 0.0)


def _lines(*specs):
    return [line for line in (_line(*spec) for spec in specs) if line]


def reverse(lines):
    """The entry that cancels `lines`."""
    return [(key, partner, credit, debit) for key, partner, debit, credit in lines]


def handover(face, commission, distributor, operator, by_reseller):
    """Cards of total face value `face`, total commission `commission`,
    handed to `distributor` of `operator`."""
    if commission < 0 or commission > face:
        raise ValueError("The commission is between 0 and the face value.")
    return _lines(("card_receivable", distributor, face - commission),
                  ("operator" if by_reseller else "commission",
                   operator if by_reseller else distributor, commission),
                  ("deferred", operator, -face))


def money_received(amount, distributor, operator, by_reseller):
    """`amount` received from `distributor` by the ISP, or (`by_reseller`)
    by the reseller it works for."""
    if amount <= 0:
        raise ValueError("The amount received is positive.")
    return _lines(("operator" if by_reseller else "cash",
                   operator if by_reseller else distributor, amount),
                  ("card_receivable", distributor, -amount))


def expiry(face, operator, by_reseller):
    """Cards of `operator` worth `face` expired unused."""
    return _lines(("deferred", operator, face),
                  ("operator" if by_reseller else "breakage", operator, -face))


def is_balanced(lines):
    return round(sum(d - c for _k, _p, d, c in lines), 2) == 0
