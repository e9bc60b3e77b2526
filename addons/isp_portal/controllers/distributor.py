# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Card distributor panel (portal login of a recharge point): its stock of
cards, selling a digital card to a mobile number, its sales and commission,
what it owes and has paid."""
