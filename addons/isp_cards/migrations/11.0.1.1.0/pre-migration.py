# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.1.0: card PINs are kept as keyed hashes.

Before the module's tables are updated (so that pin_hash is filled when the
ORM makes it NOT NULL and unique): the key of the PIN hashes (system
parameter isp_cards.pin_key), the hash of every PIN, the clear PIN dropped
from every card that is no longer in stock (sold ones were sent by SMS,
used, expired and cancelled ones need it no more), the unique index on the
clear PIN dropped. Cards in stock keep their clear PIN until they are
printed, exported or sent (there is no record of an earlier print)."""
import importlib.util
import logging
import os

from psycopg2.extras import execute_values

_logger = logging.getLogger(__name__)
KEY = "isp_cards.pin_key"


def _cards_lib():
    # lib/cards.py by its path: the addon's package is not imported yet
    path = os.path.join(os.path.dirname(__file__), "..", "..", "lib", "cards.py")
    spec = importlib.util.spec_from_file_location("isp_cards_lib_cards_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pin_key(cr, lib):
    """The key of the PIN hashes, made when missing."""
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (KEY,))
    row = cr.fetchone()
    if row and row[0]:
        return row[0]
    key = lib.new_pin_key()
    cr.execute("""INSERT INTO ir_config_parameter (key, value, create_uid, write_uid,
                                                   create_date, write_date)
                  VALUES (%s, %s, 1, 1, now() at time zone 'UTC', now() at time zone 'UTC')
                  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""", (KEY, key))
    return key


def hash_pins(cr):
    """Hash the clear PINs, drop those of cards no longer in stock. Returns
    (PINs hashed, clear PINs dropped). Runs again without harm."""
    lib = _cards_lib()
    key = pin_key(cr, lib)
    cr.execute("""ALTER TABLE isp_card ADD COLUMN IF NOT EXISTS pin_hash varchar,
                                       ADD COLUMN IF NOT EXISTS pin_released varchar,
                                       ADD COLUMN IF NOT EXISTS pin_released_at timestamp,
                                       ALTER COLUMN pin DROP NOT NULL""")
    cr.execute("ALTER TABLE isp_card DROP CONSTRAINT IF EXISTS isp_card_pin_uniq")
    cr.execute("DELETE FROM ir_model_constraint WHERE name = 'isp_card_pin_uniq'")
    cr.execute("SELECT id, pin FROM isp_card WHERE pin IS NOT NULL AND pin_hash IS NULL")
    rows = [(card_id, lib.pin_hash(key, pin)) for card_id, pin in cr.fetchall()]
    execute_values(cr._obj if hasattr(cr, "_obj") else cr, """
        UPDATE isp_card c SET pin_hash = v.pin_hash
          FROM (VALUES %s) AS v (id, pin_hash) WHERE c.id = v.id""", rows, page_size=5000)
    # the digital sales of the old version sent their PIN by SMS
    cr.execute("""UPDATE isp_card SET pin_released = 'sent', pin_released_at = sold_at
                   WHERE state = 'sold' AND pin_released IS NULL""")
    cr.execute("UPDATE isp_card SET pin = NULL WHERE state != 'new' AND pin IS NOT NULL")
    dropped = cr.rowcount
    _logger.info("isp_cards: %d card PINs hashed, %d clear PINs dropped", len(rows), dropped)
    return len(rows), dropped


def migrate(cr, version):
    if not version:
        return
    hash_pins(cr)
