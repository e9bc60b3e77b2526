"""Plain rules of isp_cards: PINs, serials, lockout, journal entry lines."""
