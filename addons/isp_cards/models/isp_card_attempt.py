# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

RESULTS = [
    ("ok", "Used"),
    ("wrong", "Wrong PIN"),
    ("used", "Card already used"),
    ("expired", "Card expired"),
    ("cancelled", "Card cancelled"),
    ("refused", "Refused"),
    ("account", "Wrong account"),
    ("password", "Wrong password"),
    ("locked", "Locked out"),
]


class IspCardAttempt(models.Model):
    """Every try to use a card: who, from where, what happened. Failures
    count towards the lockout (lib/cards.py: locked_until); the PIN typed is
    kept masked."""

    _name = "isp.card.attempt"
    _description = "Recharge card attempt"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    subscription_id = fields.Many2one("isp.subscription", readonly=True, ondelete="cascade")
    client_ip = fields.Char("Address", readonly=True)
    pin_hint = fields.Char("PIN typed", readonly=True)
    card_id = fields.Many2one("isp.card", readonly=True, ondelete="set null")
    result = fields.Selection(RESULTS, required=True, readonly=True, index=True)
    invoice_id = fields.Many2one("account.invoice", string="Recharge bill", readonly=True)
    move_id = fields.Many2one("account.move", string="Card entry", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True,
                                 default=lambda self: self.env.user.company_id)

    @api.model_cr
    def init(self):
        # the lockout reads the recent failures of an account and of an address
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS isp_card_attempt_subscription_date_idx
                ON isp_card_attempt (subscription_id, date)
             WHERE result NOT IN ('ok', 'locked')""")
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS isp_card_attempt_client_ip_date_idx
                ON isp_card_attempt (client_ip, date)
             WHERE result NOT IN ('ok', 'locked')""")
